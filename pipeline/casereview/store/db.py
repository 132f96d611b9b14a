"""Engine factory: a database URL (argument, CASEREVIEW_DB, or sqlite:///casereview.db in the working
directory), SQLite in WAL mode with foreign keys on, PostgreSQL by URL, migrations applied on first use."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_DB_URL = "sqlite:///casereview.db"
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def resolve_db_url(db_url: str | None = None) -> str:
    return db_url or os.environ.get("CASEREVIEW_DB") or DEFAULT_DB_URL


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    # WAL lets the web app read while a batch import writes; foreign keys are off by default in SQLite.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def create_db_engine(db_url: str | None = None, *, migrate: bool = True) -> Engine:
    """A new engine for the URL; with migrate=True the schema is brought to `head` first."""
    url = resolve_db_url(db_url)
    if url.startswith("sqlite"):
        # hide_parameters: SQL errors must not echo bound values (item text) into logs or tracebacks.
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10},
                               hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True, hide_parameters=True)
    if migrate:
        upgrade(engine)
    return engine


def get_engine(db_url: str | None = None) -> Engine:
    """One engine per URL per process, migrated once."""
    url = resolve_db_url(db_url)
    with _lock:
        if url not in _engines:
            _engines[url] = create_db_engine(url)
        return _engines[url]


def session_factory(db_url: str | None = None) -> sessionmaker[Session]:
    return sessionmaker(get_engine(db_url), expire_on_commit=False)


def alembic_config(engine: Engine | None = None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply Alembic migrations (`upgrade head`) on the given engine."""
    from alembic import command

    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
