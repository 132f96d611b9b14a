"""The database: SQLAlchemy models, Alembic migrations (applied on first use) and the import entry point.

    from casereview.store import import_documents
    import_documents("sqlite:///out/casereview.db", docs)   # redacted Documents only; idempotent by id
"""

from casereview.store.db import DEFAULT_DB_URL, create_db_engine, get_engine, resolve_db_url, session_factory
from casereview.store.imports import import_documents

__all__ = ["DEFAULT_DB_URL", "create_db_engine", "get_engine", "import_documents", "resolve_db_url",
           "session_factory"]
