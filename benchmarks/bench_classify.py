"""Classification speed: units per second of `Classifier.predict` on one core with the shipped models.

The units are the gold dev units of ../shared (real text: recommendations, findings and paragraphs), repeated to
`--units`, predicted in the batches `casereview classify` uses (512), with evidence terms on, as the CLI runs.
Threads are pinned to one (OMP/MKL/OpenBLAS) before numpy is imported, so the figure is one core's.

    python benchmarks/bench_classify.py --out benchmarks/results/classify_speed.json
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import json
import platform
import time
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--units", type=int, default=5000)
    ap.add_argument("--batch", type=int, default=512)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--model-dir", default=None)
    ap.add_argument("--out", default="benchmarks/results/classify_speed.json")
    args = ap.parse_args()

    from casereview.classify import load_classifier
    from casereview.classify.corpus import gold_dev_path
    from casereview.contracts import TextUnit

    rows = [json.loads(line) for line in gold_dev_path().read_text(encoding="utf-8").splitlines() if line.strip()]
    base = [TextUnit(id=r["id"], text=r["text"], type=r.get("type", "paragraph")) for r in rows]
    units = [base[i % len(base)] for i in range(args.units)]
    clf = load_classifier(args.model_dir)
    clf.predict(units[:64])  # warm-up: imports and lazy caches
    runs, cpu = [], []
    for _ in range(args.repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        for s in range(0, len(units), args.batch):
            clf.predict(units[s:s + args.batch])
        runs.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    best = min(runs)
    # CPU seconds of this (single-threaded) process: the figure for one core, steady when the machine is
    # shared; wall-clock seconds beside it.
    result = {"units": len(units), "batch": args.batch, "repeats": args.repeats,
              "units_per_cpu_second": round(len(units) / min(cpu), 1),
              "cpu_seconds_best": round(min(cpu), 3),
              "seconds_best": round(best, 3), "units_per_second_wall": round(len(units) / best, 1),
              "units_per_second_wall_median": round(len(units) / sorted(runs)[len(runs) // 2], 1),
              "mean_chars": round(sum(len(u.text) for u in units) / len(units), 1),
              "threads": 1, "model_dir": str(args.model_dir or "models"),
              "evidence_terms": clf.evidence_terms, "python": platform.python_version(), "machine": platform.machine()}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
