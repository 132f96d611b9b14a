"""Read positioned words from a PDF page with PDFium.

pdfplumber (pdfminer) parses about 9 pages a second here; PDFium's text page gives the same characters,
boxes and fonts some 50 times faster, so the layout work runs on PDFium's characters and pdfplumber is
kept for what it does best: finding ruled tables (see tables.py).
"""

from __future__ import annotations

import ctypes
import math
from collections import Counter
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

_BOLD_WEIGHT = 600
_THIN = 2.5  # points: a vector path this thin is a rule
_MARK_MIN, _MARK_MAX = 1.5, 8.0  # points: a small square-ish shape of this size is a drawn list bullet
_LIGATURES = ("ff", "fi", "fl", "ffi", "ffl", "st", "st")  # U+FB00 to U+FB06
_SPACES = {" ", "\u00a0", "\t", "\r", "\n", "\u2002", "\u2003", "\u2009"}


@dataclass(slots=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    first: int = -1  # PDFium's index of the word's first and last character: where it sat in the stream
    last: int = -1

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class PageGlyphs:
    number: int
    width: float
    height: float
    words: list[Word]
    edges: list[dict]  # ruling lines and box sides, for the table finder
    char_count: int
    # Words whose baseline runs another way than the page's main text (a vertical margin note), each in
    # its own reading frame; read after the page's main text, as pdftotext does.
    aside_words: list[Word] = field(default_factory=list)
    # Small filled shapes drawn as list bullets (x0, top, x1, bottom), in the page's reading frame.
    marks: list[tuple[float, float, float, float]] = field(default_factory=list)


class _FontStyles:
    """Per PDFium text object (shared by many characters, so ask once): bold or not, the direction of
    its baseline and the size a reader sees."""

    def __init__(self) -> None:
        self._bold: dict[int, bool] = {}
        self._objects: dict[int, tuple[bool, int, float]] = {}
        self._buffer = ctypes.create_string_buffer(256)
        self._matrix = pdfium_c.FS_MATRIX()

    def style(self, textpage, index: int) -> tuple[bool, int, float]:
        obj = pdfium_c.FPDFText_GetTextObject(textpage, index)
        key = (ctypes.cast(obj, ctypes.c_void_p).value or 0) if obj else 0
        found = self._objects.get(key) if key else None
        if found is None:
            found = (self._is_bold(obj), *self._direction_and_size(textpage, index))
            if key:
                self._objects[key] = found
        return found

    def _direction_and_size(self, textpage, index: int) -> tuple[int, float]:
        pdfium_c.FPDFText_GetMatrix(textpage, index, self._matrix)
        font_size = pdfium_c.FPDFText_GetFontSize(textpage, index)
        a, b, c, d = self._matrix.a, self._matrix.b, self._matrix.c, self._matrix.d
        # A negative size turns the glyphs half round; with a flipped matrix the text is upright again.
        quarter = (_quarter(a, b) + (2 if font_size < 0 else 0)) % 4
        # The size a reader sees: PDFium gives the size set by Tf, which is often 1 with the scale in the
        # text matrix (and may be negative); the matrix's vertical scale makes it the effective size.
        return quarter, abs(font_size) * math.hypot(c, d)

    def _is_bold(self, obj) -> bool:
        font = pdfium_c.FPDFTextObj_GetFont(obj) if obj else None
        key = (ctypes.cast(font, ctypes.c_void_p).value or 0) if font else 0
        if key not in self._bold:
            self._bold[key] = self._font_is_bold(font) if font else False
        return self._bold[key]

    def _font_is_bold(self, font) -> bool:
        if pdfium_c.FPDFFont_GetWeight(font) >= _BOLD_WEIGHT:
            return True
        length = pdfium_c.FPDFFont_GetBaseFontName(font, self._buffer, len(self._buffer))
        name = self._buffer.raw[: max(0, length - 1)].decode("latin-1", "replace").lower()
        return any(mark in name for mark in ("bold", "black", "heavy", "semibold", "demi"))


class PageTooLarge(Exception):
    """A page with more characters than the caller allows (its words would not fit the memory bound)."""

    def __init__(self, chars: int):
        super().__init__(f"{chars} characters")
        self.chars = chars


def read_page(page: pdfium.PdfPage, number: int, max_chars: int | None = None,
              max_edges: int | None = None) -> PageGlyphs:
    width, height = page.get_size()
    if page.get_rotation() in (90, 270):
        width, height = height, width  # PDFium's characters are in the unrotated page space
    textpage = page.get_textpage()
    try:
        count = pdfium_c.FPDFText_CountChars(textpage)
        if max_chars is not None and count > max_chars:
            raise PageTooLarge(count)
        words, chars = _words(textpage, width, height)
    finally:
        textpage.close()
    # The page is read in the frame of its main text's baseline: a page set sideways (by /Rotate or by
    # a rotated text matrix) reads as the upright page a reader turns it to.
    quarters = Counter({q: sum(len(w.text) for w in ws) for q, ws in words.items()})
    quarter = quarters.most_common(1)[0][0] if quarters else 0
    frame_width, frame_height = (height, width) if quarter in (1, 3) else (width, height)
    aside = [w for q, ws in sorted(words.items()) if q != quarter for w in ws]
    marks: list[tuple[float, float, float, float]] = []
    edges = ruling_edges(page, height, max_edges, quarter, width, marks)
    return PageGlyphs(number=number, width=frame_width, height=frame_height, words=words.get(quarter, []),
                      edges=edges, char_count=chars, aside_words=aside, marks=marks)


def _quarter(a: float, b: float) -> int:
    """The direction of a baseline (a, b) in quarter turns anticlockwise (0 upright, 1 reading upwards)."""
    return round(math.atan2(b, a) / (math.pi / 2)) % 4


def _to_frame(quarter: int, left: float, bottom: float, right: float, top: float,
              width: float, height: float) -> tuple[float, float, float, float]:
    """A box in PDF space (y up) as x0, x1, top, bottom in the reading frame of text turned by
    ``quarter`` quarter turns (y down, origin at that frame's top left)."""
    if quarter == 1:
        return bottom, top, left, right
    if quarter == 2:
        return width - right, width - left, bottom, top
    if quarter == 3:
        return height - top, height - bottom, width - right, width - left
    return left, right, height - top, height - bottom


def _words(textpage, page_width: float, page_height: float) -> tuple[dict[int, list[Word]], int]:
    """Group PDFium's characters into words: split at spaces, line changes and wide gaps. Words come
    grouped by the direction of their baseline, each in its own reading frame."""
    fonts = _FontStyles()
    rect = pdfium_c.FS_RECTF()
    words: dict[int, list[Word]] = {}
    current: list[tuple[str, float, float, float, float, float, bool, int]] = []
    count = pdfium_c.FPDFText_CountChars(textpage)
    real_chars = 0
    quarter = 0

    def flush() -> None:
        if current:
            words.setdefault(quarter, []).append(_make_word(current))
            current.clear()

    for index in range(count):
        code = pdfium_c.FPDFText_GetUnicode(textpage, index)
        if 0xDC00 <= code <= 0xDFFF:
            continue  # the second half of a pair taken with its first half, or a lone half
        char = _char(textpage, index, code, count)
        if not char or char in _SPACES or pdfium_c.FPDFText_IsGenerated(textpage, index) == 1:
            flush()
            continue
        if code == 0x2:
            char = "-"  # PDFium's code for a hyphen at a line break (FPDFText_IsHyphen)
        elif 0xFB00 <= code <= 0xFB06:
            char = _LIGATURES[code - 0xFB00]  # a ligature glyph read as one character: its letters
        elif code in (0xFFFE, 0xFFFF) or char == "\x00":
            continue
        pdfium_c.FPDFText_GetLooseCharBox(textpage, index, rect)
        bold, char_quarter, size = fonts.style(textpage, index)
        if char_quarter != quarter:
            flush()
            quarter = char_quarter
        if quarter == 0:  # most text: no call for the frame
            left, right, top, bottom = rect.left, rect.right, page_height - rect.top, page_height - rect.bottom
        else:
            left, right, top, bottom = _to_frame(quarter, rect.left, rect.bottom, rect.right, rect.top,
                                                 page_width, page_height)
        if size <= 0:
            size = bottom - top
        real_chars += 1
        if current:
            prev = current[-1]
            same_line = abs(((prev[3] + prev[4]) / 2) - ((top + bottom) / 2)) < 0.5 * max(size, prev[5])
            # Right-to-left script (Arabic, Hebrew) comes in reading order with each letter left of the
            # one before: its gap is measured leftwards.
            gap = prev[1] - right if is_rtl(code) and is_rtl(ord(prev[0][-1])) else left - prev[2]
            # A change of font size splits words too: a list number set in a bigger font ("10.")
            # often sits closer to the next word than a normal space.
            # PDFium marks word spaces itself (generated spaces); a gap with no space is a word break only
            # when it is wide, as between table cells, so letter-spaced words stay whole.
            # Letters that share one glyph's box are a ligature ("fi"): the second starts left of where
            # the first ends, which is no step back to a new word.
            same_glyph = abs(left - prev[1]) < 0.01 and abs(right - prev[2]) < 0.01
            if not same_glyph and (not same_line or gap > 0.8 * max(size, prev[5]) or gap < -0.5 * size
                                   or abs(size - prev[5]) > 0.5):
                flush()
        current.append((char, left, right, top, bottom, size, bold, index))
    flush()
    return words, real_chars


def is_rtl(code: int) -> bool:
    """A letter of a right-to-left script: Hebrew, Arabic, Syriac, Thaana, NKo and their forms."""
    return 0x0590 <= code <= 0x08FF or 0xFB1D <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF


def _char(textpage, index: int, code: int, count: int) -> str:
    """The character at index: PDFium gives non-BMP characters (emoji, math letters) as two UTF-16 halves."""
    if not 0xD800 <= code <= 0xDBFF:
        return chr(code) if code else ""
    low = pdfium_c.FPDFText_GetUnicode(textpage, index + 1) if index + 1 < count else 0
    if 0xDC00 <= low <= 0xDFFF:
        return chr(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00))
    return ""  # a lone half is no character


def _make_word(chars: list[tuple[str, float, float, float, float, float, bool, int]]) -> Word:
    # The style of a word is the style most of its characters have (a bullet glyph may differ).
    bold_chars = sum(1 for c in chars if c[6])
    sizes = sorted(c[5] for c in chars)
    return Word(
        text="".join(c[0] for c in chars),
        x0=min(c[1] for c in chars),
        x1=max(c[2] for c in chars),
        top=min(c[3] for c in chars),
        bottom=max(c[4] for c in chars),
        size=sizes[len(sizes) // 2],
        bold=bold_chars * 2 > len(chars),
        first=chars[0][7],
        last=chars[-1][7],
    )


def ruling_edges(page: pdfium.PdfPage, height: float, max_edges: int | None = None, quarter: int = 0,
                 width: float = 0.0, marks: list[tuple[float, float, float, float]] | None = None) -> list[dict]:
    """Horizontal and vertical edges from the page's vector paths (rules and the sides of boxes), in the
    reading frame of text turned by ``quarter`` quarter turns (the page's unrotated ``width`` and
    ``height``).

    A page with more than ``max_edges`` (a map, a chart drawn in strokes) gets none: it holds no table
    worth the table finder's time and memory."""
    edges: list[dict] = []
    for obj in page.get_objects(max_depth=1):
        if obj.type != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        if max_edges is not None and len(edges) > max_edges:
            return []
        x_left, y_low, x_right, y_high = obj.get_bounds()
        left, right, y_top, y_bottom = _to_frame(quarter, x_left, y_low, x_right, y_high, width, height)
        wide, tall = right - left, y_bottom - y_top
        if _MARK_MIN <= wide <= _MARK_MAX and _MARK_MIN <= tall <= _MARK_MAX and 0.6 < wide / tall < 1.67:
            if marks is not None:
                marks.append((left, y_top, right, y_bottom))  # a drawn list bullet, not a table's rule
            continue
        if tall < _THIN and wide > 3:
            edges.append(_edge("h", left, right, (y_top + y_bottom) / 2, (y_top + y_bottom) / 2))
        elif wide < _THIN and tall > 3:
            edges.append(_edge("v", (left + right) / 2, (left + right) / 2, y_top, y_bottom))
        elif wide > 3 and tall > 3:
            edges += [_edge("h", left, right, y_top, y_top), _edge("h", left, right, y_bottom, y_bottom),
                      _edge("v", left, left, y_top, y_bottom), _edge("v", right, right, y_top, y_bottom)]
    return edges


def _edge(orientation: str, x0: float, x1: float, top: float, bottom: float) -> dict:
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top,
            "orientation": orientation, "object_type": "line"}
