"""Fixtures for the batch tests: synthetic PDFs, and params that make limits small enough to hit quickly."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from casereview.config import Config, load_config

sys.path.insert(0, str(Path(__file__).resolve().parent))  # synthpdf, fake_stages

from synthpdf import make_corpus

FAKE = "tests.batch.fake_stages"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    make_corpus(folder, 4, pages=1)
    return folder


def fast_params(**process) -> Config:
    """The project's config with limits small enough to hit quickly."""
    base = {"time_limit_s": 20, "memory_limit_mb": 1500, "poll_interval_s": 0.1, "max_tasks_per_child": 25}
    base.update(process)
    return load_config().with_overrides({"process": base})


def real_stages_missing() -> str | None:
    """Why the real stages cannot run yet (None when extract, redact and classify all import)."""
    import importlib

    for name, attrs in (("casereview.extract", ["extract_pdf"]), ("casereview.redact", ["redact_document"]),
                        ("casereview.classify", ["load_classifier", "label_document"])):
        try:
            mod = importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - any import failure means "not ready"
            return f"{name} is not importable yet ({type(exc).__name__})"
        missing = [a for a in attrs if not hasattr(mod, a)]
        if missing:
            return f"{name} lacks {', '.join(missing)} yet"
    return None
