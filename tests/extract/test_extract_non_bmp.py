"""Characters outside the BMP come from PDFium as surrogate pairs; they must come back whole.

The inputs are the four PDFs from other projects' test corpora (emoji, mathematical letters) that raised a
traceback before; they stay in ../shared, beside the repository.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from casereview.extract import extract_pdf

OUTSIDE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "outside_pdfs"
PDFS = sorted(OUTSIDE.glob("*.pdf")) if OUTSIDE.is_dir() else []


@pytest.mark.skipif(not PDFS, reason="../shared/data/outside_pdfs not beside the repository")
@pytest.mark.parametrize("pdf", PDFS, ids=lambda p: p.name[:30])
def test_non_bmp_characters_come_back_whole(pdf: Path) -> None:
    doc = extract_pdf(pdf)
    assert doc.status == "ok", doc.error
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in doc.text)  # no half of a pair survives
    assert any(ord(c) > 0xFFFF for c in doc.text)  # the characters themselves are there
    doc.to_json().encode("utf-8")  # a lone surrogate would fail here
