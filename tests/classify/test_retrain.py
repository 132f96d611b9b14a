"""A researcher adds a label in the taxonomy file and labelled data, retrains, and the model knows it."""

import json

from casereview.classify import load_classifier
from casereview.classify.train import train
from casereview.config import load_config
from casereview.contracts import TextUnit
from classify_helpers import SCIE, THEMES, make_units, write_jsonl, write_params, write_taxonomy


def test_new_label_in_taxonomy_is_learnt_without_code_changes(tmp_path):
    themes = dict(THEMES, police=["police attended the home", "a police protection order", "officers were called"])
    tax = write_taxonomy(tmp_path / "themes.yaml", "themes", list(themes), version="2")
    scie = write_taxonomy(tmp_path / "scie.yaml", "scie", sorted(set(SCIE.values())))
    corpus = write_jsonl(tmp_path / "units.jsonl", make_units(themes=themes, n_docs=8, per_doc=8))
    params = write_params(tmp_path, corpus, tax, scie, tmp_path / "models")
    result = train(load_config(params), use_mlflow=False)
    assert result["taxonomy"]["themes"] == "2"
    card = json.loads((tmp_path / "models/themes/card.json").read_text())
    assert card["taxonomy"]["version"] == "2" and "police" in card["taxonomy"]["labels"]
    import hashlib
    assert card["taxonomy"]["sha256"] == hashlib.sha256(tax.read_bytes()).hexdigest()
    assert set(card["thresholds"]) == set(themes)
    assert card["cv_metrics"]["per_label"]["police"]["support"] > 0
    clf = load_classifier(tmp_path / "models")
    (pred,) = clf.predict([TextUnit(id="a", text="Records show officers were called to the home.", type="paragraph")])
    assert "police" in pred.theme_scores and pred.themes == ["police"]
    md = (tmp_path / "models/themes/card.md").read_text()
    assert "version 2" in md and "| police |" in md


def test_retired_label_disappears_from_model(tmp_path):
    tax = write_taxonomy(tmp_path / "themes.yaml", "themes", list(THEMES), version="3", retired=["school"])
    scie = write_taxonomy(tmp_path / "scie.yaml", "scie", sorted(set(SCIE.values())))
    corpus = write_jsonl(tmp_path / "units.jsonl", make_units())
    train(load_config(write_params(tmp_path, corpus, tax, scie, tmp_path / "m")), use_mlflow=False, cv=False)
    assert load_classifier(tmp_path / "m").theme_ids == ["housing", "health"]
