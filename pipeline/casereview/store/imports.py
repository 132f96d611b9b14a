"""Import redacted Documents into the store: upsert by id, predictions replaced, verification kept."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casereview.contracts import Document, Item
from casereview.store.db import session_factory
from casereview.store.models import AuditEvent, DocumentRow, ItemRow, utcnow


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
            irow.sync_current()
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
