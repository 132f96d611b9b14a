"""Loaders for labelled JSONL (the schema of shared/gold/dev/units.jsonl).

One loader serves the project corpus (corpora/training/units.jsonl), the gold dev units (shared/gold/dev),
a researcher's own file and corrections exported by the verification workspace (`casereview export-labels`).
Every line is validated against the taxonomies: an unknown label is an error naming the file and line
(never the text). Labels a taxonomy marks as retired are dropped from the units, so retiring a label and
retraining needs no edits to the data.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from casereview.contracts import UNIT_TYPES
from casereview.settings import project_root, shared_dir
from casereview.taxonomy import Taxonomy

log = logging.getLogger(__name__)

ITEM_TYPES = ("recommendation", "finding")


class LabelError(ValueError):
    """A labelled file breaks the schema; the message names file and line, never the unit's text."""


@dataclass(frozen=True)
class LabelledUnit:
    id: str
    doc: str
    type: str
    text: str
    themes: tuple[str, ...]
    scie: str | None
    scie_second: str | None = None
    source: str = ""
    confidence: str | None = None
    origin: str = ""  # the file it came from (name only)
    corpus: str = ""  # the train.corpora entry it was loaded from (weights are set per corpus)
    section: str | None = None  # title of the section it sits in (a row's "section", or its stand-off source)

    @property
    def is_item(self) -> bool:
        return self.type in ITEM_TYPES


def project_corpus_path() -> Path:
    return project_root() / "corpora" / "training" / "units.jsonl"


def gold_dev_path() -> Path:
    return shared_dir() / "gold" / "dev" / "units.jsonl"


def resolve_corpus_path(spec: str | Path) -> Path:
    """`shared:gold/dev/units.jsonl` points into ../shared; other relative paths into the project."""
    s = str(spec)
    if s.startswith("shared:"):
        return shared_dir() / s[len("shared:"):]
    p = Path(s)
    return p if p.is_absolute() else project_root() / p


def load_labelled(  # noqa: C901 - TODO split row validation from file reading (over the limit: 19)
        path: str | Path, themes: Taxonomy, scie: Taxonomy, resolver=None) -> list[LabelledUnit]:
    """Validated units of one labelled JSONL file.

    A row may carry `text_sha1` instead of `text` (stand-off labels for real text kept in ../shared, see
    casereview.classify.standoff): its text is rebuilt from the source by id, and a row whose source is
    missing or changed (hash differs) is skipped with one warning per file, never guessed.
    """
    path = Path(path)
    skipped = 0
    try:
        fh = open(path, encoding="utf-8")  # noqa: SIM115 - opened apart from `with` so a read error is told apart
    except OSError as exc:
        raise LabelError(f"{path}: cannot read ({exc.strerror})") from None
    units: list[LabelledUnit] = []
    retired_t, retired_s = set(themes.retired_ids), set(scie.retired_ids)
    with fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                raise LabelError(f"{where}: not valid JSON") from None
            if not isinstance(row, dict):
                raise LabelError(f"{where}: expected a JSON object")
            if "text" not in row and isinstance(row.get("text_sha1"), str):
                if resolver is None:
                    from .standoff import TextResolver
                    resolver = TextResolver()
                cand = resolver.get(str(row.get("id", "")))
                if cand is None or cand.sha1 != row["text_sha1"]:
                    skipped += 1
                    continue
                row = {"section": cand.section, **row, "text": cand.text}
            for key in ("id", "text"):
                if not isinstance(row.get(key), str) or not row[key].strip():
                    raise LabelError(f"{where}: needs a non-empty string {key!r}")
            utype = row.get("type", "paragraph")
            if utype not in UNIT_TYPES:
                raise LabelError(f"{where}: invalid type {utype!r}")
            tlist = row.get("themes", [])
            if not isinstance(tlist, list) or not all(isinstance(t, str) for t in tlist):
                raise LabelError(f"{where}: 'themes' must be a list of theme ids")
            for t in tlist:
                if t not in themes:
                    raise LabelError(f"{where}: unknown theme {t!r} (not in {Path(themes.path).name if themes.path.endswith('.yaml') else themes.path})")
            sc = {}
            for key in ("scie", "scie_second"):
                val = row.get(key)
                if val is not None and (not isinstance(val, str) or val not in scie):
                    raise LabelError(f"{where}: unknown {key} category {val!r} (not in {Path(scie.path).name if scie.path.endswith('.yaml') else scie.path})")
                sc[key] = None if val in retired_s else val
            if utype == "paragraph" and sc["scie"] is not None:
                raise LabelError(f"{where}: a paragraph has no SCIE category (scie must be null)")
            units.append(LabelledUnit(
                id=row["id"], doc=str(row.get("doc") or row["id"]), type=utype, text=row["text"],
                themes=tuple(dict.fromkeys(t for t in tlist if t not in retired_t)),
                scie=sc["scie"], scie_second=sc["scie_second"], source=str(row.get("source", "")),
                confidence=row.get("confidence"), origin=path.name,
                section=row["section"] if isinstance(row.get("section"), str) else None))
    if skipped:
        log.warning("%s: %d stand-off labels skipped (source text missing or changed)", path, skipped)
    return units


def merge(*groups: list[LabelledUnit]) -> list[LabelledUnit]:
    """Later files win on the same (source, id): corrections from QA replace the label they correct."""
    out: dict[tuple[str, str], LabelledUnit] = {}
    for units in groups:
        for u in units:
            out[(u.source, u.id)] = u
    return list(out.values())


def units_hash(units: list[LabelledUnit]) -> str:
    """Content hash of the training data (text and labels), recorded in model cards and MLflow."""
    h = hashlib.sha256()
    for u in sorted(units, key=lambda u: (u.source, u.id)):
        d = asdict(u)
        d.pop("origin")
        d.pop("corpus")
        if d.get("section") is None:  # units without a section hash as before the field existed
            d.pop("section")
        h.update(json.dumps(d, sort_keys=True, ensure_ascii=False).encode())
    return h.hexdigest()
