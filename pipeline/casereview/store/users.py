"""User accounts: creation and password checks (argon2id)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from casereview.store.errors import StoreError
from casereview.store.models import ROLES, User

_hasher = None


def password_hasher():
    global _hasher
    if _hasher is None:
        from argon2 import PasswordHasher

        _hasher = PasswordHasher()
    return _hasher


def create_user(session: Session, name: str, role: str, password: str) -> User:
    name = name.strip()
    if not name:
        raise StoreError("user name must not be empty")
    if role not in ROLES:
        raise StoreError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    if not password:
        raise StoreError("password must not be empty")
    if session.scalar(select(User).where(User.name == name)) is not None:
        raise StoreError(f"user {name!r} already exists")
    user = User(name=name, role=role, password_hash=password_hasher().hash(password), active=True)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, name: str, password: str) -> User | None:
    from argon2.exceptions import InvalidHashError, VerificationError

    user = session.scalar(select(User).where(User.name == name))
    if user is None or not user.active:
        password_hasher().hash(password)  # spend the same time so names cannot be probed by timing
        return None
    try:
        password_hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if password_hasher().check_needs_rehash(user.password_hash):
        user.password_hash = password_hasher().hash(password)
    return user
