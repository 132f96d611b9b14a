"""HTTP behaviour of the QA app: access control, CSRF, roles, audit, rate limiting, import and export."""

from __future__ import annotations

import json
import re

import pytest
from casereview.store import session_factory
from casereview.store.models import ItemRow
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.store.seed import make_document
from tests.web.conftest import PASSWORD, csrf_of, login


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", lambda m: "csv" if m.group(0) == "{fmt}" else "1", path)


def _first_pending(client) -> dict:
    return client.get("/api/queue").json()["items"][0]


def test_every_route_refuses_anonymous_users(app):
    client = TestClient(app)
    # FastAPI keeps included routers as wrappers: read the routes from each router the app includes.
    from casereview.web.app import ROUTERS

    routes = [r for m in ROUTERS for r in m.router.routes if isinstance(r, APIRoute) and r.path != "/login"]
    assert len(routes) > 15
    for route in routes:
        path = _concrete(route.path)
        for method in route.methods:
            r = client.request(method, path, follow_redirects=False, headers={"accept": "text/html"})
            if path.startswith("/api/"):
                assert r.status_code == 401, (method, path, r.status_code)
            else:
                assert r.status_code == 303, (method, path, r.status_code)
                assert r.headers["location"].startswith("/login?next=")
    assert client.get("/login").status_code == 200
    assert client.get("/static/app.css").status_code == 200


def test_session_cookie_flags(app):
    r = login(TestClient(app), "qa1")
    cookie = r.headers["set-cookie"]
    assert "cr_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain http in tests
    r = login(TestClient(app, base_url="https://testserver"), "qa1")
    assert "Secure" in r.headers["set-cookie"]


def test_login_requires_its_own_csrf_token(app):
    client = TestClient(app)
    client.get("/login")
    r = client.post("/login", data={"username": "qa1", "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 403


def test_state_changing_routes_need_a_csrf_token(app, clients):
    qa = clients["qa"]
    item = _first_pending(qa)
    assert qa.post(f"/api/items/{item['pk']}/accept", json={}).status_code == 403
    assert qa.post(f"/api/items/{item['pk']}/accept", json={}, headers={"X-CSRF-Token": "wrong"}).status_code == 403
    assert qa.post(f"/items/{item['pk']}", data={"action": "accept"}, follow_redirects=False).status_code == 403
    assert qa.post("/logout", follow_redirects=False).status_code == 403
    assert clients["admin"].post("/users", data={"name": "x", "role": "qa", "password": "12345678"}).status_code == 403
    assert clients["reviewer"].post("/api/import", json={"documents": []}).status_code == 403
    # every POST route in the app is guarded
    from casereview.web.app import ROUTERS

    for route in (r for m in ROUTERS for r in m.router.routes):
        if isinstance(route, APIRoute) and "POST" in route.methods and route.path not in ("/login",):
            r = clients["admin"].post(_concrete(route.path), follow_redirects=False)
            assert r.status_code == 403, route.path
    assert _first_pending(qa)["status"] == "pending"


def test_researcher_and_reviewer_cannot_change_labels(clients):
    for role in ("researcher", "reviewer"):
        c = clients[role]
        item = _first_pending(c)
        token = csrf_of(c)
        r = c.post(f"/api/items/{item['pk']}/accept", json={}, headers={"X-CSRF-Token": token})
        assert r.status_code == 403
        r = c.post(f"/api/items/{item['pk']}/labels", json={"scie": "tools", "themes": []},
                   headers={"X-CSRF-Token": token})
        assert r.status_code == 403
        r = c.post(f"/items/{item['pk']}", data={"csrf_token": token, "action": "accept"}, follow_redirects=False)
        assert r.status_code == 403
        page = c.get(f"/items/{item['pk']}")
        assert page.status_code == 200 and 'id="label-form"' not in page.text
    assert [r for r in clients["qa"].get("/api/audit").json() if r["item_pk"] is not None] == []  # logins and imports only


def test_qa_accept_and_correct_write_audit_rows(clients, env):
    qa = clients["qa"]
    token = csrf_of(qa)
    first, second = qa.get("/api/queue").json()["items"][:2]
    r = qa.post(f"/api/items/{first['pk']}/accept", json={"version": first["version"]},
                headers={"X-CSRF-Token": token})
    assert r.status_code == 200 and r.json()["item"]["status"] == "verified"
    # correction through the HTML form, as the browser sends it
    r = qa.post(f"/items/{second['pk']}", follow_redirects=False, data={
        "csrf_token": token, "action": "save", "scie": "tools", "themes": ["neglect", "voice_of_the_child"],
        "comment": "about the recording system", "version": str(second["version"]), "q_status": "pending"})
    assert r.status_code == 303 and r.headers["location"].startswith("/items/")
    audit = qa.get("/api/audit").json()
    by_item = {}
    for row in audit:
        by_item.setdefault(row["item_pk"], {})[row["field"]] = row
    assert by_item[first["pk"]]["status"]["before"] == "pending"
    assert by_item[first["pk"]]["status"]["after"] == "verified"
    assert by_item[first["pk"]]["status"]["user"] == "qa1"
    corr = by_item[second["pk"]]
    assert corr["scie"]["before"] == second["predicted"]["scie"] and corr["scie"]["after"] == "tools"
    assert corr["themes"]["before"] == sorted(second["predicted"]["themes"])
    assert corr["themes"]["after"] == ["neglect", "voice_of_the_child"]
    assert corr["scie"]["comment"] == "about the recording system"
    assert all(row["at"] for row in audit)
    # visible on the item page and exportable by researchers (not by qa)
    assert "about the recording system" in qa.get(f"/items/{second['pk']}?status=all").text
    csv_text = clients["researcher"].get("/audit/export.csv").text
    assert csv_text.splitlines()[0] == "id,at,user,document,item,action,field,before,after,comment,target"
    assert "tools" in csv_text
    lines = clients["admin"].get("/audit/export.jsonl").text.splitlines()
    assert len(lines) == len(audit)
    assert next(json.loads(x) for x in lines if json.loads(x)["item_pk"])["user"] == "qa1"  # after the logins
    # The same rule as /audit and /api/audit: whoever may read the trail may download it; reviewers may not.
    assert qa.get("/audit/export.csv").status_code == 200
    assert clients["reviewer"].get("/audit/export.csv").status_code == 403
    # stale edits are refused rather than silently overwriting
    r = qa.post(f"/api/items/{first['pk']}/labels", json={"scie": "tools", "version": first["version"]},
                headers={"X-CSRF-Token": token})
    assert r.status_code == 409
    # agreement reflects both decisions
    a = qa.get("/api/agreement").json()
    assert a["verified"] == 2 and a["total"] == 5 and a["scie_n"] == 2 and a["scie_accuracy"] == 0.5
    assert "Cohen" in qa.get("/agreement").text


def test_unknown_labels_are_refused(clients):
    qa = clients["qa"]
    item = _first_pending(qa)
    r = qa.post(f"/api/items/{item['pk']}/labels", json={"scie": "made_up", "themes": []},
                headers={"X-CSRF-Token": csrf_of(qa)})
    assert r.status_code == 422


def test_login_rate_limit_per_user(app):
    client = TestClient(app)
    for _ in range(5):
        assert login(client, "qa1", "wrong-password").status_code == 401
    r = login(client, "qa1")  # even the right password is refused while limited
    assert r.status_code == 429 and "Retry-After" in r.headers
    assert login(TestClient(app, client=("10.9.8.7", 5000)), "qa1").status_code == 429  # from anywhere
    assert login(client, "researcher1").status_code == 303  # other accounts are not locked out


def test_login_rate_limit_per_ip_and_token_reuse(env):
    from casereview.web import create_app

    app = create_app(env["url"], config=env["config"].with_overrides({"web": {"login_max_failures_per_ip": 3}}))
    client = TestClient(app)
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    codes = [client.post("/login", data={"username": f"guess{n}", "password": "x", "csrf_token": token},
                         follow_redirects=False).status_code for n in range(4)]
    assert codes == [401, 401, 401, 429]  # one form token stays valid across attempts
    assert login(client, "qa1").status_code == 429
    assert login(TestClient(app, client=("10.9.8.7", 5000)), "qa1").status_code == 303


def test_import_refuses_unredacted_and_accepts_redacted(clients, env):
    rev = clients["reviewer"]
    token = csrf_of(rev)
    good = make_document("doc-new").to_json()
    bad = make_document("doc-raw", redacted=False).to_json()
    r = rev.post("/import", data={"csrf_token": token},
                 files=[("files", ("doc-new.json", good, "application/json")),
                        ("files", ("doc-raw.json", bad, "application/json"))])
    assert r.status_code == 400
    assert "doc-raw.json" in r.text and "not redacted" in r.text
    with session_factory(env["url"])() as s:
        docs = set(s.scalars(select(ItemRow.document_id)))
    assert "doc-new" in docs and "doc-raw" not in docs
    r = rev.post("/api/import", json={"documents": [json.loads(bad)]}, headers={"X-CSRF-Token": token})
    assert r.status_code == 422 and "not redacted" in r.json()["errors"][0]["error"]
    assert clients["qa"].get("/import").status_code == 403
    assert clients["researcher"].post("/api/import", json={"documents": []},
                                      headers={"X-CSRF-Token": csrf_of(clients["researcher"])}).status_code == 403


def test_item_page_shows_context_prediction_and_shortcuts(clients):
    qa = clients["qa"]
    item = _first_pending(qa)
    html = qa.get(f"/items/{item['pk']}").text
    assert '<mark class="item">' in html and 'class="evidence"' in html
    assert "Agencies did not share the referral" in html  # a neighbouring paragraph
    assert "Human reasoning" in html and "0.42" in html and "0.38" in html  # prediction and runner-up
    for key in ("<kbd>a</kbd>", "<kbd>s</kbd>", "<kbd>t</kbd>", "<kbd>c</kbd>", "<kbd>n</kbd>", "<kbd>p</kbd>"):
        assert key in html
    assert "Content-Security-Policy" in qa.get("/queue").headers


def test_export_labels_endpoint_and_cli(clients, env, tmp_path):
    from casereview.cli import app as cli
    from typer.testing import CliRunner

    qa = clients["qa"]
    item = _first_pending(qa)
    qa.post(f"/api/items/{item['pk']}/accept", json={"version": item["version"]},
            headers={"X-CSRF-Token": csrf_of(qa)})
    out = tmp_path / "labels.jsonl"
    result = CliRunner().invoke(cli, ["export-labels", "--out", str(out), "--db", env["url"]])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 1
    assert set(rows[0]) == {"id", "source", "doc", "type", "text", "themes", "scie", "scie_second", "confidence"}
    assert rows[0]["source"] == "verified" and rows[0]["confidence"] == "high" and rows[0]["scie_second"] is None
    assert rows[0]["scie"] == item["predicted"]["scie"]
    assert clients["researcher"].get("/api/export/labels").json() == rows


def test_cli_import_and_users(env, tmp_path):
    from casereview.cli import app as cli
    from typer.testing import CliRunner

    folder = tmp_path / "batch"
    (folder / "documents").mkdir(parents=True)
    (folder / "documents" / "ok.json").write_text(make_document("doc-cli").to_json())
    (folder / "documents" / "raw.json").write_text(make_document("doc-raw", redacted=False).to_json())
    runner = CliRunner()
    result = runner.invoke(cli, ["import", str(folder), "--db", env["url"]])
    assert result.exit_code == 1
    assert "raw.json" in result.output and "not redacted" in result.output
    assert "imported 1 document" in result.output
    result = runner.invoke(cli, ["users", "add", "newqa", "--role", "qa", "--password-stdin", "--db", env["url"]],
                           input="a-long-password\n")
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["users", "add", "bad", "--role", "boss", "--password-stdin", "--db", env["url"]],
                           input="a-long-password\n")
    assert result.exit_code == 1
    listing = runner.invoke(cli, ["users", "list", "--db", env["url"]]).output
    assert "newqa\tqa" in listing


def test_logout_ends_the_session(clients):
    qa = clients["qa"]
    r = qa.post("/logout", data={"csrf_token": csrf_of(qa)}, follow_redirects=False)
    assert r.status_code == 303
    assert qa.get("/api/me").status_code == 401
    # The end of a session is in the audit trail beside its start.
    trail = [(e["action"], e["user"], e["target"]) for e in clients["admin"].get("/api/audit").json()]
    assert ("logout", "qa1", "user:qa1") in trail and ("login", "qa1", "user:qa1") in trail
    assert not [t for t in trail if t[0] == "logout" and t[1] != "qa1"]


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/"])
def test_login_next_is_not_an_open_redirect(app, target):
    client = TestClient(app)
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    r = client.post("/login", data={"username": "qa1", "password": PASSWORD, "csrf_token": token, "next": target},
                    follow_redirects=False)
    assert r.headers["location"] == "/queue"


def test_disabled_user_loses_access(clients, env):
    from casereview.cli import app as cli
    from typer.testing import CliRunner

    assert clients["qa"].get("/api/me").status_code == 200
    result = CliRunner().invoke(cli, ["users", "disable", "qa1", "--db", env["url"]])
    assert result.exit_code == 0, result.output
    assert clients["qa"].get("/api/me").status_code == 401
    result = CliRunner().invoke(cli, ["users", "set-password", "researcher1", "--password-stdin", "--db", env["url"]],
                                input="another-password\n")
    assert result.exit_code == 0, result.output
    assert clients["researcher"].get("/api/me").status_code == 401


def test_logs_hold_no_item_text(clients, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")  # as if someone turned the SQL log on
    qa, rev = clients["qa"], clients["reviewer"]
    doc = make_document("doc-log")
    rev.post("/api/import", json={"documents": [json.loads(doc.to_json())]}, headers={"X-CSRF-Token": csrf_of(rev)})
    first, second = qa.get("/api/queue").json()["items"][:2]
    token = csrf_of(qa)
    qa.post(f"/api/items/{first['pk']}/accept", json={"version": first["version"]}, headers={"X-CSRF-Token": token})
    qa.post(f"/api/items/{second['pk']}/labels", json={"scie": "tools", "themes": [], "version": second["version"]},
            headers={"X-CSRF-Token": token})
    qa.get(f"/items/{second['pk']}?status=all")
    assert caplog.records, "nothing was logged: the check would be empty"
    assert "INSERT INTO" in caplog.text  # the statement log was on
    for item in doc.items:
        assert item.text not in caplog.text
        assert item.text[:30] not in caplog.text


def test_api_write_requires_version(clients):
    qa = clients["qa"]
    item = _first_pending(qa)
    token = csrf_of(qa)
    for body in ({}, {"version": "1"}, {"version": None}):
        r = qa.post(f"/api/items/{item['pk']}/accept", json=body, headers={"X-CSRF-Token": token})
        assert r.status_code == 422, (body, r.text)
        assert "version" in r.json()["detail"]
    assert qa.get(f"/api/items/{item['pk']}").json()["version"] == item["version"]
    r = qa.post(f"/api/items/{item['pk']}/accept", json={"version": item["version"]}, headers={"X-CSRF-Token": token})
    assert r.status_code == 200
