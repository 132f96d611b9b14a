"""Fixtures for the classify tests (helpers in classify_helpers.py)."""

from __future__ import annotations

import pytest
from classify_helpers import SCIE, THEMES, make_units, write_jsonl, write_params, write_taxonomy


@pytest.fixture(scope="session")
def tiny(tmp_path_factory):
    """A tiny taxonomy + corpus + trained model shared by the tests that only read it."""
    from casereview.classify.train import train
    from casereview.config import load_config

    tmp = tmp_path_factory.mktemp("tiny")
    themes = write_taxonomy(tmp / "themes.yaml", "themes", list(THEMES))
    scie = write_taxonomy(tmp / "scie.yaml", "scie", sorted(set(SCIE.values())))
    corpus = write_jsonl(tmp / "units.jsonl", make_units())
    params = write_params(tmp, corpus, themes, scie, tmp / "models")
    result = train(load_config(params), use_mlflow=False)
    return {"dir": tmp, "themes": themes, "scie": scie, "corpus": corpus, "params": params,
            "models": tmp / "models", "result": result}
