"""Verified labels for retraining, as JSONL (the training corpus schema)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from casereview.store.export import label_records
from casereview.store.models import User
from casereview.store.team import blind_item_pks
from casereview.web.deps import DB, require

router = APIRouter()
Reader = Annotated[User, Depends(require("read_labels"))]


@router.get("/export/labels.jsonl")
def export_labels(db: DB, user: Reader):
    records = label_records(db, "verified", blind_item_pks(db, user))
    body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    return Response(
        body,
        media_type="application/x-ndjson",
        headers={"Content-Disposition": 'attachment; filename="verified_labels.jsonl"'},
    )


@router.get("/api/export/labels")
def api_export_labels(db: DB, user: Reader) -> list[dict[str, Any]]:
    return label_records(db, "verified", blind_item_pks(db, user))
