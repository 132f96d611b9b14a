"""SQLAlchemy 2 models: documents and items with predictions and human verification, users, sessions,
login attempts and the append-only audit trail.

Only redacted text is stored (the import refuses anything else). The Alembic migrations under
store/migrations are the source of truth for the schema; these classes must match them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ROLES: tuple[str, ...] = ("admin", "reviewer", "qa", "researcher")
ITEM_STATUSES: tuple[str, ...] = ("pending", "verified")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)  # stored naive, always UTC


class Base(DeclarativeBase):
    pass


class Setting(Base):
    """Key/value settings that must survive restarts and be shared by workers (e.g. the signing key)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class WebSession(Base):
    """Server-side session. The cookie holds a random token; only its SHA-256 is stored here."""

    __tablename__ = "sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 hex of the cookie token
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    user: Mapped[User] = relationship(lazy="joined")


class LoginAttempt(Base):
    """Failed logins, counted per username and per client IP for rate limiting (shared across workers)."""

    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(120), index=True)
    ip: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class DocumentRow(Base):
    __tablename__ = "documents"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    source_file: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    pages: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, default="")  # redacted text only
    sections: Mapped[list[Any]] = mapped_column(JSON, default=list)
    themes: Mapped[list[Any]] = mapped_column(JSON, default=list)  # document theme roll-up
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    items: Mapped[list[ItemRow]] = relationship(back_populates="document", order_by="ItemRow.start")


class ItemRow(Base):
    __tablename__ = "items"
    __table_args__ = (
        UniqueConstraint("document_id", "item_id", name="uq_items_document_item"),
        # The queue's sort order (least confident first, then reading order) for keyset pagination.
        Index("ix_items_queue", "status", "confidence", "document_id", "start", "pk"),
        Index("ix_items_confidence_order", "confidence", "document_id", "start", "pk"),
        # Counts of the filtered queue (kind, category) without reading the rows.
        Index("ix_items_status_kind_scie", "status", "kind", "cur_scie"),
        Index("ix_items_status_scie", "status", "cur_scie"),
        # Items and verified items per document (documents list, progress) from the index alone.
        Index("ix_items_document_status", "document_id", "status"),
    )
    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    item_id: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    number: Mapped[str | None] = mapped_column(String(40), nullable=True)
    text: Mapped[str] = mapped_column(Text)  # redacted
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    section: Mapped[str | None] = mapped_column(String(500), nullable=True)
    # Model predictions: replaced on every re-import.
    pred_themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    pred_theme_scores: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    pred_scie: Mapped[str | None] = mapped_column(String(80), nullable=True)
    pred_scie_scores: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    pred_scie_runner_up: Mapped[str | None] = mapped_column(String(80), nullable=True)
    evidence: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    # Human verification: never touched by an import.
    status: Mapped[str] = mapped_column(String(20), default="pending")
    verified_scie: Mapped[str | None] = mapped_column(String(80), nullable=True)
    verified_themes: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    verified_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    verified_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=0)  # optimistic locking between QA staff
    # The labels as they stand, kept in step by the store so filters can use an index.
    cur_scie: Mapped[str | None] = mapped_column(String(80), nullable=True, index=True)
    # Team work: who should verify it, a flag for discussion, and a blind second verification.
    assigned_to: Mapped[str | None] = mapped_column(String(120), nullable=True, index=True)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    flag_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    double_check: Mapped[bool] = mapped_column(Boolean, default=False)
    second_scie: Mapped[str | None] = mapped_column(String(80), nullable=True)
    second_themes: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    second_by: Mapped[str | None] = mapped_column(String(120), nullable=True)
    second_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    document: Mapped[DocumentRow] = relationship(back_populates="items")
    theme_rows: Mapped[list[ItemTheme]] = relationship(cascade="all, delete-orphan", passive_deletes=True)

    # The labels as they stand: the human's once verified, the model's before.
    @property
    def current_scie(self) -> str | None:
        return self.verified_scie if self.status == "verified" else self.pred_scie

    @property
    def current_themes(self) -> list[str]:
        if self.status == "verified" and self.verified_themes is not None:
            return list(self.verified_themes)
        return list(self.pred_themes or [])

    def sync_current(self) -> None:
        """Copy the current labels into the indexed columns; every write to labels or status calls this."""
        self.cur_scie = self.current_scie
        wanted = set(self.current_themes)
        for row in list(self.theme_rows):
            if row.theme not in wanted:
                self.theme_rows.remove(row)
        have = {row.theme for row in self.theme_rows}
        self.theme_rows.extend(ItemTheme(theme=t) for t in sorted(wanted - have))


class ItemTheme(Base):
    """One row per current theme of an item (the human's once verified), so theme filters use an index."""

    __tablename__ = "item_themes"
    __table_args__ = (Index("ix_item_themes_theme", "theme", "item_pk"),)
    item_pk: Mapped[int] = mapped_column(ForeignKey("items.pk", ondelete="CASCADE"), primary_key=True)
    theme: Mapped[str] = mapped_column(String(80), primary_key=True)


class LabelChange(Base):
    """One person's change to an item's labels as a whole, so it can be undone: the state before and after.

    Never updated: an undo is a new change whose `undoes` names the change it reverses.
    """

    __tablename__ = "label_changes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_pk: Mapped[int] = mapped_column(ForeignKey("items.pk"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True, index=True)
    username: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    action: Mapped[str] = mapped_column(String(20))
    before: Mapped[dict[str, Any]] = mapped_column(JSON)
    after: Mapped[dict[str, Any]] = mapped_column(JSON)
    version_before: Mapped[int] = mapped_column(Integer)
    version_after: Mapped[int] = mapped_column(Integer)
    undoes: Mapped[int | None] = mapped_column(ForeignKey("label_changes.id"), nullable=True, unique=True)


class AuditEvent(Base):
    """Append-only: the code never updates or deletes these rows and database triggers refuse it."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_username", "username", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    username: Mapped[str] = mapped_column(String(120))
    # None for events that are not about one item (login, import, user change); `target` says what then.
    item_pk: Mapped[int | None] = mapped_column(ForeignKey("items.pk"), nullable=True, index=True)
    target: Mapped[str | None] = mapped_column(String(200), nullable=True)
    change_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)  # LabelChange.id
    action: Mapped[str] = mapped_column(String(20))  # accept | save | undo | reimport | login | ...
    field: Mapped[str] = mapped_column(String(40))  # status | scie | themes | comment
    before: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON-encoded value
    after: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON-encoded value
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
