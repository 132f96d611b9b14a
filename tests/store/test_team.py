"""Team work in the store: assignment, the double-verification sample, blind second checks, flags, progress,
and kappa between people. Every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from casereview.store import import_documents, session_factory
from casereview.store.agreement import agreement
from casereview.store.audit import audit_rows
from casereview.store.errors import ConflictError, StoreError
from casereview.store.labels import apply_label, undo_last
from casereview.store.models import ItemRow, User
from casereview.store.queue import QueueFilter, queue_items
from casereview.store.team import (
    DOUBLE_SHARE_KEY,
    assign_document,
    assign_items,
    in_sample,
    progress,
    second_queue,
    second_verify,
    set_flag,
)
from casereview.store.users import create_user
from sklearn.metrics import cohen_kappa_score
from sqlalchemy import select

from tests.store.seed import database_url, make_document

SCIE = [("multi_agency_working", "MAW"), ("family_professional_interaction", "FPI"), ("human_reasoning", "HR"),
        ("tools", "Tools"), ("management_systems", "MS")]
THEMES = [("neglect", "Neglect"), ("information_sharing", "IS"), ("voice_of_the_child", "VoC")]


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    server = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    yield from database_url(request.param, tmp_path, server)


@pytest.fixture()
def db(db_url):
    import_documents(db_url, [make_document("doc-001"), make_document("doc-002", n_items=2)])
    with session_factory(db_url)() as s:
        for name, role in (("admin1", "admin"), ("qa1", "qa"), ("qa2", "qa"), ("res1", "researcher")):
            create_user(s, name, role, "pw-long-enough-1")
        s.commit()
        yield s


def user(s, name: str) -> User:
    return s.scalar(select(User).where(User.name == name))


def items(s) -> list[ItemRow]:
    return list(s.scalars(select(ItemRow).order_by(ItemRow.document_id, ItemRow.start)))


def test_assign_items_and_document_audited_and_my_queue(db):
    admin, all_items = user(db, "admin1"), items(db)
    assert assign_document(db, admin, "doc-001", "qa1") == 3
    assert assign_items(db, admin, [all_items[3].pk], "qa2") == 1
    assert assign_document(db, admin, "doc-001", "qa1") == 0  # nothing changes, nothing recorded
    db.commit()
    mine = queue_items(db, QueueFilter(assigned_to="qa1"))
    assert sorted(i.item_id for i in mine) == ["doc-001-r1", "doc-001-r2", "doc-001-r3"]
    assert [i.item_id for i in queue_items(db, QueueFilter(assigned_to="qa2"))] == ["doc-002-r1"]
    trail = audit_rows(db, all_items[0].pk)
    assert [(r["action"], r["field"], r["before"], r["after"], r["user"]) for r in trail] == [
        ("assign", "assigned_to", None, "qa1", "admin1")]
    assert assign_items(db, admin, [all_items[0].pk], None) == 1  # unassign
    assert all_items[0].assigned_to is None


@pytest.mark.parametrize("to", ["res1", "nobody", "admin1 "])
def test_only_active_labellers_can_be_assignees(db, to):
    admin = user(db, "admin1")
    if to == "admin1 ":
        assert assign_document(db, admin, "doc-002", to) == 2  # names are trimmed; admins may verify
        return
    with pytest.raises(StoreError):
        assign_document(db, admin, "doc-002", to)


def test_inactive_user_and_unknown_items_refused(db):
    admin = user(db, "admin1")
    user(db, "qa2").active = False
    with pytest.raises(StoreError):
        assign_items(db, admin, [items(db)[0].pk], "qa2")
    with pytest.raises(StoreError):
        assign_items(db, admin, [10**9], "qa1")
    with pytest.raises(StoreError):
        assign_document(db, admin, "no-such-doc", "qa1")


def test_sample_is_deterministic_and_close_to_share():
    keys = [("doc", f"item-{n}") for n in range(4000)]
    chosen = [k for k in keys if in_sample(*k, 0.1)]
    assert 300 < len(chosen) < 500
    assert chosen == [k for k in keys if in_sample(*k, 0.1)]
    assert not any(in_sample(*k, 0.0) for k in keys) and all(in_sample(*k, 1.0) for k in keys)


def test_first_verification_samples_by_session_share(db):
    qa1 = user(db, "qa1")
    first, second = items(db)[:2]
    apply_label(db, first, qa1, action="accept")  # no share on a bare session: never sampled
    assert first.double_check is False
    db.info[DOUBLE_SHARE_KEY] = 1.0
    apply_label(db, second, qa1, action="accept")
    assert second.double_check is True


def verify_all(db, labels_first, labels_second):
    db.info[DOUBLE_SHARE_KEY] = 1.0
    qa1, qa2 = user(db, "qa1"), user(db, "qa2")
    for item, (scie, themes) in zip(items(db), labels_first, strict=True):
        apply_label(db, item, qa1, action="save", scie=scie, themes=themes)
    assert [i.pk for i in second_queue(db, qa1)] == []  # never your own
    assert len(second_queue(db, qa2)) == 5
    for item, (scie, themes) in zip(items(db), labels_second, strict=True):
        second_verify(db, item, qa2, scie=scie, themes=themes, expected_version=item.version)
    db.commit()


FIRST = [("multi_agency_working", ["information_sharing"]), ("family_professional_interaction", []),
         ("management_systems", ["neglect"]), ("multi_agency_working", ["information_sharing"]),
         ("tools", ["voice_of_the_child"])]
SECOND = [("multi_agency_working", ["information_sharing"]), ("human_reasoning", []),
          ("management_systems", []), ("multi_agency_working", ["information_sharing", "neglect"]),
          ("tools", ["voice_of_the_child"])]


def test_kappa_between_people_matches_sklearn(db):
    verify_all(db, FIRST, SECOND)
    people = agreement(db, SCIE, THEMES).people
    assert people.n == people.scie_n == people.themes_n == 5
    a, b = [s for s, _ in FIRST], [s for s, _ in SECOND]
    assert people.scie_kappa == pytest.approx(cohen_kappa_score(a, b))
    assert people.scie_accuracy == pytest.approx(4 / 5)
    neglect = next(r for r in people.themes if r.id == "neglect")
    expected = cohen_kappa_score(["neglect" in t for _, t in FIRST], ["neglect" in t for _, t in SECOND])
    assert neglect.kappa == pytest.approx(expected) and neglect.agreement == pytest.approx(3 / 5)
    maw = next(r for r in people.scie if r.id == "multi_agency_working")
    assert maw.kappa == pytest.approx(1.0) and (maw.predicted, maw.verified, maw.both) == (2, 2, 2)
    assert people.pairs == [{"people": ["qa1", "qa2"], "n": 5, "scie_accuracy": pytest.approx(0.8),
                             "scie_kappa": pytest.approx(cohen_kappa_score(a, b))}]
    assert second_queue(db, user(db, "admin1")) == []  # all done


def test_second_verify_refusals(db):
    db.info[DOUBLE_SHARE_KEY] = 1.0
    qa1, qa2, res = user(db, "qa1"), user(db, "qa2"), user(db, "res1")
    item, pending = items(db)[:2]
    apply_label(db, item, qa1, action="accept")
    with pytest.raises(PermissionError):
        second_verify(db, item, qa1, scie="tools", themes=[], expected_version=item.version)
    with pytest.raises(PermissionError):
        second_verify(db, item, res, scie="tools", themes=[], expected_version=item.version)
    with pytest.raises(StoreError):
        second_verify(db, pending, qa2, scie="tools", themes=[], expected_version=pending.version)
    with pytest.raises(ConflictError):
        second_verify(db, item, qa2, scie="tools", themes=[], expected_version=item.version - 1)
    with pytest.raises(StoreError, match="unknown SCIE"):
        second_verify(db, item, qa2, scie="<img>", themes=[], expected_version=item.version,
                      scie_ids=[c for c, _ in SCIE])
    with pytest.raises(StoreError, match="unknown theme"):
        second_verify(db, item, qa2, scie="tools", themes=["x"], expected_version=item.version,
                      theme_ids=[t for t, _ in THEMES])
    second_verify(db, item, qa2, scie="tools", themes=[], expected_version=item.version)
    assert item.verified_scie == item.pred_scie and item.second_scie == "tools"  # first labels unchanged
    with pytest.raises(ConflictError):
        second_verify(db, item, user(db, "admin1"), scie="tools", themes=[], expected_version=item.version)
    trail = [(r["action"], r["field"], r["after"]) for r in audit_rows(db, item.pk) if r["action"] == "second"]
    assert trail == [("second", "second_scie", "tools"), ("second", "second_themes", [])]


def test_flag_unflag_audited_and_version_checked(db):
    qa1 = user(db, "qa1")
    item = items(db)[0]
    v = item.version
    with pytest.raises(ConflictError):
        set_flag(db, item, qa1, flagged=True, note="x", expected_version=v + 1)
    with pytest.raises(ConflictError):
        set_flag(db, item, qa1, flagged=True, note="x", expected_version=None)
    with pytest.raises(PermissionError):
        set_flag(db, item, user(db, "res1"), flagged=True, note="x", expected_version=v)
    set_flag(db, item, qa1, flagged=True, note="  is this tools? ", expected_version=v)
    assert item.flagged and item.flag_note == "is this tools?" and item.version == v + 1
    assert [i.pk for i in queue_items(db, QueueFilter(status=None, flagged=True))] == [item.pk]
    set_flag(db, item, qa1, flagged=False, note=None, expected_version=v + 1)
    assert not item.flagged and item.flag_note is None
    trail = [(r["action"], r["field"], r["before"], r["after"], r["comment"]) for r in audit_rows(db, item.pk)]
    assert trail == [("flag", "flagged", False, True, "is this tools?"), ("unflag", "flagged", True, False, None)]


def test_a_flag_after_a_change_does_not_block_its_undo(db):
    qa1, qa2 = user(db, "qa1"), user(db, "qa2")
    item = items(db)[0]
    apply_label(db, item, qa1, action="accept", expected_version=item.version)
    set_flag(db, item, qa2, flagged=True, note="discuss", expected_version=item.version)  # not a label change
    undo_last(db, qa1)
    assert item.status == "pending" and item.flagged  # the labels went back; the colleague's flag stays
    apply_label(db, item, qa1, action="accept", expected_version=item.version)
    apply_label(db, item, qa2, action="save", scie="tools", themes=["neglect"], confirm=True,
                scie_ids=[c for c, _ in SCIE], theme_ids=[t for t, _ in THEMES], expected_version=item.version)
    with pytest.raises(ConflictError):  # a colleague's label change does block it
        undo_last(db, qa1)


def test_progress_per_person_and_document(db):
    db.info[DOUBLE_SHARE_KEY] = 1.0
    admin, qa1, qa2 = user(db, "admin1"), user(db, "qa1"), user(db, "qa2")
    all_items = items(db)
    assign_document(db, admin, "doc-001", "qa1")
    assign_items(db, admin, [all_items[3].pk], "qa2")
    apply_label(db, all_items[0], qa1, action="accept")
    apply_label(db, all_items[3], qa1, action="accept")
    second_verify(db, all_items[0], qa2, scie="tools", themes=[], expected_version=all_items[0].version)
    set_flag(db, all_items[4], qa2, flagged=True, note="", expected_version=all_items[4].version)
    db.commit()
    p = progress(db)
    people = {r["user"]: r for r in p["people"]}
    assert people["qa1"] == {"user": "qa1", "assigned": 3, "assigned_pending": 2, "verified": 2, "second_checks": 0}
    assert people["qa2"] == {"user": "qa2", "assigned": 1, "assigned_pending": 0, "verified": 0, "second_checks": 1}
    assert people["admin1"]["assigned"] == 0 and "res1" not in people
    docs = {d["name"]: d for d in p["documents"]}
    assert docs["doc-001.pdf"] == {"document": "doc-001", "name": "doc-001.pdf", "total": 3, "verified": 1,
                                   "pending": 2, "flagged": 0, "assigned": {"qa1": 3}}
    assert docs["doc-002.pdf"]["flagged"] == 1 and docs["doc-002.pdf"]["assigned"] == {"qa2": 1}
