"""Score a Classifier on a labelled JSONL file (labels validated against the model's own taxonomies)."""

from __future__ import annotations

from pathlib import Path

from casereview.contracts import TextUnit
from casereview.taxonomy import Label, Taxonomy

from .corpus import load_labelled, units_hash
from .metrics import scie_metrics, theme_metrics


def _model_taxonomy(clf, name: str, ids: list[str]) -> Taxonomy:
    """The labels the model was trained on (plus those its taxonomy had retired): gold is checked against them."""
    meta = (clf.cards.get(name) or {}).get("taxonomy") or {}
    labels = [Label(id=i, label=i) for i in ids] + [Label(id=i, label=i, retired=True) for i in meta.get("retired", [])]
    return Taxonomy(kind=name, name=name, version=str(meta.get("version", "?")), labels=tuple(labels),
                    path=f"the {name} model's taxonomy (version {meta.get('version', '?')})")


def evaluate(clf, gold_path: str | Path, min_support: int = 5) -> dict:
    themes = _model_taxonomy(clf, "themes", clf.theme_ids)
    scie = _model_taxonomy(clf, "scie", clf.scie_ids)
    units = load_labelled(gold_path, themes, scie)
    preds = clf.predict([TextUnit(id=u.id, text=u.text, type=u.type, section=u.section)  # type: ignore[arg-type]
                         for u in units])
    items = [(u, p) for u, p in zip(units, preds, strict=False) if u.is_item and u.scie]
    # Scoring on a file the model was trained on measures fit, not generalisation: say so in the output.
    trained_on = {f["sha256"] for c in clf.cards.values() for f in (c.get("data") or {}).get("files", [])}
    seen = units_hash(units) in trained_on
    return {
        "gold": Path(gold_path).name, "units": len(units), "gold_in_training_data": seen,
        "note": ("training-set fit: the model was trained on this file; see models/cv_metrics.json for "
                 "grouped cross-validation" if seen else "held-out evaluation"),
        "model": {n: {"taxonomy_version": (c.get("taxonomy") or {}).get("version"),
                      "data_sha256": (c.get("data") or {}).get("sha256")} for n, c in clf.cards.items()},
        "themes": theme_metrics([list(u.themes) for u in units], [p.themes for p in preds], clf.theme_ids, min_support),
        "scie": scie_metrics([u.scie for u, _ in items],  # type: ignore[misc]  # items keep units with a label
                             [sorted(p.scie_scores, key=lambda c: -p.scie_scores[c]) for _, p in items],
                             clf.scie_ids),
    }


def evaluate_oof(paths: list[Path], theme_ids: list[str], scie_ids: list[str], min_support: int = 5) -> dict:
    """Scores of held-out predictions: the out-of-fold rows training wrote (models/cv_predictions.jsonl and
    models/loso_predictions.jsonl).

    Each row was predicted by models that never saw its report (split "grouped") or its source (split
    "loso"), so these are new-report figures, per split, per source and per unit type; never a training fit."""
    import json

    rows = [json.loads(line) for path in paths for line in Path(path).read_text(encoding="utf-8").splitlines()
            if line.strip()]
    out: dict = {"predictions": [Path(p).name for p in paths], "units": len(rows),
                 "note": "held-out: out-of-fold predictions (grouped by report, and leave one source out)"}
    for split in sorted({r.get("split", "grouped") for r in rows}, reverse=True):  # loso first
        sub = [r for r in rows if r.get("split", "grouped") == split]
        entry: dict = {"all": _score(sub, theme_ids, scie_ids, min_support)}
        for src in sorted({r.get("source", "") for r in sub}):
            by_src = [r for r in sub if r.get("source", "") == src]
            entry[src or "unknown"] = {"all": _score(by_src, theme_ids, scie_ids, min_support),
                                       **{t: _score([r for r in by_src if r["type"] == t], theme_ids, scie_ids,
                                                    min_support) for t in sorted({r["type"] for r in by_src})}}
        out[split] = entry
    return out


def _score(rows: list[dict], theme_ids: list[str], scie_ids: list[str], min_support: int) -> dict:
    items = [r for r in rows if r.get("gold_scie")]
    t = theme_metrics([r["gold"] for r in rows], [r["pred"] for r in rows], theme_ids, min_support)
    s = scie_metrics([r["gold_scie"] for r in items],
                     [sorted(r["scie_scores"], key=lambda c: -r["scie_scores"][c]) for r in items], scie_ids)
    return {"n_units": len(rows), "themes_micro_f1": t["micro"]["f1"], "themes_macro_f1": t["macro"]["f1"],
            "n_items": s["n"], "scie_accuracy": s["accuracy"], "scie_top2_accuracy": s["top2_accuracy"]}
