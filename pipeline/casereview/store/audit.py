"""The audit trail: writing an event (it is append-only) and reading it back."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casereview.store.models import AuditEvent, ItemRow, User, utcnow


def encode(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def record_event(
    session: Session,
    *,
    user: User | None,
    action: str,
    field: str = "event",
    target: str | None = None,
    item_pk: int | None = None,
    before: Any = None,
    after: Any = None,
    comment: str | None = None,
    change_id: int | None = None,
    username: str | None = None,
) -> AuditEvent:
    """Append one event. Events that are not about one item (login, import, user change) name a `target`
    such as "user:alice" or "document:<id>". Values are labels, names and counts, never unredacted text."""
    event = AuditEvent(
        at=utcnow(),
        user_id=user.id if user is not None else None,
        username=user.name if user is not None else (username or "-"),
        item_pk=item_pk,
        target=target,
        change_id=change_id,
        action=action,
        field=field,
        before=encode(before),
        after=encode(after),
        comment=comment,
    )
    session.add(event)
    return event


def audit_rows(session: Session, item_pk: int | None = None) -> list[dict[str, Any]]:
    stmt = select(AuditEvent, ItemRow.document_id, ItemRow.item_id).outerjoin(
        ItemRow, ItemRow.pk == AuditEvent.item_pk
    )
    if item_pk is not None:
        stmt = stmt.where(AuditEvent.item_pk == item_pk)
    stmt = stmt.order_by(AuditEvent.id)
    return [audit_row(ev, doc_id, item_id) for ev, doc_id, item_id in session.execute(stmt)]


def audit_row(ev: AuditEvent, doc_id: str | None, item_id: str | None) -> dict[str, Any]:
    return {
        "id": ev.id,
        "at": when(ev.at),
        "user": ev.username,
        "document": doc_id,
        "item": item_id,
        "item_pk": ev.item_pk,
        "target": ev.target,
        "change": ev.change_id,
        "action": ev.action,
        "field": ev.field,
        "before": json.loads(ev.before) if ev.before is not None else None,
        "after": json.loads(ev.after) if ev.after is not None else None,
        "comment": ev.comment,
    }


def when(dt: datetime | None) -> str:
    return dt.isoformat(timespec="seconds") + "Z" if dt else ""
