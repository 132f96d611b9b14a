"""Training: data from params.yaml, grouped cross-validation, final fit, model cards, MLflow.

Honest numbers: the held-out test is real text like shared/gold/dev, so metrics come from grouped k-fold
cross-validation over the `cv_on` corpus (folds by report, `doc`); every fold trains on all other corpora
plus the other folds, exactly as the final model trains on everything. Training-set fits are never reported.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
import logging
import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from casereview.config import Config, TaxonomyConfig, TrainConfig, load_config, resolve_path
from casereview.settings import project_root
from casereview.taxonomy import Taxonomy, load_label_sets

from .classifier import Classifier
from .corpus import LabelledUnit, load_labelled, merge, resolve_corpus_path, units_hash
from .heldout import (
    canonical_reports,
    grouped_folds,
    loso_split,
    majority_accuracy,
    second_look,
    sources_present,
)
from .metrics import confusion_figure, scie_metrics, theme_metrics
from .models import SCIEMapper, ThemeTagger, keep_embeddings
from .standoff import TextResolver, attach_sections

log = logging.getLogger(__name__)

class TrainingError(ValueError):
    pass


def train_params(params_path: str | Path | None = None) -> TrainConfig:
    """params.yaml's `train:` section (the project's, or the file given)."""
    return load_config(params_path).train


def load_data(p: TrainConfig, extra: Sequence[str | Path] = (), taxonomy: TaxonomyConfig | None = None
              ) -> tuple[list[LabelledUnit], list[dict], set, Taxonomy, Taxonomy]:
    """All labelled units (later files win on the same id), per-file info, and the ids of the CV set."""
    sets = load_label_sets(taxonomy)
    themes, scie = sets.themes, sets.scie
    groups, info, cv_keys = [], [], set()
    resolver = TextResolver()  # one cut of each shared report, for stand-off texts and section titles
    for spec in list(p.corpora) + [str(x) for x in extra]:
        path = resolve_corpus_path(spec)
        if not path.exists():
            if spec in extra:
                raise TrainingError(f"{path}: labelled file not found")
            log.warning("%s: not found; training without it", path)
            continue
        units = [dataclasses.replace(u, corpus=str(spec)) for u in load_labelled(path, themes, scie, resolver)]
        groups.append(units)
        info.append({"file": str(spec), "units": len(units), "sha256": units_hash(units)})
        if p.cv_on and str(spec) == str(p.cv_on):
            cv_keys = {(u.source, u.id) for u in units}
    # One name per report: gold coroners' units take the stand-off report id (heldout.canonical_reports).
    units = attach_sections(canonical_reports(merge(*groups)), resolver)
    if not units:
        raise TrainingError("no labelled units found (check train.corpora in params.yaml)")
    return units, info, cv_keys, themes, scie


def _indicator(units, labels) -> np.ndarray:
    return np.array([[lab in u.themes for lab in labels] for u in units], dtype=int).reshape(len(units), len(labels))


def fit_classifier(units: list[LabelledUnit], themes: Taxonomy, scie: Taxonomy, p: TrainConfig,
                   real: set | None = None) -> Classifier:
    """real: (source, id) of real labelled text; calibration and thresholds come from those units."""
    tagger = ThemeTagger(labels=themes.ids, **p.themes.model_dump(), cv_folds=p.cv_folds,
                         lexicon=themes.keywords() or None)
    mask = [(u.source, u.id) in real for u in units] if real else None
    tagger.fit([u.text for u in units], _indicator(units, themes.ids), groups=[u.doc for u in units],
               calibration_mask=mask, context=[(u.type, u.section) for u in units])
    items = [u for u in units if u.is_item and u.scie in scie.ids]
    sp = p.scie.model_dump()
    weights = {str(k): float(v) for k, v in (sp.pop("corpus_weights", None) or {}).items()}
    items = [u for u in items if weights.get(u.corpus, 1.0) > 0]
    mapper = SCIEMapper(labels=scie.ids, **sp)
    mapper.fit([u.text for u in items], [u.scie for u in items], second=[u.scie_second for u in items],
               sample_weight=[weights.get(u.corpus, 1.0) for u in items], groups=[u.doc for u in items],
               context=[(u.type, u.section) for u in items])
    return Classifier(themes=tagger, scie=mapper)


def _fold(train_units, test_units, themes, scie, p: TrainConfig, cv_keys) -> list[dict]:
    """Fit on one fold's training units and predict its test units (rows of out-of-fold predictions)."""
    from casereview.contracts import TextUnit

    clf = fit_classifier(train_units, themes, scie, p, real=cv_keys)
    clf.evidence_terms = 0
    preds = clf.predict([TextUnit(id=u.id, text=u.text, type=u.type, section=u.section)
                         for u in test_units])
    return [{"id": u.id, "doc": u.doc, "source": u.source, "type": u.type, "gold": list(u.themes), "pred": pr.themes,
             "theme_scores": pr.theme_scores, "gold_scie": u.scie, "pred_scie": pr.scie,
             "scie_scores": pr.scie_scores, "is_item": u.is_item} for u, pr in zip(test_units, preds, strict=False)]


def score_rows(rows: list[dict], themes: Taxonomy, scie: Taxonomy, min_support: int) -> dict:
    """Theme and SCIE metrics of out-of-fold prediction rows (as `_fold` returns them)."""
    items = [r for r in rows if r["is_item"] and r["gold_scie"]]
    return {"themes": theme_metrics([r["gold"] for r in rows], [r["pred"] for r in rows], themes.ids, min_support),
            "scie": scie_metrics([r["gold_scie"] for r in items],
                                 [sorted(r["scie_scores"], key=lambda c: -r["scie_scores"][c]) for r in items],
                                 scie.ids),
            "scie_majority_accuracy": majority_accuracy([r["gold_scie"] for r in items])}


def cross_validate(units, cv_keys, themes, scie, p: TrainConfig, split: str = "grouped", extra_train=None) -> dict:
    """k-fold over the CV set; returns gold and out-of-fold predictions for it.

    extra_train: optional function of a fold's test units returning more training units for that fold
    (benchmarks/eval_in_pool.py adds the annotators' own labels of the test passages).

    split="grouped": folds by report (`doc`); "random": units shuffled into folds regardless
    of report (a unit's neighbours in its report may be in training, as for a held-out sample drawn from the
    same reports). Either way no unit of the other corpora from a test report trains the fold
    (heldout.grouped_folds). Folds run in parallel on up to two cores.
    """
    from joblib import Parallel, delayed

    jobs = []
    for train_units, test_units in grouped_folds(units, cv_keys, p.cv_folds, split):
        if extra_train is not None:
            train_units = train_units + extra_train(test_units)
        jobs.append(delayed(_fold)(train_units, test_units, themes, scie, p, cv_keys))
    n_jobs = max(1, min(p.n_jobs, os.cpu_count() or 1, len(jobs)))
    scores = [row for rows in Parallel(n_jobs=n_jobs)(jobs) for row in rows]
    res = score_rows(scores, themes, scie, p.min_support)
    by_source = {}
    for src in sorted({r["source"] for r in scores}):
        sub = score_rows([r for r in scores if r["source"] == src], themes, scie, p.min_support)
        by_source[src] = {**summary_metrics(sub, p.min_support), "n_units": sub["themes"]["n"],
                          "n_items": sub["scie"]["n"], "scie_majority_accuracy": sub["scie_majority_accuracy"]}
    for r in scores:
        r.pop("is_item")
    return {"cv_set": p.cv_on if cv_keys else "all training units (cv_on file not found)", "split": split,
            **res, "by_source": by_source, "oof": scores}


def leave_one_source_out(units, cv_keys, themes, scie, p: TrainConfig) -> dict:
    """Per source: train on the other sources only, test on its gold units and on its stand-off units."""
    from joblib import Parallel, delayed

    jobs, plan = [], []
    for src in sources_present([u for u in units if (u.source, u.id) in cv_keys], p.loso_sources):
        train_units, gold, standoff = loso_split(units, cv_keys, src)
        plan.append((src, len(gold), len(train_units)))
        jobs.append(delayed(_fold)(train_units, gold + standoff, themes, scie, p, cv_keys))
    n_jobs = max(1, min(p.n_jobs, os.cpu_count() or 1, len(jobs)))
    out: dict = {}
    for (src, n_gold, n_train), rows in zip(plan, Parallel(n_jobs=n_jobs)(jobs), strict=True):
        for r in rows:
            r["loso"] = src
        gold_rows, standoff_rows = rows[:n_gold], rows[n_gold:]
        res = score_rows(gold_rows, themes, scie, p.min_support)
        entry = {**summary_metrics(res, p.min_support), "n_units": n_gold, "n_items": res["scie"]["n"],
                 "n_train_units": n_train, "scie_majority_accuracy": res["scie_majority_accuracy"]}
        if standoff_rows:
            so = score_rows(standoff_rows, themes, scie, p.min_support)
            entry["standoff_labels"] = {**summary_metrics(so, p.min_support), "n_units": len(standoff_rows),
                                        "n_items": so["scie"]["n"],
                                        "scie_majority_accuracy": so["scie_majority_accuracy"]}
        entry["themes_per_label"] = _per_label(res["themes"]["per_label"])
        entry["scie_per_label"] = _per_label(res["scie"]["per_label"])
        entry["oof"] = [{k: v for k, v in r.items() if k != "is_item"} for r in gold_rows]
        entry["standoff_oof"] = standoff_rows
        out[src] = entry
    return out


def _per_label(per: dict) -> dict:
    return {lab: {k: m[k] for k in ("precision", "recall", "f1", "support")} for lab, m in per.items()}


def _card_md(card: dict) -> str:
    m = card.get("cv_metrics", {})
    lines = [f"# Model card: {card['model']}", "",
             f"- created: {card['created']}",
             f"- family: `{card['parameters'].get('family')}`; parameters: `{json.dumps(card['parameters'])}`",
             f"- taxonomy: {card['taxonomy']['name']} version {card['taxonomy']['version']} "
             f"(`{card['taxonomy']['file']}`, sha256 `{card['taxonomy']['sha256'][:16]}`)",
             f"- training data: {card['data']['units']} units, sha256 `{card['data']['sha256'][:16]}`"]
    for f in card["data"]["files"]:
        lines.append(f"  - `{f['file']}`: {f['units']} units (sha256 `{f['sha256'][:16]}`)")
    lines += ["", "## Intended use",
              "Suggests labels for passages of child-protection case review and inspection reports. Every label "
              "is a suggestion that a person verifies; the evidence terms show which words drove it.", "",
              "## New reports first: leave one source out", "",
              "Trained without any unit of the source, tested on its hand-labelled gold units (the figure for a "
              "kind of report the model has not seen; coroners' reports = pfd). Stand-off: the same models on "
              "that source's stand-off labels.", ""]
    lines += _loso_lines(card)
    lines += [f"## Evaluation: {card['evaluation']}", ""]
    if card["model"] == "themes" and m:
        ge = next((k for k in m if k.startswith("macro_support_ge")), None)
        lines += [f"Thresholds: per label when it has >= {card['parameters'].get('per_label_min', 20)} real "
                  f"positives, else the shared threshold {card.get('global_threshold')} (both chosen by F1 on "
                  "out-of-fold scores).", "",
                  f"micro-F1 **{m['micro']['f1']}** (P {m['micro']['precision']}, R {m['micro']['recall']}); "
                  f"macro-F1 {m['macro']['f1']}; macro-F1 over labels with >= {card['min_support']} examples "
                  f"**{m[ge]['f1'] if ge else 'n/a'}**", "",
                  "| label | threshold | train support | CV precision | CV recall | CV F1 | CV support |",
                  "|---|---|---|---|---|---|---|"]
        for lab, t in card["thresholds"].items():
            pl = m["per_label"].get(lab, {})
            lines.append(f"| {lab} | {t} | {card['support'].get(lab, 0)} | {pl.get('precision')} | "
                         f"{pl.get('recall')} | {pl.get('f1')} | {pl.get('support')} |")
    if card["model"] == "scie" and m:
        lines += [f"accuracy **{m['accuracy']}**, top-2 accuracy **{m['top2_accuracy']}**, macro-F1 {m['macro_f1']} "
                  f"over {m['n']} items", "", "| category | train support | CV precision | CV recall | CV F1 | CV support |",
                  "|---|---|---|---|---|---|"]
        for lab, pl in m["per_label"].items():
            lines.append(f"| {lab} | {card['support'].get(lab, 0)} | {pl['precision']} | {pl['recall']} | "
                         f"{pl['f1']} | {pl['support']} |")
    if card.get("comparison"):
        lines += ["", "## Model families compared (same grouped CV)", "",
                  "```", json.dumps(card["comparison"], indent=1), "```"]
    lines += ["", "## Limitations",
              "Trained on few real units, mostly English inspection text; rare risk themes (neglect, substance "
              "misuse, infants) are learnt largely from the project's synthetic corpus and are less reliable. "
              "Scores are calibrated on out-of-fold predictions (Platt scaling) and may drift on other report "
              "types.", ""]
    return "\n".join(lines)


def _loso_lines(card: dict) -> list[str]:
    loso = card.get("loso_metrics") or {}
    if not loso:
        return ["not run (train.loso_sources is empty)", ""]
    if card["model"] == "themes":
        out = ["| left out | gold units | micro-F1 | macro-F1 | stand-off units | stand-off micro-F1 |",
               "|---|---|---|---|---|---|"]
        for src, e in loso.items():
            so = e.get("standoff_labels") or {}
            out.append(f"| {src} | {e['n_units']} | **{e['themes_micro_f1']}** | {e['themes_macro_f1']} | "
                       f"{so.get('n_units', 0)} | {so.get('themes_micro_f1')} |")
    else:
        out = ["| left out | gold items | accuracy | top-2 | always the commonest | stand-off items | stand-off accuracy |",
               "|---|---|---|---|---|---|---|"]
        for src, e in loso.items():
            so = e.get("standoff_labels") or {}
            out.append(f"| {src} | {e['n_items']} | **{e['scie_accuracy']}** | {e['scie_top2_accuracy']} | "
                       f"{e['scie_majority_accuracy']} | {so.get('n_items', 0)} | {so.get('scie_accuracy')} |")
    return [*out, ""]


def write_cards(model_dir: Path, clf: Classifier, themes: Taxonomy, scie: Taxonomy, p: TrainConfig, units, info,
                cv: dict | None, loso: dict | None = None) -> dict:
    created = _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()
    data = {"units": len(units), "sha256": units_hash(units), "files": info}
    evaluation = (f"grouped {p.cv_folds}-fold cross-validation (folds by report) on `{(cv or {}).get('cv_set')}`; "
                  "each fold also trains on the other corpora" if cv else "not evaluated (no --cv)")
    comparison = None
    comp_path = Path(model_dir) / "comparison.json"
    if comp_path.exists():
        comparison = json.loads(comp_path.read_text(encoding="utf-8"))
    items = [u for u in units if u.is_item and u.scie]
    cards = {
        "themes": {"model": "themes", "created": created, "taxonomy": themes.meta(), "data": data,
                   "parameters": {**p.themes.model_dump(), "cv_folds": p.cv_folds}, "min_support": p.min_support,
                   "thresholds": {str(c): round(float(t), 3) for c, t in zip(clf.themes.classes_, clf.themes.thresholds_, strict=False)},
                   "global_threshold": round(float(clf.themes.global_threshold_), 3),
                   "support": {str(c): int(s) for c, s in zip(clf.themes.classes_, clf.themes.support_, strict=False)},
                   "evaluation": evaluation, "loso_metrics": _loso_summary(loso, "themes"),
                   "cv_metrics": cv["themes"] if cv else None, "comparison": comparison},
        "scie": {"model": "scie", "created": created, "taxonomy": scie.meta(), "data": data,
                 "parameters": p.scie.model_dump(), "min_support": p.min_support,
                 "support": {c: sum(u.scie == c for u in items) for c in scie.ids},
                 "evaluation": evaluation, "loso_metrics": _loso_summary(loso, "scie"),
                 "cv_metrics": cv["scie"] if cv else None, "comparison": comparison},
    }
    for name, card in cards.items():
        d = Path(model_dir) / name
        d.mkdir(parents=True, exist_ok=True)
        (d / "card.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
        (d / "card.md").write_text(_card_md(card), encoding="utf-8")
    clf.cards = cards
    return cards


LOSO_NOTE = ("leave one source out: trained on every other source (and the synthetic corpus), tested on this "
             "source's gold units; standoff_labels: the same models on this source's stand-off labels")

_SUMMARY = ("themes_micro_f1", "themes_macro_f1", "scie_accuracy", "scie_top2_accuracy", "scie_macro_f1")


def _loso_summary(loso: dict | None, model: str) -> dict:
    """Per left-out source: the summary figures and that model's per-label table (no predictions)."""
    keep = "themes_per_label" if model == "themes" else "scie_per_label"
    return {src: {k: v for k, v in e.items() if k not in ("oof", "standoff_oof", "themes_per_label", "scie_per_label")
                  } | {"per_label": e.get(keep)} for src, e in (loso or {}).items()}


def summary_metrics_of(entry: dict) -> dict:
    return {k: entry[k] for k in _SUMMARY if k in entry}


def summary_metrics(cv: dict, min_support: int) -> dict:
    t, s = cv["themes"], cv["scie"]
    return {"themes_micro_f1": t["micro"]["f1"], "themes_macro_f1": t["macro"]["f1"],
            f"themes_macro_f1_support_ge{min_support}": t[f"macro_support_ge{min_support}"]["f1"],
            "scie_accuracy": s["accuracy"], "scie_top2_accuracy": s["top2_accuracy"], "scie_macro_f1": s["macro_f1"]}


def train(config: Config | None = None, extra_labels: Sequence[str | Path] = (),
          model_dir: str | Path | None = None, cv: bool = True, use_mlflow: bool | None = None) -> dict:
    """Cross-validate, fit the final models on everything, write models/ and log the run to MLflow."""
    config = config or load_config()
    p = config.train
    if p.themes.embedding or p.scie.embedding:
        # Sentence embeddings: the folds run in this process and encode each text once (workers would each
        # encode every text again).
        keep_embeddings(True)
        p = p.model_copy(update={"n_jobs": 1})
    try:
        return _train(config, p, extra_labels, model_dir, cv, use_mlflow)
    finally:
        if p.themes.embedding or p.scie.embedding:
            keep_embeddings(False)


def _train(config: Config, p: TrainConfig, extra_labels, model_dir, cv: bool, use_mlflow: bool | None) -> dict:
    t0 = time.perf_counter()
    units, info, cv_keys, themes, scie = load_data(p, list(extra_labels), config.taxonomy)
    model_dir = resolve_path(model_dir or p.model_dir)
    cvres = cross_validate(units, cv_keys, themes, scie, p) if cv else None
    random_cv = (cross_validate(units, cv_keys, themes, scie, p, split="random")
                 if cv and p.random_split_cv else None)
    loso = leave_one_source_out(units, cv_keys, themes, scie, p) if cv and p.loso_sources else None
    t_cv = time.perf_counter() - t0
    clf = fit_classifier(units, themes, scie, p, real=cv_keys)
    model_dir.mkdir(parents=True, exist_ok=True)
    clf.save(model_dir)
    cards = write_cards(model_dir, clf, themes, scie, p, units, info, cvres, loso)
    t_total = time.perf_counter() - t0
    result = {"model_dir": str(model_dir), "units": len(units), "seconds_total": round(t_total, 1),
              "seconds_cv": round(t_cv, 1), "taxonomy": {"themes": themes.version, "scie": scie.version}}
    if cvres:
        metrics = summary_metrics(cvres, p.min_support)
        result["cv"] = metrics
        full: dict = {}
        oof_loso: list[dict] = []
        if loso:
            # New-report figures first: each source tested by models that never saw a unit of it.
            full["leave_one_source_out"] = {"note": LOSO_NOTE}
            standoff_rows: list[dict] = []
            for src, entry in loso.items():
                oof_loso += entry.pop("oof")
                standoff_rows += entry.pop("standoff_oof")
                full["leave_one_source_out"][src] = entry
            # Stand-off labels worth a second reading (ids and labels only), for the label-quality rounds.
            with open(model_dir / "second_look.jsonl", "w", encoding="utf-8") as fh:
                fh.writelines(json.dumps(row) + "\n" for row in second_look(standoff_rows))
            result["loso"] = {src: summary_metrics_of(e) for src, e in loso.items()}
        full.update({**metrics, "split": "grouped by report (doc), all sources in training",
                     "by_source": cvres["by_source"]})
        if random_cv:
            # Extra figure: units (not reports) shuffled into folds. The held-out half was drawn from the same
            # reports, so this may be the closer estimate of its score; grouped CV stays the headline.
            random_summary = summary_metrics(random_cv, p.min_support)
            result["cv_random_split"] = random_summary
            full["random_split"] = {**random_summary, "folds": p.cv_folds,
                                    "note": "units shuffled into folds regardless of report (KFold, seed 0)"}
        full.update({"themes": cvres["themes"], "scie": cvres["scie"]})
        (model_dir / "cv_metrics.json").write_text(json.dumps(full, indent=2) + "\n", encoding="utf-8")
        # Out-of-fold predictions (ids, labels, scores; no text) for notebooks/error_analysis.ipynb.
        with open(model_dir / "cv_predictions.jsonl", "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps({**row, "split": "grouped"}) + "\n" for row in cvres["oof"])
        # ... and the leave-one-source-out ones (each gold unit once more), scored by the evaluate stage.
        with open(model_dir / "loso_predictions.jsonl", "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps({**row, "split": "loso"}) + "\n" for row in oof_loso)
    if use_mlflow is None:
        use_mlflow = p.mlflow.enabled
    if use_mlflow:
        result["mlflow"] = log_to_mlflow(p, clf, cards, cvres, model_dir, themes, scie, units)
    return result


def tracking_uri() -> str:
    return os.environ.get("MLFLOW_TRACKING_URI") or f"sqlite:///{project_root() / 'mlflow.db'}"


def _flat(d: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flat(v, key + "."))
        else:
            out[key] = v if not isinstance(v, list) else json.dumps(v)
    return out


def log_to_mlflow(p: TrainConfig, clf, cards, cvres, model_dir: Path, themes: Taxonomy, scie: Taxonomy, units) -> dict:
    """Parameters, per-label metrics, a confusion-matrix image, the model cards and the model itself.

    No text is logged: parameters, hashes, numbers, the figure and the fitted model only.
    """
    os.environ.setdefault("MLFLOW_ENABLE_ASYNC_LOGGING", "false")
    import mlflow
    from mlflow.tracking import MlflowClient

    from .mlflow_model import log_classifier

    uri = tracking_uri()
    mlflow.set_tracking_uri(uri)
    cfg = p.mlflow
    exp = mlflow.get_experiment_by_name(cfg.experiment)
    if exp is None:
        art = None
        if uri.startswith("sqlite:///"):  # keep artifacts beside the database, not in the cwd
            art = (Path(uri[len("sqlite:///"):]).resolve().parent / "mlartifacts").as_uri()
        mlflow.create_experiment(cfg.experiment, artifact_location=art)
    mlflow.set_experiment(cfg.experiment)
    with mlflow.start_run(run_name=f"train-{themes.version}-{scie.version}") as run:
        params = _flat({"themes": p.themes.model_dump(), "scie": p.scie.model_dump()})
        params.update({"cv_folds": p.cv_folds, "corpora": json.dumps(list(p.corpora)),
                       "themes_taxonomy.version": themes.version, "themes_taxonomy.sha256": themes.sha256,
                       "scie_taxonomy.version": scie.version, "scie_taxonomy.sha256": scie.sha256,
                       "data.sha256": units_hash(units), "data.units": len(units)})
        mlflow.log_params(params)
        mlflow.set_tags({"themes_taxonomy_version": themes.version, "scie_taxonomy_version": scie.version})
        if cvres:
            metrics = summary_metrics(cvres, p.min_support)
            for lab, m in cvres["themes"]["per_label"].items():
                for k in ("precision", "recall", "f1"):
                    metrics[f"themes.{lab}.{k}"] = m[k]
            for lab, m in cvres["scie"]["per_label"].items():
                metrics[f"scie.{lab}.f1"] = m["f1"]
            mlflow.log_metrics(metrics)
            with tempfile.TemporaryDirectory() as tmp:
                png = Path(tmp) / "scie_confusion.png"
                confusion_figure(cvres["scie"]["confusion_matrix"], png)
                mlflow.log_artifact(str(png))
        for name in ("themes", "scie"):
            mlflow.log_artifact(str(model_dir / name / "card.json"), artifact_path=f"cards/{name}")
            mlflow.log_artifact(str(model_dir / name / "card.md"), artifact_path=f"cards/{name}")
        version = log_classifier(model_dir, cfg.registered_model)
        out = {"tracking_uri": uri, "run_id": run.info.run_id, "experiment": cfg.experiment}
    if version is not None and cfg.registered_model:
        client = MlflowClient()
        if cfg.alias:
            client.set_registered_model_alias(cfg.registered_model, cfg.alias, version)
        out.update({"registered_model": cfg.registered_model, "version": int(version), "alias": cfg.alias})
    return out
