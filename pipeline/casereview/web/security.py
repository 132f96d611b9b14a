"""Sessions, CSRF and login rate limiting.

The session cookie carries a random token; the server keeps only its SHA-256 in the sessions table with an
expiry and a per-session CSRF token. The login form (no session yet) uses a signed double-submit token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from casereview.store.models import LoginAttempt, Setting, User, WebSession, utcnow

SESSION_COOKIE = "cr_session"
LOGIN_COOKIE = "cr_login"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


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


# -- rate limiting ---------------------------------------------------------------------------------------


def too_many_failures(db: Session, username: str, ip: str, per_user: int, per_ip: int, window_s: int) -> bool:
    since = utcnow() - timedelta(seconds=window_s)
    by_user = db.scalar(select(func.count()).where(LoginAttempt.username == username.lower(),
                                                  LoginAttempt.at >= since))
    by_ip = db.scalar(select(func.count()).where(LoginAttempt.ip == ip, LoginAttempt.at >= since))
    return (by_user or 0) >= per_user or (by_ip or 0) >= per_ip


def record_failure(db: Session, username: str, ip: str, window_s: int) -> None:
    # Old attempts are useless for the limit; drop them so the table stays small.
    db.execute(delete(LoginAttempt).where(LoginAttempt.at < utcnow() - timedelta(seconds=window_s * 4)))
    db.add(LoginAttempt(username=username.lower()[:120], ip=ip[:64], at=utcnow()))


