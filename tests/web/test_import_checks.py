"""Imports checked whatever the file claims (issue 14): labels against the taxonomy, a leak check through the
redactor's own plan, and folder import only inside the configured roots. Over HTTP, SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os

import pytest
from casereview.contracts import Document, Item, Source
from casereview.redact import redact_document
from casereview.redact.check import describe, residual_identifiers
from fastapi.testclient import TestClient

from tests.store.seed import make_document
from tests.web.conftest import csrf_of, login

# Invented: no real person. A name, a date of birth and a phone number, and a recommendation without them.
RAW_TEXT = ("Background. Jessica Thornbury, born on 14 March 2015, lived with her grandmother. "
            "The family could be reached on 07700 900123.\n\n"
            "The partnership should ensure that agencies share referrals within one working day.")
RECOMMENDATION = "The partnership should ensure that agencies share referrals within one working day."


def raw_document(doc_id: str = "doc-raw") -> Document:
    start = RAW_TEXT.index(RECOMMENDATION)
    item = Item(id=f"{doc_id}-r1", kind="recommendation", number="1", text=RECOMMENDATION, start=start,
                end=start + len(RECOMMENDATION), section=None, themes=["information_sharing"],
                theme_scores={"information_sharing": 0.8}, scie="multi_agency_working",
                scie_scores={"multi_agency_working": 0.9})
    return Document(id=doc_id, source=Source(file="review.pdf", sha256="1" * 64, pages=1), text=RAW_TEXT,
                    items=[item])


def _import(client, *docs: dict):
    return client.post("/api/import", json={"documents": list(docs)}, headers={"X-CSRF-Token": csrf_of(client)})


def _stored(client, doc_id: str) -> bool:
    # Imported items are pending, the one status every queue role may list.
    return any(i["document"] == doc_id for i in client.get("/api/queue", params={"status": "pending"}).json()["items"])


def test_labels_outside_the_taxonomy_are_refused_naming_the_field(clients):
    rev = clients["reviewer"]
    evil = "<img src=x onerror=alert(1)>"
    cases = {
        "unknown theme id in item 2": lambda d: d["items"][1].update(themes=[evil]),
        "unknown SCIE category id in item 1": lambda d: d["items"][0].update(scie=evil),
        "unknown SCIE score id in item 3": lambda d: d["items"][2]["scie_scores"].update({evil: 0.5}),
        "unknown theme score id in item 1": lambda d: d["items"][0]["theme_scores"].update({evil: 0.5}),
        "unknown label id in the evidence of item 1": lambda d: d["items"][0].update(evidence={evil: ["x"]}),
        "unknown theme id in the document's themes": lambda d: d["themes"][0].update(id=evil),
    }
    for n, (message, spoil) in enumerate(cases.items()):
        doc = json.loads(make_document(f"doc-bad{n}").to_json())
        spoil(doc)
        r = _import(rev, doc)
        assert r.status_code == 422, message
        assert r.json()["errors"][0]["error"] == message
        assert "img" not in r.text  # the value is never echoed
        assert not _stored(rev, f"doc-bad{n}")
    # The upload form refuses the same, and its page shows no markup from the file.
    doc = json.loads(make_document("doc-bad-form").to_json())
    doc["items"][0]["themes"] = [evil]
    r = rev.post("/import", data={"csrf_token": csrf_of(rev)},
                 files=[("files", ("bad.json", json.dumps(doc), "application/json"))])
    assert r.status_code == 400 and "unknown theme id in item 1" in r.text and "<img" not in r.text
    assert clients["researcher"].get("/api/export/labels").json() == []
    # a clean document still goes in
    assert _import(rev, json.loads(make_document("doc-good").to_json())).status_code == 200


def test_a_document_claiming_to_be_redacted_is_checked_for_identifiers(clients):
    rev = clients["reviewer"]
    liar = raw_document("doc-liar")
    liar.redacted = True  # the claim the import used to trust
    r = _import(rev, json.loads(liar.to_json()))
    assert r.status_code == 422
    error = r.json()["errors"][0]["error"]
    assert error.startswith("document doc-liar: ") and error.endswith("; redact it first")
    for kind in ("person name", "date of birth", "phone number"):
        assert kind in error
    for secret in ("Jessica", "Thornbury", "14 March", "07700"):
        assert secret not in r.text
    assert not _stored(rev, "doc-liar")

    # The same document through `casereview redact`'s own code goes in.
    clean = redact_document(raw_document("doc-clean"))
    assert clean.redacted and "Thornbury" not in clean.text
    r = _import(rev, json.loads(clean.to_json()))
    assert r.status_code == 200, r.text
    assert _stored(rev, "doc-clean")


def test_residual_identifiers_counts_and_never_quotes():
    found = residual_identifiers(RAW_TEXT)
    assert found["PERSON"] >= 1 and found["DATE_OF_BIRTH"] == 1 and found["PHONE"] == 1
    message = describe(found)
    assert "identifiers found" in message and "Jessica" not in message
    # What the redactor writes, and role words, are not identifiers.
    assert not residual_identifiers("Child A told [PERSON 2] and the Mother that [PERSON 11] had called "
                                    "[PHONE]; the health visitor saw [REDACTED] on [DATE OF BIRTH].")


@pytest.fixture()
def rooted(env, tmp_path):
    """An app whose params allow folder import from one root, and a reviewer logged in to it."""
    from casereview.web import create_app

    root = tmp_path / "imports"
    (root / "batch" / "documents").mkdir(parents=True)
    (root / "batch" / "documents" / "a.json").write_text(make_document("doc-rooted").to_json())
    outside = tmp_path / "elsewhere"
    (outside / "documents").mkdir(parents=True)
    (outside / "documents" / "b.json").write_text(make_document("doc-outside").to_json())
    config = env["config"].with_overrides({"web": {"import_roots": [str(root)]}})
    client = TestClient(create_app(env["url"], config=config))
    assert login(client, "reviewer1").status_code == 303
    return {"client": client, "root": root, "outside": outside}


def test_folder_import_is_off_without_roots(clients, env, tmp_path):
    rev = clients["reviewer"]
    folder = tmp_path / "batch"
    (folder / "documents").mkdir(parents=True)
    (folder / "documents" / "a.json").write_text(make_document("doc-folder").to_json())
    r = rev.post("/api/import", json={"folder": str(folder)}, headers={"X-CSRF-Token": csrf_of(rev)})
    assert r.status_code == 403 and "folder import is limited to the configured roots" in r.json()["detail"]
    r = rev.post("/import", data={"csrf_token": csrf_of(rev), "folder": str(folder)})
    assert r.status_code == 403 and "folder import is limited to the configured roots" in r.text
    assert 'id="folder-off"' in rev.get("/import").text and 'name="folder"' not in rev.get("/import").text
    assert not _stored(rev, "doc-folder")


def test_folder_import_only_inside_the_configured_roots(rooted):
    client, root, outside = rooted["client"], rooted["root"], rooted["outside"]
    token = csrf_of(client)

    def folder(path: str):
        return client.post("/api/import", json={"folder": path}, headers={"X-CSRF-Token": token})

    assert 'name="folder"' in client.get("/import").text
    r = folder(str(root / "batch"))
    assert r.status_code == 200 and r.json()["imported"][0]["document"] == "doc-rooted"
    for escape in (str(outside), str(root / ".." / "elsewhere"), "../elsewhere", "/etc"):
        r = folder(escape)
        assert r.status_code == 403, escape
        assert "folder import is limited to the configured roots" in r.json()["detail"]
    os.symlink(outside, root / "link")  # a link inside the root that points out of it
    assert folder(str(root / "link")).status_code == 403
    os.symlink(outside / "documents" / "b.json", root / "batch" / "documents" / "b.json")  # a linked file
    r = folder(str(root / "batch"))
    assert r.status_code == 200 and [d["document"] for d in r.json()["imported"]] == ["doc-rooted"]
    assert folder(str(root / "missing")).status_code == 400
    assert not _stored(client, "doc-outside")
