"""The store: migrations, WAL, idempotent import that keeps human verification, append-only audit."""

from __future__ import annotations

import pytest
from casereview.store import create_db_engine, get_engine, import_documents, session_factory
from casereview.store.agreement import agreement, cohen_kappa
from casereview.store.audit import audit_rows
from casereview.store.export import label_records
from casereview.store.labels import apply_label
from casereview.store.models import AuditEvent, DocumentRow, ItemRow
from casereview.store.queue import QueueFilter, queue_items
from casereview.store.users import create_user
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from tests.store.seed import database_url, make_document


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """Every store test runs on SQLite and on PostgreSQL (a throw-away cluster, or CASEREVIEW_TEST_PG_URL)."""
    server = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    yield from database_url(request.param, tmp_path, server)


def test_sqlite_is_wal_with_foreign_keys_and_migrated(db_url):
    engine = get_engine(db_url)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0002"
    create_db_engine(db_url)  # running `upgrade head` again is a no-op


def test_default_url_comes_from_environment(monkeypatch, tmp_path):
    from casereview.store import resolve_db_url

    monkeypatch.setenv("CASEREVIEW_DB", f"sqlite:///{tmp_path}/env.db")
    assert resolve_db_url(None).endswith("env.db")
    assert resolve_db_url("sqlite:///x.db") == "sqlite:///x.db"
    monkeypatch.delenv("CASEREVIEW_DB")
    assert resolve_db_url(None) == "sqlite:///casereview.db"


def test_import_stores_fields_and_refuses_unredacted(db_url):
    assert import_documents(db_url, [make_document("doc-a")]) == 1
    with pytest.raises(ValueError, match=r"doc-b\.pdf"):
        import_documents(db_url, [make_document("doc-c"), make_document("doc-b", redacted=False)])
    with session_factory(db_url)() as s:
        assert [d.id for d in s.scalars(select(DocumentRow))] == ["doc-a"]  # nothing from the refused call
        doc = s.get(DocumentRow, "doc-a")
        assert doc.source_file == "doc-a.pdf" and doc.pages == 3 and doc.themes[0]["id"] == "information_sharing"
        items = list(s.scalars(select(ItemRow).order_by(ItemRow.start)))
        assert [i.item_id for i in items] == ["doc-a-r1", "doc-a-r2", "doc-a-r3"]
        assert items[1].pred_scie_runner_up == "human_reasoning"
        assert items[1].confidence == pytest.approx(0.42)
        assert doc.text[items[0].start:items[0].end] == items[0].text


def test_reimport_updates_predictions_but_keeps_verification(db_url):
    import_documents(db_url, [make_document("doc-a")])
    make = session_factory(db_url)
    with make() as s, s.begin():
        qa = create_user(s, "qa1", "qa", "password-1-long")
        item = s.scalars(select(ItemRow).where(ItemRow.item_id == "doc-a-r2")).one()
        apply_label(s, item, qa, action="save", scie="human_reasoning", themes=["neglect"], comment="ok")
    doc = make_document("doc-a")
    doc.items[1].scie = "tools"
    doc.items[1].scie_scores = {"tools": 0.99}
    assert import_documents(db_url, [doc]) == 1
    with make() as s:
        item = s.scalars(select(ItemRow).where(ItemRow.item_id == "doc-a-r2")).one()
        assert item.pred_scie == "tools" and item.confidence == pytest.approx(0.99)
        assert item.status == "verified" and item.verified_scie == "human_reasoning"
        assert item.verified_themes == ["neglect"] and item.comment == "ok"
        assert len(audit_rows(s, item.pk)) == 4  # status, scie, themes, comment


def test_audit_is_append_only_in_the_database(db_url):
    import_documents(db_url, [make_document("doc-a")])
    make = session_factory(db_url)
    with make() as s, s.begin():
        qa = create_user(s, "qa1", "qa", "password-1-long")
        apply_label(s, s.scalars(select(ItemRow)).first(), qa, action="accept")
    engine = get_engine(db_url)
    for stmt in ("UPDATE audit_events SET after = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(DatabaseError, match="append-only"), engine.begin() as conn:
            conn.execute(text(stmt))
    with make() as s:
        first_label = select(AuditEvent.after).where(AuditEvent.item_pk.is_not(None)).order_by(AuditEvent.id)
        assert s.scalar(first_label.limit(1)) == '"verified"'  # import events name a document, not an item


def test_researcher_cannot_label_and_queue_is_least_confident_first(db_url):
    import_documents(db_url, [make_document("doc-a")])
    with session_factory(db_url)() as s, s.begin():
        res = create_user(s, "r1", "researcher", "password-1-long")
        items = queue_items(s, QueueFilter())
        assert [round(i.confidence, 2) for i in items] == [0.42, 0.55, 0.91]
        assert [i.item_id for i in queue_items(s, QueueFilter(theme="voice_of_the_child"))] == ["doc-a-r2"]
        assert [i.item_id for i in queue_items(s, QueueFilter(category="tools"))] == []
        with pytest.raises(PermissionError):
            apply_label(s, items[0], res, action="accept")


def test_kappa_and_agreement(db_url):
    assert cohen_kappa([("a", "a"), ("b", "b")]) == pytest.approx(1.0)
    assert cohen_kappa([("a", "b"), ("b", "a")]) == pytest.approx(-1.0)
    assert cohen_kappa([("a", "a"), ("a", "a")]) is None
    import_documents(db_url, [make_document("doc-a")])
    with session_factory(db_url)() as s, s.begin():
        qa = create_user(s, "qa1", "qa", "password-1-long")
        items = queue_items(s, QueueFilter())
        apply_label(s, items[0], qa, action="accept")
        apply_label(s, items[1], qa, action="save", scie="tools", themes=["workforce_supervision_training"])
        a = agreement(s, [("management_systems", "M"), ("tools", "T")], [("workforce_supervision_training", "W")])
    assert (a.total, a.verified, a.scie_n) == (3, 2, 2)
    assert a.scie_accuracy == pytest.approx(0.5)
    tools = next(r for r in a.scie if r.id == "tools")
    assert (tools.predicted, tools.verified, tools.both) == (0, 1, 0)
    assert a.themes[0].agreement == pytest.approx(1.0)


def test_label_records_schema(db_url):
    import_documents(db_url, [make_document("doc-a")])
    with session_factory(db_url)() as s, s.begin():
        qa = create_user(s, "qa1", "qa", "password-1-long")
        apply_label(s, queue_items(s, QueueFilter())[0], qa, action="save", scie="tools", themes=["neglect"])
        records = label_records(s)
    assert records == [{"id": "doc-a-r2", "source": "verified", "doc": "doc-a", "type": "recommendation",
                        "text": records[0]["text"], "themes": ["neglect"], "scie": "tools",
                        "scie_second": None, "confidence": "high"}]


def test_models_match_the_migrations(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from casereview.store.models import Base

    with get_engine(db_url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    # SQLite's FTS5 search index is created by the migration only; it has no model.
    diff = [d for d in diff if not (d[0] == "remove_table" and d[1].name.startswith("items_fts"))]
    assert diff == []  # a model change needs a new Alembic revision
