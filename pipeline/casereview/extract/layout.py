"""From positioned words to lines in reading order: columns, tables and page furniture.

A page is cut into horizontal bands. Bands that cross the column gutter (titles, full-width tables) are read
as they come; runs of bands that do not are read left column first, then right column.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from casereview.extract.glyphs import PageGlyphs, Word, is_rtl


@dataclass
class Line:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    bold: bool
    text: str
    column: int = 0               # 0 full width or left column, 1 right column
    table_rows: list[str] | None = None  # a ruled table, kept whole as tab-separated rows
    bullet: bool = False          # starts with a list bullet (not a bullet character used in the text)
    marker_font: bool = False     # the first word is set in another size than the rest: a list marker
    contents: bool = False        # on a contents page: never a heading
    drawn_bullet: bool = False    # a bullet drawn as a shape before the line (not a character of it)
    words: list[Word] = field(default_factory=list, repr=False)

    @property
    def is_table(self) -> bool:
        return self.table_rows is not None


def build_lines(words: list[Word], edges: list[dict] | None = None) -> list[Line]:
    """Chain words left to right into lines: a word joins the line whose last word ends just before it on
    the same baseline. Chaining (rather than cutting the page into horizontal bands) keeps the two
    columns of a page apart even where their baselines nearly align, and keeps a list marker set in a
    bigger font on its line."""
    chains: list[list[Word]] = []
    by_row: dict[int, list[list[Word]]] = {}  # chains indexed by their baseline, for a quick lookup
    for word in sorted(words, key=lambda w: w.x0):
        row = int(word.middle // 4)
        best, best_distance = None, None
        for key in (row - 1, row, row + 1):
            for chain in by_row.get(key, ()):
                last = chain[-1]
                size = max(word.size, last.size)
                gap = word.x0 - last.x1
                distance = abs(word.middle - last.middle)
                if -0.5 * size <= gap <= 1.2 * size and distance < 0.45 * size and \
                        (best_distance is None or distance < best_distance):
                    best, best_distance = chain, distance
        if best is None:
            best = []
            chains.append(best)
        else:
            by_row[int(best[-1].middle // 4)].remove(best)
        best.append(word)
        by_row.setdefault(row, []).append(best)
    rules = [e for e in edges or () if e["orientation"] == "v"]
    return [_line_from(chain) for chain in _join_markers(chains, rules)]


# A list marker on its own: "1.", "10)", "(a)", "iv.", "R3", "•", a symbol-font glyph.
_MARKER = re.compile(r"^(?:\(?\d{1,3}(?:\.\d{1,3})*[.):]?|\(?[a-zA-Z][.)]|\([a-zA-Z]\)|\(?[ivxIVX]{1,5}[.)]"
                     r"|R\d{1,3}[.:]?)$")
_MARKER_GAP = 6.0  # widest gap, in font sizes, between a hanging list marker and its text


def is_marker_word(text: str) -> bool:
    return bool(_MARKER.match(text)) or (len(text) == 1 and is_bullet_glyph(text))


def _join_markers(chains: list[list[Word]], rules: list[dict]) -> list[list[Word]]:
    """A list marker set in a hanging indent ("1." then a tab stop) is a chain of its own: put it at the
    head of the text on its baseline, as a reader does; a number in a cell of its own (a numbered form,
    a rule between) stays apart."""
    lone = [c for c in chains if len(c) == 1 and is_marker_word(c[0].text)]
    if not lone:
        return chains
    starts = sorted((c for c in chains if len(c) > 1 or not is_marker_word(c[0].text)), key=lambda c: c[0].x0)
    taken: set[int] = set()
    for marker in lone:
        word = marker[0]
        target = None
        for chain in starts:
            head = chain[0]
            if head.x0 <= word.x1 or id(chain) in taken:
                continue
            if head.x0 - word.x1 > _MARKER_GAP * max(head.size, word.size):
                break
            if abs(head.middle - word.middle) < 0.45 * max(head.size, word.size):
                if not any(word.x1 + 1 < r["x0"] < head.x0 - 1 and r["top"] <= word.middle <= r["bottom"]
                           for r in rules):
                    target = chain
                break
        if target is not None:
            taken.add(id(target))
            target.insert(0, word)
            marker.clear()
    return [c for c in chains if c]


def _line_from(words: list[Word]) -> Line:
    line = Line(page=0, top=min(w.top for w in words), bottom=max(w.bottom for w in words),
                x0=words[0].x0, x1=max(w.x1 for w in words), size=words[0].size, bold=words[0].bold,
                text="", words=list(words))
    _finish_line(line)
    return line


_BULLET_GLYPHS = set("•●▪■◦‣∙·○▶►✓*-–")
_DASHES = set("-–—*")


def is_bullet_glyph(char: str) -> bool:
    """A character that only ever marks a list entry: a symbol-font glyph (private-use code points), a
    geometric shape, an arrow or a dingbat. Dashes and asterisks are text too, so they are not."""
    code = ord(char)
    return (0xF000 <= code <= 0xF0FF or 0x25A0 <= code <= 0x25FF or 0x2700 <= code <= 0x27BF
            or 0x2190 <= code <= 0x21FF or char in "•‣∙·⁃◦") and char not in _DASHES


def _is_list_bullet(words: list[Word]) -> bool:
    """A list bullet is a bullet glyph at the head of a line, or a dash set in another size than the text
    after it or apart from it by more than a space; a dash typed into the text itself is part of it."""
    first = words[0].text
    if len(first) != 1 or len(words) < 2:
        return False
    if is_bullet_glyph(first):
        return True
    if first not in _BULLET_GLYPHS:
        return False
    gap = words[1].x0 - words[0].x1
    return abs(words[0].size - words[1].size) > 0.5 or gap > 0.9 * words[1].size


def _finish_line(line: Line) -> None:
    line.words.sort(key=lambda w: w.x0)
    line.bullet = _is_list_bullet(line.words) or line.drawn_bullet
    line.marker_font = len(line.words) > 1 and abs(line.words[0].size - line.words[1].size) > 0.5 and \
        (line.bullet or is_marker_word(line.words[0].text))
    line.text = _join_words(line.words)
    # The line's style is its text's, not that of a list marker set in another font.
    styled = line.words[1:] if line.marker_font else line.words
    weights: Counter[bool] = Counter()
    sizes: Counter[float] = Counter()
    for w in styled:
        weights[w.bold] += len(w.text)
        sizes[round(w.size, 1)] += len(w.text)
    line.bold = weights[True] > weights[False]
    line.size = sizes.most_common(1)[0][0]
    line.x0 = min(w.x0 for w in line.words)
    # Vertical position from the words in the line's own font: a marker glyph in a bigger font ("1.")
    # would otherwise shift the line and spoil the spacing that separates paragraphs.
    dominant = [w for w in line.words if round(w.size, 1) == line.size] or line.words
    line.top = min(w.top for w in dominant)
    line.bottom = max(w.bottom for w in dominant)


def _join_words(words: list[Word]) -> str:
    """Words with a space between them, except where one word ends exactly where the next begins in the
    same font and other text came between them in the stream: one word that PDFium cut where text drawn
    later (a stamp, an overlay) came between. Words next to each other in the stream stay apart: their
    space may be drawn with no width."""
    if _mostly_rtl(words):
        return " ".join(w.text for w in reversed(words))  # a right-to-left line reads from the right
    parts = [words[0].text] if words else []
    for prev, word in itertools.pairwise(words):
        touching = abs(word.x0 - prev.x1) < 0.02 * word.size and abs(word.size - prev.size) < 0.01 \
            and word.bold == prev.bold and abs(word.top - prev.top) < 0.01 \
            and not 0 < word.first - prev.last <= 3
        parts.append(word.text if touching else " " + word.text)
    return "".join(parts)


def _mostly_rtl(words: list[Word]) -> bool:
    letters = [c for w in words for c in w.text if c.isalpha()]
    return sum(1 for c in letters if is_rtl(ord(c))) * 2 > len(letters)


def attach_marks(lines: list[Line], marks: list[tuple[float, float, float, float]]) -> None:
    """A small shape drawn just left of a line's first word, on its first baseline, is that line's bullet."""
    for _x0, top, x1, bottom in marks:
        middle = (top + bottom) / 2
        best = None
        for line in lines:
            if line.is_table or line.bullet:
                continue
            gap = line.x0 - x1
            if 0 <= gap <= 3 * line.size and line.top - 1 <= middle <= line.bottom + 1 and \
                    (best is None or gap < best.x0 - x1):
                best = line
        if best is not None:
            best.bullet = best.drawn_bullet = True


def find_gutter(lines: list[Line], width: float) -> float | None:
    """The x of a vertical gap that splits most lines into two columns, or None for one column."""
    if len(lines) < 6:
        return None
    best: tuple[int, float] | None = None
    for step in range(int(width * 0.3), int(width * 0.7), 2):
        crossing = sum(1 for ln in lines if ln.x0 < step < ln.x1)
        if best is None or crossing < best[0]:
            best = (crossing, float(step))
    if best is None:
        return None
    crossing, x = best
    left = sum(1 for ln in lines if ln.x1 <= x)
    right = sum(1 for ln in lines if ln.x0 >= x)
    # A column may be short (the end of a report), so ask only for two lines on each side, but they must
    # share a left edge as column text does (right-aligned numbers or dates do not).
    right_starts = [ln.x0 for ln in lines if ln.x0 >= x]
    aligned = max((sum(1 for s in right_starts if edge <= s <= edge + 24) for edge in right_starts),
                  default=0)  # lines starting at one left edge, hanging indents allowed
    if crossing <= 0.2 * len(lines) and min(left, right) >= 2 and aligned >= max(2, 0.6 * right):
        # Centre the gutter in the empty gap so either column's ragged edge is on its own side.
        left_edge = max((ln.x1 for ln in lines if ln.x1 <= x), default=x)
        right_edge = min((ln.x0 for ln in lines if ln.x0 >= x), default=x)
        return (left_edge + right_edge) / 2
    return None


def reading_order(lines: list[Line], width: float) -> list[Line]:
    gutter = find_gutter([ln for ln in lines if not ln.is_table], width)
    lines = sorted(lines, key=lambda ln: (ln.top, ln.x0))
    if gutter is None:
        return lines
    ordered: list[Line] = []
    run: list[Line] = []
    for line in lines:
        if line.x0 < gutter < line.x1:
            ordered.extend(_columns_first(run, gutter))
            run = []
            ordered.append(line)
        else:
            run.append(line)
    ordered.extend(_columns_first(run, gutter))
    return ordered


def _columns_first(run: list[Line], gutter: float) -> list[Line]:
    left = [ln for ln in run if ln.x1 <= gutter]
    right = [ln for ln in run if ln.x1 > gutter]
    for line in right:
        line.column = 1
    return left + right


# -- page furniture ------------------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?$|^(?:page\s+)?[ivxlc]{1,6}$",
    re.IGNORECASE)
_MARGIN = 0.09  # share of the page height at top and bottom where running headers and footers sit


def is_page_number(text: str, page_count: int) -> bool:
    """ "12", "Page 3 of 40", "- 7 -", "iv": a number no larger than the page count (a year is not)."""
    text = text.strip()
    if not _PAGE_NUMBER.match(text):
        return False
    return all(int(n) <= page_count + 10 for n in re.findall(r"\d+", text))


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower()).strip()


def remove_furniture(pages: list[tuple[PageGlyphs, list[Line]]], body_size: float) -> list[list[Line]]:
    """Drop running headers, footers and page numbers.

    A margin line is furniture when it is a page number, when the same text (digits aside) recurs in the
    margins of several pages, or when it is a small-print line at the very top of the page.
    """
    margin_keys: Counter[str] = Counter()
    for glyphs, lines in pages:
        seen = {_furniture_key(ln.text) for ln in lines if _in_margin(ln, glyphs.height)}
        margin_keys.update(seen)
    repeat_threshold = max(2, int(0.4 * len(pages)))
    kept_pages: list[list[Line]] = []
    for glyphs, lines in pages:
        kept = []
        for line in lines:
            if line.is_table or not _in_margin(line, glyphs.height):
                kept.append(line)
                continue
            key = _furniture_key(line.text)
            if is_page_number(line.text, len(pages)):
                continue
            if len(pages) >= 2 and margin_keys[key] >= repeat_threshold:
                continue
            if line.bottom < _MARGIN * glyphs.height and line.size < 0.92 * body_size:
                continue
            kept.append(line)
        _drop_glued_page_number(kept, glyphs.number)
        kept_pages.append(kept)
    return kept_pages


def _in_margin(line: Line, height: float) -> bool:
    return line.bottom < _MARGIN * height or line.top > (1 - _MARGIN) * height


def _drop_glued_page_number(lines: list[Line], page_number: int) -> None:
    """A page number set on the last text line's baseline reads as part of that line: take it off."""
    if not lines or lines[-1].is_table or len(lines[-1].words) < 2:
        return
    last = lines[-1]
    tail, before = last.words[-1], last.words[-2]
    if tail.text == str(page_number) and tail.x0 - before.x1 > 3 * tail.size:
        last.words.pop()
        _finish_line(last)
        last.x1 = max(w.x1 for w in last.words)


def body_font_size(pages: list[list[Line]]) -> float:
    sizes: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            if not line.is_table:  # a table's pseudo-line has no size of its own
                sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def line_pitch(lines: list[Line]) -> float:
    """The usual distance between baselines of consecutive lines of one paragraph.

    The smallest spacing that recurs, not the median: where most paragraphs are one or two lines long,
    the gaps between paragraphs would otherwise outnumber the spacing inside them.
    """
    gaps = [round((b.top - a.top) * 2) / 2 for a, b in itertools.pairwise(lines)
            if not a.is_table and not b.is_table and a.column == b.column and a.page == b.page
            and 0.5 * a.size < b.top - a.top < 3 * a.size]  # not two cells on one baseline
    if not gaps:
        return 14.0
    counts = Counter(gaps)
    recurring = [gap for gap, n in counts.items() if n >= max(2, 0.1 * len(gaps))]
    return min(recurring) if recurring else statistics.median(gaps)
