"""Importing redacted Documents: upload in the browser, a folder on the server, or JSON over the API."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from casereview.contracts import ContractError, Document
from casereview.store.imports import import_into
from casereview.store.models import User
from casereview.web.deps import CSRF, DB, get_ctx, page, require
from casereview.web.schemas import ImportBody

log = logging.getLogger("casereview.web")  # names users and counts; never document text
router = APIRouter()
Importer = Annotated[User, Depends(require("import"))]


def import_payloads(db: Session, payloads: list[tuple[str, bytes | str]]) -> dict[str, Any]:
    """Import each file on its own: one bad file is reported and never stops the rest."""
    imported, errors = [], []
    for name, raw in payloads:
        file_name = Path(name).name
        try:
            doc = Document.from_json(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
            if doc.redacted is not True:
                raise ValueError("not redacted; only redacted documents can be imported")
            import_into(db, [doc])
            db.commit()
            imported.append({"file": file_name, "document": doc.id, "items": len(doc.items)})
        except (ContractError, ValueError, UnicodeDecodeError, SQLAlchemyError) as exc:
            db.rollback()
            if isinstance(exc, SQLAlchemyError):  # its message can quote stored values: kind only
                msg = f"database error ({exc.__class__.__name__})"
            elif isinstance(exc, UnicodeDecodeError):
                msg = "not UTF-8 text"
            else:
                msg = str(exc)
            errors.append({"file": file_name, "error": msg.removeprefix(f"{file_name}: ")})
    return {"imported": imported, "errors": errors}


def folder_payloads(folder: str) -> list[tuple[str, bytes]]:
    path = Path(folder).expanduser()
    if not path.is_dir():
        raise HTTPException(400, "folder not found")
    files = sorted((path / "documents").glob("*.json")) or sorted(path.glob("*.json"))
    return [(f.name, f.read_bytes()) for f in files]


@router.get("/import", response_class=HTMLResponse)
def import_form(request: Request, _user: Importer):
    return page(request, "import.html", result=None)


@router.post("/import", response_class=HTMLResponse, dependencies=[CSRF])
async def import_upload(
    *,
    request: Request,
    files: Annotated[list[UploadFile] | None, File()] = None,
    folder: Annotated[str, Form(max_length=4096)] = "",
    db: DB,
    user: Importer,
):
    limit = int(float(get_ctx(request).params.import_max_mb) * 1024 * 1024)
    payloads: list[tuple[str, bytes | str]] = []
    too_big = []
    for f in files or []:
        if not f.filename:
            continue
        data = await f.read(limit + 1)  # never hold more than the limit in memory
        if len(data) > limit:
            too_big.append({"file": Path(f.filename).name, "error": "file too large"})
            continue
        payloads.append((f.filename, data))
    if folder.strip():
        try:
            payloads += folder_payloads(folder.strip())
        except HTTPException:
            return page(
                request, "import.html", status=400, result=None, error="That folder does not exist on the server."
            )
    result = import_payloads(db, payloads)
    result["errors"] = too_big + result["errors"]
    log.info(
        "user %s imported %d documents (%d refused)", user.name, len(result["imported"]), len(result["errors"])
    )
    return page(request, "import.html", status=200 if not result["errors"] else 400, result=result)


@router.post("/api/import", dependencies=[CSRF])
def api_import(body: ImportBody, db: DB, user: Importer):
    payloads: list[tuple[str, bytes | str]] = []
    if body.folder:
        payloads += folder_payloads(body.folder)
    for n, d in enumerate(body.documents, 1):
        payloads.append((f"documents[{n}]", json.dumps(d)))
    result = import_payloads(db, payloads)
    log.info("user %s imported %d documents via API", user.name, len(result["imported"]))
    return JSONResponse(result, status_code=200 if not result["errors"] else 422)
