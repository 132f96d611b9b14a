"""User accounts: creation, changes by admins, the password policy and password checks (argon2id).

Every change to an account is written to the audit trail (never the password). Callers commit.
"""

from __future__ import annotations

import secrets
import threading

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from casereview.store.audit import record_event
from casereview.store.errors import StoreError
from casereview.store.models import ROLES, User, WebSession

PASSWORD_MIN_LENGTH = 12  # params.yaml web.password_min_length; the default when a caller has no config
PASSWORD_MAX_LENGTH = 1000  # argon2 takes any length, but a megabyte password is a denial of service

_hasher = None
_dummy: str | None = None
_dummy_lock = threading.Lock()


def password_hasher():
    global _hasher
    if _hasher is None:
        from argon2 import PasswordHasher

        _hasher = PasswordHasher()
    return _hasher


def dummy_hash() -> str:
    """A hash of a random password with the same parameters as real ones, made once per process: checking
    a password for an unknown or disabled user costs the same as for a real one, without a new hash()."""
    global _dummy
    with _dummy_lock:
        if _dummy is None:
            _dummy = password_hasher().hash(secrets.token_urlsafe(32))
        return _dummy


def check_password_policy(name: str, password: str, min_length: int = PASSWORD_MIN_LENGTH) -> None:
    """The server's password rules; the browser's minlength is only a convenience."""
    if len(password) < min_length:
        raise StoreError(f"the password must have at least {min_length} characters")
    if len(password) > PASSWORD_MAX_LENGTH:
        raise StoreError(f"the password must have at most {PASSWORD_MAX_LENGTH} characters")
    lowered, who = password.lower(), name.strip().lower()
    if who and who in lowered:
        raise StoreError("the password must not contain the user name")


def get_user(session: Session, name: str) -> User | None:
    return session.scalar(select(User).where(User.name == name))


def create_user(
    session: Session,
    name: str,
    role: str,
    password: str,
    *,
    min_length: int = PASSWORD_MIN_LENGTH,
    actor: User | None = None,
    by: str | None = None,
) -> User:
    name = name.strip()
    if not name:
        raise StoreError("user name must not be empty")
    if len(name) > 120 or any(c.isspace() or not c.isprintable() for c in name):
        raise StoreError("a user name has at most 120 characters and no spaces")
    if role not in ROLES:
        raise StoreError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    check_password_policy(name, password, min_length)
    if get_user(session, name) is not None:
        raise StoreError(f"user {name!r} already exists")
    user = User(name=name, role=role, password_hash=password_hasher().hash(password), active=True)
    session.add(user)
    session.flush()
    _audit(session, actor, by, action="user-create",
           field="role", target=f"user:{name}", after=role)
    return user


def _audit(session: Session, actor: User | None, by: str | None, action: str, **fields) -> None:
    # The row names who made the change: a logged-in admin (actor) or a tool such as "cli" (by). Seeding
    # code that names neither writes no row.
    if actor is not None or by:
        record_event(session, user=actor, username=by, action=action, **fields)


def active_admins(session: Session) -> int:
    return session.scalar(select(func.count()).where(User.role == "admin", User.active.is_(True))) or 0


def _keep_an_admin(session: Session, user: User) -> None:
    # Checked after the change is flushed: no change may leave the workspace without an active admin.
    session.flush()
    if active_admins(session) == 0:
        raise StoreError(f"{user.name} is the last active admin; make another admin first")


def end_sessions(session: Session, user: User) -> None:
    session.execute(delete(WebSession).where(WebSession.user_id == user.id))


def set_role(session: Session, user: User, role: str, *, actor: User | None = None, by: str | None = None) -> None:
    if role not in ROLES:
        raise StoreError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    if role == user.role:
        return
    before, user.role = user.role, role
    _keep_an_admin(session, user)
    _audit(session, actor, by, action="user-role",
                 field="role", target=f"user:{user.name}", before=before, after=role)


def set_active(session: Session, user: User, active: bool, *, actor: User | None = None, by: str | None = None) -> None:
    """Disable or enable an account; disabling ends its sessions at once."""
    if active == user.active:
        return
    user.active = active
    _keep_an_admin(session, user)
    if not active:
        end_sessions(session, user)
    _audit(session, actor, by,
                 action="user-enable" if active else "user-disable", field="active",
                 target=f"user:{user.name}", before=not active, after=active)


def set_password(
    session: Session,
    user: User,
    password: str,
    *,
    min_length: int = PASSWORD_MIN_LENGTH,
    actor: User | None = None,
    by: str | None = None,
) -> None:
    """A new password (the policy applies); the user's open sessions end. The audit row never holds it."""
    check_password_policy(user.name, password, min_length)
    user.password_hash = password_hasher().hash(password)
    end_sessions(session, user)
    _audit(session, actor, by, action="user-password",
                 field="password", target=f"user:{user.name}")


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password against a hash, or against the dummy hash when there is no usable account
    (same cost, so timing does not tell whether a name exists). Run it under the caller's concurrency limit."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        ok = password_hasher().verify(password_hash or dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
    return ok and password_hash is not None


def check_login_password(password_hash: str | None, password: str) -> tuple[bool, str | None]:
    """verify_password, and a new hash when the stored one has old parameters: (good, new hash or None)."""
    if not verify_password(password_hash, password):
        return False, None
    assert password_hash is not None
    return True, password_hasher().hash(password) if password_hasher().check_needs_rehash(password_hash) else None


def login_hash(session: Session, name: str) -> tuple[int | None, str | None]:
    """(user id, password hash) of an account that may log in, else (None, None): check against the dummy."""
    user = get_user(session, name)
    if user is None or not user.active:
        return None, None
    return user.id, user.password_hash


def authenticate(session: Session, name: str, password: str) -> User | None:
    """The user if name and password match an active account (blocking; the web app bounds its checks)."""
    user_id, password_hash = login_hash(session, name)
    ok, new_hash = check_login_password(password_hash, password)
    user = session.get(User, user_id) if ok and user_id is not None else None
    if user is not None and new_hash:
        user.password_hash = new_hash
    return user
