"""End-to-end benchmark of `casereview process`: pages per second (overall and per stage) and peak memory.

    python benchmarks/bench_process.py --shared ../shared --out benchmarks/results/process.json [--jobs 1 2]

Runs the whole pipeline over ../shared/data/ofsted/pdfs and ../shared/data/pfd/pdfs into a fresh temporary
folder once per worker count. Peak memory is the largest sum of RSS over this process and all its
descendants, sampled every 0.1 s (shared pages are counted once per process, so this over-estimates).
Overall pages/s is wall-clock, worker start-up (model loading) included. Per-stage pages/s is pages divided
by the time the stage took summed over files: the throughput of one worker in that stage.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Self

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pipeline"))

from casereview.batch import run_batch

STAGES = ("extract", "redact", "classify", "write")


class PeakRSS:
    """Samples the summed RSS of this process tree in a thread."""

    def __init__(self, interval: float = 0.1):
        self.interval, self.peak, self.peak_procs = interval, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total, procs = 0, [me]
            with contextlib.suppress(psutil.Error):
                procs += me.children(recursive=True)
            for proc in procs:
                with contextlib.suppress(psutil.Error):  # a child that has just exited
                    total += proc.memory_info().rss
            if total > self.peak:
                self.peak, self.peak_procs = total, len(procs)
            self._stop.wait(self.interval)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def run_once(inputs: list[Path], jobs: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench_process_") as tmp, PeakRSS() as mem:
        start = time.perf_counter()
        summary = run_batch(inputs, Path(tmp) / "out", jobs=jobs, progress=False)
        wall = time.perf_counter() - start
        manifest = json.loads((Path(tmp) / "out" / "manifest.json").read_text())
    entries = manifest["inputs"]
    pages = sum(int(e.get("pages") or 0) for e in entries)
    stage_s = {s: round(sum(float(e["timings"].get(s, 0.0)) for e in entries), 2) for s in STAGES}
    return {
        "jobs": jobs,
        "files": len(entries),
        "statuses": summary.counts,
        "errors": {e["name"]: e["error"]["code"] for e in entries if e["status"] == "error"},
        "pages": pages,
        "items": summary.items,
        "wall_s": round(wall, 2),
        "pages_per_s": round(pages / wall, 2),
        "stage_seconds": stage_s,
        "stage_pages_per_s": {s: round(pages / t, 2) if t else None for s, t in stage_s.items()},
        "peak_rss_mb": round(mem.peak / 1e6, 1),
        "peak_rss_processes": mem.peak_procs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/process.json"))
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    data = args.shared / "data"
    inputs = [data / "ofsted" / "pdfs", data / "pfd" / "pdfs"]
    for folder in inputs:
        if not folder.is_dir():
            sys.exit(f"error: {folder}: not found (pass --shared)")
    runs = [run_once(inputs, jobs) for jobs in args.jobs]
    result = {"benchmark": "process", "inputs": [str(p) for p in inputs], "runs": runs,
              "machine": {"cpus": psutil.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 1e9, 1),
                          "python": platform.python_version()},
              "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"casereview process over {runs[0]['files']} PDFs ({runs[0]['pages']} pages), "
          f"{result['machine']['cpus']} CPUs:")
    print("| workers | wall s | pages/s | extract p/s | redact p/s | classify p/s | peak RSS (sum) |")
    print("|---|---|---|---|---|---|---|")
    for r in runs:
        sp = r["stage_pages_per_s"]
        print(f"| {r['jobs']} | {r['wall_s']} | {r['pages_per_s']} | {sp['extract']} | {sp['redact']} | "
              f"{sp['classify']} | {r['peak_rss_mb']:.0f} MB |")
    print(f"results: {args.out}")


if __name__ == "__main__":
    main()
