"""Suite-wide fixtures: the PostgreSQL server that the PostgreSQL copies of the store and web tests use."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.pgcluster import find_bindir, temporary_cluster

PG_URL_ENV = "CASEREVIEW_TEST_PG_URL"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """CASEREVIEW_TEST_PG_URL when set (any server); else a throw-away cluster of Debian's postgresql on a
    unix socket in a temp dir, started on first use and stopped when the session ends. Skips only when
    neither exists, like the browser test without chromium; a cluster that fails to start is an error."""
    server = os.environ.get(PG_URL_ENV)
    if server:
        yield server
        return
    if find_bindir() is None:
        pytest.skip(f"no PostgreSQL server binaries (make system-deps installs postgresql) and {PG_URL_ENV} unset")
    pytest.importorskip("psycopg", reason="the PostgreSQL driver is in the dev extra: make venv")
    with temporary_cluster() as url:
        os.environ[PG_URL_ENV] = url  # for anything the tests start in a subprocess
        try:
            yield url
        finally:
            os.environ.pop(PG_URL_ENV, None)
