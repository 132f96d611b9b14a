"""Stand-off labels: the project's own labels for real text that stays in ../shared.

The real reports in ../shared/data may not be copied into the repository, but labelling more of them is the
surest way to more in-domain training data. So the project ships labels *without* text
(corpora/weak/labels.jsonl: id, source, doc, type, the text's SHA-1, themes, scie, scie_second) and this
module rebuilds each unit's text from ../shared with the same deterministic cutter that made the candidates.
A label whose text no longer hashes the same (the source changed) is skipped with a warning, never guessed.

Candidates:
  ofsted  "What needs to improve" / "Recommendations" / "Areas for improvement" entries (recommendation) and
          numbered paragraphs (paragraph) of the 431 inspection texts in data/ofsted/text;
  pfd     coroners' matters of concern (finding) from data/pfd/pdfs/*.truth.json;
  seed    lines of the seed documents (paragraphs and list entries; the labels say finding or paragraph).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from casereview.settings import shared_dir

BULLETS = "\uf06e\uf0a7\uf02d◼•▪■●-–"
_REC_HEADING = re.compile(
    r"^(what needs to improve\??|what does the (local authority|lscb|council) need to improve\??|"
    r"recommendations|areas for improvement)\s*\d*\s*$", re.IGNORECASE)
_NUMBERED = re.compile(r"^(\d{1,2})\.\s+(?=\S)")
_ENDS_ITEM = re.compile(r"([.;]|\(recommendation\)\.?|\(recommendation\.\))\s*\d{0,3}$", re.IGNORECASE)
# Any "N. Capital" can start a paragraph (page furniture such as "Report title 3" may come just before);
# only runs N, N+1 count, which rules out stray numbers in sentences.
_PARA_NUM = re.compile(r"(?:(?<= )|^)(\d{1,3})\. (?=[A-Z‘“(])")


@dataclass(frozen=True)
class Candidate:
    id: str
    source: str
    doc: str
    type: str
    text: str

    @property
    def sha1(self) -> str:
        return text_sha1(self.text)


def text_sha1(text: str) -> str:
    return hashlib.sha1(normalise(text).encode("utf-8")).hexdigest()


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _recommendations(lines: list[str]) -> list[str]:
    """Entries of the lists that follow a recommendations heading (bulleted or numbered)."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        if not _REC_HEADING.match(lines[i].strip()):
            i += 1
            continue
        i += 1
        current: list[str] | None = None
        while i < len(lines):
            s = lines[i].strip()
            starts = (s[:1] in BULLETS and len(s) > 2) or _NUMBERED.match(s)
            if starts:
                if current:
                    out.append(" ".join(current))
                entry = s.lstrip(BULLETS).strip()
                current = [_NUMBERED.sub("", entry) if _NUMBERED.match(s) else entry]
            elif current is not None and s and not _ENDS_ITEM.search(current[-1]):
                current.append(s)  # continuation of an entry broken over lines
            elif current is None and (not s or len(s) < 3):
                pass  # blank or page furniture between heading and list
            else:
                break
            i += 1
        if current:
            out.append(" ".join(current))
    return out


def _paragraphs(flat: str) -> list[str]:
    """Numbered paragraphs: the text between "N. " and "N+1. " where the numbers run on."""
    marks = [(int(m.group(1)), m.start(), m.end()) for m in _PARA_NUM.finditer(flat)]
    out = []
    for i, (n, _, end) in enumerate(marks):
        # the next "N+1. " among the following few marks (a stray "aged 16. The" may sit in between)
        nxt = next((start for n2, start, _ in marks[i + 1:i + 6] if n2 == n + 1), None)
        if n >= 1 and nxt is not None:
            out.append(flat[end:nxt].strip())
    return out


def _clean(texts, lo: int, hi: int) -> list[str]:
    seen, out = set(), []
    for t in texts:
        t = normalise(t)
        if lo <= len(t) <= hi and t not in seen:
            seen.add(t)
            out.append(t)
    return out


def ofsted_candidates(path: Path) -> list[Candidate]:
    raw = path.read_text(encoding="utf-8", errors="replace")
    doc = path.stem
    recs = _clean(_recommendations(raw.replace("\f", "\n").splitlines()), 25, 700)
    rec_set = set(recs)
    paras = [p for p in _clean(_paragraphs(normalise(raw.replace("\f", " "))), 150, 1500)
             if not any(r in p for r in rec_set)]
    return ([Candidate(f"ofsted:{doc}:r{k}", "ofsted", doc, "recommendation", t) for k, t in enumerate(recs)]
            + [Candidate(f"ofsted:{doc}:p{k}", "ofsted", doc, "paragraph", t) for k, t in enumerate(paras)])


def pfd_candidates(path: Path) -> list[Candidate]:
    doc = path.name.split(".")[0]
    items = json.loads(path.read_text(encoding="utf-8")).get("items") or []
    texts = _clean([it.get("text", "") for it in items], 25, 1500)
    return [Candidate(f"pfd:{doc}:f{k}", "pfd", doc, "finding", t) for k, t in enumerate(texts)]


def seed_candidates(path: Path) -> list[Candidate]:
    """One unit per line (the seed texts hold a paragraph or a list entry per line), list dashes dropped.

    Type "passage": whether a line is a finding or a narrative paragraph is the annotator's call, made in
    the labels (a stand-off row's `type` overrides the candidate's).
    """
    doc = path.stem.split("_")[0]
    lines = [re.sub(r"^[-•–]\s+", "", line.strip()) for line in
             path.read_text(encoding="utf-8", errors="replace").splitlines()]
    texts = _clean([t for t in lines if not t.startswith("<") and re.search(r"[a-z]{3}", t)], 40, 1500)
    return [Candidate(f"seed:{doc}:l{k}", "seed", doc, "passage", t) for k, t in enumerate(texts)]


@dataclass(frozen=True)
class _Source:
    folder: str  # under the shared root
    pattern: str  # the files of one report each; "{doc}" is the report id
    cut: Callable[[Path], list[Candidate]]

    def files(self, root: Path, doc: str = "*") -> list[Path]:
        return sorted((root / self.folder).glob(self.pattern.format(doc=doc)))


# Where each source's reports lie and how they are cut: one table for listing and for lookup by id.
SOURCES = {
    "ofsted": _Source("data/ofsted/text", "{doc}.txt", ofsted_candidates),
    "pfd": _Source("data/pfd/pdfs", "{doc}.truth.json", pfd_candidates),
    "seed": _Source("seeds", "{doc}_*.txt", seed_candidates),
}


def candidates(root: Path | None = None) -> list[Candidate]:
    """Every candidate unit, in a stable order (same files -> same ids and texts)."""
    root = Path(root) if root else shared_dir()
    return [c for src in SOURCES.values() for path in src.files(root) for c in src.cut(path)]


class TextResolver:
    """Rebuilds the text of stand-off units by id ("ofsted:<doc>:r3"), cutting each source file once."""

    def __init__(self, root: Path | None = None):
        self.root = Path(root) if root else shared_dir()
        self._docs: dict[tuple[str, str], dict[str, Candidate]] = {}

    def get(self, unit_id: str) -> Candidate | None:
        source, _, rest = unit_id.partition(":")
        doc = rest.rpartition(":")[0]
        if source not in SOURCES or not doc:
            return None
        key = (source, doc)
        if key not in self._docs:
            src = SOURCES[source]
            self._docs[key] = {c.id: c for path in src.files(self.root, doc) for c in src.cut(path)}
        return self._docs[key].get(unit_id)
