"""`casereview extract REPORT.pdf [--out DOC.json]`: a Document on stdout or in a file; exit 2 with a one-line
error naming the file for a bad input, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from casereview.cli import app
from casereview.contracts import Document
from typer.testing import CliRunner

runner = CliRunner()


@pytest.fixture(scope="module")
def report(rendered) -> Path:
    return rendered["one_column"].pdf


def test_extract_writes_a_document_with_out(report: Path, tmp_path: Path, rendered):
    out = tmp_path / "doc.json"
    result = runner.invoke(app, ["extract", str(report), "--out", str(out)])
    assert result.exit_code == 0, result.output
    doc = Document.load(out)
    assert doc.status == "ok"
    assert doc.text == rendered["one_column"].doc.text
    assert [i.text for i in doc.items] == [t["text"] for t in rendered["one_column"].truth["items"]]
    assert report.name in result.stderr  # a one-line summary goes to stderr, not into the JSON
    assert "Traceback" not in result.output


def test_extract_prints_the_document_without_out(report: Path):
    result = runner.invoke(app, ["extract", str(report)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert Document.from_dict(data).status == "ok"


def test_extract_max_pages_option(report: Path, rendered):
    pages = rendered["one_column"].truth["pages"]
    result = runner.invoke(app, ["extract", str(report), "--max-pages", str(pages - 1)])
    assert result.exit_code == 2
    assert "too_many_pages" in result.stdout or "over the limit" in result.stderr
    assert report.name in result.stderr


def _assert_one_line_error(result, name: str, only_line: bool = True) -> None:
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert name in errors[0]
    if only_line:
        assert lines == errors, result.stderr
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_bad_input_exits_2_with_one_line_naming_the_file(tmp_path: Path):
    bad = tmp_path / "not_really.pdf"
    bad.write_bytes(b"\x00\x01 random bytes, not a PDF at all")
    out = tmp_path / "bad.json"
    result = runner.invoke(app, ["extract", str(bad)])
    _assert_one_line_error(result, bad.name)
    assert json.loads(result.stdout)["error"]["code"] == "not_pdf"
    # With --out a summary line comes first; the error is still one line.
    result = runner.invoke(app, ["extract", str(bad), "--out", str(out)])
    _assert_one_line_error(result, bad.name, only_line=False)
    # The Document with the error code is still written, so a script can read why.
    doc = Document.load(out)
    assert doc.status == "error" and doc.error.code == "not_pdf"


def test_a_missing_file_exits_2_naming_it(tmp_path: Path):
    missing = tmp_path / "gone_missing.pdf"
    result = runner.invoke(app, ["extract", str(missing)])
    _assert_one_line_error(result, missing.name)
    assert json.loads(result.stdout)["error"]["code"] == "not_found"
