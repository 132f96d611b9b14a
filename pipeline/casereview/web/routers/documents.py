"""Documents: a list by redacted file name with progress, and one document as a whole with its items."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from casereview.store.documents import display_name, document_summaries, document_with_items
from casereview.store.models import DocumentRow, ItemRow, User
from casereview.store.team import blind_for
from casereview.web.deps import DB, page, require
from casereview.web.policy import allowed
from casereview.web.render import document_html

router = APIRouter()

Viewer = Annotated[User, Depends(require("view_queue"))]
DocId = Annotated[str, Path(max_length=200)]


def item_labels(item: ItemRow, may_read_labels: bool, blind: bool = False) -> dict[str, Any]:
    """The labels to show: the current ones for roles that may read verified labels, else the model's; none
    while the item waits for this user's blind second check."""
    verified = item.status == "verified" and may_read_labels
    if blind:
        return {"pk": item.pk, "id": item.item_id, "number": item.number, "kind": item.kind,
                "section": item.section, "start": item.start, "end": item.end, "status": item.status,
                "scie": None, "themes": [], "labels_from": "blind", "verified_by": None}
    return {
        "pk": item.pk,
        "id": item.item_id,
        "number": item.number,
        "kind": item.kind,
        "section": item.section,
        "start": item.start,
        "end": item.end,
        "status": item.status,
        "scie": item.current_scie if may_read_labels else item.pred_scie,
        "themes": item.current_themes if may_read_labels else list(item.pred_themes or []),
        "labels_from": "verified" if verified else "model",
        "verified_by": item.verified_by if verified else None,
    }


def load(db: Session, doc_id: str) -> tuple[DocumentRow, list[ItemRow]]:
    found = document_with_items(db, doc_id)
    if found is None:
        raise HTTPException(404, "no such document")
    return found


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, db: DB, _user: Viewer):
    return page(request, "documents.html", documents=document_summaries(db))


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document_page(request: Request, doc_id: DocId, db: DB, user: Viewer):
    doc, items = load(db, doc_id)
    may_read = allowed(user.role, "read_labels")
    return page(
        request,
        "document.html",
        doc=doc,
        doc_name=display_name(doc.source_file, doc.id),
        text=document_html(doc.text, [(i.pk, i.text, i.start, i.end) for i in items]),
        items=[item_labels(i, may_read, blind_for(i, user)) for i in items],
        verified=sum(1 for i in items if i.status == "verified"),
    )


@router.get("/api/documents")
def api_documents(db: DB, _user: Viewer) -> list[dict[str, Any]]:
    return [
        {"id": d.id, "name": d.name, "pages": d.pages, "items": d.items, "verified": d.verified,
         "status": d.status}
        for d in document_summaries(db)
    ]


@router.get("/api/documents/{doc_id}")
def api_document(doc_id: DocId, db: DB, user: Viewer) -> dict[str, Any]:
    doc, items = load(db, doc_id)
    may_read = allowed(user.role, "read_labels")
    return {
        "id": doc.id,
        "name": display_name(doc.source_file, doc.id),
        "pages": doc.pages,
        "text": doc.text,
        "items": [item_labels(i, may_read, blind_for(i, user)) for i in items],
    }
