"""Run the same per-file function on a Dask distributed cluster; the client keeps the manifest.

Workers must be able to read the input paths (a shared filesystem); results (the redacted Document) come back
to the client, which writes them, so the output folder need only exist where the client runs.
A file that runs past the time limit is recorded as timeout and the worker running it is restarted (with a
nanny) because a running Python task cannot be cancelled in place.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import Any

from casereview.batch.pool import Limits, ResultCallback, Task
from casereview.batch.worker import FileResult, failed, prepare, run_file
from casereview.config import Config


def _client(scheduler: Any, jobs: int):
    """(client, owned resources to close). scheduler: None (start a LocalCluster), an address, a Client,
    or a cluster object."""
    from distributed import Client, LocalCluster

    if scheduler is None:
        cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
        return client, [client, cluster]
    if isinstance(scheduler, Client):
        return scheduler, []
    address = getattr(scheduler, "scheduler_address", scheduler)
    client = Client(address)
    return client, [client]


def run_dask(tasks: list[Task], on_result: ResultCallback, *, config: Config, limits: Limits,
             scheduler: Any = None, jobs: int = 1, stages_spec: str | None = None) -> None:
    from distributed import wait

    client, owned = _client(scheduler, jobs)
    futures: dict = {}
    try:
        _warm_up(client, config, stages_spec)
        for task in tasks:
            # key by content so a re-submitted file after a restart is not confused with an old result
            future = client.submit(run_file, task.path, task.sha256, config, stages_spec, pure=False,
                                   key=f"casereview-{task.sha256[:16]}-{time.time_ns()}")
            futures[future] = task
        started: dict[str, float] = {}
        pending = set(futures)
        while pending:
            try:
                done, pending = wait(pending, timeout=limits.poll_interval_s * 4, return_when="FIRST_COMPLETED")
            except TimeoutError:  # nothing finished in this interval: check the clocks and wait again
                done = set()
            for future in done:
                on_result(futures[future], _result(future, futures[future]))
            pending = _police(client, pending, futures, started, limits, on_result)
    except KeyboardInterrupt:
        client.cancel(list(futures))
        raise
    finally:
        for resource in owned:
            resource.close()


def _warm_up(client, config: Config, stages_spec: str | None) -> None:
    """Load the models on every worker first, so the per-file clock measures files, not start-up."""
    from casereview.batch.pool import BatchSetupError

    try:
        client.run(prepare, config, stages_spec)
    except Exception as exc:  # noqa: BLE001 - model loading: the message is about models, never report text
        raise BatchSetupError(f"Dask workers could not load the pipeline: {type(exc).__name__}: "
                              f"{str(exc)[:300]}") from None


def _result(future, task: Task) -> FileResult:
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - a worker died, or the task was lost: name the type only
        return failed(task.path, task.sha256, "worker_crash",
                      f"{Path(task.path).name}: the Dask task failed ({type(exc).__name__})")


def _police(client, pending: set, futures: dict, started: dict, limits: Limits, on_result) -> set:
    """Start each task's clock when a worker begins it; time out tasks that run too long."""
    now = time.monotonic()
    processing = client.processing()  # worker address -> keys it is running or has queued
    running_on = {key: addr for addr, keys in processing.items() for key in keys}
    still = set()
    for future in pending:
        if future.key in running_on:
            started.setdefault(future.key, now)
        if future.key in started and now - started[future.key] > limits.time_limit_s:
            task = futures[future]
            future.cancel()
            _restart(client, running_on.get(future.key))
            on_result(task, failed(task.path, task.sha256, "timeout", f"{Path(task.path).name}: took longer "
                                   f"than the per-file limit of {limits.time_limit_s:g} s"))
        else:
            still.add(future)
    return still


def _restart(client, address: str | None) -> None:
    if not address:
        return
    # no nanny (threads): the task runs on, we no longer wait for it
    with contextlib.suppress(Exception):
        client.restart_workers([address], timeout=60)
