"""Team work: assigning items and documents, the blind second check, flags for discussion and progress."""

from __future__ import annotations

import logging
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from casereview.store.errors import ConflictError, StoreError
from casereview.store.models import DocumentRow, ItemRow, User
from casereview.store.queue import BadCursor
from casereview.store.team import (
    assign_document,
    assign_items,
    assignable_users,
    progress,
    second_page,
    second_queue,
    second_verify,
    set_flag,
)
from casereview.web.deps import CSRF, DB, ItemPk, get_ctx, page, require
from casereview.web.render import context_html
from casereview.web.schemas import AssignBody, BlindItemOut, FlagBody, SecondBody, SecondOut, TeamItemOut

log = logging.getLogger("casereview.web")  # names users and item keys; never item text
router = APIRouter()

Assigner = Annotated[User, Depends(require("assign"))]
Editor = Annotated[User, Depends(require("label"))]
Reader = Annotated[User, Depends(require("read_labels"))]


def get_item(db: Session, pk: int) -> ItemRow:
    item = db.get(ItemRow, pk)
    if item is None:
        raise HTTPException(404, "no such item")
    return item


def store_call(db: Session, fn, *args, **kwargs) -> Any:
    """Run a store function, mapping its refusals to HTTP statuses (the transaction is rolled back)."""
    try:
        return fn(db, *args, **kwargs)
    except PermissionError as exc:
        db.rollback()
        raise HTTPException(403, str(exc)) from None
    except ConflictError as exc:
        db.rollback()
        raise HTTPException(409, str(exc)) from None
    except StoreError as exc:
        db.rollback()
        raise HTTPException(422, str(exc)) from None


# --- assignment ---------------------------------------------------------------------------------------

def do_assign(db: Session, user: User, items: list[int] | None, document: str | None, to: str | None) -> int:
    if bool(items) == bool(document):
        raise HTTPException(422, "send either items or a document")
    if document:
        return store_call(db, assign_document, user, document, to)
    return store_call(db, assign_items, user, items or [], to)


@router.post("/api/assign", dependencies=[CSRF])
def api_assign(body: AssignBody, db: DB, user: Assigner) -> dict[str, int]:
    changed = do_assign(db, user, body.items, body.document, body.user)
    db.commit()
    log.info("user %s assigned %d items", user.name, changed)
    return {"changed": changed}


def assign_context(db: Session, document: str | None) -> dict[str, Any]:
    docs = progress(db)["documents"]
    items = []
    if document:
        items = list(db.scalars(select(ItemRow).where(ItemRow.document_id == document).order_by(ItemRow.start)))
    return {"documents": docs, "users": assignable_users(db), "items": items, "document": document,
            "doc_name": next((d["name"] for d in docs if d["document"] == document), None)}


@router.get("/assign", response_class=HTMLResponse)
def assign_page(request: Request, db: DB, _user: Assigner,
                document: Annotated[str | None, Query(max_length=200)] = None):
    if document and db.get(DocumentRow, document) is None:
        raise HTTPException(404, "no such document")
    return page(request, "assign.html", msg=request.query_params.get("msg"), **assign_context(db, document))


@router.post("/assign", dependencies=[CSRF])
def assign_post(
    *,
    document: Annotated[str, Form(max_length=200)] = "",
    items: Annotated[list[int] | None, Form()] = None,
    user_name: Annotated[str, Form(alias="user", max_length=120)] = "",
    back: Annotated[str, Form(max_length=200)] = "",
    db: DB,
    user: Assigner,
):
    # Items chosen on one document's page come with that document only as where to go back to.
    changed = do_assign(db, user, items, None if items else document, user_name or None)
    db.commit()
    log.info("user %s assigned %d items", user.name, changed)
    query = urlencode({"document": back} if back else {}) + ("&" if back else "") + f"msg=assigned-{changed}"
    return RedirectResponse(f"/assign?{query}", status_code=303)


# --- blind second check -------------------------------------------------------------------------------

Cursor = Annotated[str | None, Query(max_length=600, description="the `next` of the previous page")]
Limit = Annotated[int, Query(ge=1, le=1000)]


def paged(fn, *args) -> Any:
    try:
        return fn(*args)
    except BadCursor as exc:
        raise HTTPException(422, str(exc)) from None


@router.get("/api/second", response_model=SecondOut)
def api_second_queue(db: DB, user: Editor, after: Cursor = None, limit: Limit = 200) -> SecondOut:
    items, nxt, total = paged(second_page, db, user, after, limit)
    return SecondOut(total=total, next=nxt, items=[BlindItemOut.of(i) for i in items])


@router.get("/second", response_class=HTMLResponse)
def second_list(request: Request, db: DB, user: Editor, after: Cursor = None):
    items, nxt, total = paged(second_page, db, user, after, int(get_ctx(request).params.queue_page_size))
    return page(request, "second.html", items=items, total=total, next_cursor=nxt, after=after,
                msg=request.query_params.get("msg"))


def waiting_item(db: Session, pk: int, user: User) -> ItemRow:
    item = get_item(db, pk)
    if not item.double_check or item.status != "verified":
        raise HTTPException(404, "this item is not waiting for a second check")
    if item.verified_by == user.name:
        raise HTTPException(403, "the second check must be done by someone other than the first verifier")
    if item.second_by is not None:
        raise HTTPException(409, "someone else has already done the second check")
    return item


def render_second(request: Request, item: ItemRow, status: int = 200, error: str | None = None,
                  form: dict | None = None) -> HTMLResponse:
    ctx = get_ctx(request)
    # Blind: no evidence highlighted, no scores, no model or first-person labels anywhere on the page.
    context = context_html(item.document.text, item.text, item.start, item.end, {},
                           around=int(ctx.params.context_paragraphs))
    return page(request, "second_item.html", status=status, item=item, doc=item.document, context=context,
                error=error, selected_scie=(form or {}).get("scie"), selected_themes=(form or {}).get("themes", []))


@router.get("/second/{pk}", response_class=HTMLResponse)
def second_item_page(request: Request, pk: ItemPk, db: DB, user: Editor):
    return render_second(request, waiting_item(db, pk, user))


@router.post("/second/{pk}", dependencies=[CSRF])
def second_item_post(
    *,
    request: Request,
    pk: ItemPk,
    scie: Annotated[str, Form(max_length=80)] = "",
    themes: Annotated[list[str] | None, Form()] = None,
    version: Annotated[int, Form(ge=0, le=2**31)],
    db: DB,
    user: Editor,
):
    ctx = get_ctx(request)
    item = waiting_item(db, pk, user)
    try:
        second_verify(db, item, user, scie=scie, themes=themes or [], expected_version=version,
                      scie_ids=ctx.scie_ids, theme_ids=ctx.theme_ids)
    except PermissionError as exc:
        raise HTTPException(403, str(exc)) from None
    except StoreError as exc:
        db.rollback()
        code = 409 if isinstance(exc, ConflictError) else 400
        return render_second(request, get_item(db, pk), status=code, error=str(exc),
                             form={"scie": scie, "themes": themes or []})
    db.commit()
    log.info("user %s second-checked item %s", user.name, pk)
    rest = second_queue(db, user)
    if rest:
        return RedirectResponse(f"/second/{rest[0].pk}?msg=saved", status_code=303)
    return RedirectResponse("/second?msg=done", status_code=303)


@router.post("/api/items/{pk}/second", dependencies=[CSRF], response_model=TeamItemOut)
def api_second(request: Request, pk: ItemPk, body: SecondBody, db: DB, user: Editor) -> TeamItemOut:
    ctx = get_ctx(request)
    item = get_item(db, pk)
    store_call(db, second_verify, item, user, scie=body.scie, themes=body.themes, expected_version=body.version,
               scie_ids=ctx.scie_ids, theme_ids=ctx.theme_ids)
    db.commit()
    log.info("user %s second-checked item %s via API", user.name, pk)
    return TeamItemOut.of(item)


# --- flags for discussion -----------------------------------------------------------------------------

def back_query(fq: str) -> str:
    # Rebuilt from its parts so a posted value can only ever be a query string on the item's own URL.
    return urlencode([(k, v) for k, v in parse_qsl(fq) if k != "msg"])


@router.post("/items/{pk}/flag", dependencies=[CSRF])
def flag_post(
    *,
    pk: ItemPk,
    flagged: Annotated[str, Form(max_length=1)] = "1",
    note: Annotated[str, Form(max_length=2000)] = "",
    version: Annotated[int, Form(ge=0, le=2**31)],
    fq: Annotated[str, Form(max_length=2000)] = "",
    db: DB,
    user: Editor,
):
    item = get_item(db, pk)
    on = flagged == "1"
    store_call(db, set_flag, item, user, flagged=on, note=note, expected_version=version)
    db.commit()
    log.info("user %s %s item %s", user.name, "flagged" if on else "unflagged", pk)
    query = back_query(fq)
    return RedirectResponse(f"/items/{pk}?{query}{'&' if query else ''}msg={'flagged' if on else 'unflagged'}",
                            status_code=303)


@router.post("/api/items/{pk}/flag", dependencies=[CSRF], response_model=TeamItemOut)
def api_flag(pk: ItemPk, body: FlagBody, db: DB, user: Editor) -> TeamItemOut:
    item = get_item(db, pk)
    store_call(db, set_flag, item, user, flagged=body.flagged, note=body.note, expected_version=body.version)
    db.commit()
    log.info("user %s %s item %s via API", user.name, "flagged" if body.flagged else "unflagged", pk)
    return TeamItemOut.of(item)


# --- progress -----------------------------------------------------------------------------------------

@router.get("/api/progress")
def api_progress(db: DB, _user: Reader, after: Cursor = None, limit: Limit = 200) -> dict[str, Any]:
    """People, and one page of documents by file name; `next` is the cursor of the next page (null: last)."""
    return paged(progress, db, after, limit)


@router.get("/progress", response_class=HTMLResponse)
def progress_page(request: Request, db: DB, _user: Reader, after: Cursor = None):
    return page(request, "progress.html", p=paged(progress, db, after, int(get_ctx(request).params.queue_page_size)),
                after=after)
