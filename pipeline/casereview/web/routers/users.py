"""User accounts, for admins: add a user, change a role, disable or enable, set a new password.

Every change goes through store/users.py (password policy, last-admin rule, audit row, sessions ended).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from casereview.store.errors import StoreError
from casereview.store.models import User
from casereview.store.users import create_user, set_active, set_password, set_role
from casereview.web.deps import CSRF, DB, get_ctx, page, require

log = logging.getLogger("casereview.web")  # names users; never passwords
router = APIRouter()
Admin = Annotated[User, Depends(require("manage_users"))]
UserId = Annotated[int, Path(ge=1, le=2**63 - 1)]


def all_users(db: Session) -> list[User]:
    return list(db.scalars(select(User).order_by(User.name)))


# The page says what was done from a fixed list, so a link cannot make it display text of its own.
DONE = {"added": "User added.", "role": "Role changed.", "enabled": "User enabled.",
        "disabled": "User disabled; their sessions have ended.", "password": "Password set; their sessions have ended."}


def users_page_response(request: Request, db: Session, error: str | None = None, msg: str | None = None):
    return page(request, "users.html", status=400 if error else 200, error=error, msg=DONE.get(msg or ""),
                users=all_users(db), min_length=int(get_ctx(request).params.password_min_length))


@router.get("/users", response_class=HTMLResponse)
def users_page(request: Request, db: DB, _user: Admin):
    return users_page_response(request, db, msg=request.query_params.get("msg"))


def apply(request: Request, db: Session, change: Callable[[], object], done: str):
    """Run one change; a refusal (policy, last admin) re-renders the page with the reason, else back to it."""
    try:
        change()
        db.commit()
    except StoreError as exc:
        db.rollback()
        return users_page_response(request, db, error=str(exc))
    return RedirectResponse(f"/users?msg={done}", status_code=303)


@router.post("/users", response_class=HTMLResponse, dependencies=[CSRF])
def users_add(
    *,
    request: Request,
    name: Annotated[str, Form(max_length=120)] = "",
    role: Annotated[str, Form(max_length=20)] = "",
    password: Annotated[str, Form(max_length=5000)] = "",  # the policy says why
    db: DB,
    admin: Admin,
):
    min_length = int(get_ctx(request).params.password_min_length)
    log.info("admin %s adds a user", admin.name)
    return apply(request, db, lambda: create_user(db, name, role, password, min_length=min_length, actor=admin),
                 "added")


def target_user(db: Session, user_id: int) -> User:
    user = db.get(User, user_id)
    if user is None:
        raise HTTPException(404, "no such user")
    return user


@router.post("/users/{user_id}/role", response_class=HTMLResponse, dependencies=[CSRF])
def users_role(
    *, request: Request, user_id: UserId, role: Annotated[str, Form(max_length=20)] = "", db: DB, admin: Admin
):
    user = target_user(db, user_id)
    return apply(request, db, lambda: set_role(db, user, role, actor=admin), "role")


@router.post("/users/{user_id}/active", response_class=HTMLResponse, dependencies=[CSRF])
def users_active(
    *, request: Request, user_id: UserId, active: Annotated[bool, Form()] = False, db: DB, admin: Admin
):
    user = target_user(db, user_id)
    return apply(request, db, lambda: set_active(db, user, active, actor=admin), "enabled" if active else "disabled")


@router.post("/users/{user_id}/password", response_class=HTMLResponse, dependencies=[CSRF])
def users_password(
    *,
    request: Request,
    user_id: UserId,
    password: Annotated[str, Form(max_length=5000)] = "",  # the policy says why
    db: DB,
    admin: Admin,
):
    user = target_user(db, user_id)
    min_length = int(get_ctx(request).params.password_min_length)
    return apply(request, db, lambda: set_password(db, user, password, min_length=min_length, actor=admin),
                 "password")
