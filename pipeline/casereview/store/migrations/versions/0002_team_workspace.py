"""Team workspace: current-label columns and a theme table for indexed filters, assignment, flags,
double verification, label changes (for undo), audit rows that are not about one item, SQLite FTS5.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table("items") as b:
        b.add_column(sa.Column("cur_scie", sa.String(80), nullable=True))
        b.add_column(sa.Column("assigned_to", sa.String(120), nullable=True))
        b.add_column(sa.Column("flagged", sa.Boolean(), nullable=False, server_default=sa.false()))
        b.add_column(sa.Column("flag_note", sa.Text(), nullable=True))
        b.add_column(sa.Column("double_check", sa.Boolean(), nullable=False, server_default=sa.false()))
        b.add_column(sa.Column("second_scie", sa.String(80), nullable=True))
        b.add_column(sa.Column("second_themes", sa.JSON(), nullable=True))
        b.add_column(sa.Column("second_by", sa.String(120), nullable=True))
        b.add_column(sa.Column("second_at", sa.DateTime(), nullable=True))
        b.drop_index("ix_items_status_confidence")
        b.create_index("ix_items_queue", ["status", "confidence", "document_id", "start", "pk"])
        b.create_index("ix_items_confidence_order", ["confidence", "document_id", "start", "pk"])
        b.create_index("ix_items_cur_scie", ["cur_scie"])
        b.create_index("ix_items_status_kind_scie", ["status", "kind", "cur_scie"])
        b.create_index("ix_items_status_scie", ["status", "cur_scie"])
        b.create_index("ix_items_document_status", ["document_id", "status"])
        b.create_index("ix_items_assigned_to", ["assigned_to"])
    op.execute(
        "UPDATE items SET cur_scie = CASE WHEN status = 'verified' THEN verified_scie ELSE pred_scie END"
    )

    op.create_table(
        "item_themes",
        sa.Column("item_pk", sa.Integer(), sa.ForeignKey("items.pk", ondelete="CASCADE"), primary_key=True),
        sa.Column("theme", sa.String(80), primary_key=True),
    )
    op.create_index("ix_item_themes_theme", "item_themes", ["theme", "item_pk"])
    _fill_item_themes()

    op.create_table(
        "label_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("item_pk", sa.Integer(), sa.ForeignKey("items.pk"), nullable=False, index=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=True, index=True),
        sa.Column("username", sa.String(120), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("version_before", sa.Integer(), nullable=False),
        sa.Column("version_after", sa.Integer(), nullable=False),
        sa.Column("undoes", sa.Integer(), sa.ForeignKey("label_changes.id"), nullable=True, unique=True),
    )

    # Audit rows for logins, imports and user changes have no item; the triggers go with the SQLite copy.
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
    with op.batch_alter_table("audit_events") as b:
        b.alter_column("item_pk", existing_type=sa.Integer(), nullable=True)
        b.add_column(sa.Column("target", sa.String(200), nullable=True))
        b.add_column(sa.Column("change_id", sa.Integer(), nullable=True))
        b.create_index("ix_audit_events_change_id", ["change_id"])
        b.create_index("ix_audit_events_username", ["username", "id"])
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
                "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
            )
        # Full-text search over the redacted item text; kept in step with items by triggers.
        op.execute("CREATE VIRTUAL TABLE items_fts USING fts5(text, content='items', content_rowid='pk')")
        op.execute("INSERT INTO items_fts(rowid, text) SELECT pk, text FROM items")
        op.execute(
            "CREATE TRIGGER items_fts_ai AFTER INSERT ON items BEGIN "
            "INSERT INTO items_fts(rowid, text) VALUES (new.pk, new.text); END"
        )
        op.execute(
            "CREATE TRIGGER items_fts_ad AFTER DELETE ON items BEGIN "
            "INSERT INTO items_fts(items_fts, rowid, text) VALUES ('delete', old.pk, old.text); END"
        )
        op.execute(
            "CREATE TRIGGER items_fts_au AFTER UPDATE OF text ON items BEGIN "
            "INSERT INTO items_fts(items_fts, rowid, text) VALUES ('delete', old.pk, old.text); "
            "INSERT INTO items_fts(rowid, text) VALUES (new.pk, new.text); END"
        )


def _fill_item_themes() -> None:
    bind = op.get_bind()
    items = sa.table(
        "items",
        sa.column("pk", sa.Integer()),
        sa.column("status", sa.String()),
        sa.column("pred_themes", sa.JSON()),
        sa.column("verified_themes", sa.JSON()),
    )
    rows = []
    for pk, status, pred, verified in bind.execute(
        sa.select(items.c.pk, items.c.status, items.c.pred_themes, items.c.verified_themes)
    ):
        themes = verified if status == "verified" and verified is not None else pred
        rows += [{"item_pk": pk, "theme": t} for t in sorted(set(themes or []))]
    if rows:
        op.bulk_insert(sa.table("item_themes", sa.column("item_pk"), sa.column("theme")), rows)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in ("items_fts_ai", "items_fts_ad", "items_fts_au", "audit_events_no_update",
                     "audit_events_no_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS items_fts")
    with op.batch_alter_table("audit_events") as b:
        b.drop_index("ix_audit_events_username")
        b.drop_index("ix_audit_events_change_id")
        b.drop_column("change_id")
        b.drop_column("target")
    op.drop_table("label_changes")
    op.drop_index("ix_item_themes_theme", "item_themes")
    op.drop_table("item_themes")
    with op.batch_alter_table("items") as b:
        for ix in ("ix_items_document_status", "ix_items_status_scie", "ix_items_status_kind_scie",
                   "ix_items_assigned_to", "ix_items_cur_scie", "ix_items_confidence_order", "ix_items_queue"):
            b.drop_index(ix)
        b.create_index("ix_items_status_confidence", ["status", "confidence"])
        for col in ("second_at", "second_by", "second_themes", "second_scie", "double_check", "flag_note",
                    "flagged", "assigned_to", "cur_scie"):
            b.drop_column(col)
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
                "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END"
            )
