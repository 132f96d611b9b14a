"""Logging in and out, and who am I."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from casereview.store.audit import record_event
from casereview.store.models import User, WebSession
from casereview.store.users import check_login_password, get_user, login_hash
from casereview.web import security as sec
from casereview.web.deps import (
    CSRF,
    DB,
    CurrentSession,
    CurrentUser,
    WebContext,
    get_ctx,
    page,
    safe_next,
    secure,
)
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


@dataclass(frozen=True)
class Attempt:
    id: int
    limited: bool
    user_id: int | None = None
    password_hash: str | None = None


def begin_login(ctx: WebContext, name: str, ip: str, known_device: bool) -> Attempt:
    """Record the attempt and apply the limits; if within them, the hash to check (None: use the dummy)."""
    p = ctx.params
    limits = sec.Limits(
        per_account=int(p.login_max_failures_per_user),
        per_account_ip=int(p.login_max_failures_per_account_ip),
        per_ip=int(p.login_max_failures_per_ip),
        window_s=int(p.login_window_seconds),
    )
    with ctx.sessions() as db:
        attempt_id, limited = sec.start_attempt(db, name, ip, limits, known_device)
        if limited:
            sec.end_attempt(db, attempt_id)
            db.commit()
            return Attempt(attempt_id, True)
        user_id, password_hash = login_hash(db, name)
        return Attempt(attempt_id, False, user_id, password_hash)


def finish_login(ctx: WebContext, attempt: Attempt, ip: str, new_hash: str | None) -> str:
    """A good password: forget the attempt, open a session, audit it. Returns the session cookie's token."""
    with ctx.sessions() as db:
        sec.end_attempt(db, attempt.id)
        user = db.get(User, attempt.user_id)
        if user is None or not user.active:  # disabled while the password was being checked
            raise LoginFailed()
        if new_hash:
            user.password_hash = new_hash
        token = sec.new_session(db, user, float(ctx.params.session_hours))
        record_event(db, user=user, action="login", field="address", target=f"user:{user.name}", after=ip)
        db.commit()
        return token


def record_failure(ctx: WebContext, name: str, ip: str) -> None:
    # The attempt row stays and counts against the limits; the audit row names the account only if it exists.
    with ctx.sessions() as db:
        exists = get_user(db, name) is not None
        record_event(db, user=None, action="login-failed", field="address",
                     target=f"user:{name}" if exists else "login", after=ip)
        db.commit()


class LoginFailed(Exception):
    pass


@router.post("/login")
async def login(
    *,
    request: Request,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    csrf_token: Annotated[str, Form(max_length=500)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/queue",
):
    # Async, with the database work in the shared threadpool (short) and the argon2 check in its own small
    # pool: a flood of logins waits there instead of holding the threads every other request needs.
    ctx = get_ctx(request)
    params = ctx.params
    if not sec.login_csrf_check(ctx.secret, request.cookies.get(sec.LOGIN_COOKIE), csrf_token):
        return login_page(request, 403, "The form expired. Please try again.", next)
    ip = sec.client_address(request, params.trusted_proxies)
    name = username.strip()
    device = request.cookies.get(sec.DEVICE_COOKIE)
    known = name.lower() in sec.known_accounts(ctx.secret, device, int(params.known_device_days))
    attempt = await run_in_threadpool(begin_login, ctx, name, ip, known)
    if attempt.limited:  # refused before any hashing
        log.warning("login rate-limited for a user name from %s", ip)
        window = int(params.login_window_seconds)
        return login_page(request, 429, "Too many failed attempts. Wait a few minutes and try again.", next,
                          headers={"Retry-After": str(window)})
    ok, new_hash = await ctx.password_checks.run(check_login_password, attempt.password_hash, password)
    token = None
    if ok and attempt.user_id is not None:
        try:
            token = await run_in_threadpool(finish_login, ctx, attempt, ip, new_hash)
        except LoginFailed:
            token = None
    if token is None:
        await run_in_threadpool(record_failure, ctx, name, ip)
        return login_page(request, 401, "Wrong user name or password.", next)
    log.info("user %s logged in", name)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(sec.SESSION_COOKIE, token, max_age=int(float(params.session_hours) * 3600), path="/",
                        httponly=True, samesite="lax", secure=secure(request))
    days = int(params.known_device_days)
    response.set_cookie(sec.DEVICE_COOKIE, sec.device_cookie(ctx.secret, device, name, days),
                        max_age=days * 86400, path="/login", httponly=True, samesite="lax", secure=secure(request))
    response.delete_cookie(sec.LOGIN_COOKIE, path="/login")
    return response


@router.post("/logout", dependencies=[CSRF])
def logout(ws: CurrentSession, db: DB):
    row = db.get(WebSession, ws.id)
    if row is not None:
        user = db.get(User, row.user_id)
        if user is not None:  # the trail shows when a session ended, beside when it began
            record_event(db, user=user, action="logout", field="session", target=f"user:{user.name}")
        db.delete(row)
        db.commit()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(sec.SESSION_COOKIE, path="/")
    return response


@router.get("/api/me", response_model=Me)
def api_me(request: Request, user: CurrentUser) -> Me:
    return Me(name=user.name, role=user.role, csrf_token=request.state.csrf)
