"""Batch mechanics (resume, limits, identical inputs, journal) with stand-in stages, so every failure mode can
be produced on demand; tests/batch/test_batch_real.py runs the real stages."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from casereview.batch import InputError, read_manifest, run_batch
from casereview.batch.inputs import discover
from casereview.batch.journal import Journal
from conftest import FAKE, fast_params


def entries(out: Path) -> dict[str, dict]:
    return {Path(e["file"]).name: e for e in read_manifest(out)["inputs"]}


def test_discover_recurses_for_pdfs_any_case_and_keeps_explicit_files(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    for name in ("a/x.pdf", "a/b/y.PDF", "a/notes.txt", "z.docx"):
        (tmp_path / name).write_bytes(b"%PDF-1.4")
    found = {p.name for p in discover([tmp_path / "a", tmp_path / "z.docx"])}
    assert found == {"x.pdf", "y.PDF", "z.docx"}
    with pytest.raises(InputError, match=r"missing\.pdf"):
        discover([tmp_path / "missing.pdf"])


def test_second_run_does_no_work(corpus, tmp_path):
    out = tmp_path / "out"
    first = run_batch([corpus], out, jobs=2, config=fast_params(), progress=False, stages=FAKE)
    assert first.processed == 4 and first.counts == {"ok": 4}
    before = entries(out)
    second = run_batch([corpus], out, jobs=2, config=fast_params(), progress=False, stages=FAKE)
    assert second.processed == 0 and second.skipped == 4
    after = entries(out)
    # untouched records: same finish time and worker as the first run wrote
    assert {k: (v["finished"], v["worker"]) for k, v in after.items()} == \
           {k: (v["finished"], v["worker"]) for k, v in before.items()}
    rows = list(csv.DictReader(io.StringIO((out / "items.csv").read_text(encoding="utf-8"))))
    assert len(rows) == 4 and len({(r["document"], r["item_id"]) for r in rows}) == 4


def test_hung_file_times_out_and_run_goes_on(corpus, tmp_path):
    (corpus / "hang_me.pdf").write_bytes(b"%PDF-1.4 hang")
    out = tmp_path / "out"
    summary = run_batch([corpus], out, jobs=2, config=fast_params(time_limit_s=2), progress=False, stages=FAKE)
    found = entries(out)
    assert found["hang_me.pdf"]["error"]["code"] == "timeout"
    assert "hang_me.pdf" in found["hang_me.pdf"]["error"]["message"]
    assert sum(e["status"] == "ok" for e in found.values()) == 4
    assert [f["name"] for f in summary.failures] == ["hang_me.pdf"]


def test_memory_hog_is_killed_with_memory_limit(corpus, tmp_path):
    (corpus / "hog.pdf").write_bytes(b"%PDF-1.4 hog")
    out = tmp_path / "out"
    run_batch([corpus], out, jobs=1, config=fast_params(memory_limit_mb=400), progress=False, stages=FAKE)
    found = entries(out)
    assert found["hog.pdf"]["error"]["code"] == "memory_limit"
    assert sum(e["status"] == "ok" for e in found.values()) == 4


def test_crashing_worker_is_replaced(corpus, tmp_path):
    (corpus / "crash.pdf").write_bytes(b"%PDF-1.4 crash")
    out = tmp_path / "out"
    run_batch([corpus], out, jobs=1, config=fast_params(), progress=False, stages=FAKE)
    found = entries(out)
    assert found["crash.pdf"]["error"]["code"] == "worker_crash"
    assert sum(e["status"] == "ok" for e in found.values()) == 4


def test_identical_files_are_processed_once_but_all_recorded(corpus, tmp_path):
    copy = tmp_path / "copy_of_review_00.pdf"
    copy.write_bytes((corpus / "review_00.pdf").read_bytes())
    out = tmp_path / "out"
    summary = run_batch([corpus, copy], out, jobs=2, config=fast_params(), progress=False, stages=FAKE)
    found = entries(out)
    assert summary.processed == 4 and len(found) == 5
    assert found["copy_of_review_00.pdf"]["document_id"] == found["review_00.pdf"]["document_id"]
    assert len(list((out / "documents").glob("*.json"))) == 4


def test_non_pdf_and_empty_files_become_error_records(tmp_path):
    (tmp_path / "in").mkdir()
    empty = tmp_path / "in" / "empty.pdf"
    empty.write_bytes(b"")
    notes = tmp_path / "notes.txt"
    notes.write_text("not a report")
    out = tmp_path / "out"
    run_batch([tmp_path / "in", notes], out, config=fast_params(), progress=False, stages=FAKE)
    found = entries(out)
    assert {k: v["error"]["code"] for k, v in found.items()} == {"empty.pdf": "not_a_pdf", "notes.txt": "not_a_pdf"}


def test_journal_replay_ignores_a_torn_last_line(tmp_path):
    journal = Journal(tmp_path)
    journal.load()
    journal.append({"file": "/x/a.pdf", "sha256": "aa", "status": "ok"})
    journal.close()
    with open(tmp_path / ".journal.jsonl", "a", encoding="utf-8") as fh:
        fh.write('{"file": "/x/b.pdf", "sha2')  # killed mid-write
    again = Journal(tmp_path)
    again.load()
    assert list(again.entries) == ["/x/a.pdf"]
    assert not (tmp_path / ".journal.jsonl").exists()
    assert json.loads((tmp_path / "manifest.json").read_text())["inputs"][0]["file"] == "/x/a.pdf"


def test_retry_errors_reprocesses_only_failures(corpus, tmp_path):
    (corpus / "bad.pdf").write_bytes(b"junk")
    out = tmp_path / "out"
    run_batch([corpus], out, config=fast_params(), progress=False, stages=FAKE)
    again = run_batch([corpus], out, config=fast_params(), progress=False, stages=FAKE, retry_errors=True)
    assert again.processed == 1


def test_identical_bad_files_each_get_a_message_naming_themselves(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("first.pdf", "second.pdf"):
        (folder / name).write_bytes(b"<html>saved web page</html>")
    out = tmp_path / "out"
    run_batch([folder], out, config=fast_params(), progress=False, stages=FAKE)
    found = entries(out)
    assert found["second.pdf"]["error"]["message"].startswith("second.pdf:")
    assert found["first.pdf"]["error"]["message"].startswith("first.pdf:")
