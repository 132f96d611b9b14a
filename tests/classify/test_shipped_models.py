"""The models in models/ match the taxonomy files, honour the contract, and dvc.yaml reproduces them."""

import hashlib
import json
import shutil
import subprocess

import pytest
from casereview.classify import load_classifier
from casereview.classify.taxonomy import load_taxonomy
from casereview.contracts import TextUnit
from casereview.settings import project_root

ROOT = project_root()


@pytest.mark.parametrize("name,yaml_file", [("themes", "themes.yaml"), ("scie", "scie.yaml")])
def test_shipped_model_was_trained_on_current_taxonomy(name, yaml_file):
    """Fails when someone edits a taxonomy file and forgets to retrain (`casereview train`)."""
    card = json.loads((ROOT / "models" / name / "card.json").read_text())
    path = ROOT / "corpora" / "taxonomy" / yaml_file
    assert card["taxonomy"]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert card["taxonomy"]["labels"] == load_taxonomy(path).ids
    assert card["cv_metrics"] and "grouped" in card["evaluation"]
    assert (ROOT / "models" / name / "card.md").exists()


def test_shipped_classifier_predicts_contract():
    clf = load_classifier()
    assert load_classifier() is clf  # cached
    units = [TextUnit(id="a", type="recommendation",
                      text="Improve the quality of supervision and management oversight of social work practice."),
             TextUnit(id="b", type="paragraph",
                      text="Children who go missing from home are at risk of child sexual exploitation.")]
    a, b = clf.predict(units)
    assert "workforce_supervision_training" in a.themes and a.scie == "management_systems"
    assert a.scie_runner_up and a.scie_runner_up != a.scie
    assert b.scie is None and "sexual_abuse_exploitation" in b.themes
    assert set(a.theme_scores) == set(clf.theme_ids) and len(clf.theme_ids) == 18
    assert a.evidence["workforce_supervision_training"]
    # evidence terms are n-grams of the passage's own words (stop words dropped)
    words = set(units[0].text.lower().replace(".", "").split())
    assert all(set(term.split()) <= words for term in a.evidence["workforce_supervision_training"])


def test_dvc_pipeline_parses():
    if shutil.which("dvc") is None and not (ROOT / ".venv/bin/dvc").exists():
        pytest.skip("dvc not installed")
    dvc = shutil.which("dvc") or str(ROOT / ".venv/bin/dvc")
    res = subprocess.run([dvc, "stage", "list"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "train" in res.stdout and "evaluate" in res.stdout
