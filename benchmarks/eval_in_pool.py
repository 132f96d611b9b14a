"""What to expect on real text the project's annotators have already labelled (the stand-off pool).

The shipped models train on the project's stand-off labels of real passages in ../shared
(corpora/weak/labels.jsonl). A held-out passage that lies in that pool is one the models were trained on,
with the project's label, not the gold's. Grouped cross-validation (models/cv_metrics.json) cannot show
this, because passages that repeat a gold dev unit were kept out of the pool. This script measures it.

The annotators also labelled gold dev units hidden among their batches, without knowing which ones
(corpora/weak/hidden_gold.jsonl). The script runs the same grouped 5-fold CV as `casereview train` over
those units, twice:
  - `unseen`: as trained, so the test passages are new to the model;
  - `in_pool`: each fold also trains on the annotators' labels of its own test passages.
Scores always use the gold labels. `in_pool` is the figure for pool text and `unseen` for new reports.

    python benchmarks/eval_in_pool.py [--out benchmarks/results/in_pool.json]
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import functools
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "pipeline"))

from casereview.classify.metrics import scie_metrics, theme_metrics
from casereview.classify.train import cross_validate, load_data, summary_metrics, train_params

WEAK_CORPUS = "corpora/weak/labels.jsonl"


def _summary(rows, themes, scie, min_support) -> dict:
    items = [r for r in rows if r["gold_scie"]]
    cv = {"themes": theme_metrics([r["gold"] for r in rows], [r["pred"] for r in rows], themes.ids, min_support),
          "scie": scie_metrics([r["gold_scie"] for r in items],
                               [sorted(r["scie_scores"], key=lambda c: -r["scie_scores"][c]) for r in items], scie.ids)}
    return {"units": len(rows), "items": len(items), **summary_metrics(cv, min_support)}


def _pool_units(hidden: dict, test_units: list) -> list:
    """The annotators' labels of a fold's own test passages, as stand-off units of the pool."""
    out = []
    for u in test_units:
        lab = hidden.get(u.id)
        if lab is None:
            continue
        item = u.is_item and lab.get("type", u.type) != "paragraph"
        out.append(dataclasses.replace(
            u, id=f"pool-{u.id}", source="pool", doc=f"pool-{u.doc}", themes=tuple(lab["themes"]),
            scie=lab["scie"] if item else None, scie_second=lab.get("scie_second") if item else None,
            corpus=WEAK_CORPUS))
    return out


def run(hidden_path: Path, with_pool_labels: bool) -> dict:
    p = train_params()
    units, _, cv_keys, themes, scie = load_data(p)
    hidden = {}
    for line in hidden_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            hidden[row["gold_id"]] = row
    extra = functools.partial(_pool_units, hidden) if with_pool_labels else None
    cv = cross_validate(units, cv_keys, themes, scie, p, extra_train=extra)
    source = {u.id: u.source for u in units if (u.source, u.id) in cv_keys}
    rows = [r for r in cv["oof"] if r["id"] in hidden]
    min_support = int(p["min_support"])
    out = {"all": _summary(rows, themes, scie, min_support)}
    by_source = collections.defaultdict(list)
    for r in rows:
        by_source[source[r["id"]]].append(r)
    out["by_source"] = {s: _summary(rs, themes, scie, min_support) for s, rs in sorted(by_source.items())}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hidden", type=Path, default=ROOT / "corpora" / "weak" / "hidden_gold.jsonl")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "in_pool.json")
    args = ap.parse_args()
    t0 = time.perf_counter()
    res = {"what": "grouped 5-fold CV on the gold dev units the annotators also labelled (hidden); "
                   "unseen = as trained, in_pool = each fold also trains on the annotators' labels of its test units",
           "unseen": run(args.hidden, False), "in_pool": run(args.hidden, True)}  # folds run in parallel
    res["seconds"] = round(time.perf_counter() - t0, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
