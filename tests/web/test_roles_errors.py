"""Roles are the same for pages and the JSON API, and no input gives a 500: every error is a page or JSON
with the right status."""

from __future__ import annotations

import logging
import re

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from tests.web.conftest import csrf_of

HUGE = str(2**70)


def verified_and_pending(clients) -> tuple[int, int]:
    qa = clients["qa"]
    first, second = qa.get("/api/queue").json()["items"][:2]
    r = qa.post(f"/api/items/{first['pk']}/accept", json={"version": first["version"]},
                headers={"X-CSRF-Token": csrf_of(qa)})
    assert r.status_code == 200
    return first["pk"], second["pk"]


def test_roles_without_read_labels_see_no_human_labels(clients):
    verified, pending = verified_and_pending(clients)
    refused = [
        "/audit", "/api/audit", f"/api/items/{pending}/audit", "/agreement", "/api/agreement",
        "/api/queue?status=verified", "/api/queue?status=all", "/queue?status=verified", "/queue?status=all",
        f"/items/{verified}", f"/api/items/{verified}", f"/items/{pending}?status=all",
        "/audit/export.csv", "/export/labels.jsonl",
    ]
    allowed = ["/queue", "/api/queue", f"/items/{pending}", f"/api/items/{pending}"]
    reviewer = clients["reviewer"]
    for path in refused:
        r = reviewer.get(path, headers={"accept": "text/html"})
        assert r.status_code == 403, (path, r.status_code)
        if not path.startswith("/api/"):
            assert "Not allowed" in r.text and "text/html" in r.headers["content-type"]
    for path in allowed:
        assert reviewer.get(path).status_code == 200, path
    assert all(i["status"] == "pending" for i in reviewer.get("/api/queue").json()["items"])
    assert "/audit" not in reviewer.get("/queue").text  # no links to what the role cannot open
    for role in ("researcher", "qa", "admin"):
        for path in refused + allowed:
            if role == "qa" and path.startswith(("/audit/export", "/export")):
                continue  # export rules belong to the export routes
            assert clients[role].get(path).status_code == 200, (role, path)


def test_huge_ids_are_422_or_404_on_every_route(app, clients):
    from casereview.web.app import ROUTERS

    admin = clients["admin"]
    headers = {"X-CSRF-Token": csrf_of(admin)}
    routes = [r for m in ROUTERS for r in m.router.routes if isinstance(r, APIRoute) and "{" in r.path]
    with_ids = [r for r in routes if re.search(r"\{(pk|user_id|id)\}", r.path)]
    assert len(with_ids) >= 4
    for route in with_ids:
        path = re.sub(r"\{(pk|user_id|id)\}", HUGE, route.path)
        for method in route.methods:
            for value in (HUGE, "0", "-1", "1e9", "abc"):
                r = admin.request(method, path.replace(HUGE, value), json={"version": 0}, headers=headers)
                assert r.status_code in (404, 422), (method, route.path, value, r.status_code)


def test_bad_bodies_are_422(clients):
    qa = clients["qa"]
    pk = qa.get("/api/queue").json()["items"][0]["pk"]
    token = csrf_of(qa)
    h = {"X-CSRF-Token": token}
    url = f"/api/items/{pk}/labels"
    assert qa.post(url, json={"version": 0, "comment": 5}, headers=h).status_code == 422
    r = qa.post(url, data={"version": "0", "comment": "x", "csrf_token": token}, headers=h)
    assert r.status_code in (415, 422)
    r = qa.post(url, content=b'{"version": 0,', headers={**h, "content-type": "application/json"})
    assert r.status_code == 422 and "detail" in r.json()
    r = qa.post(url, content=b"\xff\xfe", headers={**h, "content-type": "application/json"})
    assert r.status_code == 422
    r = qa.post(url, json=[1, 2], headers=h)
    assert r.status_code == 422
    # The message names the field, never the value sent.
    r = qa.post(url, json={"version": 0, "comment": 5, "scie": "SECRET-VALUE"}, headers=h)
    assert "comment" in r.json()["detail"] and "SECRET-VALUE" not in r.text


def test_a_browser_gets_422_as_a_page(clients):
    r = clients["qa"].get("/queue", params={"q": "x" * 501}, headers={"accept": "text/html"})
    assert r.status_code == 422 and "text/html" in r.headers["content-type"]
    assert "<h1>" in r.text and "q:" in r.text and not r.text.lstrip().startswith("{")
    r = clients["qa"].get(f"/items/{HUGE}", headers={"accept": "text/html"})
    assert r.status_code == 422 and "text/html" in r.headers["content-type"]
    r = clients["qa"].get("/api/queue?limit=-1", headers={"accept": "text/html"})
    assert r.status_code == 422 and r.json()["detail"]  # the API stays JSON


def test_an_unexpected_error_is_a_plain_500_without_details(app, clients, monkeypatch, caplog):
    from casereview.web.routers import agreement

    def boom(*_a, **_k):
        raise RuntimeError("SECRET item text in a message")

    monkeypatch.setattr(agreement, "agreement_data", boom)
    client = TestClient(app, raise_server_exceptions=False, cookies=clients["admin"].cookies)
    caplog.set_level(logging.ERROR)
    r = client.get("/agreement", headers={"accept": "text/html"})
    assert r.status_code == 500 and "text/html" in r.headers["content-type"]
    assert "SECRET" not in r.text and r.headers["X-Frame-Options"] == "DENY"
    r = client.get("/api/agreement")
    assert r.status_code == 500 and r.json() == {"detail": "Something went wrong on the server. It has been logged."}
    assert "RuntimeError" in caplog.text and "SECRET" not in caplog.text


JUNK_QUERY = ("?offset=-1&limit=abc&status=%00&document=" + "x" * 300 + "&format=exe&kind=%ff&theme=&category=..%2F"
              "&next=//evil&q=" + "y" * 5000)
JUNK_BODIES = [
    {"json": {"version": "x", "comment": 5, "themes": "neglect", "documents": "x", "folder": 7}},
    {"json": [1, 2]},
    {"json": "just a string"},
    {"json": {"version": 2**70, "scie": None, "themes": [None]}},
    {"content": b'{"version": 0,', "headers": {"content-type": "application/json"}},
    {"content": b"\xff\xfe\x00", "headers": {"content-type": "application/json"}},
    {"data": {"version": "-5", "action": "nonsense", "themes": "x" * 100, "role": "boss", "active": "maybe",
              "password": "", "name": " "}},
    {"content": b"--x\r\nbroken", "headers": {"content-type": "multipart/form-data; boundary=x"}},
    {"content": b"a=%ZZ&&=", "headers": {"content-type": "application/x-www-form-urlencoded"}},
    {"files": {"files": ("a.json", b"{not json", "application/json")}},
]


@pytest.mark.parametrize("accept", ["application/json", "text/html"])
def test_no_route_gives_a_500_on_junk(app, clients, accept):
    from casereview.web.app import ROUTERS

    admin_cookies = clients["admin"].cookies
    token = csrf_of(clients["admin"])
    client = TestClient(app, raise_server_exceptions=False, cookies=admin_cookies)
    routes = [r for m in ROUTERS for r in m.router.routes if isinstance(r, APIRoute) and r.path != "/logout"]
    tried = 0
    for route in routes:
        for value in ("0", HUGE, "abc", "%2e%2e", "1"):
            path = re.sub(r"\{[^}]+\}", value, route.path) + JUNK_QUERY
            for method in route.methods:
                bodies = JUNK_BODIES if method in ("POST", "PUT", "PATCH") else [{}]
                for body in bodies:
                    kwargs = dict(body)
                    kwargs["headers"] = {"accept": accept, "X-CSRF-Token": token, **body.get("headers", {})}
                    r = client.request(method, path, follow_redirects=False, **kwargs)
                    tried += 1
                    assert r.status_code < 500, (method, route.path, value, body, r.status_code)
    assert tried > 200
    assert client.get("/api/me").json()["role"] == "admin"  # junk changed nothing about the admin


def test_status_dropdown_offers_only_what_the_role_may_list(clients):
    options = re.compile(r'<select id="f-status" name="status">(.*?)</select>', re.S)
    reviewer = options.search(clients["reviewer"].get("/queue").text).group(1)
    assert 'value="pending"' in reviewer and 'value="verified"' not in reviewer and 'value="all"' not in reviewer
    assert clients["reviewer"].get("/api/queue?status=verified").status_code == 403  # what it would have asked
    qa = options.search(clients["qa"].get("/queue").text).group(1)
    assert all(f'value="{s}"' in qa for s in ("pending", "verified", "all"))
