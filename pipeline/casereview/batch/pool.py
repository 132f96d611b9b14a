"""A supervised process pool: one pipe per worker so a hung or bloated worker can be killed and replaced.

concurrent.futures' pool marks itself broken when a worker dies, and cannot kill one task; here the parent
owns every worker, watches each task's wall time and the worker's RSS (psutil), kills a worker that exceeds
either limit, records timeout / memory_limit for its file, starts a fresh worker, and carries on.
Workers are started with "spawn" so they are children of this process (and die with it, PR_SET_PDEATHSIG),
load the models once, and retire after max_tasks_per_child files, or sooner when their memory has grown past
recycle_above_mb, so a leak is cured between files instead of killing one mid-file.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path

import psutil

from casereview.batch.worker import FileResult, failed, prepare, run_file
from casereview.config import Config


class BatchSetupError(RuntimeError):
    """The workers cannot start (e.g. a model is missing): nothing can be processed."""


@dataclass
class Task:
    path: str
    sha256: str
    extra_paths: list[str] = field(default_factory=list)  # identical content: processed once


@dataclass
class Limits:
    time_limit_s: float = 300.0
    memory_limit_mb: float = 1500.0
    max_tasks_per_child: int = 100
    recycle_above_mb: float = 1000.0  # a worker whose RSS is above this after a file is replaced before the next
    startup_timeout_s: float = 300.0
    poll_interval_s: float = 0.25
    address_space_mb: float | None = None


ResultCallback = Callable[[Task, FileResult], None]


def _set_parent_death_signal() -> None:
    """Linux: if the parent is SIGKILLed, the kernel kills this worker too (no orphans doing dead work)."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _limit_native_threads() -> None:
    """One BLAS/OpenMP thread per worker: N workers on N cores, not N x cores threads fighting for them."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
        os.environ.setdefault(var, "1")


def _worker_main(conn, config: Config, stages_spec: str | None, limits: Limits, parent: int) -> None:
    _limit_native_threads()  # before any stage imports numpy
    _set_parent_death_signal()
    if os.getppid() != parent:  # the parent died before prctl took effect
        return
    # Ctrl-C and `kill` reach the whole process group: stopping is the parent's business (it kills us once
    # the manifest is safe), and a worker dying first would be misread as a crash of the file it was reading.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if limits.address_space_mb:
        import resource

        cap = int(limits.address_space_mb * 1024 * 1024)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    try:
        prepare(config, stages_spec)
    except Exception as exc:  # noqa: BLE001 - model loading: the message is about models, never report text
        conn.send(("setup_failed", f"{type(exc).__name__}: {str(exc)[:300]}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        result = run_file(task[0], task[1], config, stages_spec)
        conn.send(("done", result))
        if result[1].error is not None and result[1].error.code == "memory_limit":
            return  # a worker that hit MemoryError may be in a bad state: let the parent replace it


class _Worker:
    def __init__(self, ctx, config: Config, stages_spec: str | None, limits: Limits):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, config, stages_spec, limits, os.getpid()),
                                daemon=True, name="casereview-worker")
        self.proc.start()
        child.close()
        self.born = time.monotonic()
        self.ready = False
        self.task: Task | None = None
        self.started = 0.0
        self.done = 0

    def send(self, task: Task) -> None:
        self.task, self.started = task, time.monotonic()
        self.conn.send((task.path, task.sha256))

    def rss_mb(self) -> float:
        try:
            proc = psutil.Process(self.proc.pid)
            procs = [proc, *proc.children(recursive=True)]
            return sum(p.memory_info().rss for p in procs) / 1e6
        except psutil.Error:
            return 0.0

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(timeout=5)
        self.conn.close()


class LocalPool:
    """Run tasks on `jobs` supervised worker processes, calling on_result for each in the parent."""

    def __init__(self, jobs: int, config: Config, limits: Limits, stages_spec: str | None = None):
        self.jobs = max(1, int(jobs))
        self.config, self.limits, self.stages_spec = config, limits, stages_spec
        self.ctx = mp.get_context("spawn")
        self.workers: list[_Worker] = []
        self._queue: deque = deque()
        self._setup_failures = 0

    def run(self, tasks: list[Task], on_result: ResultCallback) -> None:
        queue = self._queue = deque(tasks)
        try:
            for _ in range(min(self.jobs, len(queue))):
                self.workers.append(self._spawn())
            while queue or any(w.task for w in self.workers):
                self._dispatch(queue)
                self._collect(on_result)
                self._police(on_result, queue)
        finally:
            self.shutdown()

    def shutdown(self) -> None:
        """Kill every worker (used on success, error and Ctrl-C alike: workers hold nothing to save)."""
        for worker in self.workers:
            worker.kill()
        self.workers = []

    # -- the loop's three steps -----------------------------------------------------------------------
    def _spawn(self) -> _Worker:
        return _Worker(self.ctx, self.config, self.stages_spec, self.limits)

    def _dispatch(self, queue: deque) -> None:
        for worker in self.workers:
            if worker.ready and worker.task is None and queue:
                worker.send(queue.popleft())

    def _collect(self, on_result: ResultCallback) -> None:
        by_conn = {id(w.conn): w for w in self.workers}
        for ready in wait([w.conn for w in self.workers], timeout=self.limits.poll_interval_s):
            worker = by_conn[id(ready)]
            conn = worker.conn
            if worker not in self.workers:
                continue  # retired earlier in this round
            try:
                kind, payload = conn.recv()
            except (EOFError, OSError):
                continue  # the worker died; _police notices and accounts for its task
            if kind == "ready":
                worker.ready, self._setup_failures = True, 0
            elif kind == "setup_failed":
                raise BatchSetupError(f"workers could not load the pipeline: {payload}")
            elif kind == "done":
                task, worker.task = worker.task, None
                worker.done += 1
                if task is not None:  # a result always answers the task the worker was sent
                    on_result(task, payload)
                if (worker.done >= self.limits.max_tasks_per_child or not worker.proc.is_alive()
                        or worker.rss_mb() > self.limits.recycle_above_mb):
                    self._retire(worker, respawn=bool(self._queue))

    def _police(self, on_result: ResultCallback, queue: deque) -> None:
        now = time.monotonic()
        for worker in list(self.workers):
            if not worker.proc.is_alive() and worker.task is None and not queue:
                self._retire(worker, respawn=False)
            elif not worker.proc.is_alive():
                self._fail(worker, on_result, "worker_crash", "the worker process died while reading it")
            elif worker.task and now - worker.started > self.limits.time_limit_s:
                self._fail(worker, on_result, "timeout",
                           f"took longer than the per-file limit of {self.limits.time_limit_s:g} s")
            elif worker.task and worker.rss_mb() > self.limits.memory_limit_mb:
                self._fail(worker, on_result, "memory_limit",
                           f"used more than the memory limit of {self.limits.memory_limit_mb:g} MB")
            elif not worker.ready and now - worker.born > self.limits.startup_timeout_s:
                raise BatchSetupError(f"workers did not start within {self.limits.startup_timeout_s:g} s")

    def _fail(self, worker: _Worker, on_result: ResultCallback, code: str, problem: str) -> None:
        task = worker.task
        if not worker.ready and task is None:
            self._setup_failures += 1
            if self._setup_failures > 3:
                raise BatchSetupError("workers keep dying while loading the pipeline")
        self._retire(worker, respawn=bool(self._queue))
        if task is not None:
            result = failed(task.path, task.sha256, code, f"{Path(task.path).name}: {problem}")
            result[1].timings["total"] = round(time.monotonic() - worker.started, 3)
            on_result(task, result)

    def _retire(self, worker: _Worker, respawn: bool) -> None:
        index = self.workers.index(worker)
        worker.kill()
        if respawn:
            self.workers[index] = self._spawn()
        else:
            del self.workers[index]
