"""Agreement between the model and the people who verified its labels."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from casereview.store.agreement import Agreement, agreement
from casereview.store.documents import names_of
from casereview.web.deps import DB, Reader, WebContext, get_ctx, page

router = APIRouter()


def agreement_data(ctx: WebContext, db: Session) -> Agreement:
    result = agreement(
        db, [(c.id, c.label) for c in ctx.taxonomy.scie], [(t.id, t.label) for t in ctx.taxonomy.themes]
    )
    # People know documents by their file name, not by id.
    names = names_of(db, {d["document"] for d in result.per_document})
    for d in result.per_document:
        d.setdefault("name", names.get(d["document"], d["document"]))
    return result


@router.get("/agreement", response_class=HTMLResponse)
def agreement_page(request: Request, db: DB, _user: Reader):
    return page(request, "agreement.html", a=agreement_data(get_ctx(request), db))


@router.get("/api/agreement")
def api_agreement(request: Request, db: DB, _user: Reader) -> dict[str, Any]:
    return asdict(agreement_data(get_ctx(request), db))
