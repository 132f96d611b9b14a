"""Finding things over HTTP: free-text search in the queue, keyset pages, the document list and whole-document
view, documents named by file name rather than id, and the audit trail filtered and paged."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime, timedelta

import pytest
from casereview.contracts import Source
from casereview.store import import_documents, session_factory
from casereview.store.audit import record_event

from tests.store.seed import make_document
from tests.web.conftest import csrf_of

HEX_ID = "9f8e7d6c5b4a39210fedcba987654321"
NAME = "Family C review (redacted).pdf"


def visible(html: str) -> str:
    """The text a person sees: no tags, so ids inside links and form values do not count."""
    return re.sub(r"<[^>]+>", " ", html)


def pks(client, url: str) -> list[int]:
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code, r.text[:200])
    return [i["pk"] for i in r.json()["items"]]


def item_ids(client, url: str) -> list[str]:
    return [i["id"] for i in client.get(url).json()["items"]]


# -- search ---------------------------------------------------------------------------------------------

def test_search_finds_items_by_their_words_in_queue_order(clients):
    qa = clients["qa"]
    queue = pks(qa, "/api/queue")
    assert item_ids(qa, "/api/queue?q=supervision") == ["doc-001-r3"]
    assert sorted(item_ids(qa, "/api/queue?q=AGENCIES+share")) == ["doc-001-r1", "doc-002-r1"]
    # Every word must occur, in any order; case does not matter.
    assert sorted(item_ids(qa, "/api/queue?q=views+child")) == ["doc-001-r2", "doc-002-r2"]
    assert item_ids(qa, "/api/queue?q=agencies+nurse") == []
    # Results keep the queue's order.
    should = pks(qa, "/api/queue?q=should")
    assert should == queue and len(should) == 5
    body = qa.get("/api/queue?q=supervision").json()
    assert body["total"] == 1 and body["next"] is None
    # Search combines with the other filters.
    assert item_ids(qa, "/api/queue?q=should&document=doc-002") == ["doc-002-r1", "doc-002-r2"] or sorted(
        item_ids(qa, "/api/queue?q=should&document=doc-002")) == ["doc-002-r1", "doc-002-r2"]
    assert item_ids(qa, "/api/queue?q=should&theme=workforce_supervision_training") == ["doc-001-r3"]


@pytest.mark.parametrize("q", ['"', "'", '"child\'s"', "child's", "share\" OR \"x", "NEAR(share referrals)",
                               "referr*", "^share", "text:share", "a AND", "-share", "\\", "100%", "_", "%_%",
                               "(", ")", "{}", "'; DROP TABLE items; --", "\u00e9t\u00e9", "x" * 400])
def test_search_never_errors_on_punctuation_or_syntax(clients, q):
    qa = clients["qa"]
    r = qa.get("/api/queue", params={"q": q})
    assert r.status_code == 200, (q, r.text[:200])
    body = r.json()
    assert body["total"] == len(body["items"]) <= 5
    # Special characters are text, not wildcards: nothing contains a %, an underscore or a backslash.
    if q in ("100%", "_", "%_%", "\\", '"', "(", "{}"):
        assert body["total"] == 0
    page = qa.get("/queue", params={"q": q})
    assert page.status_code == 200
    assert "<script" not in page.text.split("<body", 1)[1].replace('<script src="/static/app.js"', "")


def test_search_words_are_quoted_not_read_as_operators(clients):
    qa = clients["qa"]
    # "OR" is a word to find, not an operator: no item contains it, so nothing matches.
    assert item_ids(qa, "/api/queue?q=supervision+OR+agencies") == []
    # A quoted word still finds itself; an apostrophe stays inside the word.
    assert item_ids(qa, '/api/queue?q="supervision"') == ["doc-001-r3"]
    assert sorted(item_ids(qa, "/api/queue?q=child's")) == ["doc-001-r2", "doc-002-r2"]


def test_search_box_on_the_queue_page_and_the_item_pages_follow_it(clients):
    qa = clients["qa"]
    page = qa.get("/queue?q=child%27s+views")
    assert page.status_code == 200
    assert 'type="search"' in page.text and 'name="q"' in page.text
    assert 'value="child&#39;s views"' in page.text
    assert "2 items" in page.text and "Managers should review" not in page.text
    found = pks(qa, "/api/queue?q=views")
    item = qa.get(f"/items/{found[0]}?q=views")
    assert "item 1 of 2" in item.text
    assert re.search(rf'href="/items/{found[1]}\?[^"]*q=views"', item.text)
    assert 'name="q_q" value="views"' in item.text


def test_saving_from_a_search_goes_on_to_the_next_match(clients):
    qa = clients["qa"]
    first, second = qa.get("/api/queue?q=views").json()["items"]
    r = qa.post(f"/items/{first['pk']}", follow_redirects=False, data={
        "csrf_token": csrf_of(qa), "action": "accept", "version": str(first["version"]), "q_status": "pending",
        "q_q": "views"})
    assert r.status_code == 303
    assert r.headers["location"].startswith(f"/items/{second['pk']}?") and "q=views" in r.headers["location"]


# -- keyset pages over HTTP -----------------------------------------------------------------------------

def test_api_queue_pages_with_an_opaque_cursor(clients):
    qa = clients["qa"]
    everything = pks(qa, "/api/queue?limit=1000")
    seen, after = [], None
    while True:
        body = qa.get("/api/queue", params={"limit": 2, **({"after": after} if after else {})}).json()
        assert body["total"] == 5
        seen += [i["pk"] for i in body["items"]]
        after = body["next"]
        if after is None:
            break
    assert seen == everything
    assert qa.get("/api/queue?after=not-a-cursor").status_code == 422
    assert qa.get("/queue?after=%%%", headers={"accept": "text/html"}).status_code == 422


def test_queue_page_links_to_the_next_page(env, clients):
    from casereview.web import create_app
    from fastapi.testclient import TestClient

    from tests.web.conftest import login

    small = create_app(env["url"], config=env["config"].with_overrides({"web": {"queue_page_size": 2}}))
    c = TestClient(small)
    login(c, "qa1")
    page = c.get("/queue")
    link = re.search(r'id="next-page"|href="/queue\?status=pending&amp;after=([^"]+)"', page.text)
    assert link and "Next page" in page.text
    nxt = re.search(r'href="(/queue\?[^"]*after=[^"]+)"', page.text).group(1).replace("&amp;", "&")
    second = c.get(nxt)
    assert second.status_code == 200 and "First page" in second.text
    first_rows = re.findall(r'<a href="/items/(\d+)\?', page.text)
    second_rows = re.findall(r'<a href="/items/(\d+)\?', second.text)
    assert not set(first_rows) & set(second_rows)


# -- documents ------------------------------------------------------------------------------------------

@pytest.fixture()
def named(env):
    """A document with a hex id, as real imports have, and a file name."""
    doc = make_document(HEX_ID)
    doc = dataclasses.replace(doc, source=Source(file=f"/data/in/{NAME}", sha256="1" * 64, pages=7))
    import_documents(env["url"], [doc])
    return doc


def test_document_list_and_view(clients, named):
    qa = clients["qa"]
    listing = qa.get("/documents")
    assert listing.status_code == 200
    assert NAME in listing.text and "doc-001.pdf" in listing.text and "/data/in" not in listing.text
    assert "<progress" in listing.text
    docs = {d["id"]: d for d in qa.get("/api/documents").json()}
    assert docs[HEX_ID]["name"] == NAME and docs[HEX_ID]["pages"] == 7 and docs[HEX_ID]["items"] == 3
    assert docs["doc-002"]["items"] == 2 and docs["doc-002"]["verified"] == 0

    view = qa.get(f"/documents/{HEX_ID}")
    assert view.status_code == 200
    assert view.text.count('<mark class="item" data-pk=') == 3
    assert "Agencies did not share the referral" in view.text  # the text around the items too
    for item in qa.get(f"/api/queue?document={HEX_ID}").json()["items"]:
        assert f'href="/items/{item["pk"]}?' in view.text
        assert f'id="item-{item["pk"]}"' in view.text
    assert "Multi-agency working" in view.text and "Information sharing" in view.text
    assert HEX_ID not in visible(view.text)
    api = qa.get(f"/api/documents/{HEX_ID}").json()
    assert api["name"] == NAME and [i["number"] for i in api["items"]] == ["1", "2", "3"]
    assert qa.get("/documents/nope").status_code == 404
    assert qa.get("/api/documents/nope").status_code == 404


def test_document_view_shows_verified_labels_only_to_roles_that_may_read_them(clients, named):
    qa = clients["qa"]
    item = qa.get(f"/api/queue?document={HEX_ID}").json()["items"][0]
    r = qa.post(f"/api/items/{item['pk']}/labels", headers={"X-CSRF-Token": csrf_of(qa)},
                json={"version": item["version"], "scie": "tools", "themes": ["neglect"]})
    assert r.status_code == 200
    mine = {i["pk"]: i for i in qa.get(f"/api/documents/{HEX_ID}").json()["items"]}[item["pk"]]
    assert mine["status"] == "verified" and mine["scie"] == "tools" and mine["themes"] == ["neglect"]
    assert mine["labels_from"] == "verified" and mine["verified_by"] == "qa1"
    assert "Tools" in qa.get(f"/documents/{HEX_ID}").text
    # Reviewers may see the queue but not verified labels: they get the model's.
    theirs = {i["pk"]: i for i in clients["reviewer"].get(f"/api/documents/{HEX_ID}").json()["items"]}
    assert theirs[item["pk"]]["scie"] == item["predicted"]["scie"] and theirs[item["pk"]]["verified_by"] is None
    page = clients["reviewer"].get(f"/documents/{HEX_ID}").text
    assert "Tools" not in visible(page) and "qa1" not in visible(page)
    listing = {d["id"]: d for d in qa.get("/api/documents").json()}
    assert listing[HEX_ID]["verified"] == 1


def test_documents_are_named_by_file_name_everywhere(clients, named):
    qa = clients["qa"]
    first = qa.get(f"/api/queue?document={HEX_ID}").json()["items"][0]
    qa.post(f"/api/items/{first['pk']}/accept", headers={"X-CSRF-Token": csrf_of(qa)},
            json={"version": first["version"]})
    pages = {
        "queue": qa.get("/queue?status=all"),
        "queue filtered": qa.get(f"/queue?document={HEX_ID}&status=all"),
        "item": qa.get(f"/items/{first['pk']}?status=all"),
        "agreement": qa.get("/agreement"),
        "audit": qa.get("/audit"),
        "documents": qa.get("/documents"),
        "document": qa.get(f"/documents/{HEX_ID}"),
    }
    for where, page in pages.items():
        assert page.status_code == 200, where
        assert NAME in page.text, where
        assert HEX_ID not in visible(page.text), where
    assert f'<option value="{HEX_ID}" selected>{NAME}</option>' in pages["queue filtered"].text.replace(
        "  ", " ").replace(' selected', ' selected')
    assert 'href="/documents"' in pages["queue"].text  # the nav link


# -- audit trail: filters and pages ---------------------------------------------------------------------

def _two_people_label(clients):
    qa, admin = clients["qa"], clients["admin"]
    a = qa.get("/api/queue?document=doc-001").json()["items"][0]
    b = admin.get("/api/queue?document=doc-002").json()["items"][0]
    assert qa.post(f"/api/items/{a['pk']}/accept", headers={"X-CSRF-Token": csrf_of(qa)},
                   json={"version": a["version"]}).status_code == 200
    assert admin.post(f"/api/items/{b['pk']}/labels", headers={"X-CSRF-Token": csrf_of(admin)},
                      json={"version": b["version"], "scie": "tools", "themes": []}).status_code == 200
    return a, b


def test_audit_filters_by_user_item_document_action_and_date(clients):
    a, _b = _two_people_label(clients)
    qa = clients["qa"]
    everything = qa.get("/api/audit").json()
    item_rows = [r for r in everything if r["item_pk"]]
    assert {r["user"] for r in item_rows} >= {"qa1", "admin1"}
    by_admin = qa.get("/api/audit?user=admin1").json()
    assert by_admin and {r["user"] for r in by_admin} == {"admin1"}
    by_item = qa.get(f"/api/audit?item={a['pk']}").json()
    assert by_item and {r["item_pk"] for r in by_item} == {a["pk"]}
    assert qa.get(f"/api/audit?item={a['id']}").json() == by_item  # the item id works as well as its pk
    by_doc = qa.get("/api/audit?document=doc-002").json()
    assert by_doc and {r["document"] for r in by_doc} == {"doc-002"}
    accepts = qa.get("/api/audit?action=accept").json()
    assert accepts and {r["action"] for r in accepts} == {"accept"} and {r["item_pk"] for r in accepts} == {a["pk"]}
    today = datetime.now(UTC).date()
    assert qa.get(f"/api/audit?since={today + timedelta(days=1)}").json() == []
    assert qa.get(f"/api/audit?until={today - timedelta(days=1)}").json() == []
    assert qa.get(f"/api/audit?since={today}&until={today}").json() == everything  # until is inclusive
    assert qa.get("/api/audit?since=yesterday").status_code == 422
    assert qa.get("/audit?since=31-12-2020", headers={"accept": "text/html"}).status_code == 422
    # The page and the downloads honour the same filters.
    page = qa.get("/audit?user=admin1")
    assert page.status_code == 200 and "qa1</td>" not in page.text and "admin1</td>" in page.text
    assert 'href="/audit/export.csv?user=admin1"' in page.text
    csv_rows = clients["researcher"].get("/audit/export.csv?user=admin1").text.strip().splitlines()
    assert len(csv_rows) == len(by_admin) + 1 and all(",admin1," in line for line in csv_rows[1:])
    jsonl = clients["admin"].get(f"/api/audit?format=jsonl&item={a['pk']}").text.strip().splitlines()
    assert len(jsonl) == len(by_item)


def test_audit_pages_newest_first_by_id(env, clients):
    _two_people_label(clients)
    with session_factory(env["url"])() as s, s.begin():
        for n in range(130):
            record_event(s, user=None, username="robot", action="login", target=f"user:robot{n}")
    qa = clients["qa"]
    everything = qa.get("/api/audit").json()
    assert len(everything) > 130 and [r["id"] for r in everything] == sorted(r["id"] for r in everything)
    # API pages: newest first, the next page's `before` in a header.
    seen, before = [], None
    while True:
        r = qa.get("/api/audit", params={"limit": 50, **({"before": before} if before else {})})
        assert r.status_code == 200 and r.headers["X-Total-Count"] == str(len(everything))
        ids = [row["id"] for row in r.json()]
        assert ids == sorted(ids, reverse=True)
        seen += ids
        before = r.headers.get("X-Next-Before")
        if before is None:
            break
        assert 'rel="next"' in r.headers["Link"]
    assert seen == [row["id"] for row in reversed(everything)]
    filtered = qa.get("/api/audit?user=robot&limit=100")
    assert len(filtered.json()) == 100 and filtered.headers["X-Total-Count"] == "130"
    # The page shows 100, newest first, and links to the older ones.
    page = qa.get("/audit")
    assert page.text.count("<tr>") - 1 == 100
    older = re.search(r'href="(/audit\?before=\d+)" id="older"', page.text).group(1)
    rest = qa.get(older)
    assert rest.status_code == 200 and 'id="newest"' in rest.text and 'id="older"' not in rest.text
    assert rest.text.count("<tr>") - 1 == len(everything) - 100
    robots = qa.get("/audit?user=robot")
    assert 'href="/audit?user=robot&amp;before=' in robots.text
    assert qa.get("/api/audit?before=0").status_code == 422
