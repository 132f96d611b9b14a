"""Themes and SCIE classification.

Entry points other stages use:
    load_classifier(model_dir=None, config=None) -> Classifier   cached; classify.model_dir by default
    Classifier.predict(units: list[TextUnit]) -> list[Prediction]
    label_document(doc, classifier, config=None) -> Document     item labels + the document's theme roll-up
(config: params.yaml's `classify:` section, a casereview.config.ClassifyConfig.)
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from casereview.config import ClassifyConfig, load_config, resolve_path

from .classifier import Classifier, ModelNotFound
from .rollup import label_document

__all__ = ["Classifier", "ModelNotFound", "default_model_dir", "label_document", "load_classifier"]


def default_model_dir(config: ClassifyConfig | None = None) -> Path:
    return resolve_path((config or load_config().classify).model_dir)


@lru_cache(maxsize=4)
def _load(model_dir: str, mtime: float, evidence_terms: int) -> Classifier:
    return Classifier.load(Path(model_dir), evidence_terms=evidence_terms)


def load_classifier(model_dir: str | Path | None = None, config: ClassifyConfig | None = None) -> Classifier:
    """Load the shipped (or given) models once per process; a retrained model on disk is picked up."""
    config = config or load_config().classify
    d = Path(model_dir) if model_dir is not None else default_model_dir(config)
    f = d / "themes" / "model.joblib"
    mtime = f.stat().st_mtime if f.exists() else 0.0
    return _load(str(d.resolve()), mtime, config.evidence_terms)
