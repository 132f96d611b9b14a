"""The audit trail: a page, JSON, and CSV/JSONL downloads."""

from __future__ import annotations

import csv
import io
import json
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from casereview.store.audit import (
    AuditFilter,
    audit_filtered,
    audit_page,
    audit_users_and_actions,
    parse_when,
)
from casereview.store.documents import document_names
from casereview.store.models import User
from casereview.store.team import blind_item_pks, withhold_blind
from casereview.web.deps import DB, Reader, page, require
from casereview.web.policy import allowed

router = APIRouter()

# target: what an item-less event is about ("user:alice", "login").
AUDIT_COLUMNS = ["id", "at", "user", "document", "item", "action", "field", "before", "after", "comment", "target"]


def csv_cell(value: Any) -> Any:
    # Spreadsheet formula injection: a comment starting with = + - @ must not run as a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def audit_download(rows: list[dict[str, Any]], fmt: str) -> Response:
    if fmt == "jsonl":
        body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        return Response(
            body,
            media_type="application/x-ndjson",
            headers={"Content-Disposition": 'attachment; filename="audit.jsonl"'},
        )
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(AUDIT_COLUMNS)
        for r in rows:
            vals = [
                r[c] if c not in ("before", "after") else json.dumps(r[c], ensure_ascii=False) for c in AUDIT_COLUMNS
            ]
            writer.writerow([csv_cell(v) for v in vals])
        return Response(
            buf.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
        )
    raise HTTPException(404, "format must be csv or jsonl")


PAGE_SIZE = 100  # rows per page of /audit
API_CAP = 10_000  # /api/audit without `limit` or `before`: at most the newest this many, oldest first


def audit_filter(
    user: Annotated[str | None, Query(max_length=120)] = None,
    item: Annotated[str | None, Query(max_length=200)] = None,
    document: Annotated[str | None, Query(max_length=200)] = None,
    action: Annotated[str | None, Query(max_length=20)] = None,
    since: Annotated[str | None, Query(max_length=40, description="YYYY-MM-DD or an ISO date-time, UTC")] = None,
    until: Annotated[str | None, Query(max_length=40, description="inclusive when a bare date")] = None,
) -> AuditFilter:
    try:
        return AuditFilter(
            user=(user or "").strip() or None,
            item=(item or "").strip() or None,
            document=document or None,
            action=action or None,
            since=parse_when(since),
            until=parse_when(until, end_of_day=True),
        )
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None


Filters = Annotated[AuditFilter, Depends(audit_filter)]
Before = Annotated[int | None, Query(ge=1, le=2**63 - 1, description="the id of the oldest row already seen")]


def form_values(request: Request) -> dict[str, str]:
    """The filter fields as the user typed them (dates back into the date inputs)."""
    keys = ("user", "item", "document", "action", "since", "until")
    return {k: request.query_params.get(k, "") for k in keys}


@router.get("/audit", response_class=HTMLResponse)
def audit_html(request: Request, flt: Filters, db: DB, user: Reader, before: Before = None):
    result = audit_page(db, flt, before, PAGE_SIZE)
    withhold_blind(result.rows, blind_item_pks(db, user))
    users, actions = audit_users_and_actions(db)
    fq = urlencode({k: v for k, v in form_values(request).items() if v})
    return page(
        request,
        "audit.html",
        rows=result.rows,
        total=result.total,
        older=result.before,
        before=before,
        fq=fq,
        form=form_values(request),
        users=users,
        actions=actions,
        documents=document_names(db),
        can_export=allowed(user.role, "read_labels"),
    )


@router.get("/audit/export.{fmt}")
def audit_export(fmt: str, flt: Filters, db: DB, user: Annotated[User, Depends(require("read_labels"))]):
    return audit_download(withhold_blind(audit_filtered(db, flt), blind_item_pks(db, user)), fmt)


@router.get("/api/audit")
def api_audit(
    *,
    format: Annotated[str, Query(max_length=10)] = "json",
    flt: Filters,
    before: Before = None,
    limit: Annotated[int | None, Query(ge=1, le=1000)] = None,
    db: DB,
    user: Reader,
):
    """A list of events. Without `limit` or `before`: oldest first (at most the newest 10,000). With either:
    newest first, one page, and the `before` of the next page in the X-Next-Before header and a Link."""
    blind = blind_item_pks(db, user)
    if format in ("csv", "jsonl"):
        return audit_download(withhold_blind(audit_filtered(db, flt), blind), format)
    if before is None and limit is None:
        return withhold_blind(audit_filtered(db, flt, limit=API_CAP), blind)
    result = audit_page(db, flt, before, limit or PAGE_SIZE)
    withhold_blind(result.rows, blind)
    headers = {"X-Total-Count": str(result.total)}
    if result.before is not None:
        query = urlencode({**flt.as_query(), "before": result.before, "limit": limit or PAGE_SIZE})
        headers["X-Next-Before"] = str(result.before)
        headers["Link"] = f'</api/audit?{query}>; rel="next"'
    return JSONResponse(result.rows, headers=headers)
