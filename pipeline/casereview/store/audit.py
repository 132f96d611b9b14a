"""The audit trail: writing an event (it is append-only) and reading it back."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal, or_, select
from sqlalchemy.orm import Session

from casereview.store.documents import display_name
from casereview.store.models import AuditEvent, DocumentRow, ItemRow, User, utcnow


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
    """Every event (or one item's), oldest first."""
    stmt = _audit_select(AuditFilter())
    if item_pk is not None:
        stmt = stmt.where(AuditEvent.item_pk == item_pk)
    return [audit_row(*row) for row in session.execute(stmt.order_by(AuditEvent.id))]


def audit_row(
    ev: AuditEvent,
    doc_id: str | None,
    item_id: str | None,
    source_file: str | None = None,
    number: str | None = None,
) -> dict[str, Any]:
    return {
        "id": ev.id,
        "at": when(ev.at),
        "user": ev.username,
        "document": doc_id,
        "document_name": display_name(source_file, doc_id) if doc_id else None,
        "item": item_id,
        "item_number": number,
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


@dataclass
class AuditFilter:
    user: str | None = None  # user name, exact
    item: str | None = None  # an item's pk, or its item id
    document: str | None = None  # document id: its items' events and events that name it as target
    action: str | None = None
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive; a bare date means the end of that day (see parse_when)

    def as_query(self) -> dict[str, str]:
        out = {}
        for k, v in vars(self).items():
            if v is not None and v != "":
                out[k] = v.isoformat() if isinstance(v, datetime) else str(v)
        return out


def parse_when(value: str | None, *, end_of_day: bool = False) -> datetime | None:
    """An ISO date or date-time (UTC); a bare date with end_of_day means up to the end of that day."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.removesuffix("Z"))
    except ValueError:
        raise ValueError("dates are YYYY-MM-DD or YYYY-MM-DDTHH:MM") from None
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC).replace(tzinfo=None)
    if end_of_day and len(value) == 10:
        dt += timedelta(days=1)
    return dt


def _item_condition(value: str) -> ColumnElement[bool]:
    if value.isdigit() and int(value) < 2**63:
        return or_(AuditEvent.item_pk == int(value), ItemRow.item_id == value)
    return ItemRow.item_id == value


def audit_conditions(flt: AuditFilter) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if flt.user:
        conds.append(AuditEvent.username == flt.user)
    if flt.item:
        conds.append(_item_condition(flt.item))
    if flt.document:
        conds.append(or_(ItemRow.document_id == flt.document, AuditEvent.target == f"document:{flt.document}"))
    if flt.action:
        conds.append(AuditEvent.action == flt.action)
    if flt.since is not None:
        conds.append(AuditEvent.at >= flt.since)
    if flt.until is not None:
        conds.append(AuditEvent.at < flt.until)
    return conds


def _audit_select(flt: AuditFilter) -> Select:
    return (
        select(AuditEvent, DocumentRow.id, ItemRow.item_id, DocumentRow.source_file, ItemRow.number)
        .outerjoin(ItemRow, ItemRow.pk == AuditEvent.item_pk)
        # An item's event names its document; an item-less event may name one as its target (an import).
        .outerjoin(
            DocumentRow,
            or_(
                DocumentRow.id == ItemRow.document_id,
                and_(AuditEvent.item_pk.is_(None), AuditEvent.target == literal("document:") + DocumentRow.id),
            ),
        )
        .where(*audit_conditions(flt))
    )


@dataclass
class AuditPage:
    rows: list[dict[str, Any]]
    before: int | None  # pass as `before` for the next (older) page; None on the last page
    total: int


def audit_page(session: Session, flt: AuditFilter, before: int | None = None, limit: int = 100) -> AuditPage:
    """Newest first, `limit` events with an id below `before` (keyset on the primary key)."""
    stmt = _audit_select(flt)
    if before is not None:
        stmt = stmt.where(AuditEvent.id < before)
    found = session.execute(stmt.order_by(AuditEvent.id.desc()).limit(limit + 1)).all()
    rows = [audit_row(*row) for row in found[:limit]]
    older = rows[-1]["id"] if len(found) > limit and rows else None
    count = (
        select(func.count()).select_from(AuditEvent)
        .outerjoin(ItemRow, ItemRow.pk == AuditEvent.item_pk)
        .where(*audit_conditions(flt))
    )
    return AuditPage(rows=rows, before=older, total=int(session.scalar(count) or 0))


def audit_filtered(session: Session, flt: AuditFilter, limit: int | None = None) -> list[dict[str, Any]]:
    """Every matching event, oldest first (downloads); with `limit`, only the newest `limit` of them."""
    stmt = _audit_select(flt)
    if limit is not None:
        newest = session.execute(stmt.order_by(AuditEvent.id.desc()).limit(limit)).all()
        return [audit_row(*row) for row in reversed(newest)]
    return [audit_row(*row) for row in session.execute(stmt.order_by(AuditEvent.id))]


def audit_users_and_actions(session: Session) -> tuple[list[str], list[str]]:
    """Distinct user names and actions in the trail, for filter menus."""
    users = list(session.scalars(select(AuditEvent.username).distinct().order_by(AuditEvent.username)))
    actions = list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
    return users, actions
