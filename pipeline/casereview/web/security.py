"""Sessions, CSRF, the client's address, known-device cookies and login rate limiting.

The session cookie carries a random token; the server keeps only its SHA-256 in the sessions table with an
expiry and a per-session CSRF token. The login form (no session yet) uses a signed double-submit token.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import secrets
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from starlette.requests import Request

from casereview.store.models import LoginAttempt, Setting, User, WebSession, utcnow

SESSION_COOKIE = "cr_session"
LOGIN_COOKIE = "cr_login"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
DEVICE_COOKIE = "cr_device"
T = TypeVar("T")
MAX_KNOWN_ACCOUNTS = 5


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def secret_key(db: Session) -> str:
    """The signing key, generated once and kept in the database so restarts and workers share it."""
    row = db.get(Setting, "secret_key")
    if row is None:
        row = Setting(key="secret_key", value=secrets.token_urlsafe(48))
        db.add(row)
        db.commit()
    return row.value


def new_session(db: Session, user: User, hours: float) -> str:
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.execute(delete(WebSession).where(WebSession.expires_at < now))  # tidy expired sessions
    db.add(WebSession(id=token_hash(token), user_id=user.id, csrf_token=secrets.token_urlsafe(32),
                      created_at=now, expires_at=now + timedelta(hours=hours)))
    return token


def load_session(db: Session, token: str | None) -> WebSession | None:
    if not token:
        return None
    ws = db.get(WebSession, token_hash(token))
    if ws is None or ws.expires_at < utcnow() or not ws.user.active:
        return None
    return ws


def tokens_match(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


# -- login form CSRF (double submit: random cookie + signed copy in the form) ----------------------------


def login_serializer(key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(key, salt="casereview-login-csrf")


def login_csrf_check(key: str, cookie: str | None, form_token: str | None, max_age: int = 7200) -> bool:
    if not cookie or not form_token:
        return False
    try:
        value = login_serializer(key).loads(form_token, max_age=max_age)
    except BadSignature:
        return False
    return tokens_match(value, cookie)


# -- client address ---------------------------------------------------------------------------------------


def _networks(trusted: Sequence[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(t.strip(), strict=False) for t in trusted if t.strip()]


def _is_trusted(addr: str, nets: Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    try:
        ip = ipaddress.ip_address(addr.strip())
    except ValueError:
        return False
    return any(ip in net for net in nets)


def client_address(request: Request, trusted_proxies: Sequence[str]) -> str:
    """The address limits are counted by: the peer's, unless the peer is a configured proxy; then the
    right-most X-Forwarded-For entry that is not a trusted proxy (entries to its left are the client's to forge)."""
    host = request.client.host if request.client else "unknown"
    nets = _networks(trusted_proxies)
    if not nets or not _is_trusted(host, nets):
        return host[:64]
    forwarded = [p.strip() for h in request.headers.getlist("x-forwarded-for") for p in h.split(",") if p.strip()]
    for addr in reversed(forwarded):
        if not _is_trusted(addr, nets):
            return addr[:64]
    return (forwarded[0] if forwarded else host)[:64]


# -- known devices (OWASP "device cookies") ---------------------------------------------------------------


def device_serializer(key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(key, salt="casereview-known-device")


def known_accounts(key: str, cookie: str | None, days: int) -> list[str]:
    """The accounts this browser has logged in to (lower-cased), from its signed device cookie."""
    if not cookie or len(cookie) > 4000:
        return []
    try:
        value = device_serializer(key).loads(cookie, max_age=days * 86400)
    except BadSignature:
        return []
    names = value.get("accounts") if isinstance(value, dict) else None
    return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []


def device_cookie(key: str, cookie: str | None, username: str, days: int) -> str:
    """The cookie to set after a good login: this account added to the ones the browser already knows."""
    names = [n for n in known_accounts(key, cookie, days) if n != username.lower()]
    names = [*names, username.lower()][-MAX_KNOWN_ACCOUNTS:]
    return device_serializer(key).dumps({"accounts": names, "n": secrets.token_urlsafe(8)})


# -- rate limiting ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    per_account: int  # only for browsers without the account's device cookie
    per_account_ip: int
    per_ip: int
    window_s: int


def start_attempt(db: Session, username: str, ip: str, limits: Limits, known_device: bool) -> tuple[int, bool]:
    """Record this attempt and commit, then count the attempts in the window, this one included.

    Recording first makes the limit atomic: of N parallel attempts each sees at least the ones committed
    before it, so no more than the limit reach the password check. Returns (attempt id, over the limit).
    """
    now = utcnow()
    since = now - timedelta(seconds=limits.window_s)
    # Old attempts are useless for the limit; drop them so the table stays small.
    db.execute(delete(LoginAttempt).where(LoginAttempt.at < now - timedelta(seconds=limits.window_s * 4)))
    row = LoginAttempt(username=username.lower()[:120], ip=ip[:64], at=now)
    db.add(row)
    db.commit()

    def count(*where) -> int:
        return db.scalar(select(func.count()).where(LoginAttempt.at >= since, *where)) or 0

    limited = (
        count(LoginAttempt.ip == row.ip) > limits.per_ip
        or count(LoginAttempt.ip == row.ip, LoginAttempt.username == row.username) > limits.per_account_ip
        or (not known_device and count(LoginAttempt.username == row.username) > limits.per_account)
    )
    return row.id, limited


def end_attempt(db: Session, attempt_id: int) -> None:
    """Forget an attempt that did not fail a password check (refused by the limit, or a good login)."""
    db.execute(delete(LoginAttempt).where(LoginAttempt.id == attempt_id))


# -- password checks ------------------------------------------------------------------------------------


class PasswordChecks:
    """A small pool of its own for argon2 checks (64 MiB and a core each): a login flood queues here, not in
    the threadpool that serves every other request, and never runs more than `size` checks at once."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._pool = ThreadPoolExecutor(max_workers=size, thread_name_prefix="password-check")

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)
