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

from casereview.config import resolve_path
from casereview.contracts import ContractError, Document
from casereview.store.imports import check_import, import_one
from casereview.store.models import User
from casereview.web.deps import CSRF, DB, WebContext, get_ctx, page, require
from casereview.web.schemas import ImportBody

log = logging.getLogger("casereview.web")  # names users and counts; never document text
router = APIRouter()
Importer = Annotated[User, Depends(require("import"))]


def import_payloads(ctx: WebContext, db: Session, user: User, payloads: list[tuple[str, bytes | str]]) -> dict[str, Any]:
    """Import each file on its own: one bad file is reported and never stops the rest. Each is checked
    whatever it claims: redacted, labels in the taxonomy, no identifier left (casereview.redact.check)."""
    imported, errors = [], []
    for name, raw in payloads:
        file_name = Path(name).name
        try:
            doc = Document.from_json(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
            if doc.redacted is not True:
                raise ValueError("not redacted; only redacted documents can be imported")
            check_import(doc, scie_ids=ctx.scie_ids, theme_ids=ctx.theme_ids, redact=ctx.config.redact)
            counts = import_one(db, doc, user)
            db.commit()
            imported.append({"file": file_name, "document": doc.id, "items": len(doc.items), **counts})
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


ROOTS_ONLY = "folder import is limited to the configured roots (web.import_roots in params.yaml)"


def allowed_folder(ctx: WebContext, folder: str) -> Path:
    """The folder, symlinks resolved, if it lies inside one of web.import_roots; else 403 (none: off)."""
    roots = [resolve_path(r).resolve() for r in ctx.params.import_roots]
    if not roots:
        raise HTTPException(403, "folder import is off: " + ROOTS_ONLY)
    path = Path(folder).expanduser()
    if not path.is_absolute():
        path = roots[0] / path  # a relative name is taken inside the first root
    path = path.resolve()
    if not any(path.is_relative_to(root) for root in roots):
        raise HTTPException(403, ROOTS_ONLY)
    if not path.is_dir():
        raise HTTPException(400, "folder not found")
    return path


def folder_payloads(ctx: WebContext, folder: str) -> list[tuple[str, bytes]]:
    path = allowed_folder(ctx, folder)
    files = sorted((path / "documents").glob("*.json")) or sorted(path.glob("*.json"))
    # A link inside the folder may point anywhere: each file must resolve inside a root too.
    roots = [resolve_path(r).resolve() for r in ctx.params.import_roots]
    files = [f for f in files if any(f.resolve().is_relative_to(r) for r in roots) and f.resolve().is_file()]
    return [(f.name, f.read_bytes()) for f in files]


@router.get("/import", response_class=HTMLResponse)
def import_form(request: Request, _user: Importer):
    return page(request, "import.html", result=None, roots=get_ctx(request).params.import_roots)


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
    ctx = get_ctx(request)
    if folder.strip():
        try:
            payloads += folder_payloads(ctx, folder.strip())
        except HTTPException as exc:
            return page(request, "import.html", status=exc.status_code, result=None, error=str(exc.detail),
                        roots=ctx.params.import_roots)
    result = import_payloads(ctx, db, user, payloads)
    result["errors"] = too_big + result["errors"]
    log.info(
        "user %s imported %d documents (%d refused)", user.name, len(result["imported"]), len(result["errors"])
    )
    return page(request, "import.html", status=200 if not result["errors"] else 400, result=result,
                roots=ctx.params.import_roots)


@router.post("/api/import", dependencies=[CSRF])
def api_import(request: Request, body: ImportBody, db: DB, user: Importer):
    ctx = get_ctx(request)
    payloads: list[tuple[str, bytes | str]] = []
    if body.folder:
        payloads += folder_payloads(ctx, body.folder)
    for n, d in enumerate(body.documents, 1):
        payloads.append((f"documents[{n}]", json.dumps(d)))
    result = import_payloads(ctx, db, user, payloads)
    log.info("user %s imported %d documents via API", user.name, len(result["imported"]))
    return JSONResponse(result, status_code=200 if not result["errors"] else 422)
