"""Memory bounds: Flate bombs and huge pages are refused with too_large (naming the file) before PDFium
decodes them, and extraction runs inside a 1 GiB address-space limit whatever the input.

The bombs are generated here (tests/extract/make_hostile_pdfs.py); the 2 GiB one costs 2 MB on disk.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from casereview.config import load_config
from casereview.extract import extract_pdf

from tests.extract import make_hostile_pdfs as hostile

ROOT = Path(__file__).resolve().parents[2]
GIB = 1 << 30

# Extract one file in a fresh interpreter whose address space is capped: a MemoryError or a crash there
# is a failure of the bound, and ru_maxrss is that file's own peak.
_CHILD = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]), int(sys.argv[2])))
from casereview.extract import extract_pdf
doc = extract_pdf(sys.argv[1])
print(json.dumps({"status": doc.status, "code": doc.error.code if doc.error else None,
                  "message": doc.error.message if doc.error else None, "text": doc.text,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def extract_capped(path: Path, limit: int = GIB) -> dict:
    done = subprocess.run([sys.executable, "-c", _CHILD, str(path), str(limit)], capture_output=True,
                          text=True, timeout=120, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_2_gib_flate_bomb_is_refused_within_1_gib(tmp_path):
    bomb = hostile.make_content_bomb(tmp_path / "bomb.pdf", 2048)
    assert bomb.stat().st_size < 4 * 1024 * 1024
    result = extract_capped(bomb)
    assert (result["status"], result["code"]) == ("error", "too_large")
    assert "bomb.pdf" in result["message"] and "max_content_stream_mb" in result["message"]
    assert result["peak_mb"] < 1024


def test_a_bomb_behind_two_flate_filters_is_refused(tmp_path):
    doc = extract_pdf(hostile.make_double_flate_bomb(tmp_path / "double.pdf", 64))
    assert (doc.status, doc.error.code) == ("error", "too_large")


def test_a_huge_page_is_refused_within_1_gib(tmp_path):
    page = hostile.make_huge_page(tmp_path / "huge.pdf", 3_000_000)
    result = extract_capped(page)
    assert (result["status"], result["code"]) == ("error", "too_large")
    assert "huge.pdf" in result["message"] and "page 1" in result["message"]
    assert result["peak_mb"] < 1024


def test_a_page_over_the_character_limit_is_refused(tmp_path):
    page = hostile.make_huge_page(tmp_path / "dense.pdf", 60_000)
    settings = load_config().extract
    assert extract_pdf(page, settings).status == "ok"
    doc = extract_pdf(page, settings.model_copy(update={"max_chars_per_page": 50_000}))
    assert (doc.error.code, "max_chars_per_page" in doc.error.message) == ("too_large", True)
    doc = extract_pdf(page, settings.model_copy(update={"max_chars": 40_000}))
    assert (doc.error.code, "max_chars" in doc.error.message) == ("too_large", True)


def test_an_image_bomb_is_read_for_its_text_without_decoding_the_image(tmp_path):
    # Image data is only decoded to render (OCR); the page has a text layer, so it is never rendered.
    result = extract_capped(hostile.make_image_bomb(tmp_path / "image.pdf", 2048))
    assert result["status"] == "ok"
    assert "review panel met" in result["text"]
    # The bar is the same 1 GiB as for the bombs: here the peak is ~72 MB, but one CI machine measured
    # 691 MB (unexplained; the image is still not decoded whole: 2 GiB of pixels cannot fit the cap).
    assert result["peak_mb"] < 1024, result["peak_mb"]


def test_the_stream_limits_come_from_the_config(tmp_path):
    bomb = hostile.make_content_bomb(tmp_path / "small.pdf", 4)
    settings = load_config().extract
    assert extract_pdf(bomb, settings).status == "ok"
    doc = extract_pdf(bomb, settings.model_copy(update={"max_content_stream_mb": 2}))
    assert doc.error.code == "too_large" and "small.pdf" in doc.error.message
    doc = extract_pdf(bomb, settings.model_copy(update={"max_decoded_mb": 2}))
    assert doc.error.code == "too_large" and "max_decoded_mb" in doc.error.message


def test_a_page_of_many_strokes_is_read_without_table_finding(tmp_path):
    doc = extract_pdf(hostile.make_stroke_page(tmp_path / "strokes.pdf", 20_000))
    assert doc.status == "ok" and "review panel met" in doc.text


@pytest.mark.parametrize("size", [(200000, 200000), (14400, 14400)])
def test_an_oversized_page_box_is_not_a_crash(tmp_path, size):
    width, height = size
    page = hostile.one_page(tmp_path / "box.pdf", hostile.stream(b"", hostile.TEXT), width, height)
    result = extract_capped(page)
    assert result["status"] in ("ok", "error")
    assert result["peak_mb"] < 1024
