"""From lines in reading order to the Document's text, sections and items."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from casereview.contracts import Page, Section
from casereview.extract.contents import Entry, heading_rules, normal
from casereview.extract.layout import Line
from casereview.settings import RESOURCES_DIR

NUMBER = re.compile(r"^\(?(\d{1,3}(?:\.\d{1,3})*)(?:[.)]|(?=\s)(?<=\d\.\d)|(?<=\d\.\d\d))\s+(?=\S)")
R_NUMBER = re.compile(r"^(R\d{1,3}(?:\.\d{1,3})?)[.:)]?\s+(?=\S)")  # "R3 The partnership should ..."
SUB_POINT = re.compile(r"^(?:\(?([a-z]|[ivx]{1,4})[.)]|\(([A-Z]|[IVX]{1,4})\))\s+(?=\S)")
HEADING_NUMBER = re.compile(r"^(?:(?:part|section|chapter|appendix)\s+)?(\d+(?:\.\d+)*|[IVX]+|[A-Z])[.:)]?\s+",
                             re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.:;!?\"”’)]$")


@dataclass
class Block:
    kind: str  # heading | paragraph | table
    lines: list[Line]
    text: str = ""
    level: int = 0
    contents_level: int | None = None  # the level the contents page gives this heading
    aside: bool = False  # set beside a heading on its baseline (a grade box): never a heading
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
    rules["_labelled"] = re.compile(rf"^(?P<label>{labelled})\s+(?P<number>\d+(?:\.\d+)*)\s*[:.\-–—]\s*",
                                    re.IGNORECASE)
    rules["_labelled_alone"] = re.compile(
        rf"^(?P<label>{labelled})\s+(?P<number>\d+(?:\.\d+)*|[A-Z]\d*)\s*[:.\-–—]?$", re.IGNORECASE)
    rules["_labelled_kinds"] = [(re.compile(r["pattern"], re.IGNORECASE), r["kind"]) for r in rules["labelled"]]
    rules["_keep"] = set(rules.get("keep_hyphen_prefixes", []))
    return rules


# -- lines to blocks -----------------------------------------------------------------------------------


_LETTERS = re.compile(r"[^\W\d_]{2,}")


def is_heading_line(line: Line, body_size: float, body_bold: bool = False) -> bool:
    # A page number, a lone figure or mark, or a contents-page line is never a heading.
    if line.is_table or line.contents or line.bullet or len(line.text) > 160 or not _LETTERS.search(line.text):
        return False
    words = line.text.split()
    if line.size >= body_size * 1.12 and len(words) <= 30:
        return True
    if body_bold:
        # Where the body itself is set in bold, a heading in its size stands out only in capitals.
        letters = [c for c in line.text if c.isalpha()]
        return line.bold and len(words) <= 12 and sum(c.isupper() for c in letters) > 0.8 * len(letters)
    return line.bold and len(words) <= 18


def body_is_bold(lines: list[Line], body_size: float) -> bool:
    """Is most of the body-size text bold (a document set all in a bold face)?"""
    bold = plain = 0
    for line in lines:
        if not line.is_table and abs(line.size - body_size) < 0.5:
            bold, plain = (bold + len(line.text), plain) if line.bold else (bold, plain + len(line.text))
    return bold > 2 * plain


def build_blocks(lines: list[Line], body_size: float, pitch: float) -> list[Block]:
    blocks: list[Block] = []
    previous: Line | None = None
    body_bold = body_is_bold(lines, body_size)
    for line in lines:
        if line.is_table:
            blocks.append(Block(kind="table", lines=[line]))
            previous = None
            continue
        kind = "heading" if is_heading_line(line, body_size, body_bold) else "paragraph"
        current = blocks[-1] if blocks else None
        if kind == "paragraph" and current is not None and current.kind == "heading" and previous is not None:
            if not line.contents and not _LETTERS.search(line.text) and line.bold == previous.bold and \
                    _continues(current, previous, line, pitch):
                current.lines.append(line)  # "2023)" ending a title over two lines
                previous = line
                continue
            if _lead_in(current, previous, line, body_size, pitch):
                current.kind = "paragraph"  # a paragraph that opens in bold, not a heading above it
                current.lines.append(line)
                previous = line
                continue
        if previous is not None and current is not None and current.kind == "heading" and _beside(previous, line):
            # A label set beside a heading on its baseline (a grade box, "Good") is not part of the heading,
            # nor a heading, and goes before it in the text; the heading's next line carries on the heading.
            # Two heading-like lines side by side on one baseline are a row of a table with no rules.
            if len(current.lines) == 1 and abs(line.top - previous.top) < 0.2 * line.size:
                current.kind = "paragraph"
            blocks.insert(len(blocks) - 1, Block(kind="paragraph", lines=[line], aside=True))
            continue
        if kind == "heading" and current is not None and current.kind == "paragraph" and previous is not None \
                and line.bold and previous.bold and line.size < body_size * 1.12 and \
                _continues(current, previous, line, pitch):
            kind = "paragraph"  # a paragraph (or list entry) set all in bold goes on: its lines are no headings
        if current is not None and previous is not None and current.kind == kind and \
                _continues(current, previous, line, pitch):
            current.lines.append(line)
        else:
            blocks.append(Block(kind=kind, lines=[line]))
        previous = line
    return blocks


def _lead_in(block: Block, previous: Line, line: Line, body_size: float, pitch: float) -> bool:
    """Bold text in the body's size that runs straight on into plain text (no space between, the sentence
    not ended) opens a paragraph: it is no heading."""
    return (previous.size < body_size * 1.12 and abs(line.size - previous.size) < 0.5
            and previous.page == line.page and previous.column == line.column
            and 0 < line.top - previous.top < 1.15 * pitch and line.x0 >= block.lines[0].x0 - 2
            and not _SENTENCE_END.search(previous.text.rstrip()) and not line.bullet)


def _beside(previous: Line, line: Line) -> bool:
    return previous.page == line.page and previous.column == line.column and \
        abs(line.top - previous.top) < 0.8 * line.size and line.x0 > previous.x1 + 2 * line.size


def _open_ending(text: str) -> bool:
    words = text.split()
    return bool(words) and words[-1].lower() in heading_rules()["_open_endings"]


def refine_headings(blocks: list[Block], entries: list[Entry], contents_pages: set[int],
                    body_size: float = 0.0) -> None:
    """Headings from the contents page and the cover: a block whose text is a contents entry is a heading
    (with the entry's level); a heading-like block before the contents page that the contents do not
    list, or the title matter of a cover with no contents page, is not a section; nor is a fragment (a
    heading block starting in lower case) or bold prose."""
    levels = {normal(e.title): e.level for e in entries}
    # A line in the body's type becomes a heading only as the contents print it, capitals included (a list
    # entry "iii. other checks ..." is not the heading "iii. Other checks ...").
    printed = {" ".join(_WORD.findall(e.title)) for e in entries}
    first_contents = min(contents_pages) if contents_pages else None
    first_body = next((i for i, b in enumerate(blocks) if b.kind == "paragraph" and len(b.lines) > 1), len(blocks))
    # With no contents page, page-1 headings above the first paragraph are title matter when one of them is
    # set larger than every heading after them (the report's title, then its subtitle and dates).
    cover = [b for b in blocks[:first_body] if b.kind == "heading" and b.lines[0].page == 1]
    later = [_prominence(b) for b in blocks[first_body:] if b.kind == "heading"]
    titled = bool(cover and later and max(_prominence(b) for b in cover) > max(later) + 0.5)
    for index, block in enumerate(blocks):
        if block.kind == "table" or block.lines[0].contents or block.aside:
            continue
        key = normal(" ".join(ln.text for ln in block.lines))
        page = block.lines[0].page
        if key in levels and (block.kind == "heading" or _words(block) in printed):
            block.kind, block.level = "heading", levels[key]
            block.contents_level = levels[key]
            continue
        if block.kind == "paragraph" and _standalone_title(block, body_size) and index >= first_body:
            block.kind = "heading"
        if block.kind != "heading":
            continue
        before_contents = first_contents is not None and page < first_contents
        title_matter = first_contents is None and titled and page == 1 and index < first_body and \
            not HEADING_NUMBER.match(block.lines[0].text)
        if _prose(block, body_size) or before_contents or title_matter or block.lines[0].text[:1].islower():
            block.kind = "paragraph"


_WORD = re.compile(r"\w+")


def _words(block: Block) -> str:
    return " ".join(_WORD.findall(" ".join(ln.text for ln in block.lines)))


_INNER_SENTENCE = re.compile(r"[.!?][\"”’)]?\s+[A-Z]")


def _prose(block: Block, body_size: float) -> bool:
    """Bold sentences in the body's size (a call-out box, an editorial note) are not a heading: three lines
    or more, a sentence ended inside, or a long line ending in a full stop; a bracketed note neither."""
    text = " ".join(ln.text for ln in block.lines).strip()
    if text[:1] in "[{" and len(text.split()) > 4:
        return True
    if block.lines[0].size >= body_size * 1.12:
        return False
    words = len(text.split())
    first, last = block.lines[0], block.lines[-1]
    centred = len(block.lines) > 1 and last.x0 > first.x0 + 3 * last.size and \
        abs((last.x0 + last.x1) - (first.x0 + first.x1)) < 2 * last.size  # a centred call-out
    return len(block.lines) >= 3 or (centred and words > 12) or (words > 12 and bool(_INNER_SENTENCE.search(text))) or \
        (words > 20 and text.endswith("."))


def _standalone_title(block: Block, body_size: float) -> bool:
    """A line on its own in a font a little larger than the body's, short and with no full stop: a
    sub-heading set without bold (the 1.12 size step for headings misses it)."""
    if len(block.lines) != 1 or body_size <= 0:
        return False
    line = block.lines[0]
    text = line.text.strip()
    return (line.size >= body_size * 1.04 and not line.bullet and not line.contents
            and len(text.split()) <= 12 and text[:1].isupper() and not _SENTENCE_END.search(text)
            and bool(_LETTERS.search(text)))


def _continues(block: Block, previous: Line, line: Line, pitch: float) -> bool:
    """Does this line carry on the block that the previous line belongs to?"""
    if block.kind == "heading":
        # A title over two lines goes on in another weight only where a line cannot stand alone: one that
        # starts in lower case ("and", "board") or follows a line left open ("... help and").
        carried = line.text[:1].islower() or _open_ending(previous.text)
        return (previous.page == line.page and abs(previous.size - line.size) < 0.5
                and (previous.bold == line.bold or carried) and 0 < line.top - previous.top < 1.6 * line.size)
    starts_entry = bool(line.bullet or SUB_POINT.match(line.text) or R_NUMBER.match(line.text)
                        or item_rules()["_labelled"].match(line.text))
    if NUMBER.match(line.text) and (line.marker_font or _SENTENCE_END.search(previous.text)
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
    return 0.3 * line.size < gap < 1.3 * pitch  # a line on the same baseline is beside, not below


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
                if block.lines[0].bullet and not block.lines[0].drawn_bullet:
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
        block.marker, block.marker_kind = labelled.group("number"), "labelled"
        block.labelled_kind = next(kind for rx, kind in item_rules()["_labelled_kinds"]
                                   if rx.fullmatch(labelled.group("label")))
    elif (number := NUMBER.match(first) or R_NUMBER.match(first)):
        block.marker, block.marker_kind = number.group(1), "number"
    elif (sub := SUB_POINT.match(first)):
        block.marker, block.marker_kind = sub.group(1) or sub.group(2), "sub"
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
    if block.contents_level is not None:
        return block.contents_level
    numbering = HEADING_NUMBER.match(block.text)
    if numbering and re.fullmatch(r"\d+(?:\.\d+)*", numbering.group(1)):
        return numbering.group(1).count(".") + 1
    return size_rank.get(_prominence(block), len(size_rank) or 1)


def _prominence(block: Block) -> float:
    """How much a heading stands out: its size, a bold one counted a step larger than a plain one."""
    line = block.lines[0]
    return round(line.size * (1.15 if line.bold else 1.0), 2)


def _title(block: Block) -> tuple[str, int]:
    """The title and where it starts in the block's text: without a footnote mark set small after it
    ("... area²"), nor a bare number set apart before it in a column of its own ("5   CONCERNS" on a
    numbered form); a number written as part of the title ("3. Scope", "2.1 Method") stays."""
    text, skip = block.text, 0
    first = block.lines[0].words
    if len(first) > 1 and first[0].text.isdigit() and first[1].x0 - first[0].x1 > 1.5 * first[1].size and \
            text.startswith(first[0].text):
        skip = len(first[0].text) + (len(text[len(first[0].text):]) - len(text[len(first[0].text):].lstrip()))
    last = block.lines[-1]
    words = last.words
    if len(words) > 1 and words[-1].text.isdigit() and words[-1].size < 0.85 * last.size and \
            text.endswith(words[-1].text) and len(text) - len(words[-1].text) > skip:
        text = text[: -len(words[-1].text)].rstrip()
    return text[skip:], skip


def find_sections(blocks: list[Block], text_length: int) -> list[Section]:
    headings = [b for b in blocks if b.kind == "heading" and b.text]
    sizes = sorted({_prominence(b) for b in headings if b.contents_level is None}, reverse=True)
    # Headings the contents page lists take its levels; the others rank by prominence (size, bold) below
    # the listed headings that are as prominent or more.
    listed: dict[float, int] = {}
    for b in headings:
        if b.contents_level is not None:
            listed[_prominence(b)] = max(listed.get(_prominence(b), 0), b.contents_level)
    size_rank = {}
    for rank, size in enumerate(sizes):
        above = [(listed_size, level) for listed_size, level in listed.items() if listed_size >= size - 0.25]
        if not above:
            size_rank[size] = rank + 1
        elif size in listed:
            size_rank[size] = listed[size]
        else:
            nearest = min(listed_size for listed_size, _ in above)
            between = sum(1 for other in sizes if size < other < nearest - 0.25)
            size_rank[size] = max(level for _, level in above) + 1 + between
    sections: list[Section] = []
    for block in headings:
        block.level = heading_level(block, size_rank)
        title, skip = _title(block)
        sections.append(Section(title=title, level=block.level, start=block.start + skip, end=text_length))
    for i, section in enumerate(sections):
        for later in sections[i + 1:]:
            if later.level <= section.level:
                section.end = later.start
                break
    return sections
