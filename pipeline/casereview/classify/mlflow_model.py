"""The Classifier as an MLflow pyfunc model, so a trained pair of models can be registered and promoted."""

from __future__ import annotations

from pathlib import Path

import mlflow
import mlflow.pyfunc


class ClassifierModel(mlflow.pyfunc.PythonModel):  # type: ignore[name-defined]  # mlflow ships no stubs for it
    """pyfunc wrapper: input a DataFrame with columns id, text, type; output one row per prediction."""

    def load_context(self, context):
        from casereview.classify.classifier import Classifier

        self.clf = Classifier.load(Path(context.artifacts["model_dir"]))

    def predict(self, context, model_input, params=None):
        import pandas as pd

        from casereview.contracts import TextUnit

        units = [TextUnit(id=str(r["id"]), text=str(r["text"]), type=r.get("type", "paragraph"),
                           section=r["section"] if isinstance(r.get("section"), str) else None)
                 for r in model_input.to_dict("records")]
        return pd.DataFrame([p.to_dict() for p in self.clf.predict(units)])


def log_classifier(model_dir: Path, registered_name: str | None):
    """Log models/themes and models/scie as one pyfunc model; register it. Returns the registry version."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp) / "model_dir"
        for name in ("themes", "scie"):
            shutil.copytree(Path(model_dir) / name, stage / name)
        info = mlflow.pyfunc.log_model(
            name="classifier", python_model=ClassifierModel(), artifacts={"model_dir": str(stage)},
            pip_requirements=["casereview", "scikit-learn", "joblib", "numpy", "scipy"],
            registered_model_name=registered_name or None)
    return getattr(info, "registered_model_version", None)
