"""A seeded database, a fixture taxonomy and logged-in TestClients for each role."""

from __future__ import annotations

import re

import pytest
from casereview.store import import_documents, session_factory
from casereview.store.users import create_user
from fastapi.testclient import TestClient

from tests.store.seed import config_with_taxonomy, database_url, make_document, write_taxonomy

PASSWORD = "correct-horse-1"
ROLES = ("admin", "reviewer", "qa", "researcher")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """SQLite always; PostgreSQL as well (a local throw-away cluster unless CASEREVIEW_TEST_PG_URL names one)."""
    server = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    yield from database_url(request.param, tmp_path, server)


@pytest.fixture()
def env(tmp_path, monkeypatch, db_url):
    taxonomy = write_taxonomy(tmp_path / "taxonomy")
    url = db_url
    import_documents(url, [make_document("doc-001"), make_document("doc-002", n_items=2)])
    with session_factory(url)() as s, s.begin():
        for role in ROLES:
            create_user(s, f"{role}1", role, PASSWORD)
    return {"url": url, "taxonomy": taxonomy, "tmp": tmp_path, "config": config_with_taxonomy(taxonomy)}


@pytest.fixture()
def app(env):
    from casereview.web import create_app

    return create_app(env["url"], config=env["config"])


def login(client: TestClient, name: str, password: str = PASSWORD, **headers):
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    return client.post("/login", data={"username": name, "password": password, "csrf_token": token},
                       follow_redirects=False, headers=headers)


def csrf_of(client: TestClient) -> str:
    return client.get("/api/me").json()["csrf_token"]


@pytest.fixture()
def clients(app):
    """One logged-in client per role, keyed by role."""
    out = {}
    for role in ROLES:
        c = TestClient(app)
        assert login(c, f"{role}1").status_code == 303
        out[role] = c
    return out
