"""Contents pages: found from their geometry (lines that end in page numbers, often under a "Contents"
title), kept out of the section list, and read for the document's headings and their levels."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from casereview.extract.layout import Line
from casereview.settings import RESOURCES_DIR

_ENTRY = re.compile(r"^(?P<title>.*?[^\W\d_].*?)[\s.·…_‥⋯-]*?\s*(?P<page>\d{1,4})$")
_LEADERS = re.compile(r"(?:\s*[.·…_‥⋯]){2,}\s*$")
_NUMBER_ONLY = re.compile(r"^\d{1,4}$")
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def heading_rules() -> dict:
    with open(RESOURCES_DIR / "extract" / "headings.yaml", encoding="utf-8") as fh:
        rules = yaml.safe_load(fh)
    rules["_contents_titles"] = {normal(t) for t in rules["contents_titles"]}
    rules["_open_endings"] = {str(w).lower() for w in rules["open_endings"]}
    return rules


def normal(text: str) -> str:
    """A heading's text for comparison: lower case, words only (no numbering punctuation, no leaders)."""
    return " ".join(_WORD.findall(text.casefold()))


@dataclass
class Entry:
    title: str
    level: int
    page: int | None


@dataclass
class _Row:
    lines: list[Line]
    titles: list[str]  # each line's text, a trailing page number and dot leaders taken off
    page_ref: int | None

    @property
    def text(self) -> str:
        return " ".join(self.titles)


def find_contents(pages: list[list[Line]], page_count: int) -> tuple[set[int], list[Entry]]:
    """The pages that are a table of contents and the entries they list, in order, with their levels.

    Their lines are marked (``Line.contents``) so that they are never headings; the text stays in the
    document. A contents page has a contents title and some entries, or is mostly entries; the page after
    one that is mostly entries carries it on."""
    found: set[int] = set()
    rows_all: list[_Row] = []
    previous = False
    for lines in pages:
        body = [ln for ln in lines if not ln.is_table]
        if not body:
            previous = False
            continue
        title_at = next((i for i, ln in enumerate(sorted(body, key=lambda ln: ln.top))
                         if normal(ln.text) in heading_rules()["_contents_titles"]), None)
        rows = _rows(body, page_count)
        numbered = sum(1 for r in rows if r.page_ref is not None)
        mostly = numbered >= 3 and numbered >= 0.5 * len(rows) and _ascending(rows)
        if (title_at is not None and numbered >= 3 and _ascending(rows)) or (mostly and (previous or numbered >= 6)):
            page = body[0].page
            found.add(page)
            for ln in lines:
                ln.contents = True
            rows_all += [r for r in rows if normal(r.text) not in heading_rules()["_contents_titles"]]
            previous = mostly or title_at is not None
        else:
            previous = False
    return found, _entries(rows_all)


def _ascending(rows: list[_Row]) -> bool:
    refs = [r.page_ref for r in rows if r.page_ref is not None]
    rising = sum(1 for a, b in itertools.pairwise(refs) if b >= a)
    return rising >= 0.8 * (len(refs) - 1)


def _rows(lines: list[Line], page_count: int) -> list[_Row]:
    """Contents entries: a title and the page number on its last line (set at the right margin as a line of
    its own, or after dot leaders); a title that runs over two lines is one entry."""
    lines = sorted((ln for ln in lines if normal(ln.text) not in heading_rules()["_contents_titles"]),
                   key=lambda ln: (ln.top, ln.x0))
    numbers = [ln for ln in lines if _NUMBER_ONLY.match(ln.text.strip()) and int(ln.text) <= page_count + 10]
    number_ids = {id(ln) for ln in numbers}  # by identity: comparing Lines field by field is slow
    texts = [ln for ln in lines if id(ln) not in number_ids]
    refs: dict[int, int] = {}
    for number in numbers:
        beside = [t for t in texts if t.x1 < number.x0 and abs(t.top - number.top) < 0.5 * max(t.size, 1.0)]
        if beside:
            refs[id(max(beside, key=lambda t: t.x1))] = int(number.text)
    rows: list[_Row] = []
    pending: list[Line] = []
    titles: list[str] = []
    for line in texts:
        ref = refs.get(id(line))
        title = line.text.strip()
        if ref is None and title[-1:].isdigit() and (match := _ENTRY.match(title)) and \
                int(match.group("page")) <= page_count + 10:
            ref, title = int(match.group("page")), _LEADERS.sub("", match.group("title")).strip()
        if pending and (line.top - pending[-1].bottom > 1.2 * line.size or line.x0 < pending[0].x0 - 2):
            rows.append(_Row(pending, titles, None))
            pending, titles = [], []
        pending.append(line)
        titles.append(title)
        if ref is not None:
            rows.append(_Row(pending, titles, ref))
            pending, titles = [], []
    if pending:
        rows.append(_Row(pending, titles, None))
    return rows


def _entries(rows: list[_Row]) -> list[Entry]:
    edges = sorted({round(r.lines[0].x0 / 6) for r in rows})
    entries = []
    for row in rows:
        title = row.text.strip()
        if not _WORD.search(title):
            continue
        entries.append(Entry(title=title, level=edges.index(round(row.lines[0].x0 / 6)) + 1, page=row.page_ref))
    return entries
