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
        Index("ix_items_status_confidence", "status", "confidence"),
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
    document: Mapped[DocumentRow] = relationship(back_populates="items")

    # The labels as they stand: the human's once verified, the model's before.
    @property
    def current_scie(self) -> str | None:
        return self.verified_scie if self.status == "verified" else self.pred_scie

    @property
    def current_themes(self) -> list[str]:
        if self.status == "verified" and self.verified_themes is not None:
            return list(self.verified_themes)
        return list(self.pred_themes or [])


class AuditEvent(Base):
    """Append-only: the code never updates or deletes these rows and database triggers refuse it."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    username: Mapped[str] = mapped_column(String(120))
    item_pk: Mapped[int] = mapped_column(ForeignKey("items.pk"), index=True)
    action: Mapped[str] = mapped_column(String(20))  # accept | save
    field: Mapped[str] = mapped_column(String(40))  # status | scie | themes | comment
    before: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON-encoded value
    after: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON-encoded value
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
