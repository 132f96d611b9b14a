"""What every router depends on: the app's context, a database session, the logged-in user, role checks,
CSRF and page rendering. Routers take these through FastAPI's Depends, never from globals."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Path, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session, sessionmaker

from casereview.config import Config, WebConfig
from casereview.store.models import ItemRow, User, WebSession
from casereview.taxonomy import LabelSets
from casereview.web import security as sec
from casereview.web.policy import allowed


@dataclass(frozen=True)
class WebContext:
    """Built once by create_app and kept in app.state.ctx."""

    config: Config
    params: WebConfig
    taxonomy: LabelSets
    sessions: sessionmaker[Session]
    templates: Jinja2Templates
    secret: str
    secure_cookies: bool | None = None
    password_checks: sec.PasswordChecks = field(default_factory=lambda: sec.PasswordChecks(2))

    @property
    def scie_ids(self) -> list[str]:
        return [c.id for c in self.taxonomy.scie]

    @property
    def theme_ids(self) -> list[str]:
        return [t.id for t in self.taxonomy.themes]


class NotAuthenticated(Exception):
    """No valid session: pages redirect to /login, the API answers 401."""


def get_ctx(request: Request) -> WebContext:
    return request.app.state.ctx


Ctx = Annotated[WebContext, Depends(get_ctx)]


def get_db(ctx: Ctx) -> Iterator[Session]:
    with ctx.sessions() as db:
        yield db


DB = Annotated[Session, Depends(get_db)]


def current_session(request: Request, db: DB) -> WebSession:
    ws = sec.load_session(db, request.cookies.get(sec.SESSION_COOKIE))
    if ws is None:
        raise NotAuthenticated()
    request.state.user = ws.user
    request.state.csrf = ws.csrf_token
    return ws


CurrentSession = Annotated[WebSession, Depends(current_session)]


def current_user(ws: CurrentSession) -> User:
    return ws.user


CurrentUser = Annotated[User, Depends(current_user)]


def require(permission: str):
    """A dependency giving the user if their role has `permission` (resources/permissions.yaml), else 403."""

    def dep(user: CurrentUser) -> User:
        if not allowed(user.role, permission):
            raise HTTPException(403, "Your role may not do this.")
        return user

    return dep


async def csrf(request: Request, ws: CurrentSession) -> None:
    """Every state-changing route depends on this: header for the API, hidden field for forms."""
    token = request.headers.get(sec.CSRF_HEADER)
    if not token and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        field = (await request.form()).get(sec.CSRF_FIELD)
        token = field if isinstance(field, str) else None
    if not sec.tokens_match(token, ws.csrf_token):
        raise HTTPException(403, "missing or invalid CSRF token")


CSRF = Depends(csrf)


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def secure(request: Request) -> bool:
    ctx = get_ctx(request)
    return ctx.secure_cookies if ctx.secure_cookies is not None else request.url.scheme == "https"


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("user", getattr(request.state, "user", None))
    context.setdefault("csrf_token", getattr(request.state, "csrf", ""))
    return get_ctx(request).templates.TemplateResponse(request, name, context, status_code=status)


def safe_next(target: str | None) -> str:
    # Only same-site relative paths, so the login page cannot be used as an open redirect.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/queue"


# Item keys are database integers: anything outside their range is a 422, not an overflow in the driver.
ItemPk = Annotated[int, Path(ge=1, le=2**63 - 1)]

Reader = Annotated[User, Depends(require("read_labels"))]


def item_viewer(pk: ItemPk, db: DB, user: CurrentUser) -> User:
    """May this user see item pk? Everyone who sees the queue sees pending items; a verified item shows a
    human label, so it needs read_labels, as the label export does (page and API alike)."""
    if not allowed(user.role, "view_queue"):
        raise HTTPException(403, "Your role may not do this.")
    if not allowed(user.role, "read_labels"):
        item = db.get(ItemRow, pk)
        if item is not None and item.status != "pending":
            raise HTTPException(403, "Your role may not see verified labels.")
    return user


ItemViewer = Annotated[User, Depends(item_viewer)]
