"""Bad input never raises: a Document with status error (or needs_ocr), a stable code and a one-line message
that names the file and says nothing of its content."""

from __future__ import annotations

from pathlib import Path

import pytest
from casereview.config import ExtractConfig, load_config
from casereview.extract import extract_pdf
from casereview.settings import shared_dir

from corpora.synthetic.render import render_review, sample_spec

BAD_INPUTS = shared_dir() / "data" / "bad_inputs"
EXPECTED_CODES = {
    "80429_birmingham_children's_services_inspection_-_19_october_2012.pdf": "not_pdf",  # HTML pages
    "80431_blackpool_children's_services_inspection_-_13_july_2012.pdf": "not_pdf",
    "80490_bromley_children's_services_inspection_-_17_august_2012.pdf": "not_pdf",
    "80543_rotherham_children's_services_inspection_-_10_august_2012.pdf": "not_pdf",
    "random_bytes.pdf": "not_pdf",
    "empty.pdf": "empty",
    "password_protected.pdf": "encrypted",
    "truncated_report.pdf": "corrupt",
    "two_thousand_blank_pages.pdf": "too_many_pages",
    "scanned_image_only.pdf": "needs_ocr",
}


def extract_config(**changes: object) -> ExtractConfig:
    """params.yaml's extract section with some keys changed (validated like the file)."""
    return load_config().with_overrides({"extract": changes}).extract


def _bad_files() -> list[Path]:
    return sorted(p for p in BAD_INPUTS.iterdir() if p.is_file()) if BAD_INPUTS.is_dir() else []


def _assert_clean_failure(doc, path: Path, code: str, status: str = "error") -> None:
    assert doc.status == status
    assert doc.error is not None and doc.error.code == code
    message = doc.error.message
    assert path.name in message
    assert "\n" not in message and len(message) < 300
    assert "Traceback" not in message
    assert doc.text == "" and doc.items == [] and doc.sections == []
    assert doc.source.file == path.name


@pytest.mark.skipif(not BAD_INPUTS.is_dir(), reason="../shared/data/bad_inputs is not available")
def test_the_bad_inputs_folder_holds_the_files_this_test_knows():
    assert {p.name for p in _bad_files()} == set(EXPECTED_CODES)


@pytest.mark.skipif(not BAD_INPUTS.is_dir(), reason="../shared/data/bad_inputs is not available")
@pytest.mark.parametrize("path", _bad_files(), ids=lambda p: p.name[:40])
def test_bad_input_gives_an_error_document_with_its_code(path: Path):
    code = EXPECTED_CODES.get(path.name)
    # ocr: never, so a machine with tesseract and ocrmypdf gives the same answer for the scan.
    doc = extract_pdf(path, extract_config(ocr="never"))
    if code is None:  # a file added to the folder later: it must still fail cleanly
        assert doc.status in ("error", "needs_ocr") and path.name in doc.error.message
        return
    _assert_clean_failure(doc, path, code, status="needs_ocr" if code == "needs_ocr" else "error")


def test_a_missing_file_is_not_found(tmp_path: Path):
    path = tmp_path / "no_such_report.pdf"
    doc = extract_pdf(path)
    _assert_clean_failure(doc, path, "not_found")


def test_html_saved_as_pdf_is_not_pdf(tmp_path: Path):
    path = tmp_path / "saved_page.pdf"
    path.write_text("<!DOCTYPE html><html><body>Inspection report</body></html>", encoding="utf-8")
    doc = extract_pdf(path)
    _assert_clean_failure(doc, path, "not_pdf")
    assert "Inspection report" not in doc.error.message


def test_a_truncated_pdf_is_corrupt(tmp_path: Path):
    whole = tmp_path / "whole.pdf"
    render_review(whole, sample_spec(7, 0))
    cut = tmp_path / "cut_short.pdf"
    cut.write_bytes(whole.read_bytes()[:2000])
    doc = extract_pdf(cut)
    assert doc.status == "error" and doc.error.code == "corrupt"
    assert cut.name in doc.error.message and "\n" not in doc.error.message


@pytest.fixture(scope="module")
def three_pages(tmp_path_factory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("limits") / "three_pages.pdf"
    spec = sample_spec(7, 0, columns=1, style="inspection")
    truth = render_review(path, spec)
    return path, truth["pages"]


def test_max_pages_is_honoured(three_pages):
    path, pages = three_pages
    assert pages >= 2
    refused = extract_pdf(path, extract_config(max_pages=pages - 1))
    _assert_clean_failure(refused, path, "too_many_pages")
    assert str(pages) in refused.error.message
    assert refused.source.pages == 0 or refused.source.pages == pages
    accepted = extract_pdf(path, extract_config(max_pages=pages))
    assert accepted.status == "ok" and accepted.source.pages == pages


def test_max_file_mb_is_honoured(three_pages):
    path, _ = three_pages
    doc = extract_pdf(path, extract_config(max_file_mb=0.001))
    _assert_clean_failure(doc, path, "too_large")
