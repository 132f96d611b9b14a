"""Evaluation metrics for themes (multi-label) and SCIE (single label, top-1 and top-2)."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import confusion_matrix, multilabel_confusion_matrix, precision_recall_fscore_support
from sklearn.preprocessing import MultiLabelBinarizer


def _prf(y_true, y_pred, labels, average: str | None) -> tuple:
    # zero_division=0: a label never predicted (or never present) scores 0, as the model cards have always said
    return precision_recall_fscore_support(y_true, y_pred, labels=labels, average=average, zero_division=0)[:3]


def theme_metrics(gold: list[list[str]], pred: list[list[str]], labels: list[str], min_support: int = 5) -> dict:
    if not gold:
        raise ValueError("theme_metrics: no units to score")
    binarizer = MultiLabelBinarizer(classes=labels)
    known = set(labels)
    G = binarizer.fit_transform([[x for x in g if x in known] for g in gold])
    P = binarizer.transform([[x for x in p if x in known] for p in pred])
    P_lab, R_lab, F_lab = _prf(G, P, list(range(len(labels))), None)
    per = {}
    for i, (lab, mcm) in enumerate(zip(labels, multilabel_confusion_matrix(G, P), strict=False)):
        (tn, fp), (fn, tp) = mcm
        per[lab] = {"precision": round(float(P_lab[i]), 4), "recall": round(float(R_lab[i]), 4),
                    "f1": round(float(F_lab[i]), 4), "support": int(G[:, i].sum()),
                    "tp": int(tp), "fp": int(fp), "fn": int(fn), "tn": int(tn)}
    mp, mr, mf = _prf(G, P, list(range(len(labels))), "micro")
    present = [lab for lab in labels if per[lab]["support"] > 0]
    frequent = [lab for lab in labels if per[lab]["support"] >= min_support]

    def macro(labs, key):
        # mean of the rounded per-label figures, as the model cards and cv_metrics.json have always reported
        return round(float(np.mean([per[lab][key] for lab in labs])), 4) if labs else 0.0

    return {
        "n": len(gold),
        "micro": {"precision": round(float(mp), 4), "recall": round(float(mr), 4), "f1": round(float(mf), 4)},
        "macro": {k: macro(present, k) for k in ("precision", "recall", "f1")},
        f"macro_support_ge{min_support}": {k: macro(frequent, k) for k in ("precision", "recall", "f1")},
        f"labels_support_ge{min_support}": frequent,
        "per_label": per,
    }


def scie_metrics(gold: list[str], ranked: list[list[str]], labels: list[str]) -> dict:
    """ranked: each unit's categories, best first. Gold None (unlabelled) units are skipped."""
    pairs = [(g, r) for g, r in zip(gold, ranked, strict=False) if g is not None]
    n = len(pairs)
    if not n:
        return {"n": 0, "accuracy": 0.0, "top2_accuracy": 0.0, "macro_f1": 0.0,
                "per_label": {lab: {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0} for lab in labels},
                "confusion_matrix": {"labels": labels, "rows_gold_cols_pred": [[0] * len(labels) for _ in labels]}}
    y_true = [g for g, _ in pairs]
    y_pred = [r[0] if r else None for _, r in pairs]
    acc = float(np.mean([t == p for t, p in zip(y_true, y_pred, strict=False)]))
    # top_k_accuracy_score needs a score for every label; the rank lists are what the classifier gives
    top2 = float(np.mean([g in r[:2] for g, r in pairs]))
    # per-label figures over the pairs whose gold and prediction are both labels of this taxonomy
    known = set(labels)
    inside = [(t, p) for t, p in zip(y_true, y_pred, strict=False) if t in known and p in known]
    t_in, p_in = [t for t, _ in inside], [p for _, p in inside]
    cm = confusion_matrix(t_in, p_in, labels=labels) if inside else np.zeros((len(labels), len(labels)), int)
    P_lab, R_lab, F_lab = _prf(t_in, p_in, labels, None) if inside else ([0.0] * len(labels),) * 3
    per = {lab: {"precision": round(float(P_lab[i]), 4), "recall": round(float(R_lab[i]), 4),
                 "f1": round(float(F_lab[i]), 4), "support": int(cm[i].sum())} for i, lab in enumerate(labels)}
    present = [lab for lab in labels if per[lab]["support"] > 0]
    return {"n": n, "accuracy": round(acc, 4), "top2_accuracy": round(top2, 4),
            "macro_f1": round(float(np.mean([per[lab]["f1"] for lab in present])), 4) if present else 0.0,
            "per_label": per,
            "confusion_matrix": {"labels": labels, "rows_gold_cols_pred": cm.tolist()}}


def confusion_figure(cm: dict, path) -> None:
    """Save the SCIE confusion matrix as a PNG (for MLflow and the notebook)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels, m = cm["labels"], np.array(cm["rows_gold_cols_pred"])
    fig, ax = plt.subplots(figsize=(6.5, 5.5))
    ax.imshow(m, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            ax.text(j, i, str(m[i, j]), ha="center", va="center", fontsize=8,
                    color="white" if m[i, j] > m.max() / 2 else "black")
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title("SCIE confusion (grouped CV)")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
