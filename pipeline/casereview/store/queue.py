"""The verification queue: filters, order (least confident first) and neighbours."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from casereview.store.models import ItemRow, ItemTheme


@dataclass
class QueueFilter:
    document: str | None = None
    kind: str | None = None
    category: str | None = None  # SCIE id, matched on the current label
    theme: str | None = None
    status: str | None = "pending"  # pending | verified | None (all)
    assigned_to: str | None = None  # a user name: that person's own queue
    flagged: bool | None = None  # True: only items flagged for discussion

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
        stmt = stmt.where(ItemRow.cur_scie == flt.category)
    if flt.theme:
        stmt = stmt.where(ItemRow.pk.in_(select(ItemTheme.item_pk).where(ItemTheme.theme == flt.theme)))
    if flt.assigned_to:
        stmt = stmt.where(ItemRow.assigned_to == flt.assigned_to)
    if flt.flagged is not None:
        stmt = stmt.where(ItemRow.flagged == flt.flagged)
    # Least confident first; ties in reading order so the queue is stable.
    return stmt.order_by(ItemRow.confidence.asc(), ItemRow.document_id, ItemRow.start, ItemRow.pk)


def queue_items(session: Session, flt: QueueFilter) -> list[ItemRow]:
    return list(session.scalars(queue_select(flt)))


def queue_pks(session: Session, flt: QueueFilter) -> list[int]:
    """The filtered queue's item pks in order, without loading item text (cheap for large queues)."""
    return list(session.scalars(queue_select(flt).with_only_columns(ItemRow.pk)))


def neighbours(session: Session, flt: QueueFilter, pk: int) -> tuple[int | None, int | None]:
    """Previous and next item pks around pk in the filtered queue (pk may have left the queue)."""
    pks = queue_pks(session, flt)
    if pk in pks:
        idx = pks.index(pk)
        return (pks[idx - 1] if idx > 0 else None, pks[idx + 1] if idx + 1 < len(pks) else None)
    return (None, pks[0] if pks else None)
