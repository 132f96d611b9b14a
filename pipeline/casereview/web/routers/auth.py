"""Logging in and out, and who am I."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from casereview.store.models import WebSession
from casereview.store.users import authenticate
from casereview.web import security as sec
from casereview.web.deps import CSRF, DB, CurrentSession, CurrentUser, get_ctx, page, safe_next, secure
from casereview.web.schemas import Me

log = logging.getLogger("casereview.web")  # names users and counts; never item text
router = APIRouter()


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
        next=safe_next(next_),
        login_csrf=sec.login_serializer(get_ctx(request).secret).dumps(raw),
        user=None,
    )
    response.set_cookie(
        sec.LOGIN_COOKIE, raw, httponly=True, samesite="lax", secure=secure(request), max_age=7200, path="/login"
    )
    for k, v in (headers or {}).items():
        response.headers[k] = v
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, db: DB, next: str = "/queue"):
    if sec.load_session(db, request.cookies.get(sec.SESSION_COOKIE)) is not None:
        return RedirectResponse(safe_next(next), status_code=303)  # already logged in
    return login_page(request, next_=next)


@router.post("/login")
def login(
    *,
    request: Request,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    csrf_token: Annotated[str, Form(max_length=500)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/queue",
    db: DB,
):
    ctx = get_ctx(request)
    params = ctx.params
    if not sec.login_csrf_check(ctx.secret, request.cookies.get(sec.LOGIN_COOKIE), csrf_token):
        return login_page(request, 403, "The form expired. Please try again.", next)
    ip = request.client.host if request.client else "unknown"
    username = username.strip()
    window = int(params.login_window_seconds)
    if sec.too_many_failures(
        db, username, ip, int(params.login_max_failures_per_user), int(params.login_max_failures_per_ip), window
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
    response = RedirectResponse(safe_next(next), status_code=303)
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


@router.post("/logout", dependencies=[CSRF])
def logout(ws: CurrentSession, db: DB):
    row = db.get(WebSession, ws.id)
    if row is not None:
        db.delete(row)
        db.commit()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(sec.SESSION_COOKIE, path="/")
    return response


@router.get("/api/me", response_model=Me)
def api_me(request: Request, user: CurrentUser) -> Me:
    return Me(name=user.name, role=user.role, csrf_token=request.state.csrf)
