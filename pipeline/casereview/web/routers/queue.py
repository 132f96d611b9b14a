"""The verification queue: a page of items to verify, least confident first, and the same over JSON."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select

from casereview.store.models import DocumentRow, User
from casereview.store.queue import QueueFilter, queue_items
from casereview.web.deps import DB, CurrentUser, current_user, get_ctx, page, require
from casereview.web.policy import allowed
from casereview.web.schemas import ItemOut, QueueOut

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


@router.get("/queue", response_class=HTMLResponse)
def queue_page(
    *,
    request: Request,
    flt: Filter,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
    db: DB,
    _user: Annotated[User, Depends(require("view_queue"))],
):
    items = queue_items(db, flt)
    size = int(get_ctx(request).params.queue_page_size)
    documents = list(db.scalars(select(DocumentRow.id).order_by(DocumentRow.id)))
    return page(
        request,
        "queue.html",
        items=items[offset : offset + size],
        total=len(items),
        offset=offset,
        size=size,
        flt=flt,
        fq=filter_query(flt),
        documents=documents,
        msg=request.query_params.get("msg"),
    )


@router.get("/api/queue", response_model=QueueOut)
def api_queue(
    *,
    flt: Filter,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
    db: DB,
    _user: Annotated[User, Depends(require("view_queue"))],
) -> QueueOut:
    items = queue_items(db, flt)
    return QueueOut(total=len(items), items=[ItemOut.of(i) for i in items[offset : offset + limit]])
