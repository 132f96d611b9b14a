"""Training logs a run to MLflow (a temporary sqlite store), registers the model and sets the alias."""

import json

import pytest
from classify_helpers import SCIE, THEMES, make_units, write_jsonl, write_params, write_taxonomy


@pytest.mark.slow
def test_train_logs_run_and_registers_champion(tmp_path, monkeypatch):
    db = tmp_path / "mlflow.db"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{db}")
    from casereview.classify.train import train
    from casereview.config import load_config

    tax = write_taxonomy(tmp_path / "themes.yaml", "themes", list(THEMES))
    scie = write_taxonomy(tmp_path / "scie.yaml", "scie", sorted(set(SCIE.values())))
    rows = make_units()
    rows[0]["text"] += " UNIQUESECRETPHRASE"
    corpus = write_jsonl(tmp_path / "units.jsonl", rows)
    params = write_params(tmp_path, corpus, tax, scie, tmp_path / "models", mlflow=True)
    result = train(load_config(params))
    info = result["mlflow"]
    assert info["alias"] == "champion" and info["version"] == 1

    import mlflow
    from mlflow.tracking import MlflowClient

    mlflow.set_tracking_uri(f"sqlite:///{db}")
    client = MlflowClient()
    run = client.get_run(info["run_id"])
    assert "themes_micro_f1" in run.data.metrics and "themes.housing.f1" in run.data.metrics
    assert run.data.params["themes_taxonomy.version"] == "1"
    assert str(client.get_model_version_by_alias("test-model", "champion").version) == "1"
    arts = [a.path for a in client.list_artifacts(info["run_id"])]
    assert "scie_confusion.png" in arts
    # no text reaches MLflow params, tags or metrics
    blob = json.dumps([run.data.params, run.data.tags, run.data.metrics])
    assert "UNIQUESECRETPHRASE" not in blob and "poor housing" not in blob

    # the registered model predicts
    model = mlflow.pyfunc.load_model("models:/test-model@champion")
    import pandas as pd

    out = model.predict(pd.DataFrame([{"id": "a", "text": "the GP practice", "type": "finding"}]))
    assert out.iloc[0]["id"] == "a"
