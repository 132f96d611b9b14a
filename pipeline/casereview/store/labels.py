"""Labelling: a person verifies or corrects an item; every change is written to the audit trail and kept as
a LabelChange (the whole state before and after) so its author can undo it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casereview.store.audit import when
from casereview.store.errors import ConflictError, NeedsConfirmation, NothingToUndo, StoreError
from casereview.store.models import AuditEvent, ItemRow, LabelChange, User, utcnow
from casereview.store.team import on_first_verification, void_second_check

EDITORS = ("qa", "admin")


def _enc(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def label_state(item: ItemRow) -> dict[str, Any]:
    """What a LabelChange keeps of an item: the human verification and comment (predictions are the model's)."""
    return {
        "status": item.status,
        "verified_scie": item.verified_scie,
        "verified_themes": list(item.verified_themes) if item.verified_themes is not None else None,
        "verified_by": item.verified_by,
        "verified_at": when(item.verified_at) or None,
        "comment": item.comment,
    }


def restore_state(item: ItemRow, state: dict[str, Any]) -> None:
    item.status = state["status"]
    item.verified_scie = state["verified_scie"]
    item.verified_themes = state["verified_themes"]
    item.verified_by = state["verified_by"]
    at = state.get("verified_at")
    item.verified_at = datetime.fromisoformat(at.removesuffix("Z")) if at else None
    item.comment = state["comment"]


def record_change(session: Session, item: ItemRow, user: User | None, action: str, before: dict[str, Any],
                  version_before: int, *, undoes: int | None = None, username: str | None = None) -> LabelChange:
    """Write the LabelChange for a change already applied to `item` (flushed, so its id can be used)."""
    change = LabelChange(item_pk=item.pk, user_id=user.id if user else None,
                         username=user.name if user else (username or "-"), at=utcnow(), action=action,
                         before=before, after=label_state(item), version_before=version_before,
                         version_after=item.version, undoes=undoes)
    session.add(change)
    session.flush()
    return change


def check_version(item: ItemRow, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != item.version:
        raise ConflictError("the item was changed by someone else; reload it", item.pk)


def check_colleague(item: ItemRow, user: User, confirm: bool) -> None:
    """Replacing someone else's verification is never silent: it needs an explicit confirmation."""
    if item.status == "verified" and item.verified_by and item.verified_by != user.name and not confirm:
        raise NeedsConfirmation(item.verified_by, item.verified_scie, sorted(item.verified_themes or []))


def _new_labels(item: ItemRow, action: str, scie: str | None, themes: Sequence[str] | None,
                scie_ids: Sequence[str], theme_ids: Sequence[str]) -> tuple[str | None, list[str]]:
    if action == "accept":
        return item.pred_scie, sorted(set(item.pred_themes or []))
    if action != "save":
        raise StoreError(f"unknown action {action!r}")
    new_scie = scie or None
    new_themes = sorted(set(themes or []))
    if item.kind in ("recommendation", "finding") and new_scie is None:
        raise StoreError("choose a SCIE category")
    if scie_ids and new_scie is not None and new_scie not in scie_ids:
        raise StoreError(f"unknown SCIE category {new_scie!r}")
    unknown = [t for t in new_themes if theme_ids and t not in theme_ids]
    if unknown:
        raise StoreError(f"unknown theme {unknown[0]!r}")
    return new_scie, new_themes


def apply_label(session: Session, item: ItemRow, user: User, *, action: str,
                scie: str | None = None, themes: Sequence[str] | None = None, comment: str | None = None,
                expected_version: int | None = None, scie_ids: Sequence[str] = (),
                theme_ids: Sequence[str] = (), confirm: bool = False) -> list[AuditEvent]:
    """Verify an item: `accept` takes the model's labels, `save` the given ones. Every change is audited.

    before/after are the labels as they stood (the model's until a person verified them) and as they are now.
    Raises ConflictError on a stale `expected_version` and NeedsConfirmation when it would replace another
    person's verification without `confirm`.
    """
    if user.role not in EDITORS:
        raise PermissionError("only QA staff and admins may change labels")
    check_version(item, expected_version)
    new_scie, new_themes = _new_labels(item, action, scie, themes, scie_ids, theme_ids)
    check_colleague(item, user, confirm)
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
    elif not first and (new_scie != old_scie or new_themes != old_themes):
        # The second check was compared with the label now replaced: it goes back to the blind queue.
        void_second_check(session, item, user=user, reason="the first label changed after the second check")
    before, version_before = label_state(item), item.version
    item.status = "verified"
    item.verified_scie = new_scie
    item.verified_themes = new_themes
    item.verified_by = user.name
    item.verified_at = utcnow()
    if comment is not None:
        item.comment = comment
    item.version += 1
    item.sync_current()
    change = record_change(session, item, user, action, before, version_before)
    for event in events:
        event.change_id = change.id
    session.add_all(events)
    session.flush()
    return events


# -- undo ------------------------------------------------------------------------------------------------

UNDOABLE = ("accept", "save")  # a person's own label changes; undos and re-imports are not undone


def undoable_changes(session: Session, user: User, limit: int = 50) -> list[LabelChange]:
    """The user's own changes not yet undone, newest first: undoing walks back through these."""
    undone = select(LabelChange.undoes).where(LabelChange.undoes.is_not(None))
    stmt = (select(LabelChange).where(LabelChange.user_id == user.id, LabelChange.action.in_(UNDOABLE),
                                      LabelChange.id.not_in(undone))
            .order_by(LabelChange.id.desc()).limit(limit))
    return list(session.scalars(stmt))


def _still_current(session: Session, item: ItemRow, change: LabelChange) -> bool:
    """Nobody changed the item's labels since `change`: every later change is an undo or undone (the user
    walking back their own steps), and the labels are those the last of them left. Labels, not the version:
    a flag or an assignment bumps no label, so it must not block an undo."""
    later = list(session.scalars(select(LabelChange).where(LabelChange.item_pk == item.pk,
                                                           LabelChange.id > change.id)
                                 .order_by(LabelChange.id)))
    undone = {c.undoes for c in later if c.undoes is not None}
    if any(c.undoes is None and c.id not in undone for c in later):
        return False
    return label_state(item) == (later[-1].after if later else change.after)


def undo_last(session: Session, user: User, change_id: int | None = None,
              expected_version: int | None = None) -> tuple[ItemRow, LabelChange, list[AuditEvent]]:
    """Undo the user's most recent change that is not undone yet (or the one named by change_id).

    The undo is a change in its own right: the item goes back to the state before, its version goes up,
    and a LabelChange (undoes=<id>) plus one audit event per field record it. Raises NothingToUndo, and
    ConflictError when someone changed the item since (or `expected_version` is stale).
    """
    if user.role not in EDITORS:
        raise PermissionError("only QA staff and admins may change labels")
    candidates = undoable_changes(session, user)
    if change_id is not None:
        candidates = [c for c in candidates if c.id == change_id]
    if not candidates:
        raise NothingToUndo("nothing of yours to undo" if change_id is None
                            else f"change {change_id} is not one of your changes that can be undone")
    change = candidates[0]
    item = session.get(ItemRow, change.item_pk)
    if item is None:
        raise NothingToUndo("the item of that change no longer exists")
    check_version(item, expected_version)
    if not _still_current(session, item, change):
        raise ConflictError("someone changed this item after you; reload it and correct it instead", item.pk)
    old_status, old_scie, old_themes, old_comment = (item.status, item.current_scie,
                                                     sorted(item.current_themes), item.comment)
    before, version_before = label_state(item), item.version
    restore_state(item, change.before)
    item.version += 1
    item.sync_current()
    undo = record_change(session, item, user, "undo", before, version_before, undoes=change.id)
    events = [AuditEvent(at=utcnow(), user_id=user.id, username=user.name, item_pk=item.pk, change_id=undo.id,
                         action="undo", field=name, before=_enc(b), after=_enc(a), comment=f"undoes change {change.id}")
              for name, b, a in (("status", old_status, item.status), ("scie", old_scie, item.current_scie),
                                 ("themes", old_themes, sorted(item.current_themes)),
                                 ("comment", old_comment, item.comment))
              if b != a]
    if not events:  # the change altered nothing visible (a re-confirmation): the undo is still recorded
        events.append(AuditEvent(at=utcnow(), user_id=user.id, username=user.name, item_pk=item.pk,
                                 change_id=undo.id, action="undo", field="status", before=_enc(old_status),
                                 after=_enc(item.status), comment=f"undoes change {change.id}"))
    if any(e.field != "comment" for e in events if e.before != e.after):
        void_second_check(session, item, user=user, reason=f"the first label changed: undo of change {change.id}")
    session.add_all(events)
    session.flush()
    return item, undo, events


def previous_verification(session: Session, item: ItemRow) -> dict[str, Any] | None:
    """For a pending item that a re-import sent back: who verified it, as what, before the text changed."""
    if item.status == "verified":
        return None
    change = session.scalars(select(LabelChange).where(LabelChange.item_pk == item.pk,
                                                       LabelChange.action == "reimport")
                             .order_by(LabelChange.id.desc()).limit(1)).first()
    if change is None or change.before.get("status") != "verified":
        return None
    later = session.scalar(select(LabelChange.id).where(LabelChange.item_pk == item.pk,
                                                        LabelChange.id > change.id).limit(1))
    if later is not None:  # someone has worked on it since
        return None
    return {"by": change.before.get("verified_by"), "scie": change.before.get("verified_scie"),
            "themes": change.before.get("verified_themes") or [], "at": change.before.get("verified_at"),
            "reimported_at": when(change.at)}
