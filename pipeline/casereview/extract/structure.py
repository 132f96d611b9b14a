"""From lines in reading order to the Document's text, sections and items."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from casereview.contracts import Item, ItemKind, Page, Section
from casereview.extract.layout import Line
from casereview.settings import RESOURCES_DIR

_NUMBER = re.compile(r"^\(?(\d{1,3}(?:\.\d{1,3})*)(?:[.)]|(?=\s)(?<=\d\.\d)|(?<=\d\.\d\d))\s+(?=\S)")
_SUB_POINT = re.compile(r"^\(?([a-z]|[ivx]{1,4})[.)]\s+(?=\S)")
_HEADING_NUMBER = re.compile(r"^(?:(?:part|section|chapter|appendix)\s+)?(\d+(?:\.\d+)*|[IVX]+|[A-Z])[.:)]?\s+",
                             re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.:;!?\"”’)]$")


@dataclass
class Block:
    kind: str  # heading | paragraph | table
    lines: list[Line]
    text: str = ""
    level: int = 0
    marker: str | None = None     # the list number ("3", "2.1") or sub-point letter
    marker_kind: str | None = None  # number | bullet | sub | labelled
    labelled_kind: str | None = None
    start: int = 0
    end: int = 0
    line_spans: list[tuple[int, int, int]] = field(default_factory=list)  # (page, start, end)


@lru_cache(maxsize=1)
def item_rules() -> dict:
    with open(RESOURCES_DIR / "extract" / "item_sections.yaml", encoding="utf-8") as fh:
        rules = yaml.safe_load(fh)
    rules["_sections"] = [(re.compile(r["pattern"], re.IGNORECASE), r["kind"], bool(r.get("bullets")))
                          for r in rules["sections"]]
    labelled = "|".join(f"(?:{r['pattern']})" for r in rules["labelled"])
    rules["_labelled"] = re.compile(rf"^({labelled})\s+(\d+(?:\.\d+)*)\s*[:.\-–—]\s*", re.IGNORECASE)
    rules["_labelled_kinds"] = [(re.compile(r["pattern"], re.IGNORECASE), r["kind"]) for r in rules["labelled"]]
    rules["_keep"] = set(rules.get("keep_hyphen_prefixes", []))
    return rules


# -- lines to blocks -----------------------------------------------------------------------------------


def is_heading_line(line: Line, body_size: float) -> bool:
    if line.is_table or len(line.text) > 160:
        return False
    words = line.text.split()
    if line.size >= body_size * 1.12 and len(words) <= 30:
        return True
    return line.bold and len(words) <= 18 and not line.bullet


def build_blocks(lines: list[Line], body_size: float, pitch: float) -> list[Block]:
    blocks: list[Block] = []
    previous: Line | None = None
    for line in lines:
        if line.is_table:
            blocks.append(Block(kind="table", lines=[line]))
            previous = None
            continue
        kind = "heading" if is_heading_line(line, body_size) else "paragraph"
        current = blocks[-1] if blocks else None
        if current is not None and previous is not None and current.kind == kind and \
                _continues(current, previous, line, pitch):
            current.lines.append(line)
        else:
            blocks.append(Block(kind=kind, lines=[line]))
        previous = line
    return blocks


def _continues(block: Block, previous: Line, line: Line, pitch: float) -> bool:
    """Does this line carry on the block that the previous line belongs to?"""
    if block.kind == "heading":
        return (previous.page == line.page and abs(previous.size - line.size) < 0.5
                and previous.bold == line.bold and 0 < line.top - previous.top < 1.6 * line.size)
    starts_entry = bool(line.bullet or _SUB_POINT.match(line.text)
                        or item_rules()["_labelled"].match(line.text))
    if _NUMBER.match(line.text) and (line.marker_font or _SENTENCE_END.search(previous.text)
                                     or line.x0 < previous.x0 - 4):
        starts_entry = True
    if starts_entry:
        return False
    if abs(line.size - previous.size) > 1.0:
        return False
    if previous.page != line.page or previous.column != line.column:
        # A paragraph broken by a page or column turn goes on unless the last line ended a sentence.
        return not _SENTENCE_END.search(previous.text.rstrip())
    if line.x0 < previous.x0 - 4 and _SENTENCE_END.search(previous.text.rstrip()):
        return False  # back out of a hanging indent after a full stop: a new paragraph
    gap = line.top - previous.top
    return 0 < gap < 1.3 * pitch


# -- blocks to text --------------------------------------------------------------------------------------


_TRAILING_WORD = re.compile(r"\w*$")
_LEADING_WORD = re.compile(r"\w+")
_LONGEST_WORD = 100  # a carried word is cut to this: no dictionary word is longer, and it keeps joining linear


def _word_before_hyphen(text: str) -> str:
    """The word characters that end `text`, a final hyphen set aside (one line, so linear overall)."""
    core = text[:-1] if text.endswith("-") else text
    match = _TRAILING_WORD.search(core)
    return match.group(0) if match else ""


def join_lines(texts: list[str], vocabulary: set[str]) -> str:
    """Join a paragraph's lines: a word hyphenated across a line break is mended.

    Linear in the paragraph's length: only the new line is scanned, and the word that
    ends the text so far is carried along instead of being searched for in the whole
    growing paragraph (which made 100 pages without a full stop take minutes).
    """
    parts: list[str] = []
    head = ""  # word characters ending the joined text, before its final hyphen if any
    for raw in texts:
        text = raw.strip()
        if not parts:
            if text:
                parts.append(text)
                head = _word_before_hyphen(text)
            continue
        own = _word_before_hyphen(text)
        core = text[:-1] if text.endswith("-") else text
        if head and parts[-1].endswith("-") and text[:1].islower():
            tail = _LEADING_WORD.match(text)
            tail_word = tail.group(0) if tail else ""
            hyphenated = f"{head}-{tail_word}".lower()
            if hyphenated in vocabulary or (head.lower() in item_rules()["_keep"] and
                                            f"{head}{tail_word}".lower() not in vocabulary):
                parts.append(text)
            else:
                parts[-1] = parts[-1][:-1]
                parts.append(text)
                # the mended word continues into this line when the line is one word
                own = (head + core)[-_LONGEST_WORD:] if own == core else own
        else:
            parts.append(" " + text)
        head = own
    return "".join(parts)


def document_vocabulary(lines: list[Line]) -> set[str]:
    vocab: set[str] = set()
    for line in lines:
        for word in line.text.lower().split():
            word = word.strip(".,;:()\"'“”‘’")
            if word and not word.endswith("-"):
                vocab.add(word)
    return vocab


def assemble(blocks: list[Block], vocabulary: set[str]) -> str:
    parts: list[str] = []
    offset = 0
    for block in blocks:
        if block.kind == "table":
            text = "\n".join(block.lines[0].table_rows or [])
            spans = [(block.lines[0].page, offset, offset + len(text))]
        else:
            texts = [ln.text for ln in block.lines]
            if block.kind == "paragraph":
                _mark(block)
                if block.lines[0].bullet:
                    texts[0] = texts[0][len(block.lines[0].words[0].text):].lstrip()
            text = join_lines(texts, vocabulary)
            spans = _line_spans(block, offset, len(text))
        if not text.strip():
            continue
        block.text, block.start, block.end, block.line_spans = text, offset, offset + len(text), spans
        parts.append(text)
        offset += len(text) + 2
    return "\n\n".join(parts)


def _line_spans(block: Block, offset: int, length: int) -> list[tuple[int, int, int]]:
    pages: dict[int, list[int]] = {}
    position = offset
    for line in block.lines:
        pages.setdefault(line.page, [position, position])
        position = min(offset + length, position + len(line.text) + 1)
        pages[line.page][1] = position
    return [(page, start, end) for page, (start, end) in pages.items()]


def _mark(block: Block) -> None:
    first = block.lines[0].text
    labelled = item_rules()["_labelled"].match(first)
    if labelled:
        block.marker, block.marker_kind = labelled.group(2), "labelled"
        block.labelled_kind = next(kind for rx, kind in item_rules()["_labelled_kinds"]
                                   if rx.fullmatch(labelled.group(1)))
    elif (number := _NUMBER.match(first)):
        block.marker, block.marker_kind = number.group(1), "number"
    elif (sub := _SUB_POINT.match(first)):
        block.marker, block.marker_kind = sub.group(1), "sub"
    elif block.lines[0].bullet:
        block.marker_kind = "bullet"


def page_spans(blocks: list[Block], page_count: int) -> list[Page]:
    bounds: dict[int, list[int]] = {}
    for block in blocks:
        for page, start, end in block.line_spans:
            if page in bounds:
                bounds[page][0] = min(bounds[page][0], start)
                bounds[page][1] = max(bounds[page][1], end)
            else:
                bounds[page] = [start, end]
    pages = []
    last_end = 0
    for number in range(1, page_count + 1):
        start, end = bounds.get(number, [last_end, last_end])
        pages.append(Page(number=number, start=start, end=end))
        last_end = end
    return pages


# -- sections and items ------------------------------------------------------------------------------------


def heading_level(block: Block, size_rank: dict[float, int]) -> int:
    numbering = _HEADING_NUMBER.match(block.text)
    if numbering and re.fullmatch(r"\d+(?:\.\d+)*", numbering.group(1)):
        return numbering.group(1).count(".") + 1
    return size_rank.get(block.lines[0].size, len(size_rank) or 1)


def find_sections(blocks: list[Block], text_length: int) -> list[Section]:
    headings = [b for b in blocks if b.kind == "heading" and b.text]
    sizes = sorted({b.lines[0].size for b in headings}, reverse=True)
    size_rank = {size: rank + 1 for rank, size in enumerate(sizes)}
    sections: list[Section] = []
    for block in headings:
        block.level = heading_level(block, size_rank)
        sections.append(Section(title=block.text, level=block.level, start=block.start, end=text_length))
    for i, section in enumerate(sections):
        for later in sections[i + 1:]:
            if later.level <= section.level:
                section.end = later.start
                break
    return sections


def item_kind_for_section(title: str) -> tuple[str | None, bool]:
    """The kind of item a section holds (None: not an item section) and whether bullets are items."""
    bare = _HEADING_NUMBER.sub("", title).strip()
    for pattern, kind, bullets in item_rules()["_sections"]:
        if pattern.match(bare):
            return kind, bullets
    return None, False


def find_items(blocks: list[Block], doc_id: str) -> list[Item]:
    items: list[Item] = []
    section_title: str | None = None
    section_kind: str | None = None
    bullet_items = False
    current: Item | None = None
    for block in blocks:
        if block.kind == "heading":
            section_title, current = block.text, None
            section_kind, bullet_items = item_kind_for_section(block.text)
            continue
        if block.kind != "paragraph":
            current = None
            continue
        if block.marker_kind == "labelled":
            current = _new_item(items, doc_id, block, block.labelled_kind or "recommendation", section_title)
        elif current is not None and current.number is not None and block.marker_kind in ("sub", "bullet"):
            # A sub-point belongs to the numbered entry above it; the entry's own text stays as it stands.
            current.subpoints = [*(current.subpoints or []), _strip_marker(block)]
            current.end = block.end
        elif section_kind and (block.marker_kind == "number" or (bullet_items and block.marker_kind == "bullet")):
            current = _new_item(items, doc_id, block, section_kind, section_title)
        else:
            current = None
    return items


def _marker_length(block: Block) -> int:
    pattern = {"labelled": item_rules()["_labelled"], "number": _NUMBER, "sub": _SUB_POINT}.get(
        block.marker_kind or "")
    match = pattern.match(block.text) if pattern else None
    return match.end() if match else 0


def _strip_marker(block: Block) -> str:
    return block.text[_marker_length(block):].strip()


def _new_item(items: list[Item], doc_id: str, block: Block, kind: str, section: str | None) -> Item:
    text = block.text
    skip = _marker_length(block)
    item_kind: ItemKind = "finding" if kind == "finding" else "recommendation"
    item = Item(id=f"{doc_id}-i{len(items) + 1:03d}", kind=item_kind, number=block.marker,
                text=text[skip:].strip(), start=block.start + skip, end=block.end, section=section)
    items.append(item)
    return item
