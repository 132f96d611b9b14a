"""Store operations shared by the CLI and the web app: import, users, queue, labelling with audit,
agreement statistics and label export. Nothing here logs or raises with item text in the message."""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sklearn.metrics import cohen_kappa_score
from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import Session, load_only

from casereview.contracts import Document, Item
from casereview.store.db import session_factory
from casereview.store.models import ROLES, AuditEvent, DocumentRow, ItemRow, User, utcnow


class StoreError(ValueError):
    """A request the store refuses (bad role, unknown label, stale edit); the message names no text."""


class ConflictError(StoreError):
    """Someone else changed the item since it was loaded."""


# -- import ---------------------------------------------------------------------------------------------


def _runner_up(item: Item) -> str | None:
    explicit = getattr(item, "scie_runner_up", None)
    if explicit:
        return explicit
    scores = item.scie_scores or {}
    ranked = sorted(scores, key=lambda k: scores[k], reverse=True)
    ranked = [k for k in ranked if k != item.scie]
    return ranked[0] if ranked else None


def confidence_of(scie: str | None, scie_scores: dict[str, float] | None,
                  theme_scores: dict[str, float] | None) -> float:
    """Predicted SCIE score, or the best theme score for items without SCIE; 0 when nothing is known."""
    if scie and scie_scores and scie in scie_scores:
        return float(scie_scores[scie])
    if theme_scores:
        return float(max(theme_scores.values()))
    return 0.0


def check_redacted(doc: Document, where: str | None = None) -> None:
    if doc.redacted is not True:
        name = where or (doc.source.file if doc.source else doc.id)
        raise ValueError(f"{name}: document {doc.id!r} is not redacted; only redacted documents are stored")


def import_into(session: Session, docs: Iterable[Document]) -> int:
    """Upsert documents by id. Predictions are replaced; verification and audit are never touched."""
    docs = list(docs)
    for doc in docs:  # refuse the whole call before writing anything
        check_redacted(doc)
    now = utcnow()
    for doc in docs:
        row = session.get(DocumentRow, doc.id)
        if row is None:
            row = DocumentRow(id=doc.id, imported_at=now)
            session.add(row)
        row.source_file = doc.source.file
        row.sha256 = doc.source.sha256
        row.pages = int(doc.source.pages or 0)
        row.status = doc.status
        row.text = doc.text or ""
        row.sections = [vars(s) if not isinstance(s, dict) else s for s in doc.sections]
        row.themes = [vars(t) if not isinstance(t, dict) else t for t in doc.themes]
        row.updated_at = now
        session.flush()
        existing = {i.item_id: i for i in session.scalars(select(ItemRow).where(ItemRow.document_id == doc.id))}
        seen: set[str] = set()
        for item in doc.items:
            seen.add(item.id)
            irow = existing.get(item.id)
            if irow is None:
                irow = ItemRow(document_id=doc.id, item_id=item.id, status="pending", version=0)
                session.add(irow)
            irow.kind = item.kind
            irow.number = item.number
            irow.text = item.text
            irow.start = int(item.start)
            irow.end = int(item.end)
            irow.section = item.section
            irow.pred_themes = list(item.themes or [])
            irow.pred_theme_scores = {k: float(v) for k, v in (item.theme_scores or {}).items()}
            irow.pred_scie = item.scie
            irow.pred_scie_scores = {k: float(v) for k, v in (item.scie_scores or {}).items()}
            irow.pred_scie_runner_up = _runner_up(item)
            irow.evidence = {k: list(v) for k, v in (item.evidence or {}).items()}
            irow.confidence = confidence_of(item.scie, item.scie_scores, item.theme_scores)
        # Items that vanished from a re-extraction go only if nobody has touched them.
        for item_id, irow in existing.items():
            if item_id in seen or irow.status != "pending":
                continue
            has_audit = session.scalar(select(func.count()).where(AuditEvent.item_pk == irow.pk))
            if not has_audit:
                session.delete(irow)
    session.flush()
    return len(docs)


def import_documents(db_url: str | None, docs: Iterable[Document]) -> int:
    """Store redacted Documents (idempotent by id); returns how many were stored.

    Raises ValueError, before writing anything, if any Document is not redacted.
    """
    docs = list(docs)
    for doc in docs:
        check_redacted(doc)
    with session_factory(db_url)() as session, session.begin():
        return import_into(session, docs)


# -- users ----------------------------------------------------------------------------------------------

_hasher = None


def password_hasher():
    global _hasher
    if _hasher is None:
        from argon2 import PasswordHasher

        _hasher = PasswordHasher()
    return _hasher


def create_user(session: Session, name: str, role: str, password: str) -> User:
    name = name.strip()
    if not name:
        raise StoreError("user name must not be empty")
    if role not in ROLES:
        raise StoreError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    if not password:
        raise StoreError("password must not be empty")
    if session.scalar(select(User).where(User.name == name)) is not None:
        raise StoreError(f"user {name!r} already exists")
    user = User(name=name, role=role, password_hash=password_hasher().hash(password), active=True)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, name: str, password: str) -> User | None:
    from argon2.exceptions import InvalidHashError, VerificationError

    user = session.scalar(select(User).where(User.name == name))
    if user is None or not user.active:
        password_hasher().hash(password)  # spend the same time so names cannot be probed by timing
        return None
    try:
        password_hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if password_hasher().check_needs_rehash(user.password_hash):
        user.password_hash = password_hasher().hash(password)
    return user


# -- queue ----------------------------------------------------------------------------------------------


@dataclass
class QueueFilter:
    document: str | None = None
    kind: str | None = None
    category: str | None = None  # SCIE id, matched on the current label
    theme: str | None = None
    status: str | None = "pending"  # pending | verified | None (all)

    def as_query(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v}


def queue_select(flt: QueueFilter) -> Select:
    stmt = select(ItemRow)
    if flt.document:
        stmt = stmt.where(ItemRow.document_id == flt.document)
    if flt.kind:
        stmt = stmt.where(ItemRow.kind == flt.kind)
    if flt.status:
        stmt = stmt.where(ItemRow.status == flt.status)
    if flt.category:
        stmt = stmt.where(or_(
            and_(ItemRow.status == "verified", ItemRow.verified_scie == flt.category),
            and_(ItemRow.status != "verified", ItemRow.pred_scie == flt.category),
        ))
    # Least confident first; ties in reading order so the queue is stable.
    return stmt.order_by(ItemRow.confidence.asc(), ItemRow.document_id, ItemRow.start, ItemRow.pk)


def queue_items(session: Session, flt: QueueFilter) -> list[ItemRow]:
    items = list(session.scalars(queue_select(flt)))
    if flt.theme:  # JSON membership differs by dialect; filter in Python (queues are small)
        items = [i for i in items if flt.theme in i.current_themes]
    return items


def queue_pks(session: Session, flt: QueueFilter) -> list[int]:
    """The filtered queue's item pks in order, without loading item text (cheap for large queues)."""
    stmt = queue_select(flt).with_only_columns(ItemRow.pk, ItemRow.status, ItemRow.pred_themes,
                                               ItemRow.verified_themes)
    pks = []
    for pk, status, pred, verified in session.execute(stmt):
        themes = verified if status == "verified" and verified is not None else pred
        if not flt.theme or flt.theme in (themes or []):
            pks.append(pk)
    return pks


def neighbours(session: Session, flt: QueueFilter, pk: int) -> tuple[int | None, int | None]:
    """Previous and next item pks around pk in the filtered queue (pk may have left the queue)."""
    pks = queue_pks(session, flt)
    if pk in pks:
        idx = pks.index(pk)
        return (pks[idx - 1] if idx > 0 else None, pks[idx + 1] if idx + 1 < len(pks) else None)
    return (None, pks[0] if pks else None)


# -- labelling ------------------------------------------------------------------------------------------


def _enc(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def apply_label(session: Session, item: ItemRow, user: User, *, action: str,  # noqa: C901 - TODO (16 > 15)
                scie: str | None = None, themes: Sequence[str] | None = None, comment: str | None = None,
                expected_version: int | None = None, scie_ids: Sequence[str] = (),
                theme_ids: Sequence[str] = ()) -> list[AuditEvent]:
    """Verify an item: `accept` takes the model's labels, `save` the given ones. Every change is audited.

    before/after are the labels as they stood (the model's until a person verified them) and as they are now.
    """
    if user.role not in ("qa", "admin"):
        raise PermissionError("only QA staff and admins may change labels")
    if expected_version is not None and expected_version != item.version:
        raise ConflictError("the item was changed by someone else; reload it")
    if action == "accept":
        new_scie, new_themes = item.pred_scie, sorted(set(item.pred_themes or []))
    elif action == "save":
        new_scie = scie or None
        new_themes = sorted(set(themes or []))
    else:
        raise StoreError(f"unknown action {action!r}")
    if item.kind in ("recommendation", "finding") and new_scie is None and action == "save":
        raise StoreError("choose a SCIE category")
    if scie_ids and new_scie is not None and new_scie not in scie_ids and action == "save":
        raise StoreError(f"unknown SCIE category {new_scie!r}")
    if theme_ids and action == "save":
        unknown = [t for t in new_themes if t not in theme_ids]
        if unknown:
            raise StoreError(f"unknown theme {unknown[0]!r}")
    comment = (comment or "").strip() or None
    old_status, old_scie, old_themes = item.status, item.current_scie, sorted(item.current_themes)
    events: list[AuditEvent] = []

    def record(field_name: str, before: Any, after: Any) -> None:
        events.append(AuditEvent(at=utcnow(), user_id=user.id, username=user.name, item_pk=item.pk,
                                 action=action, field=field_name, before=_enc(before), after=_enc(after),
                                 comment=comment))

    first = old_status != "verified"
    if first:
        record("status", old_status, "verified")
    # On first verification the labels are recorded even when unchanged, so the trail says what was accepted.
    if first or new_scie != old_scie:
        record("scie", old_scie, new_scie)
    if first or new_themes != old_themes:
        record("themes", old_themes, new_themes)
    if comment is not None and comment != item.comment:
        record("comment", item.comment, comment)
    if not events:  # re-confirming an already verified item is still worth recording
        record("status", old_status, "verified")
    item.status = "verified"
    item.verified_scie = new_scie
    item.verified_themes = new_themes
    item.verified_by = user.name
    item.verified_at = utcnow()
    if comment is not None:
        item.comment = comment
    item.version += 1
    session.add_all(events)
    session.flush()
    return events


def audit_rows(session: Session, item_pk: int | None = None) -> list[dict[str, Any]]:
    stmt = select(AuditEvent, ItemRow.document_id, ItemRow.item_id).join(ItemRow, ItemRow.pk == AuditEvent.item_pk)
    if item_pk is not None:
        stmt = stmt.where(AuditEvent.item_pk == item_pk)
    stmt = stmt.order_by(AuditEvent.id)
    out = []
    for ev, doc_id, item_id in session.execute(stmt):
        out.append({
            "id": ev.id, "at": ev.at.isoformat(timespec="seconds") + "Z", "user": ev.username,
            "document": doc_id, "item": item_id, "item_pk": ev.item_pk, "action": ev.action,
            "field": ev.field, "before": json.loads(ev.before) if ev.before is not None else None,
            "after": json.loads(ev.after) if ev.after is not None else None, "comment": ev.comment,
        })
    return out


# -- agreement ------------------------------------------------------------------------------------------


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


# -- export ---------------------------------------------------------------------------------------------


def export_id(item: ItemRow) -> str:
    return item.item_id if item.item_id.startswith(item.document_id) else f"{item.document_id}:{item.item_id}"


def label_records(session: Session, status: str = "verified") -> list[dict[str, Any]]:
    """Items in the training corpus schema (one dict per line of the export)."""
    stmt = select(ItemRow).order_by(ItemRow.document_id, ItemRow.start, ItemRow.pk)
    if status and status != "all":
        stmt = stmt.where(ItemRow.status == status)
    out = []
    for item in session.scalars(stmt):
        out.append({
            "id": export_id(item), "source": "verified" if item.status == "verified" else "predicted",
            "doc": item.document_id, "type": item.kind, "text": item.text,
            "themes": sorted(item.current_themes), "scie": item.current_scie, "scie_second": None,
            "confidence": "high" if item.status == "verified" else "low",
        })
    return out


def when(dt: datetime | None) -> str:
    return dt.isoformat(timespec="seconds") + "Z" if dt else ""
