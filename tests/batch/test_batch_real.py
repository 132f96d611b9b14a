"""The batch over the real stages: synthetic reports, and every bad input from ../shared/data/bad_inputs."""

from __future__ import annotations

import csv
import io
import json

import pytest
from casereview.batch import run_batch
from casereview.settings import shared_dir
from conftest import real_stages_missing
from synthpdf import make_corpus

pytestmark = [pytest.mark.slow, pytest.mark.skipif(real_stages_missing() is not None,
                                                   reason=str(real_stages_missing()))]


def test_synthetic_reports_are_extracted_redacted_labelled(tmp_path):
    make_corpus(tmp_path / "in", 3, pages=2)
    out = tmp_path / "out"
    summary = run_batch([tmp_path / "in"], out, jobs=2, progress=False)
    assert summary.counts == {"ok": 3}, summary.failures
    manifest = json.loads((out / "manifest.json").read_text())
    for entry in manifest["inputs"]:
        assert entry["pages"] >= 2 and {"extract", "redact", "write"} <= set(entry["timings"])
        doc = json.loads((out / "documents" / f"{entry['document_id']}.json").read_text())
        assert doc["redacted"] is True and doc["schema"] == "casereview.document/1"
    rows = list(csv.DictReader(io.StringIO((out / "items.csv").read_text(encoding="utf-8"))))
    assert rows and all(r["kind"] in ("recommendation", "finding") for r in rows)


def test_every_bad_input_gets_an_error_code_and_the_run_finishes(tmp_path):
    bad = shared_dir() / "data" / "bad_inputs"
    if not bad.is_dir():
        pytest.skip(f"{bad} is not there (the shared data folder is needed)")
    out = tmp_path / "out"
    summary = run_batch([bad], out, jobs=2, progress=False)
    manifest = json.loads((out / "manifest.json").read_text())
    names = {e["name"]: e for e in manifest["inputs"]}
    assert set(names) == {p.name for p in bad.iterdir() if p.suffix.lower() == ".pdf"}
    for name, entry in names.items():
        if entry["status"] == "ok":
            continue
        assert entry["error"] and entry["error"]["code"], name
        assert name in entry["error"]["message"] or entry["status"] == "needs_ocr", entry["error"]
    assert names["empty.pdf"]["status"] == "error"
    assert names["scanned_image_only.pdf"]["status"] in ("needs_ocr", "ok")  # ok only when OCR is installed
    assert summary.inputs == len(names)
