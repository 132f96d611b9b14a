"""Themes and SCIE classification.

Entry points other stages use:
    load_classifier(model_dir=None) -> Classifier      cached; models/ (or classify.model_dir) by default
    Classifier.predict(units: list[TextUnit]) -> list[Prediction]
    label_document(doc, classifier) -> Document         item labels + the document's theme roll-up
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from casereview.settings import stage_params

from .classifier import Classifier, ModelNotFound
from .rollup import label_document
from .taxonomy import resolve

__all__ = ["Classifier", "ModelNotFound", "default_model_dir", "label_document", "load_classifier"]


def default_model_dir() -> Path:
    return resolve(stage_params("classify").get("model_dir", "models"))


@lru_cache(maxsize=4)
def _load(model_dir: str, mtime: float, evidence_terms: int) -> Classifier:
    return Classifier.load(Path(model_dir), evidence_terms=evidence_terms)


def load_classifier(model_dir: Path | None = None) -> Classifier:
    """Load the shipped (or given) models once per process; a retrained model on disk is picked up."""
    d = Path(model_dir) if model_dir is not None else default_model_dir()
    f = d / "themes" / "model.joblib"
    mtime = f.stat().st_mtime if f.exists() else 0.0
    return _load(str(d.resolve()), mtime, int(stage_params("classify").get("evidence_terms", 5)))
