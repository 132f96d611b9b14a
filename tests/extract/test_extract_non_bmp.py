"""Characters outside the BMP come from PDFium as surrogate pairs; they must come back whole."""
from __future__ import annotations

from pathlib import Path

import pytest

from casereview.extract import extract_pdf
from tests.extract.make_outside_fixtures import DEJAVU, make_non_bmp_pdf

pytestmark = pytest.mark.skipif(not DEJAVU.exists(), reason="DejaVu Sans TTF not installed")


def test_non_bmp_characters_extract_without_surrogates(tmp_path: Path) -> None:
    doc = extract_pdf(make_non_bmp_pdf(tmp_path / "emoji.pdf"))
    assert doc.status == "ok", doc
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in doc.text)
    doc.to_json().encode("utf-8")  # a lone surrogate would fail here
    assert "review panel" in doc.text
    assert "\U0001F600" in doc.text
