"""Evaluation metrics for themes (multi-label) and SCIE (single label, top-1 and top-2)."""

from __future__ import annotations

import numpy as np


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def theme_metrics(gold: list[list[str]], pred: list[list[str]], labels: list[str], min_support: int = 5) -> dict:
    per, TP, FP, FN = {}, 0, 0, 0
    for lab in labels:
        g = np.array([lab in x for x in gold])
        p = np.array([lab in x for x in pred])
        tp, fp, fn = int(np.sum(g & p)), int(np.sum(~g & p)), int(np.sum(g & ~p))
        tn = int(len(g) - tp - fp - fn)
        P, R, F = _prf(tp, fp, fn)
        per[lab] = {"precision": round(P, 4), "recall": round(R, 4), "f1": round(F, 4), "support": int(g.sum()),
                    "tp": tp, "fp": fp, "fn": fn, "tn": tn}
        TP, FP, FN = TP + tp, FP + fp, FN + fn
    mp, mr, mf = _prf(TP, FP, FN)
    present = [lab for lab in labels if per[lab]["support"] > 0]
    frequent = [lab for lab in labels if per[lab]["support"] >= min_support]

    def macro(labs, key):
        return round(float(np.mean([per[lab][key] for lab in labs])), 4) if labs else 0.0

    return {
        "n": len(gold),
        "micro": {"precision": round(mp, 4), "recall": round(mr, 4), "f1": round(mf, 4)},
        "macro": {k: macro(present, k) for k in ("precision", "recall", "f1")},
        f"macro_support_ge{min_support}": {k: macro(frequent, k) for k in ("precision", "recall", "f1")},
        f"labels_support_ge{min_support}": frequent,
        "per_label": per,
    }


def scie_metrics(gold: list[str], ranked: list[list[str]], labels: list[str]) -> dict:
    """ranked: each unit's categories, best first. Gold None (unlabelled) units are skipped."""
    pairs = [(g, r) for g, r in zip(gold, ranked) if g is not None]
    n = len(pairs)
    acc = sum(r[0] == g for g, r in pairs) / n if n else 0.0
    top2 = sum(g in r[:2] for g, r in pairs) / n if n else 0.0
    idx = {lab: i for i, lab in enumerate(labels)}
    cm = np.zeros((len(labels), len(labels)), dtype=int)
    for g, r in pairs:
        if g in idx and r[0] in idx:
            cm[idx[g], idx[r[0]]] += 1
    per = {}
    for lab, i in idx.items():
        P, R, F = _prf(int(cm[i, i]), int(cm[:, i].sum() - cm[i, i]), int(cm[i, :].sum() - cm[i, i]))
        per[lab] = {"precision": round(P, 4), "recall": round(R, 4), "f1": round(F, 4), "support": int(cm[i].sum())}
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
