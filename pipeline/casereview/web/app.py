"""The QA web app: log in, work the verification queue, audit trail, agreement, imports and exports.

create_app(db_url) builds a FastAPI app over the database at db_url (migrated on start). Every route needs a
logged-in user except /login and /static; every state-changing route checks a CSRF token.
"""

# No `from __future__ import annotations` here: FastAPI must evaluate the Annotated[..., Depends(closure)]
# hints when routes are defined, and the dependencies are closures inside create_app.

import csv
import io
import json
import logging
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import Depends, FastAPI, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException

from casereview.config import Config, load_config
from casereview.contracts import ContractError, Document
from casereview.store import get_engine
from casereview.store.models import ROLES, DocumentRow, ItemRow, User, WebSession
from casereview.store.service import (
    ConflictError,
    QueueFilter,
    StoreError,
    agreement,
    apply_label,
    audit_rows,
    authenticate,
    create_user,
    import_into,
    label_records,
    neighbours,
    queue_items,
    queue_pks,
    when,
)
from casereview.taxonomy import LabelSets, load_label_sets
from casereview.web import security as sec
from casereview.web.render import context_html

log = logging.getLogger("casereview.web")  # logs name users, items and counts; never item text

WEB_DIR = Path(__file__).resolve().parent
LABEL_EDITORS = ("qa", "admin")
IMPORTERS = ("reviewer", "admin")
EXPORTERS = ("researcher", "admin")
LABEL_READERS = ("researcher", "admin", "qa")

class NotAuthenticated(Exception):
    pass


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _safe_next(target: str | None) -> str:
    # Only same-site relative paths, so the login page cannot be used as an open redirect.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/queue"


def create_app(  # noqa: C901 - KNOWN DEBT: routes still inline; APIRouters per area are issue 14, not done
    db_url: str | None = None,
    *,
    config: Config | None = None,
    secure_cookies: bool | None = None,
) -> FastAPI:
    """The app over db_url (CASEREVIEW_DB or sqlite:///casereview.db); migrations run here.

    Limits come from the `web:` section of the config, labels from its `taxonomy:` section.
    """
    config = config or load_config()
    params = config.web
    taxonomy: LabelSets = load_label_sets(config.taxonomy)  # fails clearly naming the missing file
    engine = get_engine(db_url)
    SessionLocal = sessionmaker(engine, expire_on_commit=False)
    with SessionLocal() as db:
        secret = sec.secret_key(db)

    app = FastAPI(title="casereview QA", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.taxonomy = taxonomy
    app.state.params = params
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    templates = Jinja2Templates(directory=WEB_DIR / "templates")
    templates.env.globals.update(
        taxonomy=taxonomy, roles=ROLES, when=when, evidence_label=taxonomy.evidence_name
    )
    templates.env.filters["pct"] = lambda v: "—" if v is None else f"{100 * v:.0f}%"
    templates.env.filters["num"] = lambda v: "—" if v is None else f"{v:.2f}"

    # -- plumbing ------------------------------------------------------------------------------------

    def get_db():
        with SessionLocal() as db:
            yield db

    def current_session(request: Request, db: Annotated[Session, Depends(get_db)]) -> WebSession:
        ws = sec.load_session(db, request.cookies.get(sec.SESSION_COOKIE))
        if ws is None:
            raise NotAuthenticated()
        request.state.user = ws.user
        request.state.csrf = ws.csrf_token
        return ws

    def user_dep(ws: Annotated[WebSession, Depends(current_session)]) -> User:
        return ws.user

    def roles(*allowed: str):
        def dep(user: Annotated[User, Depends(user_dep)]) -> User:
            if user.role not in allowed:
                raise HTTPException(403, "Your role may not do this.")
            return user

        return dep

    async def csrf(request: Request, ws: Annotated[WebSession, Depends(current_session)]) -> None:
        """Every state-changing route depends on this: header for the API, hidden field for forms."""
        token = request.headers.get(sec.CSRF_HEADER)
        if not token and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            field = (await request.form()).get(sec.CSRF_FIELD)
            token = field if isinstance(field, str) else None
        if not sec.tokens_match(token, ws.csrf_token):
            raise HTTPException(403, "missing or invalid CSRF token")

    def secure(request: Request) -> bool:
        return secure_cookies if secure_cookies is not None else request.url.scheme == "https"

    def page(request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        ctx.setdefault("user", getattr(request.state, "user", None))
        ctx.setdefault("csrf_token", getattr(request.state, "csrf", ""))
        return templates.TemplateResponse(request, name, ctx, status_code=status)

    @app.middleware("http")
    async def headers(request: Request, call_next):
        response = await call_next(request)
        # Pages hold case text: no caching, no framing, no third-party anything.
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        )
        return response

    @app.exception_handler(NotAuthenticated)
    async def not_authenticated(request: Request, _exc: NotAuthenticated):
        if _is_api(request):
            return JSONResponse({"detail": "login required"}, status_code=401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if _is_api(request) or "text/html" not in request.headers.get("accept", ""):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return page(request, "error.html", status=exc.status_code, code=exc.status_code, detail=exc.detail)

    # -- login ---------------------------------------------------------------------------------------

    def login_page(
        request: Request,
        status: int = 200,
        error: str | None = None,
        next_: str = "/queue",
        headers: dict[str, str] | None = None,
    ) -> HTMLResponse:
        # Keep the browser's existing login token so a form that is still open (another tab) stays valid.
        raw = request.cookies.get(sec.LOGIN_COOKIE) or ""
        if not (20 <= len(raw) <= 64 and raw.replace("-", "").replace("_", "").isalnum()):
            raw = sec.secrets.token_urlsafe(24)
        response = page(
            request,
            "login.html",
            status=status,
            error=error,
            next=_safe_next(next_),
            login_csrf=sec.login_serializer(secret).dumps(raw),
            user=None,
        )
        response.set_cookie(
            sec.LOGIN_COOKIE,
            raw,
            httponly=True,
            samesite="lax",
            secure=secure(request),
            max_age=7200,
            path="/login",
        )
        for k, v in (headers or {}).items():
            response.headers[k] = v
        return response

    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, db: Annotated[Session, Depends(get_db)], next: str = "/queue"):
        if sec.load_session(db, request.cookies.get(sec.SESSION_COOKIE)) is not None:
            return RedirectResponse(_safe_next(next), status_code=303)  # already logged in
        return login_page(request, next_=next)

    @app.post("/login")
    def login(
        *,
        request: Request,
        username: Annotated[str, Form()] = "",
        password: Annotated[str, Form()] = "",
        csrf_token: Annotated[str, Form()] = "",
        next: Annotated[str, Form()] = "/queue",
        db: Annotated[Session, Depends(get_db)],
    ):
        if not sec.login_csrf_check(secret, request.cookies.get(sec.LOGIN_COOKIE), csrf_token):
            return login_page(request, 403, "The form expired. Please try again.", next)
        ip = request.client.host if request.client else "unknown"
        username = username.strip()
        window = int(params.login_window_seconds)
        if sec.too_many_failures(
            db,
            username,
            ip,
            int(params.login_max_failures_per_user),
            int(params.login_max_failures_per_ip),
            window,
        ):
            log.warning("login rate-limited for a user name from %s", ip)
            return login_page(
                request,
                429,
                "Too many failed attempts. Wait a few minutes and try again.",
                next,
                headers={"Retry-After": str(window)},
            )
        user = authenticate(db, username, password)
        if user is None:
            sec.record_failure(db, username, ip, window)
            db.commit()
            return login_page(request, 401, "Wrong user name or password.", next)
        token = sec.new_session(db, user, float(params.session_hours))
        db.commit()
        log.info("user %s logged in", user.name)
        response = RedirectResponse(_safe_next(next), status_code=303)
        response.set_cookie(
            sec.SESSION_COOKIE,
            token,
            httponly=True,
            samesite="lax",
            secure=secure(request),
            max_age=int(float(params.session_hours) * 3600),
            path="/",
        )
        response.delete_cookie(sec.LOGIN_COOKIE, path="/login")
        return response

    @app.post("/logout", dependencies=[Depends(csrf)])
    def logout(ws: Annotated[WebSession, Depends(current_session)], db: Annotated[Session, Depends(get_db)]):
        row = db.get(WebSession, ws.id)
        if row is not None:
            db.delete(row)
            db.commit()
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(sec.SESSION_COOKIE, path="/")
        return response

    # -- queue and items -------------------------------------------------------------------------------

    def queue_filter(
        document: str | None = None,
        kind: str | None = None,
        category: str | None = None,
        theme: str | None = None,
        status: str | None = "pending",
    ) -> QueueFilter:
        return QueueFilter(
            document=document or None,
            kind=kind or None,
            category=category or None,
            theme=theme or None,
            status=None if status in ("", "all") else status,
        )

    def filter_query(flt: QueueFilter) -> str:
        q = flt.as_query()
        if flt.status is None:
            q["status"] = "all"
        return urlencode(q)

    def item_json(item: ItemRow) -> dict[str, Any]:
        return {
            "pk": item.pk,
            "id": item.item_id,
            "document": item.document_id,
            "kind": item.kind,
            "number": item.number,
            "section": item.section,
            "text": item.text,
            "start": item.start,
            "end": item.end,
            "confidence": item.confidence,
            "status": item.status,
            "predicted": {
                "scie": item.pred_scie,
                "scie_scores": item.pred_scie_scores,
                "scie_runner_up": item.pred_scie_runner_up,
                "themes": item.pred_themes,
                "theme_scores": item.pred_theme_scores,
                "evidence": item.evidence,
            },
            "verified": {
                "scie": item.verified_scie,
                "themes": item.verified_themes,
                "by": item.verified_by,
                "at": when(item.verified_at) or None,
                "comment": item.comment,
            },
            "version": item.version,
        }

    def get_item(db: Session, pk: int) -> ItemRow:
        item = db.get(ItemRow, pk)
        if item is None:
            raise HTTPException(404, "no such item")
        return item

    @app.get("/")
    def home(_user: Annotated[User, Depends(user_dep)]):
        return RedirectResponse("/queue", status_code=303)

    @app.get("/queue", response_class=HTMLResponse)
    def queue_page(
        *,
        request: Request,
        flt: Annotated[QueueFilter, Depends(queue_filter)],
        offset: int = 0,
        db: Annotated[Session, Depends(get_db)],
        user: Annotated[User, Depends(user_dep)],
    ):
        items = queue_items(db, flt)
        size = int(params.queue_page_size)
        offset = max(0, offset)
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

    @app.get("/api/queue")
    def api_queue(
        *,
        flt: Annotated[QueueFilter, Depends(queue_filter)],
        limit: int = 200,
        offset: int = 0,
        db: Annotated[Session, Depends(get_db)],
        _user: Annotated[User, Depends(user_dep)],
    ):
        items = queue_items(db, flt)
        return {"total": len(items), "items": [item_json(i) for i in items[offset : offset + limit]]}

    @app.get("/items/{pk}", response_class=HTMLResponse)
    def item_page(
        *,
        request: Request,
        pk: int,
        flt: Annotated[QueueFilter, Depends(queue_filter)],
        db: Annotated[Session, Depends(get_db)],
        user: Annotated[User, Depends(user_dep)],
    ):
        return render_item(request, db, get_item(db, pk), flt, user)

    def render_item(
        request: Request,
        db: Session,
        item: ItemRow,
        flt: QueueFilter,
        user: User,
        status: int = 200,
        error: str | None = None,
        form: dict | None = None,
    ) -> HTMLResponse:
        prev_pk, next_pk = neighbours(db, flt, item.pk)
        queue = queue_pks(db, flt)
        position = queue.index(item.pk) + 1 if item.pk in queue else None
        doc = item.document
        context = context_html(
            doc.text, item.text, item.start, item.end, item.evidence, around=int(params.context_paragraphs)
        )
        ranked = sorted((item.pred_theme_scores or {}).items(), key=lambda kv: -kv[1])
        # The suggested themes and the three closest misses; every score is also beside its checkbox.
        chosen = set(item.pred_themes or [])
        ranked_themes = [kv for kv in ranked if kv[0] in chosen] + [
            kv for kv in ranked if kv[0] not in chosen
        ][:3]
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
            position=position,
            queue_total=len(queue),
            can_edit=user.role in LABEL_EDITORS,
            audit=audit_rows(db, item.pk),
            ranked_themes=ranked_themes,
            error=error,
            form=form,
            selected_scie=(form or {}).get("scie", item.current_scie),
            selected_themes=(form or {}).get("themes", item.current_themes),
            msg=request.query_params.get("msg"),
        )

    @app.post("/items/{pk}", dependencies=[Depends(csrf)])
    def item_post(
        *,
        request: Request,
        pk: int,
        action: Annotated[str, Form()] = "save",
        scie: Annotated[str, Form()] = "",
        themes: Annotated[list[str] | None, Form()] = None,
        comment: Annotated[str, Form()] = "",
        version: Annotated[int | None, Form()] = None,
        q_document: Annotated[str, Form()] = "",
        q_kind: Annotated[str, Form()] = "",
        q_category: Annotated[str, Form()] = "",
        q_theme: Annotated[str, Form()] = "",
        q_status: Annotated[str, Form()] = "pending",
        db: Annotated[Session, Depends(get_db)],
        user: Annotated[User, Depends(roles(*LABEL_EDITORS))],
    ):
        flt = queue_filter(q_document, q_kind, q_category, q_theme, q_status)
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
                scie_ids=[c.id for c in taxonomy.scie],
                theme_ids=[t.id for t in taxonomy.themes],
            )
        except PermissionError as exc:
            raise HTTPException(403, str(exc)) from None
        except StoreError as exc:
            db.rollback()
            code = 409 if isinstance(exc, ConflictError) else 400
            return render_item(
                request,
                db,
                get_item(db, pk),
                flt,
                user,
                status=code,
                error=str(exc),
                form={"scie": scie, "themes": themes or [], "comment": comment},
            )
        db.commit()
        log.info("user %s %s item %s", user.name, action, pk)
        fq = filter_query(flt)
        if next_pk is not None:
            return RedirectResponse(f"/items/{next_pk}?{fq}&msg=saved", status_code=303)
        return RedirectResponse(f"/queue?{fq}&msg=done", status_code=303)

    @app.get("/api/items/{pk}")
    def api_item(pk: int, db: Annotated[Session, Depends(get_db)], _user: Annotated[User, Depends(user_dep)]):
        return item_json(get_item(db, pk))

    def api_label(pk: int, body: dict[str, Any], action: str, db: Session, user: User):
        item = get_item(db, pk)
        if not isinstance(body, dict):
            raise HTTPException(422, "expected a JSON object")
        version = body.get("version")
        if not isinstance(version, int) or isinstance(version, bool):
            # Lost-update protection must not depend on the client choosing to send it.
            raise HTTPException(422, "version (the item's current version, an integer) is required")
        themes = body.get("themes")
        if themes is not None and not (isinstance(themes, list) and all(isinstance(t, str) for t in themes)):
            raise HTTPException(422, "themes must be a list of theme ids")
        try:
            events = apply_label(
                db,
                item,
                user,
                action=action,
                scie=body.get("scie"),
                themes=themes,
                comment=body.get("comment"),
                expected_version=version,
                scie_ids=[c.id for c in taxonomy.scie],
                theme_ids=[t.id for t in taxonomy.themes],
            )
        except PermissionError as exc:
            raise HTTPException(403, str(exc)) from None
        except ConflictError as exc:
            raise HTTPException(409, str(exc)) from None
        except StoreError as exc:
            raise HTTPException(422, str(exc)) from None
        db.commit()
        log.info("user %s %s item %s via API", user.name, action, pk)
        return {"item": item_json(item), "audit": [e.id for e in events]}

    @app.post("/api/items/{pk}/accept", dependencies=[Depends(csrf)])
    async def api_accept(
        pk: int,
        request: Request,
        db: Annotated[Session, Depends(get_db)],
        user: Annotated[User, Depends(roles(*LABEL_EDITORS))],
    ):
        body = await _json_body(request)
        return api_label(pk, body, "accept", db, user)

    @app.post("/api/items/{pk}/labels", dependencies=[Depends(csrf)])
    async def api_labels(
        pk: int,
        request: Request,
        db: Annotated[Session, Depends(get_db)],
        user: Annotated[User, Depends(roles(*LABEL_EDITORS))],
    ):
        body = await _json_body(request)
        return api_label(pk, body, "save", db, user)

    @app.get("/api/items/{pk}/audit")
    def api_item_audit(
        pk: int, db: Annotated[Session, Depends(get_db)], _user: Annotated[User, Depends(user_dep)]
    ):
        get_item(db, pk)
        return audit_rows(db, pk)

    # -- audit ---------------------------------------------------------------------------------------

    @app.get("/audit", response_class=HTMLResponse)
    def audit_page(
        request: Request, db: Annotated[Session, Depends(get_db)], user: Annotated[User, Depends(user_dep)]
    ):
        rows = audit_rows(db)
        return page(
            request,
            "audit.html",
            rows=list(reversed(rows))[:500],
            total=len(rows),
            can_export=user.role in EXPORTERS,
        )

    def audit_download(db: Session, fmt: str) -> Response:
        rows = audit_rows(db)
        if fmt == "jsonl":
            body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
            return Response(
                body,
                media_type="application/x-ndjson",
                headers={"Content-Disposition": 'attachment; filename="audit.jsonl"'},
            )
        if fmt == "csv":
            buf = io.StringIO()
            cols = ["id", "at", "user", "document", "item", "action", "field", "before", "after", "comment"]
            writer = csv.writer(buf)
            writer.writerow(cols)
            for r in rows:
                vals = [
                    r[c] if c not in ("before", "after") else json.dumps(r[c], ensure_ascii=False)
                    for c in cols
                ]
                writer.writerow([_csv_cell(v) for v in vals])
            return Response(
                buf.getvalue(),
                media_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
            )
        raise HTTPException(404, "format must be csv or jsonl")

    @app.get("/audit/export.{fmt}")
    def audit_export(
        fmt: str, db: Annotated[Session, Depends(get_db)], _user: Annotated[User, Depends(roles(*EXPORTERS))]
    ):
        return audit_download(db, fmt)

    @app.get("/api/audit")
    def api_audit(
        *,
        format: str = "json",
        db: Annotated[Session, Depends(get_db)],
        user: Annotated[User, Depends(user_dep)],
    ):
        if format in ("csv", "jsonl"):
            if user.role not in EXPORTERS:
                raise HTTPException(403, "your role may not export the audit trail")
            return audit_download(db, format)
        return audit_rows(db)

    # -- agreement -------------------------------------------------------------------------------------

    def agreement_data(db: Session):
        return agreement(
            db, [(c.id, c.label) for c in taxonomy.scie], [(t.id, t.label) for t in taxonomy.themes]
        )

    @app.get("/agreement", response_class=HTMLResponse)
    def agreement_page(
        request: Request, db: Annotated[Session, Depends(get_db)], _user: Annotated[User, Depends(user_dep)]
    ):
        return page(request, "agreement.html", a=agreement_data(db))

    @app.get("/api/agreement")
    def api_agreement(db: Annotated[Session, Depends(get_db)], _user: Annotated[User, Depends(user_dep)]):
        from dataclasses import asdict

        return asdict(agreement_data(db))

    # -- import ----------------------------------------------------------------------------------------

    def import_payloads(db: Session, payloads: list[tuple[str, bytes | str]]) -> dict[str, Any]:
        """Import each file on its own: one bad file is reported and never stops the rest."""
        imported, errors = [], []
        for name, raw in payloads:
            try:
                doc = Document.from_json(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
                sec_name = Path(name).name
                if doc.redacted is not True:
                    raise ValueError("not redacted; only redacted documents can be imported")
                import_into(db, [doc])
                db.commit()
                imported.append({"file": sec_name, "document": doc.id, "items": len(doc.items)})
            except (ContractError, ValueError, UnicodeDecodeError, SQLAlchemyError) as exc:
                db.rollback()
                if isinstance(exc, SQLAlchemyError):  # its message can quote stored values: kind only
                    msg = f"database error ({exc.__class__.__name__})"
                elif isinstance(exc, UnicodeDecodeError):
                    msg = "not UTF-8 text"
                else:
                    msg = str(exc)
                errors.append({"file": Path(name).name, "error": msg.removeprefix(f"{Path(name).name}: ")})
        return {"imported": imported, "errors": errors}

    def folder_payloads(folder: str) -> list[tuple[str, bytes]]:
        path = Path(folder).expanduser()
        if not path.is_dir():
            raise HTTPException(400, "folder not found")
        files = sorted((path / "documents").glob("*.json")) or sorted(path.glob("*.json"))
        return [(f.name, f.read_bytes()) for f in files]

    @app.get("/import", response_class=HTMLResponse)
    def import_form(request: Request, _user: Annotated[User, Depends(roles(*IMPORTERS))]):
        return page(request, "import.html", result=None)

    @app.post("/import", response_class=HTMLResponse, dependencies=[Depends(csrf)])
    async def import_upload(
        *,
        request: Request,
        files: Annotated[list[UploadFile] | None, File()] = None,
        folder: Annotated[str, Form()] = "",
        db: Annotated[Session, Depends(get_db)],
        user: Annotated[User, Depends(roles(*IMPORTERS))],
    ):
        limit = int(float(params.import_max_mb) * 1024 * 1024)
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
                    request,
                    "import.html",
                    status=400,
                    result=None,
                    error="That folder does not exist on the server.",
                )
        result = import_payloads(db, payloads)
        result["errors"] = too_big + result["errors"]
        log.info(
            "user %s imported %d documents (%d refused)",
            user.name,
            len(result["imported"]),
            len(result["errors"]),
        )
        return page(request, "import.html", status=200 if not result["errors"] else 400, result=result)

    @app.post("/api/import", dependencies=[Depends(csrf)])
    async def api_import(
        request: Request,
        db: Annotated[Session, Depends(get_db)],
        user: Annotated[User, Depends(roles(*IMPORTERS))],
    ):
        body = await _json_body(request)
        payloads: list[tuple[str, bytes | str]] = []
        if isinstance(body, dict) and body.get("folder"):
            payloads += folder_payloads(str(body["folder"]))
        docs = body.get("documents", []) if isinstance(body, dict) else body
        if not isinstance(docs, list):
            raise HTTPException(422, "documents must be a list of Document objects")
        for n, d in enumerate(docs, 1):
            payloads.append((f"documents[{n}]", json.dumps(d)))
        result = import_payloads(db, payloads)
        log.info("user %s imported %d documents via API", user.name, len(result["imported"]))
        return JSONResponse(result, status_code=200 if not result["errors"] else 422)

    # -- label export ----------------------------------------------------------------------------------

    @app.get("/export/labels.jsonl")
    def export_labels(
        db: Annotated[Session, Depends(get_db)], _user: Annotated[User, Depends(roles(*LABEL_READERS))]
    ):
        body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in label_records(db, "verified"))
        return Response(
            body,
            media_type="application/x-ndjson",
            headers={"Content-Disposition": 'attachment; filename="verified_labels.jsonl"'},
        )

    @app.get("/api/export/labels")
    def api_export_labels(
        db: Annotated[Session, Depends(get_db)], _user: Annotated[User, Depends(roles(*LABEL_READERS))]
    ):
        return label_records(db, "verified")

    # -- users (admin) ---------------------------------------------------------------------------------

    @app.get("/users", response_class=HTMLResponse)
    def users_page(
        request: Request,
        db: Annotated[Session, Depends(get_db)],
        _user: Annotated[User, Depends(roles("admin"))],
    ):
        return page(request, "users.html", users=list(db.scalars(select(User).order_by(User.name))))

    @app.post("/users", response_class=HTMLResponse, dependencies=[Depends(csrf)])
    def users_add(
        *,
        request: Request,
        name: Annotated[str, Form()] = "",
        role: Annotated[str, Form()] = "",
        password: Annotated[str, Form()] = "",
        db: Annotated[Session, Depends(get_db)],
        _user: Annotated[User, Depends(roles("admin"))],
    ):
        error = None
        try:
            create_user(db, name, role, password)
            db.commit()
        except StoreError as exc:
            db.rollback()
            error = str(exc)
        return page(
            request,
            "users.html",
            status=400 if error else 200,
            error=error,
            users=list(db.scalars(select(User).order_by(User.name))),
        )

    @app.get("/api/me")
    def api_me(request: Request, user: Annotated[User, Depends(user_dep)]):
        return {"name": user.name, "role": user.role, "csrf_token": request.state.csrf}

    return app


async def _json_body(request: Request) -> Any:
    raw = await request.body()
    if not raw:
        return {}
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise HTTPException(422, "request body must be JSON") from None


def _csv_cell(value: Any) -> Any:
    # Spreadsheet formula injection: a comment starting with = + - @ must not run as a formula.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
