"""User accounts, for admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from casereview.store.errors import StoreError
from casereview.store.models import User
from casereview.store.users import create_user
from casereview.web.deps import CSRF, DB, page, require

router = APIRouter()
Admin = Annotated[User, Depends(require("manage_users"))]


def all_users(db: Session) -> list[User]:
    return list(db.scalars(select(User).order_by(User.name)))


@router.get("/users", response_class=HTMLResponse)
def users_page(request: Request, db: DB, _user: Admin):
    return page(request, "users.html", users=all_users(db))


@router.post("/users", response_class=HTMLResponse, dependencies=[CSRF])
def users_add(
    *,
    request: Request,
    name: Annotated[str, Form(max_length=120)] = "",
    role: Annotated[str, Form(max_length=20)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    db: DB,
    _user: Admin,
):
    error = None
    try:
        create_user(db, name, role, password)
        db.commit()
    except StoreError as exc:
        db.rollback()
        error = str(exc)
    return page(request, "users.html", status=400 if error else 200, error=error, users=all_users(db))
