"""The verification queue: a page of items to verify, least confident first, and the same over JSON."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from casereview.store.documents import document_names
from casereview.store.models import User
from casereview.store.queue import BadCursor, QueueFilter, QueuePage, queue_page
from casereview.store.team import blind_for
from casereview.web.deps import DB, CurrentUser, current_user, get_ctx, page, require
from casereview.web.policy import allowed
from casereview.web.schemas import BlindItemOut, ItemOut, QueueOut

router = APIRouter()


def queue_filter(
    document: Annotated[str | None, Query(max_length=200)] = None,
    kind: Annotated[str | None, Query(max_length=40)] = None,
    category: Annotated[str | None, Query(max_length=80)] = None,
    theme: Annotated[str | None, Query(max_length=80)] = None,
    status: Annotated[str | None, Query(max_length=20)] = "pending",
    assigned_to: Annotated[str | None, Query(max_length=120)] = None,
    flagged: Annotated[str | None, Query(max_length=5)] = None,
    mine: Annotated[str | None, Query(max_length=5)] = None,
    user: Annotated[User | None, Depends(current_user)] = None,
    q: Annotated[str | None, Query(max_length=500)] = None,
) -> QueueFilter:
    # mine=1 is the logged-in user's own queue: the items assigned to them.
    if truthy(mine) and user is not None:
        assigned_to = user.name
    return QueueFilter(
        document=document or None,
        kind=kind or None,
        category=category or None,
        theme=theme or None,
        status=None if status in ("", "all") else status,
        assigned_to=assigned_to or None,
        flagged=True if truthy(flagged) else None,
        q=(q or "").strip() or None,
    )


def truthy(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "yes", "on")


def readable_filter(flt: Annotated[QueueFilter, Depends(queue_filter)], user: CurrentUser) -> QueueFilter:
    # Verified items carry human labels: listing them (status=verified or all) needs read_labels, as the
    # label export does. The same filter guards the queue page, its API and the item page's navigation.
    if flt.status != "pending" and not allowed(user.role, "read_labels"):
        raise HTTPException(403, "Your role may see pending items only.")
    return flt


Filter = Annotated[QueueFilter, Depends(readable_filter)]


def filter_query(flt: QueueFilter) -> str:
    q = flt.as_query()
    if flt.status is None:
        q["status"] = "all"
    return urlencode(q)


@router.get("/")
def home(_user: CurrentUser):
    return RedirectResponse("/queue", status_code=303)


STATUS_CHOICES = (("pending", "Needs verification"), ("verified", "Verified"), ("all", "All"))
Cursor = Annotated[str | None, Query(max_length=600, description="the `next` of the previous page")]


def page_of(db: Session, flt: QueueFilter, after: str | None, limit: int) -> QueuePage:
    try:
        return queue_page(db, flt, after or None, limit)
    except BadCursor as exc:
        raise HTTPException(422, str(exc)) from None


@router.get("/queue", response_class=HTMLResponse)
def queue_html(
    *,
    request: Request,
    flt: Filter,
    after: Cursor = None,
    db: DB,
    user: Annotated[User, Depends(require("view_queue"))],
):
    size = int(get_ctx(request).params.queue_page_size)
    # Offer only the statuses this role may list (readable_filter refuses the rest).
    statuses = [(s, label) for s, label in STATUS_CHOICES if s == "pending" or allowed(user.role, "read_labels")]
    result = page_of(db, flt, after, size)
    documents = document_names(db)
    return page(
        request,
        "queue.html",
        items=result.items,
        total=result.total,
        total_capped=result.total_capped,
        next_cursor=result.next,
        after=after,
        size=size,
        flt=flt,
        fq=filter_query(flt),
        documents=documents,
        doc_names=dict(documents),
        msg=request.query_params.get("msg"),
        statuses=statuses,
        blind={i.pk for i in result.items if blind_for(i, user)},  # labels would unblind a second check
    )


@router.get("/api/queue", response_model=QueueOut)
def api_queue(
    *,
    flt: Filter,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    after: Cursor = None,
    db: DB,
    user: Annotated[User, Depends(require("view_queue"))],
) -> QueueOut:
    result = page_of(db, flt, after, limit)
    return QueueOut(
        total=result.total,
        next=result.next,
        total_capped=result.total_capped,
        items=[BlindItemOut.of(i) if blind_for(i, user) else ItemOut.of(i) for i in result.items],
    )
