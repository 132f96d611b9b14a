"""One item: its page with context, verifying or correcting it (form and JSON), and its audit trail."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from casereview.store.audit import audit_rows
from casereview.store.errors import ConflictError, StoreError
from casereview.store.labels import apply_label
from casereview.store.models import ItemRow, User
from casereview.store.queue import QueueFilter, neighbours, position, queue_count
from casereview.web.deps import CSRF, DB, ItemPk, WebContext, get_ctx, page, require
from casereview.web.policy import allowed
from casereview.web.render import context_html
from casereview.web.routers.queue import Filter, filter_query, queue_filter
from casereview.web.schemas import ItemOut, LabelBody, LabelResult

log = logging.getLogger("casereview.web")  # names users and item keys; never item text
router = APIRouter()

Viewer = Annotated[User, Depends(require("view_queue"))]
Editor = Annotated[User, Depends(require("label"))]


def get_item(db: Session, pk: int) -> ItemRow:
    item = db.get(ItemRow, pk)
    if item is None:
        raise HTTPException(404, "no such item")
    return item


def render_item(
    request: Request,
    db: Session,
    item: ItemRow,
    flt: QueueFilter,
    user: User,
    status: int = 200,
    error: str | None = None,
    form: dict | None = None,
) -> HTMLResponse:
    ctx = get_ctx(request)
    prev_pk, next_pk = neighbours(db, flt, item.pk)
    place = position(db, flt, item.pk)
    doc = item.document
    context = context_html(
        doc.text, item.text, item.start, item.end, item.evidence, around=int(ctx.params.context_paragraphs)
    )
    ranked = sorted((item.pred_theme_scores or {}).items(), key=lambda kv: -kv[1])
    # The suggested themes and the three closest misses; every score is also beside its checkbox.
    chosen = set(item.pred_themes or [])
    ranked_themes = [kv for kv in ranked if kv[0] in chosen] + [kv for kv in ranked if kv[0] not in chosen][:3]
    return page(
        request,
        "item.html",
        status=status,
        item=item,
        doc=doc,
        context=context,
        flt=flt,
        fq=filter_query(flt),
        prev_pk=prev_pk,
        next_pk=next_pk,
        position=place,
        queue_total=queue_count(db, flt) if place is not None else None,
        can_edit=allowed(user.role, "label"),
        audit=audit_rows(db, item.pk),
        ranked_themes=ranked_themes,
        error=error,
        form=form,
        selected_scie=(form or {}).get("scie", item.current_scie),
        selected_themes=(form or {}).get("themes", item.current_themes),
        msg=request.query_params.get("msg"),
    )


@router.get("/items/{pk}", response_class=HTMLResponse)
def item_page(*, request: Request, pk: ItemPk, flt: Filter, db: DB, user: Viewer):
    return render_item(request, db, get_item(db, pk), flt, user)


@router.post("/items/{pk}", dependencies=[CSRF])
def item_post(
    *,
    request: Request,
    pk: ItemPk,
    action: Annotated[str, Form(max_length=20)] = "save",
    scie: Annotated[str, Form(max_length=80)] = "",
    themes: Annotated[list[str] | None, Form()] = None,
    comment: Annotated[str, Form(max_length=5000)] = "",
    version: Annotated[int, Form(ge=0, le=2**31)],
    q_document: Annotated[str, Form(max_length=200)] = "",
    q_kind: Annotated[str, Form(max_length=40)] = "",
    q_category: Annotated[str, Form(max_length=80)] = "",
    q_theme: Annotated[str, Form(max_length=80)] = "",
    q_status: Annotated[str, Form(max_length=20)] = "pending",
    q_q: Annotated[str, Form(max_length=500)] = "",
    db: DB,
    user: Editor,
):
    ctx = get_ctx(request)
    flt = queue_filter(q_document, q_kind, q_category, q_theme, q_status)
    flt.q = q_q.strip() or None
    item = get_item(db, pk)
    _prev, next_pk = neighbours(db, flt, pk)  # before the change moves the item out of the queue
    try:
        apply_label(
            db,
            item,
            user,
            action=action,
            scie=scie,
            themes=themes or [],
            comment=comment,
            expected_version=version,
            scie_ids=ctx.scie_ids,
            theme_ids=ctx.theme_ids,
        )
    except PermissionError as exc:
        raise HTTPException(403, str(exc)) from None
    except StoreError as exc:
        db.rollback()
        code = 409 if isinstance(exc, ConflictError) else 400
        return render_item(
            request,
            db,
            get_item(db, pk),
            flt,
            user,
            status=code,
            error=str(exc),
            form={"scie": scie, "themes": themes or [], "comment": comment},
        )
    db.commit()
    log.info("user %s %s item %s", user.name, action, pk)
    fq = filter_query(flt)
    if next_pk is not None:
        return RedirectResponse(f"/items/{next_pk}?{fq}&msg=saved", status_code=303)
    return RedirectResponse(f"/queue?{fq}&msg=done", status_code=303)


@router.get("/api/items/{pk}", response_model=ItemOut)
def api_item(pk: ItemPk, db: DB, _user: Viewer) -> ItemOut:
    return ItemOut.of(get_item(db, pk))


def api_label(ctx: WebContext, pk: int, body: LabelBody, action: str, db: Session, user: User) -> LabelResult:
    item = get_item(db, pk)
    try:
        events = apply_label(
            db,
            item,
            user,
            action=action,
            scie=body.scie,
            themes=body.themes,
            comment=body.comment,
            expected_version=body.version,
            scie_ids=ctx.scie_ids,
            theme_ids=ctx.theme_ids,
        )
    except PermissionError as exc:
        raise HTTPException(403, str(exc)) from None
    except ConflictError as exc:
        raise HTTPException(409, str(exc)) from None
    except StoreError as exc:
        raise HTTPException(422, str(exc)) from None
    db.commit()
    log.info("user %s %s item %s via API", user.name, action, pk)
    return LabelResult(item=ItemOut.of(item), audit=[e.id for e in events])


@router.post("/api/items/{pk}/accept", dependencies=[CSRF], response_model=LabelResult)
def api_accept(request: Request, pk: ItemPk, body: LabelBody, db: DB, user: Editor) -> LabelResult:
    return api_label(get_ctx(request), pk, body, "accept", db, user)


@router.post("/api/items/{pk}/labels", dependencies=[CSRF], response_model=LabelResult)
def api_labels(request: Request, pk: ItemPk, body: LabelBody, db: DB, user: Editor) -> LabelResult:
    return api_label(get_ctx(request), pk, body, "save", db, user)


@router.get("/api/items/{pk}/audit")
def api_item_audit(pk: ItemPk, db: DB, _user: Viewer) -> list[dict[str, Any]]:
    get_item(db, pk)
    return audit_rows(db, pk)
