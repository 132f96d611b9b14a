"""`casereview evaluate --gold FILE | --oof FILE [--out metrics.json]`: score labelled units or held-out predictions."""

from __future__ import annotations

from pathlib import Path

import typer

from casereview.commands import die


def register(app: typer.Typer) -> None:
    @app.command("evaluate")
    def evaluate_cmd(
        ctx: typer.Context,
        gold: Path | None = typer.Option(None, "--gold", help="labelled JSONL (schema of shared/gold/dev/units.jsonl)"),
        oof: list[Path] | None = typer.Option(None, "--oof", help="held-out predictions from training "
                                              "(models/cv_predictions.jsonl, models/loso_predictions.jsonl; "
                                              "repeatable): scored per split, source and type"),
        out: Path | None = typer.Option(None, "--out", help="write metrics JSON here (default: stdout)"),
        model_dir: Path | None = typer.Option(None, "--model-dir", help="trained models (default: models/)"),
    ) -> None:
        """Per-label precision/recall/F1, micro and macro averages, SCIE accuracy, top-2 and confusion."""
        import json

        from casereview.classify import ModelNotFound, load_classifier
        from casereview.classify.corpus import LabelError
        from casereview.classify.evaluate import evaluate, evaluate_oof
        from casereview.commands import config
        from casereview.taxonomy import TaxonomyError

        settings = config(ctx).classify
        if (gold is None) == (not oof):
            die("give one of --gold FILE or --oof FILE")
        try:
            clf = load_classifier(model_dir, settings)
            if oof:
                for f in oof:
                    if not f.exists():
                        die(f"{f}: not found (run `casereview train`)")
                metrics = evaluate_oof(oof, clf.theme_ids, clf.scie_ids)
            else:
                assert gold is not None  # exactly one of the two, checked above
                metrics = evaluate(clf, gold)
        except (ModelNotFound, LabelError, TaxonomyError) as exc:
            die(str(exc))
        text = json.dumps(metrics, indent=2) + "\n"
        if out:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
            if oof:
                head = metrics.get("loso", metrics.get("grouped", {})).get("all", {})
                typer.echo(f"held-out themes micro-F1 {head.get('themes_micro_f1')}, SCIE accuracy "
                           f"{head.get('scie_accuracy')} -> {out}")
            else:
                typer.echo(f"themes micro-F1 {metrics['themes']['micro']['f1']}, SCIE accuracy "
                           f"{metrics['scie']['accuracy']} -> {out}")
        else:
            typer.echo(text, nl=False)
