"""`casereview users add|list`: manage accounts for the QA web app."""

from __future__ import annotations

import sys

import typer

users_app = typer.Typer(help="Manage web app users (roles: admin, reviewer, qa, researcher).",
                        no_args_is_help=True)

DB_HELP = "Database URL (default: $CASEREVIEW_DB or sqlite:///casereview.db)."


@users_app.command("add")
def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="User name."),
    role: str = typer.Option(..., "--role", help="admin, reviewer, qa or researcher."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Add a user; the password is prompted for (or read from stdin) and stored as an argon2 hash.
    The server's password policy applies (web.password_min_length, not containing the user name)."""
    from casereview.commands import config, die
    from casereview.store import session_factory
    from casereview.store.errors import StoreError
    from casereview.store.models import ROLES
    from casereview.store.users import create_user

    if role not in ROLES:
        die(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    min_length = int(config(ctx).web.password_min_length)
    try:
        with session_factory(db)() as session, session.begin():
            create_user(session, name, role, password, min_length=min_length, by="cli")
    except StoreError as exc:
        die(str(exc))
    typer.echo(f"added {name} ({role})")


@users_app.command("list")
def list_(db: str | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """List users and their roles."""
    from sqlalchemy import select

    from casereview.store import session_factory
    from casereview.store.models import User

    with session_factory(db)() as session:
        for user in session.scalars(select(User).order_by(User.name)):
            typer.echo(f"{user.name}\t{user.role}\t{'active' if user.active else 'disabled'}")


@users_app.command("set-password")
def set_password(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="User name."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password from stdin."),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Set a new password for a user (their open sessions are ended)."""
    from casereview.commands import config

    min_length = int(config(ctx).web.password_min_length)
    _update(name, db, min_length=min_length,
            password=(sys.stdin.readline().rstrip("\r\n") if password_stdin else
                      typer.prompt("New password", hide_input=True, confirmation_prompt=True)))


@users_app.command("disable")
def disable(name: str = typer.Argument(..., help="User name."),
            db: str | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Disable a user: they can no longer log in and their open sessions stop working."""
    _update(name, db, active=False)


@users_app.command("enable")
def enable(name: str = typer.Argument(..., help="User name."),
           db: str | None = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Enable a disabled user again."""
    _update(name, db, active=True)


def _update(name: str, db: str | None, *, password: str | None = None, active: bool | None = None,
            min_length: int = 12) -> None:
    from casereview.commands import die
    from casereview.store import session_factory
    from casereview.store.errors import StoreError
    from casereview.store.users import get_user, set_active, set_password

    try:
        with session_factory(db)() as session, session.begin():
            user = get_user(session, name)
            if user is None:
                die(f"no user {name!r}")
            if password is not None:  # the policy as in the browser; open sessions end
                set_password(session, user, password, min_length=min_length, by="cli")
            if active is not None:  # disabling ends open sessions
                set_active(session, user, active, by="cli")
    except StoreError as exc:
        die(str(exc))
    typer.echo(f"updated {name}")


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
