import json

import pytest
from casereview.classify.corpus import LabelError, load_labelled, merge
from casereview.taxonomy import TaxonomyError, load_taxonomy
from classify_helpers import make_units, write_jsonl, write_taxonomy


@pytest.fixture
def taxes(tmp_path):
    t = load_taxonomy(write_taxonomy(tmp_path / "t.yaml", "themes", ["housing", "school", "health"]))
    s = load_taxonomy(write_taxonomy(tmp_path / "s.yaml", "scie", ["tools", "multi_agency_working", "family_professional_interaction"]))
    return t, s


def test_unknown_theme_names_file_and_line_not_text(tmp_path, taxes):
    rows = make_units(n_docs=1, per_doc=3)
    rows[2]["themes"] = ["no_such_theme"]
    rows[2]["text"] = "SECRET words that must not leak"
    path = write_jsonl(tmp_path / "bad.jsonl", rows)
    with pytest.raises(LabelError) as exc:
        load_labelled(path, *taxes)
    msg = str(exc.value)
    assert "bad.jsonl:3" in msg and "no_such_theme" in msg
    assert "SECRET" not in msg


def test_unknown_scie_and_paragraph_with_scie_rejected(tmp_path, taxes):
    row = {"id": "x", "doc": "d", "type": "recommendation", "text": "t", "themes": [], "scie": "nope"}
    with pytest.raises(LabelError, match=r"x\.jsonl:1: unknown scie"):
        load_labelled(write_jsonl(tmp_path / "x.jsonl", [row]), *taxes)
    row = {"id": "y", "doc": "d", "type": "paragraph", "text": "t", "themes": [], "scie": "tools"}
    with pytest.raises(LabelError, match="paragraph has no SCIE"):
        load_labelled(write_jsonl(tmp_path / "y.jsonl", [row]), *taxes)


def test_bad_json_line(tmp_path, taxes):
    p = tmp_path / "z.jsonl"
    p.write_text(json.dumps({"id": "a", "text": "t", "themes": []}) + "\n{not json\n")
    with pytest.raises(LabelError, match=r"z\.jsonl:2: not valid JSON"):
        load_labelled(p, *taxes)


def test_retired_label_is_dropped_from_units(tmp_path):
    t = load_taxonomy(write_taxonomy(tmp_path / "t.yaml", "themes", ["housing", "school"], retired=["school"]))
    s = load_taxonomy(write_taxonomy(tmp_path / "s.yaml", "scie", ["tools", "multi_agency_working", "family_professional_interaction"]))
    assert t.ids == ["housing"] and t.retired_ids == ["school"]
    row = {"id": "a", "doc": "d", "type": "paragraph", "text": "t", "themes": ["housing", "school"], "scie": None}
    (u,) = load_labelled(write_jsonl(tmp_path / "a.jsonl", [row]), t, s)
    assert u.themes == ("housing",)


def test_corrections_override_by_id(tmp_path, taxes):
    base = {"id": "a", "source": "s", "doc": "d", "type": "paragraph", "text": "t", "themes": ["housing"], "scie": None}
    fixed = dict(base, themes=["school"])
    a = load_labelled(write_jsonl(tmp_path / "a.jsonl", [base]), *taxes)
    b = load_labelled(write_jsonl(tmp_path / "b.jsonl", [fixed]), *taxes)
    (u,) = merge(a, b)
    assert u.themes == ("school",)


def test_taxonomy_validation(tmp_path):
    p = tmp_path / "dup.yaml"
    p.write_text("kind: themes\nversion: '1'\nlabels:\n  - id: a\n  - id: a\n")
    with pytest.raises(TaxonomyError, match="duplicate label id 'a'"):
        load_taxonomy(p)
    with pytest.raises(TaxonomyError, match="expected kind 'scie'"):
        load_taxonomy(write_taxonomy(tmp_path / "t.yaml", "themes", ["a"]), kind="scie")


def test_project_taxonomies_load():
    from casereview.settings import project_root

    t = load_taxonomy(project_root() / "corpora/taxonomy/themes.yaml", kind="themes")
    s = load_taxonomy(project_root() / "corpora/taxonomy/scie.yaml", kind="scie")
    old = load_taxonomy(project_root() / "corpora/taxonomy/scie_learning_together_2008.yaml", kind="scie")
    assert len(t.ids) == 18 and len(s.ids) == 6
    assert "professional_norms_culture" not in old.ids and len(old.ids) == 6
    assert {lab.maps_to for lab in old.labels} <= set(s.ids)


def test_taxonomy_keywords_are_data(tmp_path):
    p = tmp_path / "k.yaml"
    p.write_text("kind: themes\nversion: '1'\nlabels:\n  - id: a\n    keywords: [CAMHS, self-harm]\n  - id: b\n"
                 "  - id: c\n    retired: true\n    keywords: [old]\n")
    assert load_taxonomy(p).keywords() == {"a": ["CAMHS", "self-harm"]}
    p.write_text("kind: themes\nversion: '1'\nlabels:\n  - id: a\n    keywords: CAMHS\n")
    with pytest.raises(TaxonomyError, match="keywords"):
        load_taxonomy(p)


def test_shipped_theme_taxonomy_has_keywords():
    tax = load_taxonomy("corpora/taxonomy/themes.yaml", kind="themes")
    kw = tax.keywords()
    assert set(kw) == set(tax.ids) and all(kw.values())
