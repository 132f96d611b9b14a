"""Team work: assigning items to QA users, a blind second verification of a sample, flags for discussion
and progress per person and per document. Every change is audited; messages name users and items, never text.

The double-verification share reaches the store through the session: `session.info[DOUBLE_SHARE_KEY]`
(the web app's sessionmaker sets it from `web.double_verification_share`; a bare session has none, share 0).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import case, func, select, tuple_
from sqlalchemy.orm import Session

from casereview.store.audit import record_event
from casereview.store.errors import ConflictError, StoreError
from casereview.store.models import DocumentRow, ItemRow, User, utcnow
from casereview.store.queue import BadCursor

DOUBLE_SHARE_KEY = "double_verification_share"
LABELLERS = ("qa", "admin")  # the roles that verify, so the only ones that can be given work


def _require_labeller(user: User) -> None:
    if user.role not in LABELLERS:
        raise PermissionError("only QA staff and admins may do this")


def _check_version(item: ItemRow, expected_version: int | None) -> None:
    if expected_version is None:
        raise ConflictError("send the item's version")
    if expected_version != item.version:
        raise ConflictError("the item was changed by someone else; reload it")


# --- keyset pages of the team lists (like the queue's: no offset, so page 1,000 costs what page 1 does) --

def encode_key(key: Sequence[str | int]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key), separators=(",", ":")).encode()).decode().rstrip("=")


def decode_key(cursor: str, types: Sequence[type]) -> tuple[Any, ...]:
    """A cursor this module wrote, checked field by field (str or int within 64 bits), else BadCursor."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(values, list) or len(values) != len(types):
            raise ValueError
        for value, kind in zip(values, types, strict=True):
            if type(value) is not kind or (isinstance(value, int) and not -(2**63) <= value < 2**63):
                raise ValueError
        return tuple(values)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise BadCursor("not a valid page cursor") from None


# --- assignment ---------------------------------------------------------------------------------------

def assignee(session: Session, name: str | None) -> str | None:
    """The user name to assign to (None unassigns); only active QA users and admins can be given items."""
    if name is None or not name.strip():
        return None
    user = session.scalar(select(User).where(User.name == name.strip()))
    if user is None or not user.active or user.role not in LABELLERS:
        raise StoreError("items can only be assigned to an active QA user or admin")
    return user.name


def _assign(session: Session, by_user: User, items: Iterable[ItemRow], to: str | None) -> int:
    changed = 0
    for item in items:
        if item.assigned_to == to:
            continue
        record_event(session, user=by_user, action="assign", field="assigned_to", item_pk=item.pk,
                     before=item.assigned_to, after=to)
        item.assigned_to = to  # not a label change: the version stays, so nobody's open edit conflicts
        changed += 1
    session.flush()
    return changed


def assign_items(session: Session, by_user: User, pks: Sequence[int], to_user_name: str | None) -> int:
    """Assign the items `pks` to a user (None: unassign). Returns how many changed; unknown pks are refused."""
    to = assignee(session, to_user_name)
    wanted = sorted(set(pks))
    items = list(session.scalars(select(ItemRow).where(ItemRow.pk.in_(wanted)).order_by(ItemRow.pk)))
    if len(items) != len(wanted):
        raise StoreError("some of the items do not exist")
    return _assign(session, by_user, items, to)


def assign_document(session: Session, by_user: User, document_id: str, to_user_name: str | None) -> int:
    """Assign every item of a document to a user (None: unassign). Returns how many changed."""
    to = assignee(session, to_user_name)
    if session.get(DocumentRow, document_id) is None:
        raise StoreError("no such document")
    items = session.scalars(select(ItemRow).where(ItemRow.document_id == document_id).order_by(ItemRow.pk))
    return _assign(session, by_user, list(items), to)


def assignable_users(session: Session) -> list[str]:
    return list(session.scalars(select(User.name).where(User.active.is_(True), User.role.in_(LABELLERS))
                                .order_by(User.name)))


# --- double verification ------------------------------------------------------------------------------

def in_sample(document_id: str, item_id: str, share: float) -> bool:
    """Whether an item is in the double-verification sample: a stable hash of its key below the share,
    so the same items are chosen on every machine and after every re-import."""
    if share <= 0:
        return False
    digest = hashlib.sha256(f"{document_id}\x1f{item_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


def on_first_verification(session: Session, item: ItemRow) -> None:
    """Called by apply_label when an item is first verified: mark it for a second, blind check if sampled."""
    share = float(session.info.get(DOUBLE_SHARE_KEY, 0.0) or 0.0)
    if not item.double_check and in_sample(item.document_id, item.item_id, share):
        item.double_check = True


def second_queue_select(user: User):
    return (select(ItemRow)
            .where(ItemRow.double_check.is_(True), ItemRow.status == "verified", ItemRow.second_by.is_(None),
                   ItemRow.verified_by != user.name)
            .order_by(ItemRow.document_id, ItemRow.start, ItemRow.pk))


def blind_for(item: ItemRow, user: User) -> bool:
    """The item waits in this user's blind second-check queue: they must not see its first or model label."""
    return (user.role in LABELLERS and bool(item.double_check) and item.status == "verified"
            and item.second_by is None and item.verified_by != user.name)


def blind_item_pks(session: Session, user: User) -> frozenset[int]:
    """The items waiting for this user's blind second check (see `blind_for`), as a set of primary keys."""
    if user.role not in LABELLERS:
        return frozenset()
    return frozenset(session.scalars(second_queue_select(user).with_only_columns(ItemRow.pk)))


def withhold_blind(rows: list[dict[str, Any]], blind: frozenset[int]) -> list[dict[str, Any]]:
    """Audit rows with the labels and comments of items waiting for the reader's blind second check taken
    out: the trail would otherwise tell them the first person's (and the model's) label."""
    if not blind:
        return rows
    for row in rows:
        if row.get("item_pk") in blind:
            row.update(before=None, after=None, comment=None, withheld=True)
    return rows


def second_queue(session: Session, user: User) -> list[ItemRow]:
    """Items waiting for a blind second check that this user may do (anyone but the first verifier)."""
    return list(session.scalars(second_queue_select(user)))


def second_page(session: Session, user: User, after: str | None, limit: int) -> tuple[list[ItemRow], str | None, int]:
    """One page of `second_queue` after the cursor (the start when None): items, next cursor, total waiting."""
    stmt = second_queue_select(user)
    if after:
        doc, start, pk = decode_key(after, (str, int, int))
        stmt = stmt.where(tuple_(ItemRow.document_id, ItemRow.start, ItemRow.pk) > tuple_(doc, start, pk))
    rows = list(session.scalars(stmt.limit(limit + 1)))
    more, rows = len(rows) > limit, rows[:limit]
    nxt = encode_key([rows[-1].document_id, int(rows[-1].start), int(rows[-1].pk)]) if more else None
    total = session.scalar(select(func.count()).select_from(second_queue_select(user).order_by(None).subquery()))
    return rows, nxt, int(total or 0)


def second_verify(session: Session, item: ItemRow, user: User, *, scie: str | None, themes: Sequence[str],
                  expected_version: int | None, scie_ids: Sequence[str] = (),
                  theme_ids: Sequence[str] = ()) -> None:
    """Record a blind second verification. The current (first) labels do not change; agreement compares."""
    _require_labeller(user)
    if not item.double_check or item.status != "verified":
        raise StoreError("this item is not waiting for a second check")
    if item.verified_by == user.name:
        raise PermissionError("the second check must be done by someone other than the first verifier")
    if item.second_by is not None:
        raise ConflictError("someone else has already done the second check")
    _check_version(item, expected_version)
    new_scie = scie or None
    new_themes = sorted(set(themes))
    if item.kind in ("recommendation", "finding") and new_scie is None:
        raise StoreError("choose a SCIE category")
    if scie_ids and new_scie is not None and new_scie not in scie_ids:
        raise StoreError(f"unknown SCIE category {new_scie!r}")
    unknown = [t for t in new_themes if theme_ids and t not in theme_ids]
    if unknown:
        raise StoreError(f"unknown theme {unknown[0]!r}")
    item.second_scie, item.second_themes = new_scie, new_themes
    item.second_by, item.second_at = user.name, utcnow()
    item.version += 1
    record_event(session, user=user, action="second", field="second_scie", item_pk=item.pk, after=new_scie)
    record_event(session, user=user, action="second", field="second_themes", item_pk=item.pk, after=new_themes)
    session.flush()


def void_second_check(session: Session, item: ItemRow, *, user: User | None, reason: str,
                      username: str | None = None) -> bool:
    """A second check compares with the first label on the text as they stood. When either changes (an undo,
    a re-import) the check no longer applies: it is cleared, in the audit trail, and the item goes back to
    the blind queue once it is verified again. A second checker's open form is stale through the version."""
    if item.second_by is None:
        return False
    record_event(session, user=user, username=username, action="second_void", field="second_check",
                 item_pk=item.pk, before={"by": item.second_by, "scie": item.second_scie,
                                          "themes": list(item.second_themes or [])},
                 after=None, comment=reason)
    item.second_scie = item.second_themes = item.second_by = item.second_at = None
    return True


# --- flags for discussion -----------------------------------------------------------------------------

def set_flag(session: Session, item: ItemRow, user: User, *, flagged: bool, note: str | None,
             expected_version: int | None) -> None:
    """Flag an item for discussion (with a note) or clear the flag. Version-checked and audited."""
    _require_labeller(user)
    _check_version(item, expected_version)
    note = (note or "").strip() or None
    if flagged == item.flagged and (not flagged or note == item.flag_note):
        return  # nothing changes: nothing to record
    record_event(session, user=user, action="flag" if flagged else "unflag", field="flagged", item_pk=item.pk,
                 before=item.flagged, after=flagged, comment=note)
    item.flagged = flagged
    item.flag_note = note if flagged else None
    item.version += 1
    session.flush()


# --- progress -----------------------------------------------------------------------------------------

def _count_by(session: Session, column, *where) -> dict[str, int]:
    stmt = select(column, func.count()).where(column.is_not(None), *where).group_by(column)
    return {name: int(n) for name, n in session.execute(stmt)}


def progress(session: Session, after: str | None = None, limit: int | None = None) -> dict[str, Any]:
    """Counts per person (assigned, assigned and pending, verified, second checks) and per document: all
    documents, or (with `limit`) one keyset page of them by (file name, id) after the cursor `after`, with
    `next` the cursor of the page after it (None on the last). People are one row per QA user: never paged."""
    assigned = _count_by(session, ItemRow.assigned_to)
    assigned_pending = _count_by(session, ItemRow.assigned_to, ItemRow.status == "pending")
    verified = _count_by(session, ItemRow.verified_by, ItemRow.status == "verified")
    seconds = _count_by(session, ItemRow.second_by)
    names = set(assignable_users(session)) | set(assigned) | set(verified) | set(seconds)
    people = [{"user": n, "assigned": assigned.get(n, 0), "assigned_pending": assigned_pending.get(n, 0),
               "verified": verified.get(n, 0), "second_checks": seconds.get(n, 0)} for n in sorted(names)]
    docs = select(DocumentRow.source_file, DocumentRow.id).order_by(DocumentRow.source_file, DocumentRow.id)
    if after:
        name, doc_id = decode_key(after, (str, str))
        docs = docs.where(tuple_(DocumentRow.source_file, DocumentRow.id) > tuple_(name, doc_id))
    page = [(str(n), str(d)) for n, d in session.execute(docs.limit(None if limit is None else limit + 1))]
    nxt = None
    if limit is not None and len(page) > limit:
        page = page[:limit]
        nxt = encode_key(list(page[-1]))
    ids = [d for _n, d in page]
    in_page = [ItemRow.document_id.in_(ids)] if limit is not None or after else []  # the whole list: no IN
    by_doc: dict[str, dict[str, int]] = defaultdict(dict)
    for doc_id, name, n in session.execute(
            select(ItemRow.document_id, ItemRow.assigned_to, func.count())
            .where(ItemRow.assigned_to.is_not(None), *in_page)
            .group_by(ItemRow.document_id, ItemRow.assigned_to)):
        by_doc[doc_id][str(name)] = int(n)
    rows = session.execute(
        select(DocumentRow.id, DocumentRow.source_file, func.count(ItemRow.pk),
               func.sum(case((ItemRow.status == "verified", 1), else_=0)),
               func.sum(case((ItemRow.flagged.is_(True), 1), else_=0)))
        .outerjoin(ItemRow, ItemRow.document_id == DocumentRow.id)
        .where(*([DocumentRow.id.in_(ids)] if in_page else []))
        .group_by(DocumentRow.id, DocumentRow.source_file).order_by(DocumentRow.source_file, DocumentRow.id))
    documents = []
    for doc_id, source_file, total, n_verified, n_flagged in rows:
        total, n_verified = int(total or 0), int(n_verified or 0)
        documents.append({"document": doc_id, "name": source_file, "total": total, "verified": n_verified,
                          "pending": total - n_verified, "flagged": int(n_flagged or 0),
                          "assigned": dict(sorted(by_doc.get(doc_id, {}).items()))})
    return {"people": people, "documents": documents, "next": nxt}
