"""Alembic environment: uses the connection casereview.store.db hands over; run by hand it uses
CASEREVIEW_DB, else sqlalchemy.url from alembic.ini."""

from __future__ import annotations

import os

from alembic import context
from casereview.store.models import Base
from sqlalchemy import create_engine

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things in place
    )
    with context.begin_transaction():
        context.run_migrations()


def _url() -> str:
    url = os.environ.get("CASEREVIEW_DB") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database URL: set CASEREVIEW_DB or sqlalchemy.url in alembic.ini")
    return url


def run_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(_url())
    with engine.begin() as conn:
        _run(conn)


if context.is_offline_mode():
    run_offline()
else:
    run_online()
