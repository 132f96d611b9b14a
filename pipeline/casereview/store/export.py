"""Verified labels in the training corpus schema, for retraining."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from casereview.store.models import ItemRow


def export_id(item: ItemRow) -> str:
    return item.item_id if item.item_id.startswith(item.document_id) else f"{item.document_id}:{item.item_id}"


def label_records(session: Session, status: str = "verified",
                  withheld: frozenset[int] = frozenset()) -> list[dict[str, Any]]:
    """Items in the training corpus schema (one dict per line of the export). Items in `withheld` (waiting
    for the reader's blind second check) are left out: their labels would unblind it."""
    stmt = select(ItemRow).order_by(ItemRow.document_id, ItemRow.start, ItemRow.pk)
    if status and status != "all":
        stmt = stmt.where(ItemRow.status == status)
    out = []
    for item in session.scalars(stmt):
        if item.pk in withheld:
            continue
        out.append({
            "id": export_id(item), "source": "verified" if item.status == "verified" else "predicted",
            "doc": item.document_id, "type": item.kind, "text": item.text,
            "themes": sorted(item.current_themes), "scie": item.current_scie, "scie_second": None,
            "confidence": "high" if item.status == "verified" else "low",
        })
    return out
