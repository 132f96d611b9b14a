"""Classifier: the theme tagger and SCIE mapper together, as shipped in models/.

models/themes/{model.joblib, card.json, card.md} and models/scie/{...}. `predict` turns TextUnits into
Predictions per the classify contract: themes + scores for every unit; a SCIE category, its runner-up and
scores for recommendations and findings (null for paragraphs); evidence = the word n-grams in the text that
drove each label.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import joblib
import numpy as np

from casereview.contracts import Prediction, TextUnit

from .models import SCIEMapper, ThemeTagger

ITEM_TYPES = ("recommendation", "finding")


class ModelNotFound(FileNotFoundError):
    pass


@dataclass
class Classifier:
    themes: ThemeTagger
    scie: SCIEMapper
    cards: dict = field(default_factory=dict)
    evidence_terms: int = 5

    @property
    def theme_ids(self) -> list[str]:
        return [str(c) for c in self.themes.classes_]

    @property
    def scie_ids(self) -> list[str]:
        return [str(c) for c in self.scie.classes_]

    def predict(self, units: list[TextUnit]) -> list[Prediction]:
        if not units:
            return []
        texts = [u.text for u in units]
        context = [(u.type, getattr(u, "section", None)) for u in units]
        P, Xw = self.themes.proba_and_words(texts, context)
        on = self.themes.thresholds_ <= P
        item_idx = [i for i, u in enumerate(units) if u.type in ITEM_TYPES]
        S, Xs = None, None
        if item_idx:
            S, Xs = self.scie.proba_and_words([texts[i] for i in item_idx], [context[i] for i in item_idx])
        pos = {i: n for n, i in enumerate(item_idx)}
        theme_ids, scie_ids = self.theme_ids, self.scie_ids
        k = self.evidence_terms
        out = []
        for i, u in enumerate(units):
            order = np.argsort(-P[i])
            themes = [theme_ids[j] for j in order if on[i, j]]
            evidence = {}
            if k:
                for j in order:
                    if on[i, j]:
                        evidence[theme_ids[j]] = self.themes.evidence(None, int(j), i, k, _Xw=Xw)
            scie = runner = None
            scie_scores: dict[str, float] = {}
            if i in pos and S is not None:  # S exists whenever there is an item
                row = S[pos[i]]
                rank = np.argsort(-row)
                scie = scie_ids[rank[0]]
                runner = scie_ids[rank[1]] if len(rank) > 1 else None
                scie_scores = {c: round(float(s), 4) for c, s in zip(scie_ids, row, strict=False)}
                if k:
                    evidence["scie:" + scie] = self.scie.evidence(Xs, pos[i], scie, k)
            out.append(Prediction(
                id=u.id, themes=themes,
                theme_scores={t: round(float(s), 4) for t, s in zip(theme_ids, P[i], strict=False)},
                scie=scie, scie_scores=scie_scores, scie_runner_up=runner, evidence=evidence))
        return out

    # -- persistence ----------------------------------------------------------------------------------
    def save(self, model_dir: Path) -> None:
        for name, est in (("themes", self.themes), ("scie", self.scie)):
            d = Path(model_dir) / name
            d.mkdir(parents=True, exist_ok=True)
            joblib.dump(est, d / "model.joblib", compress=3)

    @classmethod
    def load(cls, model_dir: Path, evidence_terms: int = 5) -> Classifier:
        model_dir = Path(model_dir)
        parts, cards = {}, {}
        for name, klass in (("themes", ThemeTagger), ("scie", SCIEMapper)):
            path = model_dir / name / "model.joblib"
            if not path.exists():
                raise ModelNotFound(f"{path}: no trained model (run `casereview train`)")
            est = joblib.load(path)
            if not isinstance(est, klass):
                raise ModelNotFound(f"{path}: not a {klass.__name__}")
            parts[name] = est
            card = model_dir / name / "card.json"
            cards[name] = json.loads(card.read_text(encoding="utf-8")) if card.exists() else {}
        return cls(themes=parts["themes"], scie=parts["scie"], cards=cards, evidence_terms=evidence_terms)
