"""Privacy: invented names never reach a written file, a log line, an error message or the CLI's stderr."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from casereview.redact import LeakError, redact_text

NAMES = ["Kacper", "Achterberg", "Lindqvist", "Tamsin", "Oyelaran", "Reuben"]
TEXT = ("Kacper Achterberg (date of birth 02/04/2012) lived with Tamsin Lindqvist. Reuben Oyelaran, a "
        "neighbour, called Police Scotland. Kacper told the school nurse that Tamsin was unwell.\n")
CLI = [sys.executable, "-m", "casereview.cli", "redact"]


def assert_no_names(text: str) -> None:
    for name in NAMES:
        assert name.casefold() not in text.casefold(), "a name leaked"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(CLI + list(args), capture_output=True, text=True, timeout=300, check=False,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})


def test_logs_at_debug_hold_no_names(caplog):
    caplog.set_level(logging.DEBUG)
    out = redact_text(TEXT)
    assert_no_names(out.text)
    assert_no_names("\n".join(r.getMessage() for r in caplog.records))


def test_leak_error_message_holds_no_name(monkeypatch):
    from casereview.redact import core

    real_apply = core.apply_plan

    def drop_last_span(text, plan):  # simulate a bug that loses one redaction
        plan.spans, plan.replacements = plan.spans[:-1], plan.replacements[:-1]
        return real_apply(text, plan)

    monkeypatch.setattr(core, "apply_plan", drop_last_span)
    with pytest.raises(LeakError) as info:
        redact_text(TEXT)
    assert_no_names(str(info.value))


@pytest.mark.slow
def test_cli_text_file_writes_no_names(tmp_path: Path):
    src, dst = tmp_path / "in.txt", tmp_path / "out.txt"
    src.write_text(TEXT, encoding="utf-8")
    result = run_cli("--text-file", str(src), "--out", str(dst))
    assert result.returncode == 0, result.stderr
    assert_no_names(dst.read_text(encoding="utf-8") + result.stdout + result.stderr)
    assert "Police Scotland" in dst.read_text(encoding="utf-8")


@pytest.mark.slow
def test_cli_document_and_errors_hold_no_names(tmp_path: Path):
    doc = {"schema": "casereview.document/1", "id": "d", "source": {"file": "x.pdf", "sha256": "0", "pages": 1},
           "status": "ok", "error": None, "text": TEXT, "pages": [{"number": 1, "start": 0, "end": len(TEXT)}],
           "sections": [], "items": [], "redactions": []}
    src = tmp_path / "doc.json"
    src.write_text(json.dumps(doc), encoding="utf-8")
    result = run_cli(str(src))
    assert result.returncode == 0, result.stderr
    assert_no_names(result.stdout + result.stderr)
    assert json.loads(result.stdout)["redacted"] is True

    bad = dict(doc, status="Kacper Achterberg")  # a contract error that would quote a name
    src.write_text(json.dumps(bad), encoding="utf-8")
    result = run_cli(str(src), "--out", str(tmp_path / "o.json"))
    assert result.returncode != 0 and "doc.json" in result.stderr
    assert_no_names(result.stdout + result.stderr)
    assert not (tmp_path / "o.json").exists()
    assert len(result.stderr.strip().splitlines()) == 1


def test_nothing_is_fetched_from_the_network(monkeypatch):
    """Build a fresh engine with sockets disabled: email validation and model loading stay offline."""
    from casereview.redact import engine

    def refuse(*args, **kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    engine.get_analyzer.cache_clear()
    engine.offline_tldextract.cache_clear()
    out = redact_text("Write to kacper.achterberg@example.co.uk or call 01224 552233.").text
    assert "[EMAIL]" in out and "[PHONE]" in out
