"""The per-file function every backend runs: extract -> redact -> classify, all inside one worker.

Unredacted text exists only inside process_one's frame: what leaves it is a record of what happened plus the
*redacted* Document (or none). Exception messages from the stages are never passed on, because they could
quote report text; the record names the stage and the exception type instead.
"""

from __future__ import annotations

import importlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from casereview.batch.journal import path_key

# Tests point workers at fake stages with this (spawned workers inherit the environment).
STAGES_ENV = "CASEREVIEW_BATCH_STAGES"


@dataclass
class Stages:
    extract_pdf: Callable
    redact_document: Callable
    leak_error: type
    load_classifier: Callable
    label_document: Callable


_STAGES: dict[str, Stages] = {}
_CLASSIFIERS: dict[str, Any] = {}


def get_stages(spec: str | None = None) -> Stages:
    """The stage entry points, imported once per process. spec: a module exposing all five, or None."""
    spec = spec or os.environ.get(STAGES_ENV) or ""
    if spec not in _STAGES:
        if spec:
            mod = importlib.import_module(spec)
            extract, redact, classify = mod, mod, mod
        else:
            extract = importlib.import_module("casereview.extract")
            redact = importlib.import_module("casereview.redact")
            classify = importlib.import_module("casereview.classify")
        _STAGES[spec] = Stages(
            extract_pdf=extract.extract_pdf,
            redact_document=redact.redact_document,
            leak_error=getattr(redact, "LeakError", RuntimeError),
            load_classifier=classify.load_classifier,
            label_document=classify.label_document,
        )
    return _STAGES[spec]


def get_classifier(stages: Stages, model_dir: str | None) -> Any:
    """One classifier per worker process, loaded on first use."""
    key = f"{id(stages)}:{model_dir}"
    if key not in _CLASSIFIERS:
        _CLASSIFIERS[key] = stages.load_classifier(model_dir)
    return _CLASSIFIERS[key]


def warm_up(params: dict[str, Any] | None, stages_spec: str | None = None) -> None:
    """Load every model before the first file, so the per-file time limit measures the file, not start-up."""
    from casereview.contracts import Document, Page, Source

    params = params or {}
    stages = get_stages(stages_spec)
    get_classifier(stages, (params.get("process") or {}).get("model_dir"))
    text = "The health visitor visited Child A at home."  # invented, holds no personal data
    doc = Document(id="warm-up", source=Source(file="warm-up", sha256="0" * 64, pages=1), text=text,
                   pages=[Page(number=1, start=0, end=len(text))])
    stages.redact_document(doc, params.get("redact"))


def base_record(path: str, sha256: str) -> dict[str, Any]:
    return {"key": path_key(path), "file": path, "name": Path(path).name, "sha256": sha256, "status": "error", "error": None,
            "pages": 0, "document_id": None, "items": 0, "timings": {}, "worker": os.getpid()}


def failure(record: dict[str, Any], code: str, message: str) -> dict[str, Any]:
    record.update(status="error", error={"code": code, "message": message})
    return {"record": record, "document": None}


def process_one(path: str, sha256: str, params: dict[str, Any] | None = None,
                stages_spec: str | None = None) -> dict[str, Any]:
    """Run every stage on one file. Never raises for a bad file; returns {"record", "document"}."""
    params = params or {}
    record = base_record(path, sha256)
    name = record["name"]
    try:
        stages = get_stages(stages_spec)
        doc = _timed(record, "extract", stages.extract_pdf, path, params.get("extract"))
        record.update(document_id=doc.id, pages=int(doc.source.pages or 0))
        try:
            doc = _timed(record, "redact", stages.redact_document, doc, params.get("redact"))
        except stages.leak_error:
            return failure(record, "redaction_failed",
                           f"{name}: a name survived redaction; the document was not kept")
        if not doc.redacted and doc.text:
            return failure(record, "redaction_failed", f"{name}: the redact stage did not mark the text redacted")
        if doc.status != "error" and doc.items:
            clf = get_classifier(stages, (params.get("process") or {}).get("model_dir"))
            doc = _timed(record, "classify", stages.label_document, doc, clf)
    except MemoryError:
        return failure(record, "memory_limit", f"{name}: ran out of memory")
    except _StageError as exc:
        return failure(record, f"{exc.stage}_failed", f"{name}: the {exc.stage} stage failed ({exc.kind})")
    _use_redacted_name(record, path, doc.source.file)
    record.update(status=doc.status, items=len(doc.items),
                  error={"code": doc.error.code, "message": doc.error.message} if doc.error else None)
    return {"record": record, "document": doc.to_dict()}


def _use_redacted_name(record: dict[str, Any], path: str, redacted_name: str | None) -> None:
    """The redact stage replaces a name found in the file name ("Jane-Doe-review.pdf"); the manifest shows
    that version, so the name does not travel on in the results folder."""
    if redacted_name and redacted_name != record["name"] and "/" not in redacted_name:
        record["file"] = str(Path(path).parent / redacted_name)
        record["name"] = redacted_name


class _StageError(Exception):
    def __init__(self, stage: str, kind: str):
        super().__init__(stage)
        self.stage, self.kind = stage, kind


def _timed(record: dict[str, Any], stage: str, fn: Callable, *args: Any) -> Any:
    """Call one stage, add its wall time to the record, and hide its exception text (it may quote text)."""
    start = time.perf_counter()
    try:
        return fn(*args)
    except (MemoryError, KeyboardInterrupt):
        raise
    except Exception as exc:
        if stage == "redact" and type(exc).__name__ == "LeakError":
            raise
        raise _StageError(stage, type(exc).__name__) from None
    finally:
        record["timings"][stage] = round(time.perf_counter() - start, 4)
