"""End to end: invented personal details in a report PDF must not survive anywhere `process` writes or says.

The canaries (names, a postcode, an NHS number) are placed in the running header, the body and the numbered
recommendations. After `casereview process` (real stages, a SQLite database, DEBUG logging) and
`casereview report`, no canary may appear, in any letter case, in any file under the results folder, in the
database's bytes (with its WAL), in the captured logs, or on stdout/stderr of the parent or the workers.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parent / "batch"))
from synthpdf import PARAGRAPHS, make_report_pdf

FIRST, LAST = "Zebedee", "Quarrington"
MOTHER = "Philomena Ashcroft"
POSTCODE = "ZE3 9QQ"
NHS = "943 476 5919"
CANARIES = [FIRST, LAST, *MOTHER.split(), POSTCODE, POSTCODE.replace(" ", ""), NHS, NHS.replace(" ", "")]


def _missing_stage() -> str | None:
    for name, attrs in (("casereview.extract", ["extract_pdf"]), ("casereview.redact", ["redact_document"]),
                        ("casereview.classify", ["load_classifier", "label_document"]),
                        ("casereview.store", ["import_documents"])):
        try:
            mod = importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001
            return f"{name} not importable yet ({type(exc).__name__}); this test needs the real stages"
        if not all(hasattr(mod, a) for a in attrs):
            return f"{name} lacks its entry points yet; this test needs the real stages"
    return None


pytestmark = [pytest.mark.slow, pytest.mark.skipif(_missing_stage() is not None, reason=str(_missing_stage()))]


def _canary_pdf(folder: Path) -> Path:
    body = [
        f"{FIRST} {LAST} (Child A) was born in 2015 and lived with his mother, {MOTHER}, at 4 Harbour Row, {POSTCODE}.",
        f"His NHS number, {NHS}, was recorded by the health visitor. {FIRST} attended nursery irregularly.",
        f"Ms {MOTHER.split()[1]} told the social worker that {FIRST} had been unwell.",
    ]
    recs = [f"Agencies should check that {FIRST} {LAST}'s records at {POSTCODE} were shared with health services.",
            f"The partnership should review how {MOTHER} was supported after the referral."]
    # The file name carries the child's surname too, as real submissions' names often do.
    return make_report_pdf(folder / f"review_{LAST.lower()}_case_17.pdf", title="Significant Case Review: Child A",
                           header=f"SCR Child A - {FIRST} {LAST} - CONFIDENTIAL", extra_body=body + PARAGRAPHS[:1],
                           recommendations=recs, pages=2)


def _hits(blob: bytes) -> list[str]:
    low = blob.lower()
    return [c for c in CANARIES if c.lower().encode() in low]


def _scan_tree(root: Path) -> dict[str, list[str]]:
    found = {}
    for path in root.rglob("*"):
        if path.is_file():
            hits = _hits(path.read_bytes())
            if hits:
                found[str(path.relative_to(root))] = hits
    return found


def test_no_canary_survives_anywhere(tmp_path, caplog, capfd, monkeypatch):
    inputs = tmp_path / "inputs"
    pdf = _canary_pdf(inputs)
    assert _hits(pdf.read_bytes()) or True  # fonts may compress text; the extract stage reads it either way
    # Bad files that *contain* canaries: their error messages must not quote them.
    (inputs / "notes_as_pdf.pdf").write_text(f"{FIRST} {LAST} lives at {POSTCODE}. NHS {NHS}.", encoding="utf-8")
    (inputs / "truncated.pdf").write_bytes(pdf.read_bytes()[: len(pdf.read_bytes()) // 2])

    out, db = tmp_path / "results", tmp_path / "qa.db"
    mlruns = tmp_path / "mlruns"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", mlruns.as_uri())
    caplog.set_level(logging.DEBUG)
    from casereview.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["process", str(inputs), "--out", str(out), "--jobs", "2", "--db",
                                 f"sqlite:///{db}"])
    assert result.exit_code == 0, result.output
    again = runner.invoke(app, ["process", str(inputs), "--out", str(out), "--db", f"sqlite:///{db}"])
    assert again.exit_code == 0 and "0 processed" in again.output  # the resume path must not leak either
    report = runner.invoke(app, ["report", str(out), "--out", str(out / "report.html")])
    assert report.exit_code == 0, report.output

    import json

    manifest = json.loads((out / "manifest.json").read_text())
    by_name = {e["name"]: e for e in manifest["inputs"]}
    report_entry = next(e for name, e in by_name.items() if name.startswith("review_"))
    assert report_entry["status"] == "ok", report_entry["error"]
    for bad in ("notes_as_pdf.pdf", "truncated.pdf"):
        assert by_name[bad]["status"] == "error" and by_name[bad]["error"]["code"]
        assert bad in by_name[bad]["error"]["message"]
    doc = json.loads((out / "documents" / f"{report_entry['document_id']}.json").read_text())
    assert doc["redacted"] is True and "nursery" in doc["text"]  # the body made it through, redacted

    captured = capfd.readouterr()
    leaks = {
        "results folder": _scan_tree(out),
        "database": {p.name: _hits(p.read_bytes()) for p in tmp_path.glob("qa.db*") if _hits(p.read_bytes())},
        "mlflow": _scan_tree(mlruns) if mlruns.exists() else {},
        "logs": _hits(caplog.text.encode()),
        "cli output": _hits((result.output + again.output + report.output).encode()),
        "process stdout/stderr": _hits((captured.out + captured.err).encode()),
    }
    assert not any(leaks.values()), f"canaries leaked: {leaks}"
    assert db.exists() and os.path.getsize(db) > 0
