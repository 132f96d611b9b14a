"""The models in models/ match the taxonomy files, honour the contract, and dvc.yaml reproduces them."""

import hashlib
import json
import shutil
import subprocess

import pytest
from casereview.classify import load_classifier
from casereview.contracts import TextUnit
from casereview.settings import project_root
from casereview.taxonomy import load_taxonomy

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
    res = subprocess.run([dvc, "stage", "list"], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert res.returncode == 0, res.stderr
    assert "train" in res.stdout and "evaluate" in res.stdout


def test_shipped_vocabularies_hold_no_person_names():
    """The real training text names children (coroners' reports). A person name from the gold name list may
    be in a shipped model's vocabulary only as an ordinary word, written in lower case in the training text
    ("may", "long"); a name the text only ever capitalises must have been pruned (drop_proper_nouns)."""
    import joblib
    from casereview.classify.train import load_data, train_params
    from casereview.settings import shared_dir

    names_file = shared_dir() / "gold" / "dev" / "names.jsonl"
    if not names_file.exists():
        pytest.skip("../shared gold names not available")
    tokens = {t for line in names_file.read_text(encoding="utf-8").splitlines() if line.strip()
              for n in json.loads(line)["names"] for t in n.lower().split() if t.isalpha() and len(t) > 2}
    units = load_data(train_params())[0]
    lower_words = {w for u in units for w in u.text.split() if w.isalpha() and w.islower()}
    assert tokens, "no names to check"
    for name in ("themes", "scie"):
        model = joblib.load(ROOT / "models" / name / "model.joblib")
        vocab = {w for term in model.features_.word_.vocabulary_ for w in term.split()}
        leaked = sorted(t for t in tokens & vocab if t not in lower_words)
        assert not leaked, f"{name}: {len(leaked)} name tokens in the vocabulary"  # never print the names
