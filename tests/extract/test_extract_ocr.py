"""OCR runs for real on scanned pages (Debian's tesseract-ocr and ocrmypdf, set up by make system-deps)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from casereview.config import load_config
from casereview.extract import extract_pdf

from tests.extract.make_outside_fixtures import DEJAVU, make_scanned_pdf

HAVE_OCR = bool(shutil.which("tesseract") and shutil.which("ocrmypdf"))
needs_ocr_tools = pytest.mark.skipif(not HAVE_OCR or not DEJAVU.exists(), reason="tesseract/ocrmypdf missing")
SCAN = ["The review panel met on Tuesday", "Recommendation one concerns schools"]
TYPED = "This page was typed and has a real text layer for the children."


@needs_ocr_tools
def test_scanned_pdf_is_ocred(tmp_path: Path) -> None:
    doc = extract_pdf(make_scanned_pdf(tmp_path / "scan.pdf", [SCAN]))
    assert doc.status == "ok", doc.error
    assert doc.source.ocr is True
    assert "review panel" in doc.text and "schools" in doc.text


@needs_ocr_tools
def test_only_scanned_pages_are_ocred(tmp_path: Path) -> None:
    doc = extract_pdf(make_scanned_pdf(tmp_path / "mixed.pdf", [TYPED, SCAN]))
    assert doc.status == "ok", doc.error
    assert doc.source.ocr is True
    assert TYPED[:30] in doc.text  # the typed page kept its own text layer, not an OCR reading
    assert "schools" in doc.text


def test_needs_ocr_when_ocr_is_off(tmp_path: Path) -> None:
    if not DEJAVU.exists():
        pytest.skip("DejaVu Sans TTF not installed")
    settings = load_config().extract.model_copy(update={"ocr": "never"})
    doc = extract_pdf(make_scanned_pdf(tmp_path / "scan.pdf", [SCAN]), settings)
    assert doc.status == "needs_ocr"
    assert doc.source.ocr is False


def test_needs_ocr_when_ocr_is_not_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not DEJAVU.exists():
        pytest.skip("DejaVu Sans TTF not installed")
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    doc = extract_pdf(make_scanned_pdf(tmp_path / "scan.pdf", [SCAN]))
    assert doc.status == "needs_ocr"
