"""Verified labels for retraining, as JSONL (the training corpus schema)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from casereview.store.export import label_records
from casereview.store.models import User
from casereview.web.deps import DB, require

router = APIRouter()
Reader = Annotated[User, Depends(require("read_labels"))]


@router.get("/export/labels.jsonl")
def export_labels(db: DB, _user: Reader):
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in label_records(db, "verified"))
    return Response(
        body,
        media_type="application/x-ndjson",
        headers={"Content-Disposition": 'attachment; filename="verified_labels.jsonl"'},
    )


@router.get("/api/export/labels")
def api_export_labels(db: DB, _user: Reader) -> list[dict[str, Any]]:
    return label_records(db, "verified")
