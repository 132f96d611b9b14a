"""SIGKILL `casereview process` mid-run, start it again: every file ends up done exactly once."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FAKE, real_stages_missing
from synthpdf import make_corpus

REPO = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from casereview.cli import app; app()"]


def _env(use_fakes: bool) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    if use_fakes:
        env.update(FAKE_STAGE_DELAY="0.5")
    return env


def _journal_files(out: Path) -> list[str]:
    path = out / ".journal.jsonl"
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["file"] for line in lines if line.strip().endswith("}") and '"file"' in line]


@pytest.mark.slow
def test_sigkill_then_restart_finishes_everything_exactly_once(tmp_path):
    use_fakes = real_stages_missing() is not None
    inputs = make_corpus(tmp_path / "in", 8, pages=2)
    out = tmp_path / "out"
    cmd = [*CLI, "process", str(tmp_path / "in"), "--out", str(out), "--jobs", "2", "--quiet",
           *(["--stages", FAKE] if use_fakes else [])]
    proc = subprocess.Popen(cmd, env=_env(use_fakes), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and len(_journal_files(out)) < 2 and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done_before = set(_journal_files(out))
    assert 2 <= len(done_before) < len(inputs), "the kill should land mid-run"

    rerun = subprocess.run(cmd, check=False, env=_env(use_fakes), capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert f"{len(inputs) - len(done_before)} processed" in rerun.stdout  # finished files were not redone

    manifest = json.loads((out / "manifest.json").read_text())
    files = [e["file"] for e in manifest["inputs"]]
    assert sorted(files) == sorted(str(p.resolve()) for p in inputs)  # every input, once
    not_done = [(Path(e["file"]).name, e["status"], e.get("error")) for e in manifest["inputs"]
                if e["status"] not in ("ok", "needs_ocr")]
    assert not not_done  # (seen once on a loaded machine, not reproduced: the entries say why)
    assert not (out / ".journal.jsonl").exists()
    doc_ids = {e["document_id"] for e in manifest["inputs"]}
    assert {p.stem for p in (out / "documents").glob("*.json")} == doc_ids
    assert not list((out / "documents").glob(".*.tmp"))  # a torn write from the kill was cleaned up
    rows = list(csv.DictReader(io.StringIO((out / "items.csv").read_text(encoding="utf-8"))))
    keys = [(r["document"], r["item_id"]) for r in rows]
    assert len(keys) == len(set(keys))
    assert {r["document"] for r in rows} <= doc_ids


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_and_says_how_to_resume(tmp_path):
    make_corpus(tmp_path / "in", 20, pages=1)  # 5 s of work left after the first: Ctrl-C lands mid-run on a loaded machine too
    out = tmp_path / "out"
    cmd = [*CLI, "process", str(tmp_path / "in"), "--out", str(out), "--jobs", "2", "--quiet",
           "--stages", FAKE]
    proc = subprocess.Popen(cmd, env=_env(True), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(_journal_files(out)) < 1:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "interrupted" in err and "again to resume" in err and "Traceback" not in err
    manifest = json.loads((out / "manifest.json").read_text())  # compacted, consistent
    assert 1 <= len(manifest["inputs"]) < 20
    rerun = subprocess.run(cmd, check=False, env=_env(True), capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0
    assert len(json.loads((out / "manifest.json").read_text())["inputs"]) == 20
