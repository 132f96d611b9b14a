"""Pydantic schemas of the JSON API: request bodies are validated here, at the edge, before the store."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

from casereview.store.audit import when
from casereview.store.models import ItemRow


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LabelBody(_Body):
    """A label change. `version` is the item's version as the client last saw it (lost-update protection)."""

    version: StrictInt = Field(description="the item's current version")
    scie: StrictStr | None = None
    themes: list[StrictStr] | None = None
    comment: StrictStr | None = Field(default=None, max_length=5000)
    confirm: StrictBool = Field(default=False, description="replace a label someone else verified (explicit true)")


class UndoBody(_Body):
    """Undo the user's own most recent change, or the one named; `version` (optional) is the item's version
    as the client saw it."""

    change: StrictInt | None = Field(default=None, ge=1, le=2**31)
    version: StrictInt | None = Field(default=None, ge=0, le=2**31)


class ImportBody(_Body):
    documents: list[dict[str, Any]] = Field(default_factory=list)
    folder: StrictStr | None = None


class Predicted(BaseModel):
    scie: str | None
    scie_scores: dict[str, float]
    scie_runner_up: str | None
    themes: list[str]
    theme_scores: dict[str, float]
    evidence: dict[str, list[str]]


class Verified(BaseModel):
    scie: str | None
    themes: list[str] | None
    by: str | None
    at: str | None
    comment: str | None


class Previous(BaseModel):
    """A verification the item no longer has (a re-import changed its text): whose label an accept replaces."""

    by: str | None
    scie: str | None
    themes: list[str]
    at: str | None
    reimported_at: str | None


class ItemOut(BaseModel):
    pk: int
    id: str
    document: str
    kind: str
    number: str | None
    section: str | None
    text: str
    start: int
    end: int
    confidence: float
    status: str
    predicted: Predicted
    verified: Verified
    previous: Previous | None = Field(default=None, description="the verification a re-import undid, if any")
    version: int

    @classmethod
    def of(cls, item: ItemRow, previous: dict[str, Any] | None = None) -> ItemOut:
        return cls(
            pk=item.pk,
            id=item.item_id,
            document=item.document_id,
            kind=item.kind,
            number=item.number,
            section=item.section,
            text=item.text,
            start=item.start,
            end=item.end,
            confidence=item.confidence,
            status=item.status,
            predicted=Predicted(
                scie=item.pred_scie,
                scie_scores=item.pred_scie_scores or {},
                scie_runner_up=item.pred_scie_runner_up,
                themes=item.pred_themes or [],
                theme_scores=item.pred_theme_scores or {},
                evidence=item.evidence or {},
            ),
            verified=Verified(
                scie=item.verified_scie,
                themes=item.verified_themes,
                by=item.verified_by,
                at=when(item.verified_at) or None,
                comment=item.comment,
            ),
            previous=Previous(**previous) if previous else None,
            version=item.version,
        )


class QueueOut(BaseModel):
    total: int
    next: str | None = Field(default=None, description="pass as `after` for the next page; null on the last")
    total_capped: bool = Field(default=False, description="a search with more matches than `total` counts")
    items: list[ItemOut | BlindItemOut] = Field(description="blind (no labels) where it waits for your second check")


class LabelResult(BaseModel):
    item: ItemOut
    audit: list[int]


class UndoResult(BaseModel):
    item: ItemOut
    undone: int  # the LabelChange reversed
    change: int  # the undo's own LabelChange
    audit: list[int]


class Me(BaseModel):
    name: str
    role: str
    csrf_token: str


# --- team work: assignment, blind second check, flags ---------------------------------------------------

class AssignBody(_Body):
    """Either `items` (pks) or `document` (an id); `user` is the assignee's name, null to unassign."""

    items: list[StrictInt] | None = Field(default=None, max_length=10000)
    document: StrictStr | None = Field(default=None, max_length=200)
    user: StrictStr | None = Field(max_length=120)


class SecondBody(_Body):
    version: StrictInt = Field(description="the item's current version")
    scie: StrictStr | None = None
    themes: list[StrictStr] = Field(default_factory=list)


class FlagBody(_Body):
    version: StrictInt = Field(description="the item's current version")
    flagged: StrictBool
    note: StrictStr | None = Field(default=None, max_length=2000)


class BlindItemOut(BaseModel):
    """An item for the blind second check: its text and place, never the model's or the first person's labels."""

    pk: int
    id: str
    document: str
    document_name: str
    kind: str
    number: str | None
    section: str | None
    text: str
    version: int
    blind: bool = Field(default=True, description="labels withheld: it waits for your blind second check")

    @classmethod
    def of(cls, item: ItemRow) -> BlindItemOut:
        return cls(pk=item.pk, id=item.item_id, document=item.document_id, document_name=item.document.source_file,
                   kind=item.kind, number=item.number, section=item.section, text=item.text, version=item.version)


class SecondOut(BaseModel):
    total: int = Field(description="all items waiting for your second check")
    next: str | None = Field(default=None, description="pass as `after` for the next page; null on the last")
    items: list[BlindItemOut]


class TeamItemOut(BaseModel):
    pk: int
    version: int
    assigned_to: str | None
    flagged: bool
    flag_note: str | None
    double_check: bool
    second_by: str | None

    @classmethod
    def of(cls, item: ItemRow) -> TeamItemOut:
        return cls(pk=item.pk, version=item.version, assigned_to=item.assigned_to, flagged=item.flagged,
                   flag_note=item.flag_note, double_check=item.double_check, second_by=item.second_by)
