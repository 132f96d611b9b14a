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
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "pipeline"))

from casereview.classify.metrics import scie_metrics, theme_metrics
from casereview.classify.models import _splits
from casereview.classify.train import fit_classifier, load_data, train_params
from casereview.contracts import TextUnit
from joblib import Parallel, delayed

WEAK_CORPUS = "corpora/weak/labels.jsonl"


def _summary(rows, themes, scie, min_support) -> dict:
    t = theme_metrics([r["gold"] for r in rows], [r["pred"] for r in rows], themes.ids, min_support)
    items = [r for r in rows if r["gold_scie"]]
    s = scie_metrics([r["gold_scie"] for r in items], [r["ranked"] for r in items], scie.ids)
    return {"units": len(rows), "items": len(items), "themes_micro_f1": t["micro"]["f1"],
            f"themes_macro_f1_support_ge{min_support}": t[f"macro_support_ge{min_support}"]["f1"],
            "scie_accuracy": s["accuracy"], "scie_top2_accuracy": s["top2_accuracy"]}


def run(hidden_path: Path, with_pool_labels: bool) -> dict:
    p = train_params()
    p["n_jobs"] = 1
    units, _, cv_keys, themes, scie = load_data(p)
    hidden = {}
    for line in hidden_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            hidden[row["gold_id"]] = row
    cv_idx = [i for i, u in enumerate(units) if (u.source, u.id) in cv_keys]
    rest = [i for i in range(len(units)) if i not in set(cv_idx)]
    rows = []
    for tr, te in _splits(len(cv_idx), [units[i].doc for i in cv_idx], int(p["cv_folds"]), 0):
        test = [units[cv_idx[j]] for j in te]
        test_docs = {u.doc for u in test}
        train = [units[i] for i in rest if units[i].doc not in test_docs] + [units[cv_idx[j]] for j in tr]
        if with_pool_labels:  # the annotators' labels of this fold's own test passages, as pool units
            for u in test:
                lab = hidden.get(u.id)
                if lab is None:
                    continue
                item = u.is_item and lab.get("type", u.type) != "paragraph"
                train.append(dataclasses.replace(
                    u, id=f"pool-{u.id}", source="pool", doc=f"pool-{u.doc}", themes=tuple(lab["themes"]),
                    scie=lab["scie"] if item else None, scie_second=lab.get("scie_second") if item else None,
                    corpus=WEAK_CORPUS))
        clf = fit_classifier(train, themes, scie, p, real=cv_keys)
        clf.evidence_terms = 0
        test = [u for u in test if u.id in hidden]
        for u, pr in zip(test, clf.predict([TextUnit(id=u.id, text=u.text, type=u.type) for u in test])):
            rows.append({"source": u.source, "gold": list(u.themes), "pred": pr.themes,
                         "gold_scie": u.scie if u.is_item else None,
                         "ranked": sorted(pr.scie_scores, key=lambda c: -pr.scie_scores[c])})
    min_support = int(p["min_support"])
    out = {"all": _summary(rows, themes, scie, min_support)}
    by_source = collections.defaultdict(list)
    for r in rows:
        by_source[r["source"]].append(r)
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
           **dict(zip(("unseen", "in_pool"), Parallel(n_jobs=2)(delayed(run)(args.hidden, pool)
                                                                 for pool in (False, True))))}
    res["seconds"] = round(time.perf_counter() - t0, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
