"""No silent overwrite and undo, over HTTP: re-import of changed text, a colleague's verification, stale
versions on every write path, and undo of one's own changes (issue 14)."""

from __future__ import annotations

import json
import re

import pytest
from casereview.store import session_factory
from casereview.store.users import create_user
from fastapi.testclient import TestClient

from tests.store.seed import make_document
from tests.web.conftest import PASSWORD, csrf_of, login


@pytest.fixture()
def qa2(app, env):
    """A second QA user, logged in."""
    with session_factory(env["url"])() as s, s.begin():
        create_user(s, "qa2", "qa", PASSWORD)
    c = TestClient(app)
    assert login(c, "qa2").status_code == 303
    return c


def _item(client, item_id: str) -> dict:
    items = client.get("/api/queue", params={"status": "all"}).json()["items"]
    return next(i for i in items if i["id"] == item_id)


def _post(client, path: str, body: dict):
    return client.post(path, json=body, headers={"X-CSRF-Token": csrf_of(client)})


def _form(client, item: dict, **fields):
    data = {"csrf_token": csrf_of(client), "action": "save", "version": str(item["version"]), "q_status": "all",
            **fields}
    return client.post(f"/items/{item['pk']}", data=data, follow_redirects=False)


def _audit(client, pk: int) -> list[dict]:
    return client.get(f"/api/items/{pk}/audit").json()


# -- re-import ---------------------------------------------------------------------------------------------


def test_reimport_of_changed_text_sends_a_verified_item_back_to_verification(clients):
    qa, rev, researcher = clients["qa"], clients["reviewer"], clients["researcher"]
    r1, r2 = _item(qa, "doc-001-r1"), _item(qa, "doc-001-r2")
    assert _post(qa, f"/api/items/{r1['pk']}/labels", {"version": r1["version"], "scie": "tools",
                                                       "themes": ["neglect"]}).status_code == 200
    assert _post(qa, f"/api/items/{r2['pk']}/accept", {"version": r2["version"]}).status_code == 200
    r1, r2 = _item(qa, "doc-001-r1"), _item(qa, "doc-001-r2")
    assert [e["doc"] for e in researcher.get("/api/export/labels").json()].count("doc-001") == 2

    doc = make_document("doc-001")
    old_text = doc.items[0].text
    new_text = old_text.replace("referrals", "referrers")  # same length: the offsets stay valid
    doc.text = doc.text.replace(old_text, new_text)
    doc.items[0].text = new_text
    doc.items[1].scie, doc.items[1].scie_scores = "tools", {"tools": 0.99}  # new prediction, same text
    r = _post(rev, "/api/import", {"documents": [json.loads(doc.to_json())]})
    assert r.status_code == 200, r.text
    counts = r.json()["imported"][0]
    assert counts["changed"] == 1 and counts["unchanged"] == 2 and counts["needs_verification"] == 1

    # The changed item needs verifying again; its version moved on; the old label is no longer current.
    after = _item(qa, "doc-001-r1")
    assert after["status"] == "pending" and after["version"] == r1["version"] + 1
    assert after["text"] == new_text and after["verified"]["by"] is None
    # The item JSON says whose label is gone, as what and when: what an accept now would replace.
    one = qa.get(f"/api/items/{r1['pk']}").json()
    assert one["previous"]["by"] == "qa1" and one["previous"]["scie"] == "tools"
    assert one["previous"]["themes"] == ["neglect"] and one["previous"]["at"] == r1["verified"]["at"]
    assert one["previous"]["reimported_at"] and qa.get(f"/api/items/{r2['pk']}").json()["previous"] is None
    # The unchanged verified item keeps its verification and version; only the prediction moved.
    kept = _item(qa, "doc-001-r2")
    assert kept["status"] == "verified" and kept["version"] == r2["version"]
    assert kept["verified"]["by"] == "qa1" and kept["predicted"]["scie"] == "tools"

    # The audit trail says what happened, with fingerprints of the texts rather than the texts.
    rows = [a for a in _audit(qa, r1["pk"]) if a["action"] == "reimport"]
    fields = {a["field"]: a for a in rows}
    assert set(fields) == {"text", "status"}
    assert fields["status"]["before"] == "verified" and fields["status"]["after"] == "pending"
    assert fields["text"]["before"]["sha256"] != fields["text"]["after"]["sha256"]
    assert fields["text"]["before"]["chars"] == len(old_text) and old_text not in json.dumps(rows)
    assert not [a for a in _audit(qa, r2["pk"]) if a["action"] == "reimport"]
    events = [a for a in qa.get("/api/audit").json() if a["target"] == "document:doc-001"]
    assert events[-1]["action"] == "import" and events[-1]["after"]["needs_verification"] == 1
    assert events[-1]["user"] == "reviewer1"

    # The export never pairs the old human label with the new text.
    exported = {e["id"]: e for e in researcher.get("/api/export/labels").json()}
    assert "doc-001-r1" not in exported and exported["doc-001-r2"]["source"] == "verified"
    # The item page shows who verified it before, and as what.
    html = qa.get(f"/items/{r1['pk']}?status=all").text
    assert 'id="previously"' in html and "Previously verified by qa1 as Tools" in html
    # Verifying it again is an ordinary first verification (no colleague to confirm against).
    assert _post(qa, f"/api/items/{r1['pk']}/accept", {"version": after["version"]}).status_code == 200
    assert 'id="previously"' not in qa.get(f"/items/{r1['pk']}?status=all").text
    assert qa.get(f"/api/items/{r1['pk']}").json()["previous"] is None


# -- a colleague's verification ---------------------------------------------------------------------------


def test_accepting_over_a_colleague_asks_first_and_shows_their_label(clients, qa2):
    qa = clients["qa"]
    item = _item(qa, "doc-001-r2")
    assert _form(qa, item, scie="tools", themes=["neglect"]).status_code == 303  # qa1 corrects
    item = _item(qa, "doc-001-r2")

    page = qa2.get(f"/items/{item['pk']}?status=all").text
    assert 'id="colleague-warning"' in page and "Verified by qa1: Tools; themes: Neglect" in page
    assert "Saving or accepting replaces their label." in page and 'name="confirm"' in page
    assert 'data-colleague="qa1"' in page
    # qa1 sees no warning on their own item
    assert 'id="colleague-warning"' not in qa.get(f"/items/{item['pk']}?status=all").text

    # JSON: 409, naming the colleague, with the item as it stands; nothing changes.
    r = _post(qa2, f"/api/items/{item['pk']}/accept", {"version": item["version"]})
    assert r.status_code == 409 and r.json()["needs_confirmation"] is True
    assert "qa1" in r.json()["detail"] and "tools" in r.json()["detail"]
    current = r.json()["item"]
    assert current["verified"]["by"] == "qa1" and current["verified"]["scie"] == "tools"
    assert current["version"] == item["version"]
    # Only an explicit JSON true confirms: a truthy string or number is refused, not taken as yes.
    for loose in ("yes", 1, "true"):
        assert _post(qa2, f"/api/items/{item['pk']}/accept", {"version": item["version"], "confirm": loose}).status_code == 422
    # The form: the same refusal, as the page with the warning.
    r = _form(qa2, item, action="accept")
    assert r.status_code == 409 and 'id="colleague-warning"' in r.text and "Replace their label" in r.text
    assert _item(qa, "doc-001-r2")["verified"]["scie"] == "tools"
    assert not [a for a in _audit(qa, item["pk"]) if a["user"] == "qa2"]

    # Confirmed: qa2's label replaces qa1's, and the trail shows whose it replaced.
    r = _form(qa2, item, action="accept", confirm="1")
    assert r.status_code == 303
    now = _item(qa, "doc-001-r2")
    assert now["verified"]["by"] == "qa2" and now["verified"]["scie"] == item["predicted"]["scie"]
    rows = [a for a in _audit(qa, item["pk"]) if a["user"] == "qa2"]
    assert {a["field"]: a["before"] for a in rows}["scie"] == "tools"
    # and over the API with confirm
    r = _post(qa, f"/api/items/{item['pk']}/labels", {"version": now["version"], "scie": "tools", "confirm": True})
    assert r.status_code == 200 and r.json()["item"]["verified"]["by"] == "qa1"


def test_a_conflict_shows_the_colleagues_label_and_keeps_the_form(clients, qa2):
    qa = clients["qa"]
    seen = _item(qa, "doc-001-r3")  # qa1 opens the item ...
    assert _post(qa2, f"/api/items/{seen['pk']}/labels",  # ... qa2 saves it meanwhile
                 {"version": seen["version"], "scie": "human_reasoning", "themes": ["neglect"]}).status_code == 200
    r = _form(qa, seen, scie="tools", themes=["voice_of_the_child"], comment="my note")
    assert r.status_code == 409
    html = r.text
    assert 'id="conflict"' in html
    their = re.search(r'id="their-label">([^<]*)<', html).group(1)
    assert "qa2" in their and "Human reasoning" in their and "Neglect" in their
    mine = re.search(r'id="your-choice">([^<]*)<', html).group(1)
    assert "Tools" in mine and "Voice of the child" in mine
    assert re.search(r'value="tools" data-key="\d+"\s+checked', html)  # the user's own choice is still selected
    assert "my note" in html
    version = int(re.search(r'name="version" value="(\d+)"', html).group(1))
    assert version == seen["version"] + 1
    # Saving again with the new version still needs the confirm: it replaces qa2's label.
    again = dict(seen, version=version)
    r = _form(qa, again, scie="tools", themes=["voice_of_the_child"])
    assert r.status_code == 409 and 'id="colleague-warning"' in r.text
    assert _item(qa, "doc-001-r3")["verified"]["by"] == "qa2"
    assert _form(qa, again, scie="tools", themes=["voice_of_the_child"], confirm="1").status_code == 303
    assert _item(qa, "doc-001-r3")["verified"]["scie"] == "tools"


def test_every_write_path_checks_the_version(clients):
    qa = clients["qa"]
    item = _item(qa, "doc-002-r1")
    stale = item["version"] + 7
    assert _post(qa, f"/api/items/{item['pk']}/accept", {"version": stale}).status_code == 409
    assert _post(qa, f"/api/items/{item['pk']}/labels", {"version": stale, "scie": "tools"}).status_code == 409
    assert _form(qa, dict(item, version=stale), scie="tools").status_code == 409
    assert _form(qa, dict(item, version=""), scie="tools").status_code == 422  # required in the form too
    assert _post(qa, f"/api/items/{item['pk']}/accept", {}).status_code == 422
    assert _item(qa, "doc-002-r1")["status"] == "pending"
    # undo: the version the client saw must still be the item's
    assert _post(qa, f"/api/items/{item['pk']}/accept", {"version": item["version"]}).status_code == 200
    assert _post(qa, "/api/undo", {"version": item["version"]}).status_code == 409
    assert _item(qa, "doc-002-r1")["status"] == "verified"
    assert _post(qa, "/api/undo", {"version": item["version"] + 1}).status_code == 200


# -- undo -------------------------------------------------------------------------------------------------


def test_accept_then_undo_is_pending_again_and_both_are_audited(clients):
    qa = clients["qa"]
    item = _item(qa, "doc-001-r1")
    r = _post(qa, f"/api/items/{item['pk']}/accept", {"version": item["version"], "comment": "looks right"})
    assert r.status_code == 200
    r = _post(qa, "/api/undo", {})
    assert r.status_code == 200, r.text
    back = r.json()["item"]
    assert back["status"] == "pending" and back["verified"]["by"] is None and back["verified"]["comment"] is None
    assert back["version"] == item["version"] + 2
    rows = _audit(qa, item["pk"])
    assert [a["action"] for a in rows].count("accept") == 4  # status, scie, themes, comment
    undo = {a["field"]: a for a in rows if a["action"] == "undo"}
    assert undo["status"]["before"] == "verified" and undo["status"]["after"] == "pending"
    assert undo["comment"]["before"] == "looks right" and undo["comment"]["after"] is None
    assert all(a["change"] == r.json()["change"] for a in undo.values())
    assert "scie" not in undo  # the model's label stands before and after: nothing to record
    assert {a["change"] for a in rows if a["action"] == "accept"} == {r.json()["undone"]}


def test_undo_walks_back_and_stops_at_nothing(clients):
    qa = clients["qa"]
    a, b = _item(qa, "doc-001-r1"), _item(qa, "doc-002-r1")
    assert _post(qa, f"/api/items/{a['pk']}/accept", {"version": a["version"]}).status_code == 200
    assert _post(qa, f"/api/items/{b['pk']}/labels", {"version": b["version"], "scie": "tools"}).status_code == 200
    b1 = _item(qa, "doc-002-r1")  # and a second change to the same item
    assert _post(qa, f"/api/items/{b['pk']}/labels", {"version": b1["version"], "scie": "human_reasoning"}
                 ).status_code == 200
    first = _post(qa, "/api/undo", {})
    assert first.status_code == 200 and first.json()["item"]["verified"]["scie"] == "tools"
    second = _post(qa, "/api/undo", {})
    assert second.status_code == 200 and second.json()["item"]["pk"] == b["pk"]
    assert second.json()["item"]["status"] == "pending"
    third = _post(qa, "/api/undo", {})
    assert third.status_code == 200 and third.json()["item"]["pk"] == a["pk"]
    assert _item(qa, "doc-001-r1")["status"] == "pending"
    r = _post(qa, "/api/undo", {})
    assert r.status_code == 404 and "nothing of yours to undo" in r.json()["detail"]
    assert len([x for x in qa.get("/api/audit").json() if x["action"] == "undo"]) >= 3


def test_undo_after_a_colleague_changed_the_item_is_a_conflict(clients, qa2):
    qa = clients["qa"]
    item = _item(qa, "doc-001-r2")
    assert _post(qa, f"/api/items/{item['pk']}/accept", {"version": item["version"]}).status_code == 200
    mine = _item(qa, "doc-001-r2")
    assert _post(qa2, f"/api/items/{item['pk']}/labels",
                 {"version": mine["version"], "scie": "tools", "confirm": True}).status_code == 200
    r = _post(qa, "/api/undo", {})
    assert r.status_code == 409 and "changed this item after you" in r.json()["detail"]
    assert r.json()["item"]["verified"]["by"] == "qa2"
    assert _item(qa, "doc-001-r2")["verified"]["scie"] == "tools"
    # the form button says the same as a page
    r = qa.post("/undo", data={"csrf_token": csrf_of(qa)}, headers={"accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 409 and "changed this item after you" in r.text
    # qa2 can undo their own change, which gives qa1's verification back
    r = _post(qa2, "/api/undo", {})
    assert r.status_code == 200 and r.json()["item"]["verified"]["by"] == "qa1"


def test_undo_button_on_item_and_queue_pages(clients):
    qa = clients["qa"]
    item = _item(qa, "doc-001-r1")
    assert 'id="btn-undo"' in qa.get("/queue").text  # editors get the button on the queue page
    assert 'id="btn-undo"' not in qa.get(f"/items/{item['pk']}").text  # nothing to undo yet
    assert 'id="btn-undo"' not in clients["researcher"].get("/queue").text
    assert _form(qa, item, action="accept").status_code == 303
    page = qa.get(f"/items/{item['pk']}?status=all").text
    assert 'id="btn-undo"' in page and "<kbd>u</kbd>" in page
    change = re.search(r'name="change" value="(\d+)"', page).group(1)
    r = qa.post("/undo", data={"csrf_token": csrf_of(qa), "change": change}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/items/{item['pk']}?status=all&msg=undone"
    assert "Undid your change" in qa.get(r.headers["location"]).text
    assert _item(qa, "doc-001-r1")["status"] == "pending"
    # an undo needs its CSRF token and the label permission
    assert qa.post("/undo", data={}, follow_redirects=False).status_code == 403
    researcher = clients["researcher"]
    assert _post(researcher, "/api/undo", {}).status_code == 403
    # the same change cannot be undone twice
    r = qa.post("/undo", data={"csrf_token": csrf_of(qa), "change": change}, headers={"accept": "text/html"})
    assert r.status_code == 404
