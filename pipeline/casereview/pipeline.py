"""The whole pipeline for one report: extract -> redact -> classify.

    doc, entry = process_document(path, config, Stages.default())

This is the one place the stages are chained; the batch backends (a local process pool or Dask) run it once
per file inside a worker. Unredacted text exists only inside this function's frame: what it returns is the
*redacted* Document (or None) and a ManifestEntry saying what happened. Exception messages from the stages
are never passed on, because they could quote report text; the entry names the stage and the exception type.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from casereview.config import ClassifyConfig, Config, ExtractConfig, RedactConfig
from casereview.contracts import Document, ManifestEntry, Page, Source


@dataclass(frozen=True)
class Stages:
    """The stage entry points. Tests swap in stand-ins (hangs, crashes) through ``Stages.load("module")``."""

    extract: Callable[[Path, ExtractConfig], Document]
    redact: Callable[[Document, RedactConfig], Document]
    load_classifier: Callable[[str | None, ClassifyConfig], Any]
    label: Callable[[Document, Any, ClassifyConfig], Document]
    leak_error: type[Exception]

    @classmethod
    def default(cls) -> Stages:
        return cls.load(None)

    @staticmethod
    @cache
    def load(module: str | None) -> Stages:
        """The real stages, or those of one module exposing all of them (imported once per process).
        Workers receive the module *name*, so the choice survives spawn and Dask pickling."""
        if module:
            mod = importlib.import_module(module)
            return Stages(extract=mod.extract_pdf, redact=mod.redact_document,
                          leak_error=getattr(mod, "LeakError", RuntimeError),
                          load_classifier=mod.load_classifier, label=mod.label_document)
        from casereview import classify, extract, redact

        return Stages(extract=extract.extract_pdf, redact=redact.redact_document, leak_error=redact.LeakError,
                      load_classifier=classify.load_classifier, label=classify.label_document)


_CLASSIFIERS: dict[tuple[int, str | None], Any] = {}


def classifier_for(stages: Stages, config: Config) -> Any:
    """One classifier per process, loaded on first use (process.model_dir, else classify.model_dir)."""
    key = (id(stages), config.process.model_dir)
    if key not in _CLASSIFIERS:
        _CLASSIFIERS[key] = stages.load_classifier(config.process.model_dir, config.classify)
    return _CLASSIFIERS[key]


def warm_up(config: Config, stages: Stages) -> None:
    """Load every model before the first file, so a per-file time limit measures the file, not start-up."""
    classifier_for(stages, config)
    text = "The health visitor visited Child A at home."  # invented, holds no personal data
    doc = Document(id="warm-up", source=Source(file="warm-up", sha256="0" * 64, pages=1), text=text,
                   pages=[Page(number=1, start=0, end=len(text))])
    stages.redact(doc, config.redact)


def process_document(path: str | Path, config: Config, stages: Stages,
                     sha256: str | None = None) -> tuple[Document | None, ManifestEntry]:
    """Run every stage on one file. Never raises for a bad file: a failure is recorded in the entry.

    Returns the redacted Document (None when nothing may be kept) and the file's manifest entry.
    """
    path = str(path)
    entry = ManifestEntry.for_input(path, sha256 if sha256 is not None else _sha256(path), worker=os.getpid())
    try:
        doc = _timed(entry, "extract", stages.extract, Path(path), config.extract)
        entry.document_id, entry.pages = doc.id, int(doc.source.pages or 0)
        try:
            doc = _timed(entry, "redact", stages.redact, doc, config.redact)
        except stages.leak_error:
            return None, entry.fail("redaction_failed", f"{entry.name}: a name survived redaction; "
                                                        "the document was not kept")
        if not doc.redacted and doc.text:
            return None, entry.fail("redaction_failed",
                                    f"{entry.name}: the redact stage did not mark the text redacted")
        if doc.status != "error" and doc.items:
            classifier = classifier_for(stages, config)
            doc = _timed(entry, "classify", stages.label, doc, classifier, config.classify)
    except MemoryError:
        return None, entry.fail("memory_limit", f"{entry.name}: ran out of memory")
    except _StageError as exc:
        return None, entry.fail(f"{exc.stage}_failed", f"{entry.name}: the {exc.stage} stage failed ({exc.kind})")
    _use_redacted_name(entry, path, doc.source.file)
    entry.status, entry.items, entry.error = doc.status, len(doc.items), doc.error
    return doc, entry


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return ""
    return digest.hexdigest()


def _use_redacted_name(entry: ManifestEntry, path: str, redacted_name: str | None) -> None:
    """The redact stage replaces a name found in the file name ("Jane-Doe-review.pdf"); the manifest shows
    that version, so the name does not travel on in the results folder."""
    if redacted_name and redacted_name != entry.name and "/" not in redacted_name:
        entry.file = str(Path(path).parent / redacted_name)
        entry.name = redacted_name


class _StageError(Exception):
    def __init__(self, stage: str, kind: str):
        super().__init__(stage)
        self.stage, self.kind = stage, kind


def _timed(entry: ManifestEntry, stage: str, fn: Callable[..., Any], *args: Any) -> Any:
    """Call one stage, add its wall time to the entry, and hide its exception text (it may quote text)."""
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
        entry.timings[stage] = round(time.perf_counter() - start, 4)
