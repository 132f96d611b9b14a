import numpy as np
import pytest
from casereview.classify.models import SCIEMapper, ThemeTagger, best_threshold
from classify_helpers import THEMES, make_units
from sklearn.base import clone


def test_best_threshold_maximises_f1():
    probs = np.array([0.9, 0.8, 0.35, 0.3, 0.2, 0.1])
    y = np.array([1, 1, 1, 0, 0, 0])
    # 0.35 catches all three positives with no false positive; 0.5 would miss one.
    assert best_threshold(probs, y, [0.2, 0.35, 0.5, 0.85], 0.5) == 0.35
    assert best_threshold(probs, np.zeros(6, int), [0.2, 0.5], 0.5) == 0.5  # no positives: the default


def _data(seed=0):
    rows = make_units(n_docs=8, per_doc=6, seed=seed)
    labels = list(THEMES)
    Y = np.array([[lab in r["themes"] for lab in labels] for r in rows], dtype=int)
    return [r["text"] for r in rows], Y, [r["doc"] for r in rows], labels, rows


def test_theme_tagger_learns_and_has_per_label_thresholds():
    X, Y, groups, labels, _ = _data()
    m = ThemeTagger(labels=labels, cv_folds=3).fit(X, Y, groups=groups)
    assert list(m.classes_) == labels and m.thresholds_.shape == (3,)
    P = m.predict_proba(["The review found that poor housing conditions persisted."])
    assert P.shape == (1, 3) and np.all((P >= 0) & (P <= 1))
    assert labels[int(np.argmax(P[0]))] == "housing"
    Xt, Yt, *_ = _data(seed=1)
    assert (m.predict(Xt) == Yt).mean() > 0.9
    assert clone(m).get_params()["labels"] == labels


def test_theme_tagger_validates_inputs():
    X, Y, _groups, labels, _ = _data()
    with pytest.raises(ValueError, match="one row per text"):
        ThemeTagger(labels=labels).fit(X[:-1], Y)
    with pytest.raises(ValueError, match="columns"):
        ThemeTagger(labels=labels[:2]).fit(X, Y)
    with pytest.raises(ValueError, match="single string"):
        ThemeTagger(labels=labels).fit("one text", Y)


@pytest.mark.parametrize("family", ["lr", "svc"])
def test_scie_scores_are_probabilities_summing_to_one(family):
    _, _, _, _, rows = _data()
    items = [r for r in rows if r["scie"]]
    labels = ["multi_agency_working", "family_professional_interaction", "tools", "management_systems"]
    m = SCIEMapper(labels=labels, family=family, C=1.0).fit([r["text"] for r in items], [r["scie"] for r in items])
    P = m.predict_proba(["Records show missed health appointments.", "Practitioners noted exclusion from school."])
    assert P.shape == (2, 4)
    assert np.allclose(P.sum(axis=1), 1.0)
    assert np.all(P[:, labels.index("management_systems")] == 0)  # no examples: zero, but still reported
    assert list(m.predict(["Records show missed health appointments."])) == ["tools"]


def test_scie_rejects_unknown_category():
    with pytest.raises(ValueError, match="unknown categories"):
        SCIEMapper(labels=["a", "b"]).fit(["x", "y"], ["a", "c"])


def test_keyword_lexicon_adds_one_column_per_label_and_keeps_evidence_words():
    from casereview.classify.models import TextFeatures

    texts = ["Staff supervision was rare.", "Self-harming and suicidal thoughts were not explored.", "Nothing here."]
    lex = {"workforce": ["supervision", "caseload"], "mental": ["self-harm", "suicid"]}
    f = TextFeatures(lexicon=lex, lexicon_weight=0.5).fit(texts)
    A = f.transform(texts).toarray()
    assert A[:, -2:].tolist() == [[0.5, 0.0], [0.0, 0.5], [0.0, 0.0]]  # "suicid" finds "suicidal"
    assert TextFeatures().fit(texts).transform(texts).shape[1] == A.shape[1] - 2
    X, Y, groups, labels, _ = _data()
    m = ThemeTagger(labels=labels, cv_folds=3, stop_words=None, lexicon_weight=1.0,
                    lexicon={"housing": ["damp", "overcrowd"]}).fit(X, Y, groups=groups)
    assert labels[int(np.argmax(m.predict_proba(["An overcrowded home."])[0]))] == "housing"
    ev = m.evidence(["The review found that the flat was damp and overcrowded."], 0, 0, k=5)
    assert ev and not any(w in ("the", "that", "and") for w in ev)  # stop words kept as features, not as evidence


def test_names_never_enter_the_vocabulary():
    """A child's name, even when two reports share it, stays out of word and character n-grams."""
    from casereview.classify.models import TextFeatures

    texts = ["Molly was not seen alone by her social worker.", "The plan for Molly was not reviewed by managers.",
             "Social workers did not see the child alone.", "Managers reviewed the plan for the child.",
             "Molly Savory was known to CAMHS in Essex.", "The child was known to CAMHS."]
    groups = ["r1", "r2", "r3", "r4", "r1", "r3"]
    f = TextFeatures(min_reports=2, drop_proper_nouns=True, min_df_char=1).fit(texts, groups=groups)
    words = set(f.word_.vocabulary_)
    chars = set(f.char_.vocabulary_)
    assert not any(n in t for t in words for n in ("molly", "savory", "essex"))
    assert not any(n in t for t in chars for n in ("moll", "savor", "essex"))
    assert {"camhs", "social", "plan"} <= words  # acronyms and ordinary words stay
    assert f.transform(["Molly was seen alone."]).shape[1] == len(words) + len(chars)
    unpruned = TextFeatures(min_df_char=1).fit(texts)
    assert "molly" in unpruned.word_.vocabulary_  # the test would fail without the pruning


def test_context_block_is_weighted_and_separate_from_the_words():
    from casereview.classify.models import TextFeatures

    X = ["Plans for children drift.", "Plans for children drift.", "Supervision is irregular.", "Staff training."]
    ctx = [("recommendation", "What needs to improve?"), ("finding", "4. Matters of concern"),
           ("paragraph", "Matters of concern"), ("paragraph", None)]
    plain = TextFeatures(char_ngrams=None).fit(X)
    f = TextFeatures(char_ngrams=None, kind_weight=0.5, section_weight=2.0).fit(X, context=ctx)
    A, words = f.transform_with_words(X, ctx)
    n_words = plain.transform(X).shape[1]
    assert words.shape[1] == n_words  # evidence reads the words only
    block = A[:, n_words:].toarray()
    # recommendation/finding/paragraph + the title terms seen twice: "matters", "concern", "matters concern"
    assert block.shape[1] == 3 + 3
    assert np.allclose(block[:, :3].max(axis=1), 0.5) and block[0, 0] == 0.5 and block[1, 1] == 0.5
    assert np.allclose(np.linalg.norm(block[1:3, 3:], axis=1), 2.0) and not block[3, 3:].any()
    assert np.array_equal(A[0, :n_words].toarray(), A[1, :n_words].toarray())  # same words, other context
    assert not f.transform(X)[:, n_words:].toarray().any()  # context unknown: zeros
    with pytest.raises(ValueError, match="one \\(kind, section\\) pair"):
        f.transform(X, ctx[:2])


def test_kind_feature_changes_the_scie_call_only_through_the_context():
    X = ["Agencies should share information about the child."] * 4 + ["Managers should audit case files."] * 4
    y = ["multi_agency_working"] * 4 + ["management_systems"] * 4
    ctx = [("recommendation", None)] * 4 + [("finding", None)] * 4
    m = SCIEMapper(kind_weight=3.0, C=10.0).fit(X, y, context=ctx)
    text = ["A new sentence with no known words."]
    assert m.predict(text, [("recommendation", None)])[0] == "multi_agency_working"
    assert m.predict(text, [("finding", None)])[0] == "management_systems"


class _FakeEncoder:
    """Stands in for the sentence-transformers model: a fixed 4-d vector per text, counting the texts."""

    def __init__(self):
        self.seen = 0

    def encode(self, texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False):
        self.seen += len(texts)
        out = np.array([[len(t) % 3, "child" in t, "agenc" in t, 1.0] for t in texts], dtype=float)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_embedding_block_is_appended_scaled_and_kept_only_when_asked(monkeypatch):
    from casereview.classify import models

    fake = _FakeEncoder()
    monkeypatch.setitem(models._EMBEDDERS, "minilm", fake)
    X = ["Agencies share plans.", "The child was seen alone.", "Supervision is regular."]
    plain = models.TextFeatures(char_ngrams=None).fit(X)
    f = models.TextFeatures(char_ngrams=None, embedding="minilm", embedding_weight=2.0, tfidf_weight=0.0).fit(X)
    A, words = f.transform_with_words(X)
    n = plain.transform(X).shape[1]
    assert A.shape[1] == n + 4 and words.shape[1] == n
    assert not A[:, :n].toarray().any() and words.toarray().any()  # TF-IDF weight 0: evidence words stay
    assert np.allclose(np.linalg.norm(A[:, n:].toarray(), axis=1), 2.0)
    assert fake.seen == 3  # fit encodes nothing; one transform encodes each text once
    models.keep_embeddings(True)
    try:
        models.embed(X)
        models.embed(X + X)
        assert fake.seen == 6  # kept: the second call encodes nothing new
    finally:
        models.keep_embeddings(False)
    assert not models._EMBEDDING_CACHE
    with pytest.raises(ValueError, match="unknown embedding model"):
        models.embed(X, "glove")
