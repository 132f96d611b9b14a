"""One item: its page with context, verifying or correcting it (form and JSON), and its audit trail."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from sqlalchemy.orm import Session

from casereview.store.audit import audit_rows
from casereview.store.errors import ConflictError, NeedsConfirmation, NothingToUndo, StoreError
from casereview.store.labels import apply_label, previous_verification, undo_last, undoable_changes
from casereview.store.models import ItemRow, User
from casereview.store.queue import QueueFilter, neighbours, position, queue_count
from casereview.store.team import blind_for, withhold_blind
from casereview.web.deps import CSRF, DB, ItemPk, ItemViewer, Reader, WebContext, get_ctx, page, require
from casereview.web.policy import allowed
from casereview.web.render import context_html
from casereview.web.routers.queue import Filter, filter_query, queue_filter
from casereview.web.schemas import BlindItemOut, ItemOut, LabelBody, LabelResult, UndoBody, UndoResult

log = logging.getLogger("casereview.web")  # names users and item keys; never item text
router = APIRouter()

Viewer = ItemViewer  # verified items need read_labels (deps.item_viewer)
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
    conflict: bool = False,
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
        # Someone else's verification: the page warns and saving needs the confirm box.
        colleague=item.verified_by if item.status == "verified" and item.verified_by != user.name else None,
        conflict=conflict,
        previous=previous_verification(db, item),
        last_change=next(iter(undoable_changes(db, user, limit=1)), None) if allowed(user.role, "label") else None,
    )


@router.get("/items/{pk}", response_class=HTMLResponse)
def item_page(*, request: Request, pk: ItemPk, flt: Filter, db: DB, user: Viewer):
    item = get_item(db, pk)
    if blind_for(item, user):  # its labels would unblind the second check: the blind page instead
        return RedirectResponse(f"/second/{pk}", status_code=303)
    return render_item(request, db, item, flt, user)


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
    confirm: Annotated[str, Form(max_length=10)] = "",
    q_document: Annotated[str, Form(max_length=200)] = "",
    q_kind: Annotated[str, Form(max_length=40)] = "",
    q_category: Annotated[str, Form(max_length=80)] = "",
    q_theme: Annotated[str, Form(max_length=80)] = "",
    q_status: Annotated[str, Form(max_length=20)] = "pending",
    q_assigned_to: Annotated[str, Form(max_length=120)] = "",
    q_flagged: Annotated[str, Form(max_length=5)] = "",
    q_q: Annotated[str, Form(max_length=500)] = "",
    db: DB,
    user: Editor,
):
    ctx = get_ctx(request)
    flt = queue_filter(q_document, q_kind, q_category, q_theme, q_status, q_assigned_to, q_flagged)
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
            confirm=bool(confirm),
        )
    except PermissionError as exc:
        raise HTTPException(403, str(exc)) from None
    except StoreError as exc:
        db.rollback()
        item = get_item(db, pk)
        if isinstance(exc, NeedsConfirmation):
            error = f"{exc.verified_by} verified this item. Tick “Replace their label” to save yours instead."
        elif isinstance(exc, ConflictError):
            error = "Someone changed this item while you had it open: their label is below, beside your choice."
        else:
            error = str(exc)
        return render_item(
            request,
            db,
            item,
            flt,
            user,
            status=409 if isinstance(exc, ConflictError | NeedsConfirmation) else 400,
            error=error,
            form={"scie": scie, "themes": themes or [], "comment": comment, "action": action},
            conflict=isinstance(exc, ConflictError),
        )
    db.commit()
    log.info("user %s %s item %s", user.name, action, pk)
    fq = filter_query(flt)
    if next_pk is not None:
        return RedirectResponse(f"/items/{next_pk}?{fq}&msg=saved", status_code=303)
    return RedirectResponse(f"/queue?{fq}&msg=done", status_code=303)


@router.get("/api/items/{pk}", response_model=ItemOut | BlindItemOut)
def api_item(pk: ItemPk, db: DB, user: Viewer) -> ItemOut | BlindItemOut:
    item = get_item(db, pk)
    if blind_for(item, user):
        return BlindItemOut.of(item)
    return item_out(db, item)


def item_out(db: Session, item: ItemRow) -> ItemOut:
    """The item with the verification a re-import took away, so a client sees whose label it replaces."""
    return ItemOut.of(item, previous_verification(db, item))


def conflict_response(db: Session, pk: int, exc: StoreError) -> JSONResponse:
    """409 with the item as it stands now (who verified it, their labels, its version), so a client can show
    the colleague's label beside its own before it sends `confirm`."""
    current = item_out(db, get_item(db, pk)).model_dump()
    return JSONResponse({"detail": str(exc), "needs_confirmation": isinstance(exc, NeedsConfirmation),
                         "item": current}, status_code=409)


def api_label(
    ctx: WebContext, pk: int, body: LabelBody, action: str, db: Session, user: User
) -> LabelResult | JSONResponse:
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
            confirm=body.confirm,
        )
    except PermissionError as exc:
        raise HTTPException(403, str(exc)) from None
    except (ConflictError, NeedsConfirmation) as exc:
        db.rollback()
        return conflict_response(db, pk, exc)
    except StoreError as exc:
        raise HTTPException(422, str(exc)) from None
    db.commit()
    log.info("user %s %s item %s via API", user.name, action, pk)
    return LabelResult(item=item_out(db, item), audit=[e.id for e in events])


@router.post("/api/items/{pk}/accept", dependencies=[CSRF], response_model=LabelResult)
def api_accept(request: Request, pk: ItemPk, body: LabelBody, db: DB, user: Editor):
    return api_label(get_ctx(request), pk, body, "accept", db, user)


@router.post("/api/items/{pk}/labels", dependencies=[CSRF], response_model=LabelResult)
def api_labels(request: Request, pk: ItemPk, body: LabelBody, db: DB, user: Editor):
    return api_label(get_ctx(request), pk, body, "save", db, user)


# -- undo: the user's own changes, newest first; each undo is a change in the audit trail --------------


def run_undo(db: Session, user: User, change: int | None, version: int | None):
    """Undo and commit. Raises 403, 404 (nothing to undo), 400; a ConflictError (changed since) is the
    caller's to answer. undo_last refuses before it writes anything, so there is nothing to roll back (and a
    rollback would expire the user the error page names)."""
    try:
        item, undo, events = undo_last(db, user, change, expected_version=version)
    except PermissionError as exc:
        raise HTTPException(403, str(exc)) from None
    except NothingToUndo as exc:
        raise HTTPException(404, str(exc)) from None
    except ConflictError:
        raise
    except StoreError as exc:
        raise HTTPException(400, str(exc)) from None
    db.commit()
    log.info("user %s undid change %s on item %s", user.name, undo.undoes, item.pk)
    return item, undo, events


@router.post("/api/undo", dependencies=[CSRF], response_model=UndoResult)
def api_undo(db: DB, user: Editor, body: UndoBody | None = None):
    body = body or UndoBody()
    try:
        item, undo, events = run_undo(db, user, body.change, body.version)
    except ConflictError as exc:
        if exc.item_pk is None:
            raise HTTPException(409, str(exc)) from None
        return conflict_response(db, exc.item_pk, exc)
    return UndoResult(item=item_out(db, item), undone=undo.undoes or 0, change=undo.id, audit=[e.id for e in events])


@router.post("/undo", dependencies=[CSRF])
def undo_post(
    *,
    change: Annotated[int | None, Form(ge=1, le=2**31)] = None,
    db: DB,
    user: Editor,
):
    try:
        item, _undo, _events = run_undo(db, user, change, None)
    except ConflictError as exc:
        raise HTTPException(409, str(exc)) from None
    return RedirectResponse(f"/items/{item.pk}?status=all&msg=undone", status_code=303)


@router.get("/api/items/{pk}/audit")
def api_item_audit(pk: ItemPk, db: DB, user: Reader) -> list[dict[str, Any]]:
    item = get_item(db, pk)
    return withhold_blind(audit_rows(db, pk), frozenset({pk}) if blind_for(item, user) else frozenset())
