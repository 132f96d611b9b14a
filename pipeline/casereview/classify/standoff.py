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

import bisect
import functools
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
    section: str | None = None  # title of the section it sits in (not part of the hash)

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
    lines = raw.replace("\f", "\n").splitlines()
    recs = _clean(_recommendations(lines), 25, 700)
    rec_set = set(recs)
    flat = normalise(raw.replace("\f", " "))
    paras = [p for p in _clean(_paragraphs(flat), 150, 1500)
             if not any(r in p for r in rec_set)]
    sections = _Sections(flat, ofsted_headings(lines))
    return ([Candidate(f"ofsted:{doc}:r{k}", "ofsted", doc, "recommendation", t, sections.of(t))
             for k, t in enumerate(recs)]
            + [Candidate(f"ofsted:{doc}:p{k}", "ofsted", doc, "paragraph", t, sections.of(t))
               for k, t in enumerate(paras)])


def pfd_candidates(path: Path) -> list[Candidate]:
    doc = path.name.split(".")[0]
    truth = json.loads(path.read_text(encoding="utf-8"))
    items = truth.get("items") or []
    texts = _clean([it.get("text", "") for it in items], 25, 1500)
    heads = set(truth.get("headings") or [])
    blocks = [normalise(str(b)) for b in truth.get("blocks") or []]
    flat = " ".join(blocks)
    offsets, pos = [], 0
    for b, raw_b in zip(blocks, truth.get("blocks") or [], strict=True):
        if raw_b in heads:
            offsets.append((pos, section_title(b)))
        pos += len(b) + 1
    sections = _Sections(flat, offsets)
    return [Candidate(f"pfd:{doc}:f{k}", "pfd", doc, "finding", t, sections.of(t)) for k, t in enumerate(texts)]


def seed_candidates(path: Path) -> list[Candidate]:
    """One unit per line (the seed texts hold a paragraph or a list entry per line), list dashes dropped.

    Type "passage": whether a line is a finding or a narrative paragraph is the annotator's call, made in
    the labels (a stand-off row's `type` overrides the candidate's).
    """
    doc = path.stem.split("_")[0]
    raw_lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    lines = [re.sub(r"^[-•–]\s+", "", line.strip()) for line in raw_lines]
    texts = _clean([t for t in lines if not t.startswith("<") and re.search(r"[a-z]{3}", t)], 40, 1500)
    section_of: dict[str, str | None] = {}
    current = None
    for raw_line, line in zip(raw_lines, lines, strict=True):
        if is_generic_heading(raw_line):
            current = section_title(raw_line)
        section_of.setdefault(normalise(line), current)
    return [Candidate(f"seed:{doc}:l{k}", "seed", doc, "passage", t, section_of.get(t))
            for k, t in enumerate(texts)]


# -- section titles -------------------------------------------------------------------------------------

_LEADING_NUMBER = re.compile(r"^\s*(?:part|section|chapter|appendix)?\s*[\dIVXivx]{0,4}[.:)]?\s+(?=\w)", re.IGNORECASE)


def section_title(line: str) -> str:
    """A heading line as a title: numbering ("4.", "Part 2:") cut, whitespace closed up, lower case."""
    t = normalise(line)
    t2 = _LEADING_NUMBER.sub("", t).rstrip("?").strip()
    return (t2 or t).lower()


@functools.cache
def _section_rules() -> dict:
    import yaml

    from casereview.settings import RESOURCES_DIR

    return yaml.safe_load((RESOURCES_DIR / "classify" / "sections.yaml").read_text(encoding="utf-8")) or {}


@functools.cache
def _ofsted_patterns() -> tuple[re.Pattern, re.Pattern]:
    rules = _section_rules()
    heads = re.compile("(?:" + "|".join(rules.get("ofsted") or ["(?!)"]) + r")\s*\d{0,3}", re.IGNORECASE)
    return heads, re.compile(rules.get("ofsted_grade") or "(?!)", re.IGNORECASE)


def ofsted_headings(lines: list[str]) -> list[tuple[int, str]]:
    """(offset into the normalised flat text, title) of each Ofsted heading line (wrapped ones joined)."""
    heads, grade = _ofsted_patterns()
    out, pos, norm = [], 0, [normalise(x) for x in lines]
    nonempty = [i for i, x in enumerate(norm) if x]
    for k, i in enumerate(nonempty):
        line = norm[i]
        nxt = norm[nonempty[k + 1]] if k + 1 < len(nonempty) else ""
        for cand in (line, f"{line} {nxt}".strip()):
            bare = grade.sub("", cand).strip()
            if len(bare) <= 120 and heads.fullmatch(bare):
                out.append((pos, section_title(bare)))
                break
        pos += len(line) + 1
    return out


def is_generic_heading(line: str) -> bool:
    """A line of its own that reads as a heading (resources/classify/sections.yaml `generic`)."""
    g = _section_rules().get("generic") or {}
    s = line.strip()
    if not s or s[:1] in BULLETS or not (s[0].isupper() or s[0].isdigit()):
        return False
    if len(s) > int(g.get("max_chars", 90)) or len(s.split()) > int(g.get("max_words", 12)):
        return False
    if s[-1] in str(g.get("not_ending", ".,;:")) or not re.search(r"[A-Za-z]{3}", s):
        return False
    return not any(x in line for x in g.get("not_containing") or [])


class _Sections:
    """The title of the last heading before a passage of a normalised flat text."""

    def __init__(self, flat: str, headings: list[tuple[int, str]]):
        self.flat = flat
        self.offsets = [o for o, _ in headings]
        self.titles = [t for _, t in headings]

    def of(self, text: str) -> str | None:
        pos = self.flat.find(text)
        if pos < 0:
            pos = self.flat.find(text[:60])
        if pos < 0:
            return None
        i = bisect.bisect_right(self.offsets, pos) - 1
        return self.titles[i] if i >= 0 else None


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
        return self._load(source, doc).get(unit_id)

    def doc_candidates(self, source: str, doc: str) -> list[Candidate]:
        """Every candidate of one report ([] for an unknown source or report)."""
        if source not in SOURCES or not doc or any(ch in doc for ch in "*?[/"):
            return []
        return list(self._load(source, doc).values())

    def _load(self, source: str, doc: str) -> dict[str, Candidate]:
        key = (source, doc)
        if key not in self._docs:
            src = SOURCES[source]
            self._docs[key] = {c.id: c for path in src.files(self.root, doc) for c in src.cut(path)}
        return self._docs[key]


def section_for(resolver: TextResolver, source: str, doc: str, text: str) -> str | None:
    """The section title of a labelled passage of report `doc` (gold units carry their text, not an id):
    the candidate with the same text, else one that contains it or that it contains; None when not found."""
    cands = resolver.doc_candidates(source, doc)
    t = normalise(text)
    for c in cands:
        if c.text == t:
            return c.section
    for c in cands:
        if t[:80] in c.text or c.text[:80] in t:
            return c.section
    return None


def attach_sections(units: list, resolver: TextResolver | None = None) -> list:
    """Units (LabelledUnit) with the section title filled in where it is missing and their report is in
    ../shared (gold units carry text, not a stand-off id); others are returned as they are."""
    import dataclasses

    resolver = resolver or TextResolver()
    out = []
    for u in units:
        if u.section is None and u.source in SOURCES:
            sec = section_for(resolver, u.source, u.doc, u.text)
            if sec is not None:
                u = dataclasses.replace(u, section=sec)
        out.append(u)
    return out
