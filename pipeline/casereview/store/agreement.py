"""Agreement between the model and the people who verified its labels (Cohen's kappa per label)."""

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
    return result
