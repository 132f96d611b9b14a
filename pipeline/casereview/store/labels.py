"""Labelling: a person verifies or corrects an item; every change is written to the audit trail."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from casereview.store.errors import ConflictError, StoreError
from casereview.store.models import AuditEvent, ItemRow, User, utcnow
from casereview.store.team import on_first_verification


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
        on_first_verification(session, item)  # maybe sample it for a blind second check
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
    item.sync_current()
    session.add_all(events)
    session.flush()
    return events
