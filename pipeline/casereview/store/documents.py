"""Documents as people see them: named by their redacted file name, with item counts and progress, and one
document as a whole with its items in reading order."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from casereview.store.models import DocumentRow, ItemRow


def display_name(source_file: str | None, doc_id: str) -> str:
    """The document's redacted file name without its folders; the id only when there is no file name."""
    name = PurePath((source_file or "").replace("\\", "/")).name
    return name or doc_id


@dataclass
class DocumentSummary:
    id: str
    name: str
    pages: int
    items: int
    verified: int
    status: str

    @property
    def progress(self) -> float:
        return self.verified / self.items if self.items else 0.0


def document_names(session: Session) -> list[tuple[str, str]]:
    """(id, name) of every document, by name: for filter menus (no text is loaded)."""
    rows = session.execute(select(DocumentRow.id, DocumentRow.source_file)).all()
    return sorted(((i, display_name(f, i)) for i, f in rows), key=lambda r: (r[1].lower(), r[0]))


def names_of(session: Session, doc_ids: set[str]) -> dict[str, str]:
    if not doc_ids:
        return {}
    rows = session.execute(
        select(DocumentRow.id, DocumentRow.source_file).where(DocumentRow.id.in_(sorted(doc_ids)))
    ).all()
    return {i: display_name(f, i) for i, f in rows}


def document_summaries(session: Session) -> list[DocumentSummary]:
    counts = {
        doc_id: (int(n), int(v or 0))
        for doc_id, n, v in session.execute(
            select(
                ItemRow.document_id,
                func.count(),
                func.sum(case((ItemRow.status == "verified", 1), else_=0)),
            ).group_by(ItemRow.document_id)
        )
    }
    docs = session.execute(
        select(DocumentRow.id, DocumentRow.source_file, DocumentRow.pages, DocumentRow.status)
    ).all()
    out = [
        DocumentSummary(
            id=i, name=display_name(f, i), pages=int(p or 0), items=counts.get(i, (0, 0))[0],
            verified=counts.get(i, (0, 0))[1], status=s,
        )
        for i, f, p, s in docs
    ]
    return sorted(out, key=lambda d: (d.name.lower(), d.id))


def document_with_items(session: Session, doc_id: str) -> tuple[DocumentRow, list[ItemRow]] | None:
    doc = session.get(DocumentRow, doc_id)
    if doc is None:
        return None
    items = list(
        session.scalars(select(ItemRow).where(ItemRow.document_id == doc_id).order_by(ItemRow.start, ItemRow.pk))
    )
    return doc, items
