"""run_batch: every stage over many files, with a manifest, resume, limits, and a choice of backend."""

from __future__ import annotations

import contextlib
import dataclasses
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from casereview.batch import outputs
from casereview.batch.inputs import discover, hash_inputs
from casereview.batch.journal import Journal, entry_key
from casereview.batch.pool import Limits, LocalPool, Task
from casereview.batch.worker import FileResult
from casereview.config import Config, ProcessConfig, load_config
from casereview.contracts import ErrorInfo, ManifestEntry, path_key

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID


@dataclass
class BatchSummary:
    out_dir: Path
    inputs: int = 0  # files found
    processed: int = 0  # files run through the stages in this run
    skipped: int = 0  # already done (same content in the manifest)
    counts: dict[str, int] = field(default_factory=dict)  # status -> files, over the whole manifest
    failures: list[dict[str, Any]] = field(default_factory=list)  # this run's inputs with status error
    pages: int = 0  # pages processed in this run
    elapsed_s: float = 0.0
    stored: int = 0  # documents loaded into the database in this run
    items: int = 0  # rows in items.csv
    interrupted: bool = False

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.elapsed_s if self.elapsed_s else 0.0


def limits_from(pp: ProcessConfig) -> Limits:
    return Limits(time_limit_s=pp.time_limit_s, memory_limit_mb=pp.memory_limit_mb,
                  max_tasks_per_child=pp.max_tasks_per_child, recycle_above_mb=pp.recycle_above_mb,
                  startup_timeout_s=pp.startup_timeout_s, poll_interval_s=pp.poll_interval_s,
                  address_space_mb=pp.address_space_mb)


def run_batch(inputs: Iterable[str | Path], out_dir: str | Path, *, jobs: int = 1, backend: str = "local",
              scheduler: Any = None, db_url: str | None = None, config: Config | None = None,
              progress: bool = True, retry_errors: bool = False, stages: str | None = None,
              console: Any = None) -> BatchSummary:
    """Process every input into out_dir; resumable; never stops on a per-file failure.

    ``stages`` names a module of stand-in stages (tests); None runs the real ones.
    KeyboardInterrupt propagates after the workers are stopped and the manifest is consistent; the summary
    of the interrupted run is attached to the exception as `.summary`.
    """
    config = config or load_config()
    out = Path(out_dir)
    run = _Run(out, config, db_url, retry_errors)
    run.plan(inputs)
    started = time.monotonic()
    try:
        with _Progress(progress, len(run.tasks), console) as bar:
            run.bar = bar
            if run.tasks:
                _execute(run, backend, jobs, scheduler, stages)
    except BaseException as exc:  # Ctrl-C, or workers that cannot start: leave a consistent manifest
        run.summary.interrupted = True
        with contextlib.suppress(Exception):  # the original error matters more; the journal is replayed
            run.finish(time.monotonic() - started)
        exc.summary = run.summary  # type: ignore[attr-defined]
        raise
    run.finish(time.monotonic() - started)
    return run.summary


def _execute(run: _Run, backend: str, jobs: int, scheduler: Any, stages: str | None) -> None:
    limits = limits_from(run.config.process)
    if backend == "local":
        LocalPool(jobs, run.config, limits, stages).run(run.tasks, run.on_result)
    elif backend == "dask":
        from casereview.batch.dask_backend import run_dask

        run_dask(run.tasks, run.on_result, config=run.config, limits=limits, scheduler=scheduler, jobs=jobs,
                 stages_spec=stages)
    else:
        raise ValueError(f"unknown backend {backend!r} (use local or dask)")


class _Run:
    """The parent's side of one run: decides what to do, and records each result as it arrives."""

    def __init__(self, out: Path, config: Config, db_url: str | None, retry_errors: bool):
        self.out, self.config, self.db_url = out, config, db_url
        self.journal = Journal(out)
        self.journal.load()  # compacts whatever an earlier, interrupted run left in the journal
        _remove_stale_tmp(out)
        retry = list(config.process.retry_codes)
        self.done = self.journal.final_by_sha(retry_codes=retry, retry_all_errors=retry_errors)
        self.summary = BatchSummary(out_dir=out)
        self.tasks: list[Task] = []
        self.this_run: set[str] = set()
        self.pending_db: list[dict[str, Any]] = []
        self.bar: _Progress | None = None

    # -- before -----------------------------------------------------------------------------------------
    def plan(self, inputs: Iterable[str | Path]) -> None:
        paths = discover(inputs)
        files, unreadable = hash_inputs(paths)
        self.summary.inputs = len(paths)
        for bad_path, reason in unreadable:
            self.this_run.add(path_key(bad_path))
            self._record(ManifestEntry.for_input(bad_path, "").fail(
                "unreadable", f"{bad_path.name}: cannot be read ({reason})"))
        by_sha: dict[str, Task] = {}
        for f in files:
            path = str(f.path)  # the manifest's key: the path as given, a string
            self.this_run.add(path_key(path))
            if f.sha256 in self.done:
                self._reuse(path, f.sha256)
            elif f.sha256 in by_sha:
                by_sha[f.sha256].extra_paths.append(path)
            else:
                by_sha[f.sha256] = Task(path=path, sha256=f.sha256)
        self.tasks = list(by_sha.values())

    def _reuse(self, path: str, sha: str) -> None:
        """Same content already finished: skip the work; a new path to it gets its own manifest entry."""
        self.summary.skipped += 1
        entry = self.journal.entries.get(path_key(path)) or self.journal.entries.get(path)  # or a pre-key manifest
        if entry and entry.get("sha256") == sha and entry.get("status") in ("ok", "needs_ocr", "error"):
            return
        self._record(_copy_for(ManifestEntry.from_dict(self.done[sha]), path))

    # -- during ---------------------------------------------------------------------------------------
    def on_result(self, task: Task, result: FileResult) -> None:
        document, entry = result
        doc = document.to_dict() if document is not None else None
        if doc is not None:
            start = time.perf_counter()
            try:
                outputs.write_document(self.out, doc)
            except ValueError:
                entry.fail("redaction_failed", f"{entry.name}: the document came back unredacted and was not kept")
                doc = None
            entry.timings["write"] = round(time.perf_counter() - start, 4)
        if "total" not in entry.timings:
            entry.timings["total"] = round(sum(entry.timings.values()), 4)
        entry.finished = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        self.summary.processed += 1
        self.summary.pages += entry.pages
        self._record(entry)
        for extra in task.extra_paths:
            self.summary.skipped += 1
            self._record(_copy_for(entry, extra))
        if doc is not None and self.db_url:
            self.pending_db.append(doc)
            if len(self.pending_db) >= self.config.process.db_batch_size:
                self._flush_db()
        if self.bar:
            self.bar.advance(entry)

    def _record(self, entry: ManifestEntry) -> None:
        self.journal.append(entry.to_dict())

    def _flush_db(self) -> None:
        docs, self.pending_db = self.pending_db, []
        if not docs or not self.db_url:
            return
        self.summary.stored += outputs.import_into_db(self.db_url, docs)
        self.journal.append({"event": "stored", "db": outputs.db_key(self.db_url),
                             "documents": sorted({d["id"] for d in docs})})

    # -- after ----------------------------------------------------------------------------------------
    def finish(self, elapsed: float) -> None:
        """Load what the database lacks, rebuild items.csv, compact the manifest, summarise."""
        try:
            if self.db_url and not self.summary.interrupted:  # on Ctrl-C the next run loads the rest
                self._catch_up_db()
        finally:
            self.journal.compact()
        manifest = self.journal.manifest()
        self.summary.items = outputs.write_items_csv(self.out, manifest)
        self.summary.counts = dict(manifest["counts"])
        self.summary.failures = [e for e in manifest["inputs"]
                                 if e["status"] == "error" and entry_key(e) in self.this_run]
        self.summary.elapsed_s = elapsed

    def _catch_up_db(self) -> None:
        """Documents finished (now or by an earlier run) but not yet in this database, e.g. after a kill."""
        assert self.db_url is not None  # called only with a database
        key = outputs.db_key(self.db_url)
        stored = self.journal.stored.get(key, set())
        db_file = outputs.sqlite_file(self.db_url)
        if db_file is not None and not db_file.exists():
            stored = set()  # the database was deleted: load everything again
        wanted = [d for d in outputs.final_document_ids(self.journal.manifest()) if d not in stored]
        self.pending_db = [d for d in outputs.load_documents(self.out, wanted) if d.get("redacted")]
        self._flush_db()


def _copy_for(entry: ManifestEntry, path: str) -> ManifestEntry:
    """The entry of an identical file, re-addressed to `path` (its error message names `path`, too)."""
    copy = dataclasses.replace(entry, key=path_key(path), file=path, name=Path(path).name, timings={},
                               same_content_as=entry.name)
    if entry.error:
        copy.error = ErrorInfo(code=entry.error.code, message=entry.error.message.replace(entry.name, copy.name))
    return copy


def _remove_stale_tmp(out: Path) -> None:
    """Temporary files left by a killed run: their final names were never replaced, so they are garbage."""
    for folder in (out, out / "documents"):
        for tmp in folder.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)


class _Progress:
    """A Rich progress bar on stderr: files done/total, ok/failed counts, elapsed and time left."""

    def __init__(self, enabled: bool, total: int, console: Any = None):
        self.enabled, self.total, self.console = enabled, total, console
        self.ok = self.failed = 0
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> Self:
        if self.enabled and self.total:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(
                TextColumn("[bold]processing"), BarColumn(), MofNCompleteColumn(),
                TextColumn("{task.fields[counts]}"), TimeElapsedColumn(), TextColumn("left"),
                TimeRemainingColumn(), console=self.console or Console(stderr=True), transient=False)
            self._progress.start()
            self._task = self._progress.add_task("files", total=self.total, counts="")
        return self

    def advance(self, entry: ManifestEntry) -> None:
        if entry.status == "error":
            self.failed += 1
        else:
            self.ok += 1
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, advance=1, counts=f"ok {self.ok} · failed {self.failed}")

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.stop()
