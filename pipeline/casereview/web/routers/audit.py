"""The audit trail: a page, JSON, and CSV/JSONL downloads."""

from __future__ import annotations

import csv
import io
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from casereview.store.audit import audit_rows
from casereview.store.models import User
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


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, db: DB, user: Reader):
    rows = audit_rows(db)
    return page(
        request,
        "audit.html",
        rows=list(reversed(rows))[:500],
        total=len(rows),
        can_export=allowed(user.role, "read_labels"),
    )


@router.get("/audit/export.{fmt}")
def audit_export(fmt: str, db: DB, _user: Annotated[User, Depends(require("read_labels"))]):
    return audit_download(audit_rows(db), fmt)


@router.get("/api/audit")
def api_audit(*, format: Annotated[str, Query(max_length=10)] = "json", db: DB, _user: Reader):
    if format in ("csv", "jsonl"):
        return audit_download(audit_rows(db), format)
    return audit_rows(db)
