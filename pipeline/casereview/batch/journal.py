"""The manifest and its crash-safe journal.

Every finished input is appended to DIR/.journal.jsonl and fsynced before the run moves on, so a run killed
with SIGKILL loses at most the file it was working on. manifest.json is the compacted view (last record per
input wins) and is rewritten atomically at the start and end of every run.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from casereview.contracts import path_key  # noqa: F401 (re-exported)
from casereview.fileio import atomic_write_json, atomic_write_text  # noqa: F401 (re-exported)

MANIFEST_SCHEMA = "casereview.manifest/1"
MANIFEST_NAME = "manifest.json"
JOURNAL_NAME = ".journal.jsonl"
# Statuses a worker reports once it has finished with a file; anything else means "try again".
FINAL_STATUSES = ("ok", "needs_ocr", "error")


def entry_key(entry: dict[str, Any]) -> str:
    return entry.get("key") or entry["file"]


class Journal:
    """Append-only JSONL log of finished inputs plus the compacted manifest they roll up into."""

    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        self.manifest_path = self.out_dir / MANIFEST_NAME
        self.journal_path = self.out_dir / JOURNAL_NAME
        self.entries: dict[str, dict[str, Any]] = {}  # keyed by the input's absolute path
        self.stored: dict[str, set[str]] = {}  # db key -> document ids already loaded
        self._fh: TextIO | None = None

    # -- reading --------------------------------------------------------------------------------------
    def load(self) -> None:
        """Read manifest.json, replay the journal on top of it, and rewrite manifest.json."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._replay()
        self.compact()

    def _replay(self) -> None:
        """manifest.json, then every journal record on top of it (last record per input wins)."""
        if self.manifest_path.exists():
            data = json.loads(self.manifest_path.read_text(encoding="utf-8"))
            for entry in data.get("inputs", []):
                self.entries[entry_key(entry)] = entry
            self.stored = {k: set(v) for k, v in (data.get("stored") or {}).items()}
        for record in _read_jsonl(self.journal_path):
            self._apply(record)

    def _apply(self, record: dict[str, Any]) -> None:
        if record.get("event") == "stored":
            self.stored.setdefault(record["db"], set()).update(record["documents"])
        elif "file" in record:
            self.entries[entry_key(record)] = record

    # -- queries --------------------------------------------------------------------------------------
    def final_by_sha(self, retry_codes: Iterable[str] = (), retry_all_errors: bool = False
                     ) -> dict[str, dict[str, Any]]:
        """sha256 -> a finished record for that content (the basis of resume). Errors whose code is in
        retry_codes (or all errors with retry_all_errors) count as not done, so they are tried again."""
        retry = set(retry_codes)
        done: dict[str, dict[str, Any]] = {}
        for entry in self.entries.values():
            if entry.get("status") not in FINAL_STATUSES:
                continue
            if entry.get("status") == "error" and (
                    retry_all_errors or (entry.get("error") or {}).get("code") in retry):
                continue
            if not entry.get("sha256"):
                continue
            done.setdefault(entry["sha256"], entry)
        return done

    # -- writing --------------------------------------------------------------------------------------
    def append(self, record: dict[str, Any]) -> None:
        """Record one event durably (write + flush + fsync) before the caller moves on."""
        self._apply(record)  # memory first: an interrupt after this still gets the record compacted
        if self._fh is None:
            self._fh = open(self.journal_path, "a", encoding="utf-8")  # noqa: SIM115 - open for the whole run
        fh = self._fh
        fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())

    def compact(self) -> None:
        """Fold the journal into manifest.json (atomic), then empty the journal.

        If we die between the two steps the journal is replayed again next time; replay is idempotent.
        """
        self.close()
        for record in _read_jsonl(self.journal_path):  # the file is the truth, whatever memory missed
            self._apply(record)
        atomic_write_json(self.manifest_path, self.manifest())
        if self.journal_path.exists():
            self.journal_path.unlink()

    def manifest(self) -> dict[str, Any]:
        entries = sorted(self.entries.values(), key=lambda e: e["file"])
        counts: dict[str, int] = {}
        for entry in entries:
            counts[entry["status"]] = counts.get(entry["status"], 0) + 1
        return {
            "schema": MANIFEST_SCHEMA,
            "updated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "counts": counts,
            "inputs": entries,
            "stored": {k: sorted(v) for k, v in self.stored.items()},
        }

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Journal lines; a torn last line (killed mid-write) is ignored, as that file will be redone."""
    if not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return records


def read_manifest(out_dir: Path) -> dict[str, Any]:
    """The manifest as a reader sees it: manifest.json plus any journal left by an interrupted run."""
    journal = Journal(out_dir)
    journal._replay()  # read only: no folder made, nothing rewritten
    return journal.manifest()
