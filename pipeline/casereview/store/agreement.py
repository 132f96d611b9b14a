"""Agreement between the model and the people who verified its labels, and between the two people of a blind
double verification (Cohen's kappa per label)."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sklearn.metrics import cohen_kappa_score
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, load_only

from casereview.store.models import ItemRow


def cohen_kappa(pairs: Sequence[tuple[Any, Any]]) -> float | None:
    """Cohen's kappa between two raters; None when undefined (no pairs, or chance agreement is 1)."""
    if not pairs:
        return None
    first, second = [str(a) for a, _ in pairs], [str(b) for _, b in pairs]
    if len(set(first) | set(second)) < 2:  # one label used by both: chance agreement is 1, kappa undefined
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        kappa = float(cohen_kappa_score(first, second))
    return None if math.isnan(kappa) else kappa


@dataclass
class LabelAgreement:
    id: str
    label: str
    predicted: int = 0  # model said yes
    verified: int = 0  # QA said yes
    both: int = 0
    agreement: float | None = None  # share of verified items where model and QA agree on this label
    precision: float | None = None  # of the model's yes, how many QA kept
    kappa: float | None = None


@dataclass
class PeopleAgreement:
    """First verifier vs blind second verifier. In each label row `predicted` counts the first person's yes,
    `verified` the second's, and `precision` the share of the first person's yes the second agreed with."""

    n: int = 0  # items verified twice
    scie_n: int = 0
    scie_accuracy: float | None = None
    scie_kappa: float | None = None
    scie: list[LabelAgreement] = field(default_factory=list)
    themes_n: int = 0
    themes: list[LabelAgreement] = field(default_factory=list)
    pairs: list[dict[str, Any]] = field(default_factory=list)  # per pair of people: n, accuracy, kappa


@dataclass
class Agreement:
    total: int = 0
    verified: int = 0
    per_document: list[dict[str, Any]] = field(default_factory=list)
    scie_n: int = 0
    scie_accuracy: float | None = None
    scie_kappa: float | None = None
    scie: list[LabelAgreement] = field(default_factory=list)
    themes_n: int = 0
    themes: list[LabelAgreement] = field(default_factory=list)
    people: PeopleAgreement = field(default_factory=PeopleAgreement)


def _binary(label_id: str, label: str, pairs: list[tuple[bool, bool]]) -> LabelAgreement:
    la = LabelAgreement(id=label_id, label=label)
    la.predicted = sum(1 for p, _ in pairs if p)
    la.verified = sum(1 for _, v in pairs if v)
    la.both = sum(1 for p, v in pairs if p and v)
    if pairs:
        la.agreement = sum(1 for p, v in pairs if p == v) / len(pairs)
        la.kappa = cohen_kappa(pairs)
    if la.predicted:
        la.precision = la.both / la.predicted
    return la


def agreement(session: Session, scie_labels: Sequence[tuple[str, str]],
              theme_labels: Sequence[tuple[str, str]]) -> Agreement:
    result = Agreement()
    rows = session.execute(
        select(ItemRow.document_id, func.count(), func.sum(case((ItemRow.status == "verified", 1), else_=0)))
        .group_by(ItemRow.document_id).order_by(ItemRow.document_id)
    ).all()
    for doc_id, total, verified in rows:
        result.per_document.append({"document": doc_id, "total": total, "verified": int(verified or 0)})
        result.total += total
        result.verified += int(verified or 0)
    verified_items = list(session.scalars(
        select(ItemRow).where(ItemRow.status == "verified").options(
            load_only(ItemRow.pred_scie, ItemRow.verified_scie, ItemRow.pred_themes, ItemRow.verified_themes))))
    scie_pairs = [(i.pred_scie, i.verified_scie) for i in verified_items
                  if i.pred_scie is not None and i.verified_scie is not None]
    result.scie_n = len(scie_pairs)
    if scie_pairs:
        result.scie_accuracy = sum(1 for p, v in scie_pairs if p == v) / len(scie_pairs)
        result.scie_kappa = cohen_kappa(scie_pairs)
    for cid, clabel in scie_labels:
        result.scie.append(_binary(cid, clabel, [(p == cid, v == cid) for p, v in scie_pairs]))
    theme_items = [i for i in verified_items if i.verified_themes is not None]
    result.themes_n = len(theme_items)
    for tid, tlabel in theme_labels:
        pairs = [(tid in (i.pred_themes or []), tid in (i.verified_themes or [])) for i in theme_items]
        result.themes.append(_binary(tid, tlabel, pairs))
    result.people = people_agreement(session, scie_labels, theme_labels)
    return result


def _scie_summary(pairs: list[tuple[str, str]]) -> tuple[float | None, float | None]:
    if not pairs:
        return None, None
    return sum(1 for a, b in pairs if a == b) / len(pairs), cohen_kappa(pairs)


def people_agreement(session: Session, scie_labels: Sequence[tuple[str, str]],
                     theme_labels: Sequence[tuple[str, str]]) -> PeopleAgreement:
    """Agreement between the first verifier's labels (as they stand) and the blind second check."""
    result = PeopleAgreement()
    items = list(session.scalars(
        select(ItemRow).where(ItemRow.status == "verified", ItemRow.second_by.is_not(None)).options(
            load_only(ItemRow.verified_by, ItemRow.verified_scie, ItemRow.verified_themes, ItemRow.second_by,
                      ItemRow.second_scie, ItemRow.second_themes))))
    result.n = len(items)
    scie_items = [i for i in items if i.verified_scie is not None and i.second_scie is not None]
    scie_pairs = [(str(i.verified_scie), str(i.second_scie)) for i in scie_items]
    result.scie_n = len(scie_pairs)
    result.scie_accuracy, result.scie_kappa = _scie_summary(scie_pairs)
    for cid, clabel in scie_labels:
        result.scie.append(_binary(cid, clabel, [(a == cid, b == cid) for a, b in scie_pairs]))
    theme_items = [i for i in items if i.verified_themes is not None and i.second_themes is not None]
    result.themes_n = len(theme_items)
    for tid, tlabel in theme_labels:
        pairs = [(tid in (i.verified_themes or []), tid in (i.second_themes or [])) for i in theme_items]
        result.themes.append(_binary(tid, tlabel, pairs))
    by_pair: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for i in scie_items:  # a pair of people regardless of who went first
        key = tuple(sorted((str(i.verified_by), str(i.second_by))))
        by_pair.setdefault((key[0], key[1]), []).append((str(i.verified_scie), str(i.second_scie)))
    for (a, b), labels in sorted(by_pair.items()):
        accuracy, kappa = _scie_summary(labels)
        result.pairs.append({"people": [a, b], "n": len(labels), "scie_accuracy": accuracy, "scie_kappa": kappa})
    return result
