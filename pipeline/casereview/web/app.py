"""The QA web app: log in, work the verification queue, audit trail, agreement, imports and exports.

create_app(db_url) builds a FastAPI app over the database at db_url (migrated on start) from the routers in
casereview.web.routers. Every route needs a logged-in user except /login and /static; every state-changing
route checks a CSRF token; roles are checked against resources/permissions.yaml.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException

from casereview.config import Config, load_config
from casereview.store import get_engine
from casereview.store.audit import when
from casereview.store.documents import display_name
from casereview.store.models import ROLES
from casereview.store.team import DOUBLE_SHARE_KEY
from casereview.store.users import dummy_hash
from casereview.taxonomy import load_label_sets
from casereview.web import security as sec
from casereview.web.deps import NotAuthenticated, WebContext, is_api, page
from casereview.web.hotkeys import theme_hotkeys
from casereview.web.policy import allowed
from casereview.web.routers import (
    agreement,
    audit,
    auth,
    documents,
    exports,
    imports,
    items,
    queue,
    team,
    users,
)

log = logging.getLogger("casereview.web")  # logs name users, items and counts; never item text

WEB_DIR = Path(__file__).resolve().parent
ROUTERS = (auth, queue, items, audit, agreement, imports, exports, users, team, documents)


def create_app(
    db_url: str | None = None,
    *,
    config: Config | None = None,
    secure_cookies: bool | None = None,
) -> FastAPI:
    """The app over db_url (CASEREVIEW_DB or sqlite:///casereview.db); migrations run here.

    Limits come from the `web:` section of the config, labels from its `taxonomy:` section.
    """
    config = config or load_config()
    taxonomy = load_label_sets(config.taxonomy)  # fails clearly naming the missing file
    # The double-verification share rides on every session so the store can sample at first verification.
    sessions = sessionmaker(get_engine(db_url), expire_on_commit=False,
                            info={DOUBLE_SHARE_KEY: config.web.double_verification_share})
    with sessions() as db:
        secret = sec.secret_key(db)
    templates = Jinja2Templates(directory=WEB_DIR / "templates")
    templates.env.globals.update(taxonomy=taxonomy, roles=ROLES, when=when, evidence_label=taxonomy.evidence_name,
                                 can=allowed)
    templates.env.globals["display_name"] = display_name  # documents by file name, never a hex id
    templates.env.globals["theme_hotkeys"] = theme_hotkeys
    templates.env.filters["pct"] = lambda v: "—" if v is None else f"{100 * v:.0f}%"
    templates.env.filters["num"] = lambda v: "—" if v is None else f"{v:.2f}"

    app = FastAPI(title="casereview QA", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.ctx = WebContext(
        config=config,
        params=config.web,
        taxonomy=taxonomy,
        sessions=sessions,
        templates=templates,
        secret=secret,
        secure_cookies=secure_cookies,
        password_checks=sec.PasswordChecks(int(config.web.max_concurrent_password_checks)),
    )
    dummy_hash()  # made once now, so no login ever pays for a hash() of its own
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    for module in ROUTERS:
        app.include_router(module.router)
    add_headers_and_errors(app)
    return app


# Pages hold case text: no caching, no framing, no third-party anything.
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
}


def add_headers_and_errors(app: FastAPI) -> None:
    @app.middleware("http")
    async def headers(request: Request, call_next):
        response = await call_next(request)
        for k, v in SECURITY_HEADERS.items():
            if k == "Cache-Control":
                response.headers.setdefault(k, v)
            else:
                response.headers[k] = v
        return response

    @app.exception_handler(NotAuthenticated)
    async def not_authenticated(request: Request, _exc: NotAuthenticated):
        if is_api(request):
            return JSONResponse({"detail": "login required"}, status_code=401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return error_response(request, exc.status_code, str(exc.detail), exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        return error_response(request, 422, validation_message(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        # The class only: a message or traceback may quote a value from the request (item text).
        log.error("unexpected %s on %s %s", exc.__class__.__name__, request.method, request.url.path)
        response = error_response(request, 500, "Something went wrong on the server. It has been logged.")
        for k, v in SECURITY_HEADERS.items():  # this answer bypasses the middleware below
            response.headers[k] = v
        return response


def wants_html(request: Request) -> bool:
    return not is_api(request) and "text/html" in request.headers.get("accept", "")


def error_response(request: Request, status: int, detail: str, headers: Mapping[str, str] | None = None):
    if wants_html(request):
        return page(request, "error.html", status=status, code=status, detail=detail)
    return JSONResponse({"detail": detail}, status_code=status, headers=dict(headers or {}))


def validation_message(exc: RequestValidationError) -> str:
    """One readable line per problem, naming the field; never the value sent (it may be case text)."""
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "form"))
        parts.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"
