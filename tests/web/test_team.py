"""Team work over HTTP: assignment and My queue, the blind second check, kappa between people, progress,
flags and skipping. Runs on SQLite and PostgreSQL (the `env` fixture's db_url)."""

from __future__ import annotations

import re

import markupsafe
import pytest
from casereview.store import session_factory
from casereview.store.models import AuditEvent, ItemRow
from casereview.store.users import create_user
from fastapi.testclient import TestClient
from sklearn.metrics import cohen_kappa_score
from sqlalchemy import func, select

from tests.store.seed import config_with_taxonomy
from tests.web.conftest import PASSWORD, csrf_of, login


@pytest.fixture()
def team(env):
    """An app that samples every item for double verification, and logged-in clients incl. a second QA user."""
    from casereview.web import create_app

    with session_factory(env["url"])() as s, s.begin():
        create_user(s, "qa2", "qa", PASSWORD)
    app = create_app(env["url"], config=config_with_taxonomy(env["taxonomy"], web={"double_verification_share": 1.0}))
    out = {}
    for name in ("admin1", "qa1", "qa2", "researcher1", "reviewer1"):
        c = TestClient(app)
        assert login(c, name).status_code == 303
        c.headers["X-CSRF-Token"] = csrf_of(c)
        out[name] = c
    return out


def pks(env) -> dict[str, int]:
    with session_factory(env["url"])() as s:
        return {i.item_id: i.pk for i in s.scalars(select(ItemRow))}


def audit_count(env) -> int:
    with session_factory(env["url"])() as s:
        return int(s.scalar(select(func.count()).select_from(AuditEvent)))


def test_assign_document_and_items_then_my_queue(env, team):
    admin, qa1, qa2 = team["admin1"], team["qa1"], team["qa2"]
    r = admin.post("/api/assign", json={"document": "doc-001", "user": "qa1"})
    assert r.status_code == 200 and r.json() == {"changed": 3}
    assert admin.post("/api/assign", json={"items": [pks(env)["doc-002-r2"]], "user": "qa2"}).json()["changed"] == 1
    mine = qa1.get("/api/queue?mine=1").json()
    assert sorted(i["id"] for i in mine["items"]) == ["doc-001-r1", "doc-001-r2", "doc-001-r3"]
    assert [i["id"] for i in qa2.get("/api/queue?mine=1").json()["items"]] == ["doc-002-r2"]
    assert qa1.get("/api/queue").json()["total"] == 5  # the shared queue is still everything
    page = qa1.get("/queue?mine=1")
    assert page.status_code == 200 and 'id="nav-mine"' in page.text
    assert page.text.count("/items/") >= 3 and "doc-002-r2" not in page.text
    trail = admin.get(f"/api/items/{pks(env)['doc-001-r1']}/audit").json()
    assert [(e["action"], e["field"], e["after"], e["user"]) for e in trail] == [
        ("assign", "assigned_to", "qa1", "admin1")]
    # Unassign, and refusals: only admins assign, only to QA users, one target at a time.
    assert admin.post("/api/assign", json={"document": "doc-001", "user": None}).json()["changed"] == 3
    assert qa1.get("/api/queue?mine=1").json()["total"] == 0
    assert qa1.post("/api/assign", json={"document": "doc-001", "user": "qa1"}).status_code == 403
    assert admin.post("/api/assign", json={"document": "doc-001", "user": "researcher1"}).status_code == 422
    assert admin.post("/api/assign", json={"document": "doc-001", "items": [1], "user": "qa1"}).status_code == 422
    assert admin.post("/api/assign", json={"document": "nope", "user": "qa1"}).status_code == 422
    no_csrf = TestClient(admin.app, cookies=admin.cookies)
    assert no_csrf.post("/api/assign", json={"document": "doc-001", "user": "qa1"}).status_code == 403


def test_assign_page_forms(env, team):
    admin = team["admin1"]
    page = admin.get("/assign")
    assert page.status_code == 200 and "doc-001.pdf" in page.text and 'value="qa2"' in page.text
    assert 'value="researcher1"' not in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    r = admin.post("/assign", data={"csrf_token": token, "document": "doc-002", "user": "qa2"},
                   follow_redirects=False)
    assert r.status_code == 303 and "msg=assigned-2" in r.headers["location"]
    items_page = admin.get("/assign?document=doc-001")
    assert 'name="items"' in items_page.text
    r = admin.post("/assign", data={"csrf_token": token, "items": [str(pks(env)["doc-001-r2"])], "user": "qa1",
                                    "back": "doc-001"}, follow_redirects=False)
    assert r.status_code == 303 and "document=doc-001" in r.headers["location"]
    assert [i["id"] for i in team["qa1"].get("/api/queue?mine=1").json()["items"]] == ["doc-001-r2"]
    assert team["qa1"].get("/assign").status_code == 403


FIRST = {"doc-001-r1": "multi_agency_working", "doc-001-r2": "family_professional_interaction",
         "doc-001-r3": "management_systems", "doc-002-r1": "tools", "doc-002-r2": "human_reasoning"}
SECOND = {"doc-001-r1": "multi_agency_working", "doc-001-r2": "human_reasoning",
          "doc-001-r3": "management_systems", "doc-002-r1": "tools", "doc-002-r2": "family_professional_interaction"}


def verify(client, pk: int, scie: str, themes: list[str]) -> None:
    version = client.get(f"/api/items/{pk}").json()["version"]
    r = client.post(f"/api/items/{pk}/labels", json={"version": version, "scie": scie, "themes": themes})
    assert r.status_code == 200, r.text


def test_blind_second_check_and_kappa_between_people(env, team):
    qa1, qa2 = team["qa1"], team["qa2"]
    ids = pks(env)
    before = qa1.get("/api/agreement").json()["people"]
    assert before["n"] == 0 and before["scie_kappa"] is None
    assert "No item has been verified twice yet" in qa1.get("/agreement").text
    for item_id, scie in FIRST.items():
        verify(qa1, ids[item_id], scie, ["neglect"] if item_id.endswith("r1") else [])
    assert qa1.get("/api/second").json() == []  # never your own items
    waiting = qa2.get("/api/second").json()
    assert sorted(w["id"] for w in waiting) == sorted(FIRST)
    assert not {"predicted", "verified", "confidence"} & set(waiting[0])

    # The blind page: the item and its context, but no model suggestion, score or first label.
    pk = ids["doc-001-r2"]
    page = qa2.get(f"/second/{pk}")
    assert page.status_code == 200
    item = qa1.get(f"/api/items/{pk}").json()
    assert str(markupsafe.escape(item["text"])) in page.text and "doc-001.pdf" in page.text
    assert "Model's suggestion" not in page.text and 'class="badge">model' not in page.text
    assert 'class="score"' not in page.text and 'class="evidence"' not in page.text
    assert "qa1" not in page.text.split("</header>", 1)[1]  # the first verifier is named nowhere below the nav
    assert "checked" not in page.text  # no choice pre-selected (it would be the first person's or the model's)
    assert qa1.get(f"/second/{pk}").status_code == 403  # the first verifier is refused
    r = qa1.post(f"/api/items/{pk}/second", json={"version": item["version"], "scie": "tools"})
    assert r.status_code == 403
    assert team["researcher1"].get("/second").status_code == 403

    # qa2 second-checks every item: by the form once, the rest over JSON.
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    r = qa2.post(f"/second/{pk}", data={"csrf_token": token, "version": item["version"], "scie": SECOND["doc-001-r2"]},
                 follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/second/")
    assert qa2.get(f"/second/{pk}").status_code == 409  # done already
    stale = qa2.post(f"/api/items/{ids['doc-001-r1']}/second", json={"version": 0, "scie": "tools"})
    assert stale.status_code == 409
    bad = qa2.post(f"/api/items/{ids['doc-001-r1']}/second", json={"version": 1, "scie": "<img src=x>"})
    assert bad.status_code == 422
    for item_id, scie in SECOND.items():
        if item_id == "doc-001-r2":
            continue
        version = qa2.get(f"/api/items/{ids[item_id]}").json()["version"]
        r = qa2.post(f"/api/items/{ids[item_id]}/second", json={"version": version, "scie": scie, "themes": []})
        assert r.status_code == 200, r.text
        assert r.json()["second_by"] == "qa2"
    assert qa2.get("/api/second").json() == []

    people = qa1.get("/api/agreement").json()["people"]
    order = sorted(FIRST)
    expected = cohen_kappa_score([FIRST[k] for k in order], [SECOND[k] for k in order])
    assert people["n"] == 5 and people["scie_kappa"] == pytest.approx(expected)
    assert people["scie_accuracy"] == pytest.approx(3 / 5)
    neglect = next(r for r in people["themes"] if r["id"] == "neglect")
    first_neglect = [k.endswith("r1") for k in order]
    assert any(first_neglect) and neglect["kappa"] == pytest.approx(cohen_kappa_score(first_neglect, [False] * 5))
    assert neglect["agreement"] == pytest.approx(3 / 5)
    assert people["pairs"][0]["people"] == ["qa1", "qa2"] and people["pairs"][0]["n"] == 5
    page = qa1.get("/agreement").text
    assert "Between people (double verification)" in page
    assert f'<strong id="people-scie-kappa">{expected:.2f}</strong>' in page
    # The model-vs-people numbers are still there, and the current labels are the first person's.
    assert qa1.get(f"/api/items/{ids['doc-001-r2']}").json()["verified"]["scie"] == FIRST["doc-001-r2"]
    trail = qa1.get(f"/api/items/{ids['doc-001-r2']}/audit").json()
    assert ("second", "second_scie", "qa2") in [(e["action"], e["field"], e["user"]) for e in trail]


def test_progress_counts(env, team):
    admin, qa1, qa2 = team["admin1"], team["qa1"], team["qa2"]
    ids = pks(env)
    admin.post("/api/assign", json={"document": "doc-001", "user": "qa1"})
    verify(qa1, ids["doc-001-r1"], "tools", [])
    version = qa2.get(f"/api/items/{ids['doc-001-r1']}").json()["version"]
    assert qa2.post(f"/api/items/{ids['doc-001-r1']}/second", json={"version": version, "scie": "tools"}).status_code == 200
    v = qa2.get(f"/api/items/{ids['doc-002-r1']}").json()["version"]
    assert qa2.post(f"/api/items/{ids['doc-002-r1']}/flag", json={"version": v, "flagged": True}).status_code == 200
    p = team["researcher1"].get("/api/progress").json()
    people = {r["user"]: r for r in p["people"]}
    assert people["qa1"] == {"user": "qa1", "assigned": 3, "assigned_pending": 2, "verified": 1, "second_checks": 0}
    assert people["qa2"]["second_checks"] == 1 and people["qa2"]["assigned"] == 0
    docs = {d["name"]: d for d in p["documents"]}
    assert docs["doc-001.pdf"]["verified"] == 1 and docs["doc-001.pdf"]["pending"] == 2
    assert docs["doc-001.pdf"]["assigned"] == {"qa1": 3}
    assert docs["doc-002.pdf"]["flagged"] == 1 and docs["doc-002.pdf"]["total"] == 2
    page = qa1.get("/progress")
    assert page.status_code == 200 and "doc-001.pdf" in page.text and "qa1 (3)" in page.text
    assert team["reviewer1"].get("/api/progress").status_code == 403


def test_flag_unflag_audited_version_checked_and_filtered(env, team):
    qa1 = team["qa1"]
    pk = pks(env)["doc-001-r2"]
    v = qa1.get(f"/api/items/{pk}").json()["version"]
    assert qa1.post(f"/api/items/{pk}/flag", json={"version": v + 1, "flagged": True}).status_code == 409
    assert qa1.post(f"/api/items/{pk}/flag", json={"flagged": True}).status_code == 422  # version is required
    assert team["researcher1"].post(f"/api/items/{pk}/flag", json={"version": v, "flagged": True}).status_code == 403
    r = qa1.post(f"/api/items/{pk}/flag", json={"version": v, "flagged": True, "note": "tools or FPI?"})
    assert r.status_code == 200 and r.json()["flagged"] is True and r.json()["version"] == v + 1
    assert [i["pk"] for i in qa1.get("/api/queue?flagged=1&status=all").json()["items"]] == [pk]
    page = qa1.get(f"/items/{pk}")
    assert 'id="flagged-badge"' in page.text and "tools or FPI?" in page.text and 'id="btn-unflag"' in page.text
    assert "flagged" in qa1.get("/queue?flagged=1").text
    # Unflag through the page's form, which brings you back to the item.
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    r = qa1.post(f"/items/{pk}/flag", data={"csrf_token": token, "version": v + 1, "flagged": "0",
                                            "fq": "status=all&mine=1"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/items/{pk}?status=all&mine=1&msg=unflagged"
    assert qa1.get("/api/queue?flagged=1&status=all").json()["total"] == 0
    r = qa1.post(f"/items/{pk}/flag", data={"csrf_token": token, "version": v, "flagged": "1"})
    assert r.status_code == 409  # stale form
    trail = [(e["action"], e["field"], e["before"], e["after"], e["comment"])
             for e in qa1.get(f"/api/items/{pk}/audit").json()]
    assert trail == [("flag", "flagged", False, True, "tools or FPI?"), ("unflag", "flagged", True, False, None)]


def test_skip_is_a_link_to_the_next_item_and_writes_nothing(env, team):
    qa1 = team["qa1"]
    queue = [i["pk"] for i in qa1.get("/api/queue").json()["items"]]
    page = qa1.get(f"/items/{queue[0]}")
    skip = re.search(r'<a id="skip" href="([^"]+)"', page.text).group(1)
    assert skip.startswith(f"/items/{queue[1]}?")
    before = audit_count(env)
    versions = [qa1.get(f"/api/items/{p}").json()["version"] for p in queue]
    assert qa1.get(skip.replace("&amp;", "&")).status_code == 200
    assert audit_count(env) == before
    assert [qa1.get(f"/api/items/{p}").json()["version"] for p in queue] == versions
    last = qa1.get(f"/items/{queue[-1]}").text
    assert re.search(r'<a id="skip" href="/queue', last)  # at the end of the queue, back to it
    assert 'id="skip"' not in team["researcher1"].get(f"/items/{queue[0]}").text


def test_saving_from_my_queue_moves_on_within_my_queue(env, team):
    admin, qa1 = team["admin1"], team["qa1"]
    ids = pks(env)
    admin.post("/api/assign", json={"items": [ids["doc-001-r3"], ids["doc-002-r2"]], "user": "qa1"})
    mine = [i["pk"] for i in qa1.get("/api/queue?mine=1").json()["items"]]
    assert sorted(mine) == sorted([ids["doc-001-r3"], ids["doc-002-r2"]])
    page = qa1.get(f"/items/{mine[0]}?assigned_to=qa1")
    assert 'name="q_assigned_to" value="qa1"' in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    version = re.search(r'name="version" value="(\d+)"', page.text).group(1)
    r = qa1.post(f"/items/{mine[0]}", data={"csrf_token": token, "version": version, "action": "accept",
                                            "q_status": "pending", "q_assigned_to": "qa1"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith(f"/items/{mine[1]}?")
    assert "assigned_to=qa1" in r.headers["location"]
