"""Team work over HTTP: assignment and My queue, the blind second check, kappa between people, progress,
flags and skipping. Runs on SQLite and PostgreSQL (the `env` fixture's db_url)."""

from __future__ import annotations

import json
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
    assert qa1.get("/api/second").json()["items"] == []  # never your own items
    waiting = qa2.get("/api/second").json()["items"]
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
    assert qa2.get("/api/second").json()["items"] == []

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


def second_check(client, pk: int, scie: str) -> None:
    version = client.get(f"/api/items/{pk}").json()["version"]
    r = client.post(f"/api/items/{pk}/second", json={"version": version, "scie": scie, "themes": []})
    assert r.status_code == 200, r.text


def test_the_item_page_and_json_are_blind_for_a_second_checker(env, team):
    qa1, qa2, admin = team["qa1"], team["qa2"], team["admin1"]
    pk = pks(env)["doc-001-r1"]
    verify(qa1, pk, "tools", ["neglect"])
    # qa2 (and the admin) have it in their blind queue: the item page sends them to the blind page ...
    for who in (qa2, admin):
        r = who.get(f"/items/{pk}?status=all", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == f"/second/{pk}"
        item = who.get(f"/api/items/{pk}").json()
        assert item["blind"] is True and not {"predicted", "verified", "previous"} & set(item)
    page = qa2.get(f"/items/{pk}?status=all").text  # followed: the blind page, with no label or verifier
    assert "Model's suggestion" not in page and "qa1" not in page.split("</header>", 1)[1]
    # Nor do the lists give the labels away: the queue (JSON and page) and the document view.
    listed = next(i for i in qa2.get("/api/queue?status=all").json()["items"] if i["pk"] == pk)
    assert listed["blind"] is True and "verified" not in listed and "predicted" not in listed
    other = next(i for i in qa2.get("/api/queue?status=all").json()["items"] if i["pk"] != pk)
    assert "predicted" in other  # items not waiting for them are listed as ever
    row = re.search(rf'<tr>(?:(?!</tr>).)*href="/items/{pk}\?(?:(?!</tr>).)*</tr>', qa2.get("/queue?status=all").text,
                    re.S).group(0)
    assert "your second check" in row and "Tools" not in row and "Neglect" not in row
    doc = qa2.get("/api/documents/doc-001").json()
    mine = next(i for i in doc["items"] if i["pk"] == pk)
    assert mine["labels_from"] == "blind" and mine["scie"] is None and mine["verified_by"] is None
    li = re.search(rf'<li id="item-{pk}">.*?</li>', qa2.get("/documents/doc-001").text, re.S).group(0)
    assert "your second check" in li and "qa1" not in li and "Tools" not in li
    # ... the first verifier and the roles that do no second checks see the item as ever.
    assert qa1.get(f"/items/{pk}?status=all", follow_redirects=False).status_code == 200
    assert qa1.get(f"/api/items/{pk}").json()["verified"]["scie"] == "tools"
    assert team["researcher1"].get(f"/api/items/{pk}").json()["verified"]["by"] == "qa1"
    assert next(i for i in qa1.get("/api/documents/doc-001").json()["items"] if i["pk"] == pk)["scie"] == "tools"
    # Once the second check is done the item is no longer blind for anyone.
    second_check(qa2, pk, "tools")
    assert qa2.get(f"/items/{pk}?status=all", follow_redirects=False).status_code == 200
    assert qa2.get(f"/api/items/{pk}").json()["verified"]["by"] == "qa1"


def test_the_audit_trail_and_label_export_stay_blind_for_a_second_checker(env, team):
    qa1, qa2 = team["qa1"], team["qa2"]
    pk = pks(env)["doc-001-r1"]
    verify(qa1, pk, "tools", ["neglect"])
    # qa2 waits to check it blind: every way of reading the trail withholds its labels and comments ...
    mine = [e for e in qa2.get("/api/audit").json() if e["item_pk"] == pk]
    assert mine and all(e["withheld"] and e["before"] is None and e["after"] is None for e in mine)
    paged = [e for e in qa2.get("/api/audit?limit=50").json() if e["item_pk"] == pk]
    assert paged and all(e.get("withheld") for e in paged)
    assert all(e.get("withheld") for e in qa2.get(f"/api/items/{pk}/audit").json())
    download = qa2.get("/api/audit?format=jsonl").text
    assert '"tools"' not in download and "neglect" not in download
    assert "tools" not in qa2.get("/audit/export.csv").text
    page = qa2.get("/audit").text
    assert "waits for your blind second check" in page and "Tools" not in page
    # ... and the label export leaves the item out; for the first verifier nothing is withheld.
    exported = qa2.get("/api/export/labels").json()
    assert not [r for r in exported if r["scie"] == "tools"]
    assert [r for r in qa1.get("/api/export/labels").json() if r["scie"] == "tools"]
    assert not [e for e in qa1.get("/api/audit").json() if e.get("withheld")]
    # Once checked, the trail is whole again for qa2.
    second_check(qa2, pk, "tools")
    assert not [e for e in qa2.get("/api/audit").json() if e.get("withheld")]


def test_a_label_change_after_the_second_check_voids_it(env, team):
    qa1, qa2 = team["qa1"], team["qa2"]
    pk = pks(env)["doc-001-r1"]
    verify(qa1, pk, "tools", [])
    second_check(qa2, pk, "tools")
    verify(qa1, pk, "tools", [])  # re-confirming the same label keeps the check
    assert qa1.get("/api/agreement").json()["people"]["n"] == 1
    verify(qa1, pk, "human_reasoning", [])  # a correction: the check compared with the label now gone
    assert qa1.get("/api/agreement").json()["people"]["n"] == 0
    void = [e for e in qa1.get(f"/api/items/{pk}/audit").json() if e["action"] == "second_void"]
    assert len(void) == 1 and void[0]["before"]["by"] == "qa2" and "changed" in void[0]["comment"]
    assert [w["pk"] for w in qa2.get("/api/second").json()["items"]] == [pk]


def test_undo_of_the_first_label_voids_the_second_check_and_requeues_it(env, team):
    qa1, qa2 = team["qa1"], team["qa2"]
    pk = pks(env)["doc-001-r1"]
    verify(qa1, pk, "tools", [])
    second_check(qa2, pk, "tools")
    assert qa1.get("/api/agreement").json()["people"]["n"] == 1
    r = qa1.post("/api/undo", json={})
    assert r.status_code == 200 and r.json()["item"]["status"] == "pending"
    # The check compared with a label that is gone: it no longer counts, and the trail says so.
    assert qa1.get("/api/agreement").json()["people"]["n"] == 0
    trail = qa1.get(f"/api/items/{pk}/audit").json()
    void = [e for e in trail if e["action"] == "second_void"]
    assert len(void) == 1 and void[0]["user"] == "qa1" and void[0]["before"]["by"] == "qa2"
    assert void[0]["after"] is None and "undo" in void[0]["comment"]
    # Verified again (differently), it waits for a fresh blind second check.
    verify(qa1, pk, "multi_agency_working", [])
    assert [w["pk"] for w in qa2.get("/api/second").json()["items"]] == [pk]
    second_check(qa2, pk, "human_reasoning")
    people = qa1.get("/api/agreement").json()["people"]
    assert people["n"] == 1 and people["scie_accuracy"] == 0.0


def test_an_undo_while_a_second_check_is_open_makes_that_check_a_conflict(env, team):
    qa1, qa2 = team["qa1"], team["qa2"]
    pk = pks(env)["doc-001-r2"]
    verify(qa1, pk, "tools", [])
    verify(qa1, pk, "human_reasoning", [])  # a correction of one's own label, then undone
    stale = qa2.get(f"/api/items/{pk}").json()["version"]  # qa2 opens the blind check
    assert qa1.post("/api/undo", json={}).status_code == 200  # back to "tools", still verified
    r = qa2.post(f"/api/items/{pk}/second", json={"version": stale, "scie": "tools", "themes": []})
    assert r.status_code == 409  # the label it would be compared with changed under it
    assert [w["pk"] for w in qa2.get("/api/second").json()["items"]] == [pk]  # still waiting, fresh
    second_check(qa2, pk, "tools")


def test_reimport_of_changed_text_voids_the_second_check(env, team):
    from tests.store.seed import make_document

    qa1, qa2, reviewer = team["qa1"], team["qa2"], team["reviewer1"]
    ids = pks(env)
    pk, kept = ids["doc-001-r1"], ids["doc-001-r2"]
    for p in (pk, kept):
        verify(qa1, p, "tools", [])
        second_check(qa2, p, "tools")
    doc = make_document("doc-001")
    old_text = doc.items[0].text
    new_text = old_text.replace("referrals", "referrers")
    doc.text, doc.items[0].text = doc.text.replace(old_text, new_text), new_text
    r = reviewer.post("/api/import", json={"documents": [json.loads(doc.to_json())]})
    assert r.status_code == 200, r.text
    trail = qa1.get(f"/api/items/{pk}/audit").json()
    void = [e for e in trail if e["action"] == "second_void"]
    assert len(void) == 1 and void[0]["user"] == "reviewer1" and void[0]["before"]["by"] == "qa2"
    assert not [e for e in qa1.get(f"/api/items/{kept}/audit").json() if e["action"] == "second_void"]
    assert qa1.get("/api/agreement").json()["people"]["n"] == 1  # only the unchanged item still counts
    verify(qa1, pk, "tools", [])  # the new text, verified again, waits for a new second check
    assert [w["pk"] for w in qa2.get("/api/second").json()["items"]] == [pk]


def test_second_check_and_progress_lists_are_keyset_pages(env, team):
    from casereview.web import create_app

    qa1, qa2 = team["qa1"], team["qa2"]
    ids = pks(env)
    for item_id in FIRST:
        verify(qa1, ids[item_id], "tools", [])
    whole = [w["pk"] for w in qa2.get("/api/second").json()["items"]]
    assert len(whole) == 5
    seen, after, sizes = [], None, []
    while True:
        r = qa2.get("/api/second", params={"limit": 2, **({"after": after} if after else {})}).json()
        assert r["total"] == 5
        seen += [w["pk"] for w in r["items"]]
        sizes.append(len(r["items"]))
        after = r["next"]
        if after is None:
            break
    assert seen == whole and sizes == [2, 2, 1]  # each item once, in the order of the whole list
    assert qa2.get("/api/second", params={"after": "not-a-cursor"}).status_code == 422
    assert qa2.get("/api/second", params={"limit": 0}).status_code == 422

    first = team["researcher1"].get("/api/progress", params={"limit": 1}).json()
    assert [d["name"] for d in first["documents"]] == ["doc-001.pdf"] and first["next"]
    rest = team["researcher1"].get("/api/progress", params={"limit": 1, "after": first["next"]}).json()
    assert [d["name"] for d in rest["documents"]] == ["doc-002.pdf"] and rest["next"] is None
    assert rest["documents"][0]["total"] == 2 and len(first["people"]) == len(rest["people"])
    assert team["researcher1"].get("/api/progress", params={"after": "eyJ4Ijox"}).status_code == 422

    # The pages in the browser: the page size from params.yaml, a Next link carrying the cursor.
    small = create_app(env["url"], config=config_with_taxonomy(
        env["taxonomy"], web={"double_verification_share": 1.0, "queue_page_size": 2}))
    c = TestClient(small)
    assert login(c, "qa2").status_code == 303
    html = c.get("/second").text
    assert "5 items waiting for you" in html and html.count('href="/second/') == 2 + 1  # rows + Start
    nxt = re.search(r'href="/second\?after=([^"]+)" id="next-page"', html).group(1)
    html = c.get(f"/second?after={nxt}").text
    assert html.count('<td><a href="/second/') == 2 and 'id="first-page"' in html
    c2 = TestClient(create_app(env["url"], config=config_with_taxonomy(env["taxonomy"], web={"queue_page_size": 1})))
    assert login(c2, "researcher1").status_code == 303
    html = c2.get("/progress").text
    assert "doc-001.pdf" in html and "doc-002.pdf" not in html
    nxt = re.search(r'href="/progress\?after=([^"]+)" id="next-page"', html).group(1)
    html = c2.get(f"/progress?after={nxt}").text
    assert "doc-002.pdf" in html and "doc-001.pdf" not in html and 'id="next-page"' not in html
