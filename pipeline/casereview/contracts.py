"""The typed data contract between pipeline stages.

Every stage takes and returns these objects; JSON on disk is their ``to_dict()``. The keys required by the
design brief (``casereview.document/1``) are always present; stages add optional keys (item labels, the
document's theme roll-up) that older readers can ignore.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

DOCUMENT_SCHEMA = "casereview.document/1"

Status = Literal["ok", "needs_ocr", "error"]
ItemKind = Literal["recommendation", "finding"]
UnitType = Literal["recommendation", "finding", "paragraph"]

STATUSES: tuple[str, ...] = ("ok", "needs_ocr", "error")
ITEM_KINDS: tuple[str, ...] = ("recommendation", "finding")
UNIT_TYPES: tuple[str, ...] = ("recommendation", "finding", "paragraph")


class ContractError(ValueError):
    """A JSON object does not follow the contract. The message names the offending key, never text."""


@dataclass
class Source:
    file: str
    sha256: str
    pages: int
    extractor: str = "pdfplumber"
    ocr: bool = False


@dataclass
class ErrorInfo:
    code: str
    message: str


@dataclass
class Page:
    number: int
    start: int
    end: int


@dataclass
class Section:
    title: str
    level: int
    start: int
    end: int


@dataclass
class Item:
    id: str
    kind: ItemKind
    number: str | None
    text: str
    start: int
    end: int
    section: str | None
    # Lettered or bulleted sub-points under a numbered entry ("a) ...", "(ii) ..."), in order.
    subpoints: list[str] | None = None
    page: int | None = None  # the page the entry starts on
    # Filled in by the classify stage.
    themes: list[str] | None = None
    theme_scores: dict[str, float] | None = None
    scie: str | None = None
    scie_scores: dict[str, float] | None = None
    evidence: dict[str, list[str]] | None = None


    @property
    def full_text(self) -> str:
        """The entry with its sub-points: what a reader (or a classifier) needs to understand it."""
        return " ".join([self.text, *(self.subpoints or [])])


@dataclass
class Redaction:
    start: int
    end: int
    label: str
    replacement: str


@dataclass
class ThemeRollup:
    """One theme shown by a whole document, with the passages (character spans) that support it."""

    id: str
    score: float
    passages: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Document:
    id: str
    source: Source
    status: Status = "ok"
    error: ErrorInfo | None = None
    text: str = ""
    pages: list[Page] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    redactions: list[Redaction] = field(default_factory=list)
    redacted: bool = False
    themes: list[ThemeRollup] = field(default_factory=list)
    schema: str = DOCUMENT_SCHEMA

    # -- construction helpers -------------------------------------------------------------------------
    @classmethod
    def failed(cls, *, doc_id: str, source: Source, code: str, message: str,
               status: Status = "error") -> Document:
        """A Document that records why a file could not be processed (no text, no exception)."""
        return cls(id=doc_id, source=source, status=status, error=ErrorInfo(code=code, message=message))

    # -- serialisation --------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        ordered = {"schema": data.pop("schema")}
        ordered.update(data)
        return ordered

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        if not isinstance(data, dict):
            raise ContractError("a Document must be a JSON object")
        if data.get("schema") != DOCUMENT_SCHEMA:
            # offending values are never quoted: a field of an unredacted document can hold a name
            raise ContractError(f"unsupported schema; expected {DOCUMENT_SCHEMA!r}")
        for key in ("id", "source", "status", "text", "pages", "sections", "items", "redactions"):
            if key not in data:
                raise ContractError(f"missing key {key!r}")
        if data["status"] not in STATUSES:
            raise ContractError(f"invalid status; expected one of {', '.join(STATUSES)}")
        if not isinstance(data["text"], str):
            raise ContractError("'text' must be a string")
        try:
            items = [Item(**_known(Item, i)) for i in data["items"]]
            for item in items:
                if item.kind not in ITEM_KINDS:
                    raise ContractError(f"invalid item kind; expected one of {', '.join(ITEM_KINDS)}")
            return cls(
                id=str(data["id"]),
                source=Source(**_known(Source, data["source"])),
                status=data["status"],
                error=ErrorInfo(**_known(ErrorInfo, data["error"])) if data.get("error") else None,
                text=data["text"],
                pages=[Page(**_known(Page, p)) for p in data["pages"]],
                sections=[Section(**_known(Section, s)) for s in data["sections"]],
                items=items,
                redactions=[Redaction(**_known(Redaction, r)) for r in data["redactions"]],
                redacted=bool(data.get("redacted", False)),
                themes=[ThemeRollup(**_known(ThemeRollup, t)) for t in data.get("themes", [])],
            )
        except TypeError as exc:  # a required field is missing from a nested object
            raise ContractError(f"malformed Document: {exc}") from None

    @classmethod
    def from_json(cls, text: str) -> Document:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ContractError(f"not valid JSON (line {exc.lineno}, column {exc.colno})") from None
        return cls.from_dict(data)

    @classmethod
    def load(cls, path: str | Path) -> Document:
        path = Path(path)
        try:
            return cls.from_json(path.read_text(encoding="utf-8"))
        except ContractError as exc:
            raise ContractError(f"{path.name}: {exc}") from None


def _known(klass: type, data: dict[str, Any]) -> dict[str, Any]:
    """Keep the keys a dataclass knows, so newer writers' extra keys do not break older readers."""
    if not isinstance(data, dict):
        raise ContractError(f"{klass.__name__} must be a JSON object")
    names = {f.name for f in fields(klass)}
    return {k: v for k, v in data.items() if k in names}


# -- classify contract ---------------------------------------------------------------------------------


@dataclass
class TextUnit:
    """One piece of text to label: an item or a paragraph."""

    id: str
    text: str
    type: UnitType = "paragraph"
    section: str | None = None  # title of the section it sits in (optional input key "section")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TextUnit:
        if not isinstance(data, dict):
            raise ContractError("a text unit must be a JSON object")
        for key in ("id", "text"):
            if not isinstance(data.get(key), str):
                raise ContractError(f"text unit needs a string {key!r}")
        unit_type = data.get("type", "paragraph")
        if unit_type not in UNIT_TYPES:
            raise ContractError(f"invalid unit type {unit_type!r}")
        section = data.get("section")
        if section is not None and not isinstance(section, str):
            raise ContractError("text unit 'section' must be a string or null")
        return cls(id=data["id"], text=data["text"], type=unit_type, section=section)


@dataclass
class Prediction:
    id: str
    themes: list[str]
    theme_scores: dict[str, float]
    scie: str | None
    scie_scores: dict[str, float]
    scie_runner_up: str | None = None
    evidence: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# -- batch contract: one manifest entry per input -------------------------------------------------------


def path_key(path: str | Path) -> str:
    """A stable id for an input path that does not spell it out: the manifest shows the file name with any
    name the redact stage found in it replaced, so the entry cannot be keyed by the real path."""
    import hashlib

    return hashlib.sha256(str(path).encode("utf-8", "surrogateescape")).hexdigest()[:24]


@dataclass
class ManifestEntry:
    """What happened to one input file (a line of manifest.json's ``inputs``). Never holds report text."""

    key: str
    file: str
    name: str
    sha256: str
    status: Status = "error"
    error: ErrorInfo | None = None
    pages: int = 0
    document_id: str | None = None
    items: int = 0
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds
    worker: int | None = None
    finished: str | None = None
    same_content_as: str | None = None

    @classmethod
    def for_input(cls, path: str | Path, sha256: str, worker: int | None = None) -> ManifestEntry:
        return cls(key=path_key(path), file=str(path), name=Path(path).name, sha256=sha256, worker=worker)

    def fail(self, code: str, message: str) -> ManifestEntry:
        """Mark this input failed; ``message`` names the file and the problem, never report text."""
        self.status, self.error = "error", ErrorInfo(code=code, message=message)
        return self

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        return {k: v for k, v in data.items() if v is not None or k in ("error", "document_id")}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ManifestEntry:
        known = _known(cls, data)
        error = known.get("error")
        if isinstance(error, dict):
            known["error"] = ErrorInfo(**_known(ErrorInfo, error))
        known.setdefault("key", path_key(known.get("file", "")))  # manifests written before entries had keys
        for name in ("file", "name", "sha256"):
            known.setdefault(name, "")
        return cls(**known)
