"""`casereview train [--params params.yaml] [--extra-labels FILE ...]`: retrain the theme and SCIE models."""

from __future__ import annotations

from pathlib import Path

import typer

from casereview.commands import die


def register(app: typer.Typer) -> None:
    @app.command("train")
    def train_cmd(
        ctx: typer.Context,
        params: Path | None = typer.Option(None, "--params", help="params file (default: params.yaml)"),
        extra_labels: list[Path] = typer.Option([], "--extra-labels",
                                                help="more labelled JSONL (e.g. QA corrections); repeatable"),
        model_dir: Path | None = typer.Option(None, "--model-dir", help="where to write models"),
        no_cv: bool = typer.Option(False, "--no-cv", help="skip cross-validation (no metrics)"),
        no_mlflow: bool = typer.Option(False, "--no-mlflow", help="do not log to MLflow"),
    ) -> None:
        """Train both models from params.yaml; log the run to MLflow and register the model."""
        import json
        import logging

        from casereview.classify.corpus import LabelError
        from casereview.classify.train import TrainingError, train
        from casereview.commands import config
        from casereview.taxonomy import TaxonomyError

        logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
        settings = config(ctx, params)
        try:
            result = train(settings, extra_labels, model_dir=model_dir, cv=not no_cv,
                           use_mlflow=False if no_mlflow else None)
        except (LabelError, TaxonomyError, TrainingError) as exc:
            die(str(exc))
        typer.echo(json.dumps(result, indent=2))
