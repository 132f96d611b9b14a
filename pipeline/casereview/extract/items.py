"""Recommendations and findings from the blocks: the entries of item sections (numbered, lettered, roman,
R-numbered, bulleted or only indented), labelled entries ("Recommendation 2:", "Finding 3 -") anywhere,
and the rows of recommendations tables. Which sections hold items is data (resources/extract/item_sections.yaml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from casereview.contracts import Item, ItemKind
from casereview.extract.structure import HEADING_NUMBER, NUMBER, R_NUMBER, SUB_POINT, Block, item_rules


def item_kind_for_section(title: str) -> tuple[str | None, bool]:
    """The kind of item a section holds (None: not an item section) and whether bullets are items."""
    bare = HEADING_NUMBER.sub("", title).strip()
    for pattern, kind, bullets in item_rules()["_sections"]:
        if pattern.match(bare):
            return kind, bullets
    return None, False


@dataclass
class _ListState:
    """Where find_items is: the item section it is in (kept through its sub-headings) and the open item."""

    title: str | None = None          # the nearest heading
    kind: str | None = None           # the item kind of the enclosing item section, if any
    bullets: bool = False
    level: int = 0                    # that item section's heading level
    left: float = 0.0                 # its heading's left edge: an entry indented past it is a list entry
    current: Item | None = None
    style: str | None = None          # the numbering style of the open item: num | alpha | roman | label
    pending: tuple[str, str] | None = None  # a "Recommendation 3" heading waiting for its text (number, kind)
    table: tuple[int | None, int] | None = None  # the number and text columns of a recommendations table
    x0: float = 0.0                   # the open item's left edge: a bullet indented past it is a sub-point
    items: list[Item] = field(default_factory=list)


def find_items(blocks: list[Block], doc_id: str) -> list[Item]:
    """Recommendations and findings: the numbered, lettered, bulleted or indented entries of an item section
    (kept through its sub-headings), labelled entries ("Recommendation 2:") anywhere, and the rows of a
    recommendations table. Headings need their levels (find_sections) first."""
    state = _ListState()
    for block in blocks:
        if block.kind == "heading":
            _enter_heading(state, block)
        elif block.kind == "table":
            _table_items(state, block, doc_id)
        elif block.kind == "paragraph":
            _paragraph_item(state, block, doc_id)
    return state.items


def _enter_heading(state: _ListState, block: Block) -> None:
    state.current, state.style, state.table = None, None, None
    labelled = _labelled_heading(block.text)
    if labelled:
        state.pending = labelled
        return
    state.pending = None
    state.title = block.text
    kind, bullets = item_kind_for_section(block.text)
    if kind:
        state.kind, state.bullets, state.level, state.left = kind, bullets, block.level, _text_left(block)
    elif state.kind and not block.level > state.level:
        state.kind, state.bullets = None, False


def _text_left(block: Block) -> float:
    """Where a heading's words start, its number aside ("5   CONCERNS" in a numbered form)."""
    words = block.lines[0].words
    if len(words) > 1 and HEADING_NUMBER.match(f"{words[0].text} x"):
        return words[1].x0
    return block.lines[0].x0


def _labelled_heading(text: str) -> tuple[str, str] | None:
    """A heading that is only a label and a number ("Recommendation 3", "Finding 2"): its entry follows."""
    match = item_rules()["_labelled_alone"].match(text.strip())
    if not match:
        return None
    kind = next(kind for rx, kind in item_rules()["_labelled_kinds"] if rx.fullmatch(match.group("label")))
    return match.group("number"), kind


def _paragraph_item(state: _ListState, block: Block, doc_id: str) -> None:
    current = state.current
    state.table = None
    if state.pending is not None:
        number, kind = state.pending
        state.pending = None
        state.current = _new_item(state.items, doc_id, block, kind, state.title, number=number, skip=0)
        state.style = "label"
        return
    if block.marker_kind == "labelled":
        state.current = _new_item(state.items, doc_id, block, block.labelled_kind or "recommendation", state.title)
        state.style = "label"
        return
    style = _marker_style(block, state)
    nested = block.lines[0].x0 > state.x0 + 8
    if current is not None and block.marker_kind in ("sub", "bullet", "number") and state.style is not None and \
            ((style != state.style and not (style == "num" and state.style in ("alpha", "roman")))
             or (style == "bullet" and nested)):
        # A sub-point belongs to the entry above it; the entry's own text stays as it stands.
        current.subpoints = [*(current.subpoints or []), _strip_marker(block)]
        current.end = block.end
        return
    if state.kind and (block.marker_kind in ("number", "sub") or
                       (state.bullets and block.marker_kind == "bullet") or
                       (state.bullets and block.marker_kind is None and _indented_entry(state, block))):
        state.current = _new_item(state.items, doc_id, block, state.kind, state.title)
        state.style, state.x0 = style, block.lines[0].x0
        return
    state.current, state.style = None, None


def _indented_entry(state: _ListState, block: Block) -> bool:
    """An entry of a list set with no marker, only a hanging indent past the section heading's edge."""
    return block.lines[0].x0 > state.left + 8 and len(block.text) > 20


def _marker_style(block: Block, state: _ListState) -> str | None:
    marker = block.marker or ""
    if block.marker_kind == "bullet":
        return "bullet"
    if block.marker_kind == "number":
        return "num"
    if block.marker_kind != "sub":
        return None
    low = marker.lower()
    previous = (state.current.number or "").lower() if state.current else ""
    if re.fullmatch(r"[ivx]+", low):
        # "i", "v" and "x" are letters in a lettered list that has reached them, numerals otherwise
        follows_letter = state.style == "alpha" and len(previous) == 1 and ord(low[0]) == ord(previous) + 1
        return "alpha" if len(low) == 1 and follows_letter else "roman"
    return "alpha"


def _table_items(state: _ListState, block: Block, doc_id: str) -> None:
    """Rows of a recommendations table (number | recommendation | agency | timescale) are items: a table whose
    header names such columns, one in an item section whose first column is numbered, and one that goes on
    after a page turn with the columns of the header before."""
    rows = [row.split("\t") for row in block.lines[0].table_rows or []]
    state.current, state.style = None, None
    columns, body_from = (_table_columns(rows[0]), 1) if rows else (None, 0)
    if columns is None and rows:
        body_from = 0
        if state.table is not None and len(rows[0]) > state.table[1]:
            columns = state.table
        elif state.kind and len(rows[0]) > 1 and all(NUMBER.match(f"{r[0].strip()} x") or R_NUMBER.match(
                f"{r[0].strip()} x") for r in rows if r[0].strip()):
            widths = [sum(len(r[i]) for r in rows if i < len(r)) for i in range(1, len(rows[0]))]
            columns = (0, 1 + widths.index(max(widths)))
    state.table = columns
    if columns is None:
        return
    kind = _table_kind(rows[0]) or state.kind or "recommendation"
    item_kind: ItemKind = "finding" if kind == "finding" else "recommendation"
    number_col, text_col = columns
    position = block.start
    for index, row in enumerate(rows):
        row_start = position
        position += len("\t".join(row)) + 1
        if index < body_from or text_col >= len(row) or not row[text_col].strip():
            continue
        number = row[number_col].strip().rstrip(".):") if number_col is not None and number_col < len(row) else ""
        text = row[text_col].strip()
        start = row_start + sum(len(c) + 1 for c in row[:text_col]) + (len(row[text_col]) - len(row[text_col].lstrip()))
        state.items.append(Item(id=f"{doc_id}-i{len(state.items) + 1:03d}", kind=item_kind, number=number or None,
                                text=text, start=start, end=start + len(text), section=state.title,
                                page=block.lines[0].page))


def _table_columns(header: list[str]) -> tuple[int | None, int] | None:
    """(number column or None, text column) when a header row names a recommendations table's columns."""
    rules = item_rules()["table"]
    cells = [c.strip().lower().rstrip(":") for c in header]
    text_col = next((i for i, c in enumerate(cells) if any(re.fullmatch(p, c) for p in rules["text"])), None)
    if text_col is None:
        return None
    number_col = next((i for i, c in enumerate(cells) if i != text_col and
                       any(re.fullmatch(p, c) for p in rules["number"])), None)
    return number_col, text_col


def _table_kind(header: list[str]) -> str | None:
    joined = " ".join(header).lower()
    return "finding" if re.search(r"finding|learning|concern", joined) else None


def _marker_length(block: Block) -> int:
    pattern = {"labelled": item_rules()["_labelled"], "number": NUMBER, "sub": SUB_POINT}.get(
        block.marker_kind or "")
    match = pattern.match(block.text) if pattern else None
    if match is None and block.marker_kind == "number":
        match = R_NUMBER.match(block.text)
    return match.end() if match else 0


def _strip_marker(block: Block) -> str:
    return block.text[_marker_length(block):].strip()


def _new_item(items: list[Item], doc_id: str, block: Block, kind: str, section: str | None,
              number: str | None = None, skip: int | None = None) -> Item:
    text = block.text
    skip = _marker_length(block) if skip is None else skip
    item_kind: ItemKind = "finding" if kind == "finding" else "recommendation"
    item = Item(id=f"{doc_id}-i{len(items) + 1:03d}", kind=item_kind, number=number or block.marker,
                text=text[skip:].strip(), start=block.start + skip, end=block.end, section=section,
                page=block.lines[0].page)
    items.append(item)
    return item
