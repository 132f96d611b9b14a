"""Import redacted Documents into the store: upsert by id, predictions replaced, verification kept unless
the text a person verified has changed (then the item needs verifying again, and the audit trail says so)."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from casereview.config import RedactConfig
from casereview.contracts import Document, Item
from casereview.store.audit import record_event
from casereview.store.db import session_factory
from casereview.store.labels import label_state, record_change
from casereview.store.models import AuditEvent, DocumentRow, ItemRow, User, utcnow
from casereview.store.team import void_second_check


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


def check_labels(doc: Document, scie_ids: Collection[str], theme_ids: Collection[str]) -> None:
    """Every label id in the document must be in the taxonomy. The message names the field and the item's
    position, never the value (it came from outside and may be anything)."""
    for n, item in enumerate(doc.items, 1):
        fields = {
            "SCIE category": [item.scie] if item.scie else [],
            "SCIE score": list(item.scie_scores or {}),
            "SCIE runner-up": [r] if (r := getattr(item, "scie_runner_up", None)) else [],
            "theme": list(item.themes or []),
            "theme score": list(item.theme_scores or {}),
        }
        for what, ids in fields.items():
            allowed = scie_ids if what.startswith("SCIE") else theme_ids
            if any(not isinstance(i, str) or i not in allowed for i in ids):
                raise ValueError(f"unknown {what} id in item {n}")
        if any(k not in scie_ids and k not in theme_ids for k in (item.evidence or {})):
            raise ValueError(f"unknown label id in the evidence of item {n}")
    for t in doc.themes:
        tid = t.get("id") if isinstance(t, dict) else getattr(t, "id", None)
        if tid not in theme_ids:
            raise ValueError("unknown theme id in the document's themes")


def texts_to_check(doc: Document) -> list[str]:
    """The text, plus any item text, sub-point or section title that is not simply a piece of it."""
    text = doc.text or ""
    extra = [i.text for i in doc.items if text[i.start:i.end] != i.text]
    extra += [p for i in doc.items for p in (i.subpoints or [])]
    extra += [s.title for s in doc.sections if s.title and s.title not in text]
    return [text, "\n\n".join(extra)] if extra else [text]


def check_import(doc: Document, *, scie_ids: Collection[str], theme_ids: Collection[str],
                 redact: RedactConfig | None = None) -> None:
    """What an import checks whatever the document claims: redacted, labels in the taxonomy, and no
    identifier the redactor would still replace. Raises ValueError naming counts and kinds only."""
    from casereview.redact.check import describe, residual_in_texts

    check_redacted(doc)
    check_labels(doc, scie_ids, theme_ids)
    found = residual_in_texts(texts_to_check(doc), redact)
    if found:
        raise ValueError(f"document {doc.id}: {describe(found)}; redact it first")


def import_into(session: Session, docs: Iterable[Document], user: User | None = None) -> int:
    """Upsert documents by id. Predictions are replaced; a verified item whose text changed goes back to
    pending (audited); verification is otherwise never touched. Each document gets an import audit event."""
    docs = list(docs)
    for doc in docs:  # refuse the whole call before writing anything
        check_redacted(doc)
    for doc in docs:
        import_one(session, doc, user)
    session.flush()
    return len(docs)


def import_one(session: Session, doc: Document, user: User | None = None) -> dict[str, int]:
    """Store one document; returns (and audits) how many items were new, changed, unchanged, sent back
    to verification because their text changed, removed and kept though the extraction dropped them."""
    now = utcnow()
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
    counts = dict.fromkeys(("new", "changed", "unchanged", "needs_verification", "removed", "kept"), 0)
    seen: set[str] = set()
    for item in doc.items:
        seen.add(item.id)
        irow = existing.get(item.id)
        if irow is None:
            irow = ItemRow(document_id=doc.id, item_id=item.id, status="pending", version=0)
            session.add(irow)
            counts["new"] += 1
            set_content(irow, item)
            set_predictions(irow, item)
            irow.sync_current()
            continue
        changed = content_changes(irow, item)
        counts["changed" if changed else "unchanged"] += 1
        if changed:
            void_second_check(session, irow, user=user, username="import", reason="the text changed on re-import")
        if changed and irow.status == "verified":
            counts["needs_verification"] += 1
            send_back(session, irow, item, changed, user)
        else:
            if changed or (irow.status != "verified" and predictions_differ(irow, item)):
                irow.version += 1  # what an open form shows is stale: its save must be a conflict
            set_content(irow, item)
            set_predictions(irow, item)
            irow.sync_current()
    # Items that vanished from a re-extraction go only if nobody has touched them.
    for item_id, irow in existing.items():
        if item_id in seen:
            continue
        has_audit = session.scalar(select(func.count()).where(AuditEvent.item_pk == irow.pk))
        if irow.status != "pending" or has_audit:
            counts["kept"] += 1
        else:
            counts["removed"] += 1
            session.delete(irow)
    record_event(session, user=user, username="import", action="import", target=f"document:{doc.id}",
                 field="items", after=counts)
    return counts


def set_content(irow: ItemRow, item: Item) -> None:
    irow.kind = item.kind
    irow.number = item.number
    irow.text = item.text
    irow.start = int(item.start)
    irow.end = int(item.end)
    irow.section = item.section


def set_predictions(irow: ItemRow, item: Item) -> None:
    irow.pred_themes = list(item.themes or [])
    irow.pred_theme_scores = {k: float(v) for k, v in (item.theme_scores or {}).items()}
    irow.pred_scie = item.scie
    irow.pred_scie_scores = {k: float(v) for k, v in (item.scie_scores or {}).items()}
    irow.pred_scie_runner_up = _runner_up(item)
    irow.evidence = {k: list(v) for k, v in (item.evidence or {}).items()}
    irow.confidence = confidence_of(item.scie, item.scie_scores, item.theme_scores)


CONTENT_FIELDS = ("text", "kind", "number", "section")


def content_changes(irow: ItemRow, item: Item) -> list[str]:
    """The fields a person checked when verifying (the item's words and where it sits) that now differ."""
    return [f for f in CONTENT_FIELDS if (getattr(irow, f) or None) != (getattr(item, f) or None)]


def predictions_differ(irow: ItemRow, item: Item) -> bool:
    return (irow.pred_scie != item.scie or sorted(irow.pred_themes or []) != sorted(item.themes or [])
            or (irow.pred_scie_scores or {}) != {k: float(v) for k, v in (item.scie_scores or {}).items()})


def fingerprint(text: str | None) -> dict[str, object] | None:
    """A short stand-in for a text in the audit trail: enough to tell versions apart, small to keep."""
    if text is None:
        return None
    return {"sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()[:12], "chars": len(text)}


def send_back(session: Session, irow: ItemRow, item: Item, changed: list[str], user: User | None) -> None:
    """A verified item whose text changed is a new version nobody has checked: back to pending, with the
    old verification kept in its LabelChange and every step in the audit trail."""
    before_values = {f: getattr(irow, f) for f in changed}
    before, version_before = label_state(irow), irow.version
    set_content(irow, item)
    set_predictions(irow, item)
    irow.status = "pending"
    irow.verified_scie = irow.verified_themes = irow.verified_by = irow.verified_at = None
    irow.version += 1
    irow.sync_current()
    change = record_change(session, irow, user, "reimport", before, version_before, username="import")
    for f in changed:
        old, new = before_values[f], getattr(irow, f)
        if f == "text":
            old, new = fingerprint(old), fingerprint(new)
        record_event(session, user=user, username="import", action="reimport", field=f, item_pk=irow.pk,
                     before=old, after=new, change_id=change.id)
    record_event(session, user=user, username="import", action="reimport", field="status", item_pk=irow.pk,
                 before="verified", after="pending", change_id=change.id,
                 comment=f"previously verified by {before['verified_by']}; the text changed")


def import_documents(db_url: str | None, docs: Iterable[Document]) -> int:
    """Store redacted Documents (idempotent by id); returns how many were stored.

    Raises ValueError, before writing anything, if any Document is not redacted.
    """
    docs = list(docs)
    for doc in docs:
        check_redacted(doc)
    with session_factory(db_url)() as session, session.begin():
        return import_into(session, docs)
