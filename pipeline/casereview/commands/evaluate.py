"""`casereview evaluate --gold FILE [--out metrics.json]`: score the shipped models on labelled units."""

from __future__ import annotations

from pathlib import Path

import typer

from casereview.commands import die


def register(app: typer.Typer) -> None:
    @app.command("evaluate")
    def evaluate_cmd(
        ctx: typer.Context,
        gold: Path = typer.Option(..., "--gold", help="labelled JSONL (schema of shared/gold/dev/units.jsonl)"),
        out: Path | None = typer.Option(None, "--out", help="write metrics JSON here (default: stdout)"),
        model_dir: Path | None = typer.Option(None, "--model-dir", help="trained models (default: models/)"),
    ) -> None:
        """Per-label precision/recall/F1, micro and macro averages, SCIE accuracy, top-2 and confusion."""
        import json

        from casereview.classify import ModelNotFound, load_classifier
        from casereview.classify.corpus import LabelError
        from casereview.classify.evaluate import evaluate
        from casereview.commands import config
        from casereview.taxonomy import TaxonomyError

        settings = config(ctx).classify
        try:
            clf = load_classifier(model_dir, settings)
            metrics = evaluate(clf, gold)
        except (ModelNotFound, LabelError, TaxonomyError) as exc:
            die(str(exc))
        text = json.dumps(metrics, indent=2) + "\n"
        if out:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
            typer.echo(f"themes micro-F1 {metrics['themes']['micro']['f1']}, SCIE accuracy "
                       f"{metrics['scie']['accuracy']} -> {out}")
        else:
            typer.echo(text, nl=False)
