"""Held-out splits (grouped by report, leave one source out), boilerplate stripping, batch = per-item predict."""

from __future__ import annotations

import json

import pytest
from casereview.classify.corpus import LabelledUnit
from casereview.classify.heldout import (
    canonical_reports,
    grouped_folds,
    loso_split,
    majority_accuracy,
    report_key,
)
from casereview.classify.models import boilerplate_patterns, strip_boilerplate


def _u(uid, source, doc, text="some text about plans", scie=None, typ="paragraph"):
    return LabelledUnit(id=uid, doc=doc, type=typ, text=text, themes=(), scie=scie, source=source)


def _pool():
    """Gold units of three sources plus stand-off units, some from the same reports as the gold."""
    gold, other = [], []
    for src in ("ofsted", "pfd", "seed"):
        for d in range(4):
            gold += [_u(f"G-{src}-{d}-{k}", src, f"{src}{d}") for k in range(3)]
            other += [_u(f"{src}:{src}{d}:p{k}", src, f"{src}{d}") for k in range(2)]  # same reports
            other.append(_u(f"{src}:extra{d}:p0", src, f"extra{d}"))  # a report only the stand-off labels cover
    other += [_u(f"S{k}", "synthetic", f"syn{k}") for k in range(5)]
    return gold + other, {(u.source, u.id) for u in gold}


@pytest.mark.parametrize("source", ["ofsted", "pfd", "seed"])
def test_loso_trains_on_no_unit_of_the_left_out_source_or_its_reports(source):
    units, cv_keys = _pool()
    train, gold, standoff = loso_split(units, cv_keys, source)
    assert gold and standoff
    assert all(u.source == source and (u.source, u.id) in cv_keys for u in gold)
    assert all(u.source == source and (u.source, u.id) not in cv_keys for u in standoff)
    tested = {report_key(u) for u in gold + standoff}
    assert not [u for u in train if u.source == source or report_key(u) in tested]
    # everything else trains: the other sources' gold and stand-off units and the synthetic corpus
    assert len(train) == len([u for u in units if u.source != source])
    assert any(u.source == "synthetic" for u in train)


@pytest.mark.parametrize("split", ["grouped", "random"])
def test_grouped_folds_never_train_on_a_unit_of_a_test_report(split):
    units, cv_keys = _pool()
    folds = grouped_folds(units, cv_keys, 3, split)
    tested = []
    for train, test in folds:
        assert all((u.source, u.id) in cv_keys for u in test)
        test_reports = {report_key(u) for u in test}
        stand_off = [u for u in train if (u.source, u.id) not in cv_keys]
        assert not [u for u in stand_off if report_key(u) in test_reports]
        assert not {u.id for u in train} & {u.id for u in test}
        tested += [u.id for u in test]
    assert sorted(tested) == sorted(i for _, i in cv_keys)  # every gold unit tested exactly once
    if split == "grouped":
        for train, test in folds:  # whole reports on one side
            assert not {report_key(u) for u in train} & {report_key(u) for u in test}


def test_gold_coroners_units_take_the_stand_off_report_id(tmp_path):
    (tmp_path / "data" / "pfd").mkdir(parents=True)
    reports = [{"id": "pfd000", "text": "Intro. (1) There was no plan for the child's discharge from the ward."},
               {"id": "pfd001", "text": "Other report. (2) The school did not share its concerns."}]
    (tmp_path / "data" / "pfd" / "reports.jsonl").write_text("".join(json.dumps(r) + "\n" for r in reports))
    units = [_u("I1", "pfd", "2019-0090", "(1) There was no plan for the child’s discharge from the ward."),
             _u("I2", "pfd", "nan", "The school did not share its concerns."),
             _u("I3", "pfd", "nan", "Text found in no report at all."),
             _u("I4", "ofsted", "nan", "The school did not share its concerns.")]
    docs = [u.doc for u in canonical_reports(units, root=tmp_path)]
    assert docs == ["pfd000", "pfd001", "nan", "nan"]  # unmatched and other sources unchanged


def test_majority_accuracy_is_the_share_of_the_commonest_category():
    assert majority_accuracy(["a", "a", "b", None]) == round(2 / 3, 4)
    assert majority_accuracy([None]) == 0.0


def test_boilerplate_is_stripped_and_content_kept():
    pats = boilerplate_patterns()
    text = ("During the course of the inquest the evidence revealed matters giving rise to concern. In my opinion "
            "there is a risk that future deaths will occur unless action is taken. In the circumstances it is my "
            "statutory duty to report to you. The MATTERS OF CONCERN are as follows: 1. The Inquest heard that "
            "there was no safety plan after discharge.")
    assert strip_boilerplate([text], pats) == ["there was no safety plan after discharge."]
    assert strip_boilerplate(["(3) It was accepted by witnesses for the Trust that the GP was not told."], pats) == [
        "the GP was not told."]
    assert strip_boilerplate(["ii) no minutes were kept"], pats) == ["no minutes were kept"]
    # content words, and a sentence that merely starts with "a", stay
    kept = "a plan was agreed with the school and the health visitor"
    assert strip_boilerplate([kept], pats) == [kept]
    assert strip_boilerplate([kept], []) == [kept]


def test_stripping_is_part_of_the_fitted_features():
    from casereview.classify.models import TextFeatures

    X = ["The inquest heard that the flat was damp.", "Records show the school raised concerns.",
         "Evidence was given at the inquest that the GP was not told."] * 3
    f = TextFeatures(char_ngrams=None, stop_words=None, strip_boilerplate=True).fit(X)
    assert "inquest" not in f.word_.vocabulary_ and "heard" not in f.word_.vocabulary_
    plain = TextFeatures(char_ngrams=None, stop_words=None).fit(X)
    assert "inquest" in plain.word_.vocabulary_
    # transform strips the same way: a boilerplate-only difference gives the same row
    a = f.transform(["The inquest heard that the flat was damp."]).toarray()
    b = f.transform(["the flat was damp."]).toarray()
    assert (a == b).all()


def test_batch_prediction_equals_per_item_prediction(tiny):
    from casereview.classify import Classifier
    from casereview.contracts import TextUnit

    clf = Classifier.load(tiny["models"])
    rows = [json.loads(line) for line in tiny["corpus"].read_text().splitlines()][:30]
    units = [TextUnit(id=r["id"], text=r["text"], type=r["type"]) for r in rows]
    batch = [p.to_dict() for p in clf.predict(units)]
    one_by_one = [clf.predict([u])[0].to_dict() for u in units]
    assert batch == one_by_one
    assert any(p["evidence"] for p in batch) and any(p["scie"] for p in batch)


def test_second_look_ranks_confident_disagreement_first():
    from casereview.classify.heldout import second_look

    rows = [
        {"id": "a", "gold": ["x"], "pred": ["x"], "theme_scores": {"x": 0.8, "y": 0.2}, "gold_scie": "tools",
         "pred_scie": "tools", "scie_scores": {"tools": 0.9, "management_systems": 0.1}},
        {"id": "b", "gold": [], "pred": ["y"], "theme_scores": {"x": 0.2, "y": 0.97}, "gold_scie": "tools",
         "pred_scie": "management_systems", "scie_scores": {"tools": 0.05, "management_systems": 0.95}},
        {"id": "c", "gold": ["x"], "pred": [], "theme_scores": {"x": 0.3, "y": 0.1}, "gold_scie": "tools",
         "pred_scie": "tools", "scie_scores": {"tools": 0.35, "management_systems": 0.3, "other": 0.35}},
    ]
    out = second_look(rows)
    assert [r["id"] for r in out] == ["b", "c"]  # a: model and annotators agree, confidently
    assert any("annotators tools" in x for x in out[0]["reasons"]) and "text" not in out[0]
