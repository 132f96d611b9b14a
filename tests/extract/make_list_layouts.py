"""Generate PDFs with the list and heading layouts of real reports (nothing committed; invented text).

Each PDF is drawn with reportlab's canvas so that the geometry under test is exact: list markers in a
symbol font or drawn as shapes, lists with only a hanging indent, each numbering style with the marker at a
tab stop, a list that runs over a page turn, a ruled recommendations table, a contents page with dot
leaders, and a running title and page numbers on every page. ``make(name, path)`` writes one and returns
its truth: the items (number, text, page, section, sub-points) and the sections (title, level).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

WIDTH, HEIGHT = A4
LEFT, TEXT_AT, RIGHT = 72.0, 100.0, 520.0
BODY, LEADING = 11.0, 14.0
RUNNING_TITLE = "Learning Review: Northfield Partnership"

ENTRIES = [
    "Make sure that every referral is screened by a qualified social worker within one working day.",
    "Strengthen the oversight of plans for children so that actions are specific and reviewed on time.",
    "Improve the recording of the views of children and make sure they shape the plan for them.",
    "Review the training offer to frontline staff so that it reflects the learning from recent reviews.",
]
PROSE = ("The panel met the practitioners who had worked with the family over the two years before the "
         "review and read the records held by each agency. Their accounts were open and reflective.")


class Writer:
    """A page cursor: lines flow down the page and on to a new one, each page with its furniture."""

    def __init__(self, path: Path, furniture: bool = True):
        self.c = canvas.Canvas(str(path), pagesize=A4)
        self.page = 1
        self.y = HEIGHT - 90
        self.furniture = furniture
        self._furnish()

    def _furnish(self) -> None:
        if not self.furniture:
            return
        self.c.setFont("Helvetica-Bold", 9)
        self.c.drawString(LEFT, HEIGHT - 40, RUNNING_TITLE)
        self.c.setFont("Helvetica", 16)
        self.c.drawRightString(RIGHT, 40, str(self.page))

    def new_page(self) -> None:
        self.c.showPage()
        self.page += 1
        self.y = HEIGHT - 90
        self._furnish()

    def room(self, needed: float) -> None:
        if self.y - needed < 80:
            self.new_page()

    def heading(self, text: str, size: float = 14.0, x: float = LEFT) -> None:
        self.room(3 * size)
        self.y -= 10
        self.c.setFont("Helvetica-Bold", size)
        self.c.drawString(x, self.y, text)
        self.y -= size + 12

    def lines(self, text: str, x: float, width: float | None = None, font: str = "Helvetica",
              first_x: float | None = None, break_page: bool = True) -> int:
        """Wrap text from x (the first line from first_x) and return the page it started on."""
        words, line, out = text.split(), "", []
        width = width or RIGHT - x
        for word in words:
            trial = f"{line} {word}".strip()
            if self.c.stringWidth(trial, font, BODY) > width and line:
                out.append(line)
                line = word
            else:
                line = trial
        out.append(line)
        if not break_page:
            self.room(LEADING * len(out))
        else:
            self.room(LEADING)
        start = self.page
        self.c.setFont(font, BODY)
        for i, text_line in enumerate(out):
            if break_page and self.y < 80:
                self.new_page()
                self.c.setFont(font, BODY)
            self.c.drawString(first_x if i == 0 and first_x is not None else x, self.y, text_line)
            self.y -= LEADING
        self.y -= 8
        return start

    def save(self) -> None:
        self.c.showPage()
        self.c.save()


def _prose_section(w: Writer, sections: list, heading: str = "Background") -> None:
    w.heading(heading)
    sections.append((heading, 1))
    w.lines(PROSE, LEFT)


def symbol_bullets(path: Path) -> dict:
    """Bullets set in a symbol font (ZapfDingbats squares), the text at a tab stop."""
    w, items, sections = Writer(path), [], []
    _prose_section(w, sections)
    w.heading("What needs to improve")
    sections.append(("What needs to improve", 1))
    for text in ENTRIES[:3]:
        w.c.setFont("ZapfDingbats", 8)
        w.c.drawString(LEFT, w.y + 1, "n")
        page = w.lines(text, TEXT_AT - 10)
        items.append((None, text, page, "What needs to improve", []))
    _prose_section(w, sections, "Next steps")
    w.save()
    return {"items": items, "sections": sections}


def drawn_bullets(path: Path) -> dict:
    """Bullets drawn as small filled squares and circles, no character at all."""
    w, items, sections = Writer(path), [], []
    _prose_section(w, sections)
    w.heading("Areas for improvement")
    sections.append(("Areas for improvement", 1))
    for i, text in enumerate(ENTRIES[:3]):
        if i % 2:
            w.c.circle(LEFT + 2.5, w.y + 3.5, 2.2, stroke=0, fill=1)
        else:
            w.c.rect(LEFT, w.y + 1.5, 4.5, 4.5, stroke=0, fill=1)
        page = w.lines(text, LEFT + 16)
        items.append((None, text, page, "Areas for improvement", []))
    _prose_section(w, sections, "Next steps")
    w.save()
    return {"items": items, "sections": sections}


def indented(path: Path) -> dict:
    """Entries with no marker at all: only a hanging indent past the heading's edge marks them."""
    w, items, sections = Writer(path), [], []
    _prose_section(w, sections)
    w.heading("Key learning")
    sections.append(("Key learning", 1))
    for text in ENTRIES[:3]:
        page = w.lines(text, LEFT + 24)
        items.append((None, text, page, "Key learning", []))
    _prose_section(w, sections, "Next steps")
    w.save()
    return {"items": items, "sections": sections}


def _numbered(w: Writer, heading: str, markers: list[str], texts: list[str], items: list, sections: list,
              numbers: list[str]) -> None:
    w.heading(heading)
    sections.append((heading, 1))
    for marker, text, number in zip(markers, texts, numbers, strict=True):
        w.c.setFont("Helvetica", BODY)
        w.c.drawString(LEFT, w.y, marker)
        page = w.lines(text, TEXT_AT)
        items.append((number, text, page, heading, []))


def numbering(path: Path) -> dict:
    """Every numbering style, the marker at the margin and the text at a tab stop."""
    w, items, sections = Writer(path), [], []
    _prose_section(w, sections)
    _numbered(w, "Recommendations", ["1)", "2)"], ENTRIES[:2], items, sections, ["1", "2"])
    _numbered(w, "Findings", ["(a)", "(b)"], ENTRIES[2:4], items, sections, ["a", "b"])
    _numbered(w, "Matters of concern", ["i.", "ii.", "iii."], ENTRIES[:3], items, sections, ["i", "ii", "iii"])
    _numbered(w, "Recommendations to the partnership", ["R1", "R2"], ENTRIES[1:3], items, sections,
              ["R1", "R2"])
    w.heading("Summary")
    sections.append(("Summary", 1))
    for label, number, text in (("Recommendation 1:", "1", ENTRIES[3]), ("Finding 3 -", "3", ENTRIES[0])):
        page = w.lines(f"{label} {text}", LEFT)
        items.append((number, text, page, "Summary", []))
    w.save()
    return {"items": items, "sections": sections}


def page_break(path: Path) -> dict:
    """A numbered list whose third entry starts at the foot of page 1 and ends on page 2, with a lettered
    sub-point after it; the running title and page number fall between its lines."""
    w, items, sections = Writer(path), [], []
    w.heading("Analysis")
    sections.append(("Analysis", 1))
    while w.y > 230:
        w.lines(PROSE, LEFT)
    w.heading("Recommendations")
    sections.append(("Recommendations", 1))
    long = " ".join(ENTRIES)
    for n, text in enumerate([ENTRIES[0], ENTRIES[1], long], 1):
        w.c.setFont("Helvetica", BODY)
        w.c.drawString(LEFT, w.y, f"{n}.")
        page = w.lines(text, TEXT_AT)
        items.append((str(n), text, page, "Recommendations", []))
    assert w.page == 2, "the third entry must run over the page turn"
    w.c.setFont("Helvetica", BODY)
    w.c.drawString(TEXT_AT, w.y, "a)")
    w.lines(ENTRIES[2], TEXT_AT + 20)
    items[-1] = (*items[-1][:4], [ENTRIES[2]])
    _prose_section(w, sections, "Next steps")
    w.save()
    return {"items": items, "sections": sections}


def table(path: Path) -> dict:
    """Recommendations as a ruled table: number | recommendation | agency | timescale."""
    w, items, sections = Writer(path), [], []
    _prose_section(w, sections)
    w.heading("Recommendations")
    sections.append(("Recommendations", 1))
    columns = [LEFT, LEFT + 40, LEFT + 300, LEFT + 380, RIGHT]
    rows = [["No.", "Recommendation", "Agency", "Timescale"]] + [
        [str(n), text, agency, when] for n, text, agency, when in
        zip((1, 2, 3), ENTRIES[:3], ("Police", "Health", "Partnership"), ("3 months", "6 months", "12 months"),
            strict=True)]
    top = w.y + 12
    heights = []
    for row in rows:
        wrapped = _wrap(w.c, row[1], columns[2] - columns[1] - 8)
        heights.append(LEADING * len(wrapped) + 8)
    bottom = top - sum(heights)
    w.c.setLineWidth(0.8)
    for x in columns:
        w.c.line(x, top, x, bottom)
    y = top
    for row, height in zip(rows, heights, strict=True):
        w.c.line(columns[0], y, columns[-1], y)
        for i, cell in enumerate(row):
            w.c.setFont("Helvetica-Bold" if row is rows[0] else "Helvetica", BODY)
            for k, part in enumerate(_wrap(w.c, cell, columns[i + 1] - columns[i] - 8)):
                w.c.drawString(columns[i] + 4, y - 13 - k * LEADING, part)
        y -= height
    w.c.line(columns[0], y, columns[-1], y)
    for row in rows[1:]:
        items.append((row[0], row[1], 1, "Recommendations", []))
    w.y = bottom - 20
    _prose_section(w, sections, "Next steps")
    w.save()
    return {"items": items, "sections": sections}


def table_pages(path: Path) -> dict:
    """A recommendations table that runs on to the next page, where its header row is not repeated; then
    a recommendation set as a bold label heading ("Recommendation 4") with its text below."""
    w, items, sections = Writer(path), [], []
    _prose_section(w, sections)
    w.heading("Recommendations")
    sections.append(("Recommendations", 1))
    columns = [LEFT, LEFT + 40, LEFT + 330, RIGHT]
    _grid(w, columns, [["No.", "Recommendation", "Timescale"], ["1", ENTRIES[0], "3 months"],
                       ["2", ENTRIES[1], "6 months"]])
    items += [("1", ENTRIES[0], 1, "Recommendations", []), ("2", ENTRIES[1], 1, "Recommendations", [])]
    w.new_page()
    _grid(w, columns, [["3", ENTRIES[2], "12 months"], ["4", ENTRIES[3], "12 months"]])
    items += [("3", ENTRIES[2], 2, "Recommendations", []), ("4", ENTRIES[3], 2, "Recommendations", [])]
    w.heading("Recommendation 5", size=12)
    sections.append(("Recommendation 5", 2))
    page = w.lines(PROSE, LEFT)
    items.append(("5", PROSE, page, "Recommendations", []))
    w.save()
    return {"items": items, "sections": sections}


def columns(path: Path) -> dict:
    """Two columns: a numbered list in the left column whose third entry breaks at the column's foot and
    goes on at the top of the right column."""
    w, items, sections = Writer(path), [], []
    gutter, col_width = 306.0, 200.0
    w.heading("Background")
    sections.append(("Background", 1))
    while w.y > 330:
        w.lines(PROSE, LEFT, width=col_width)
    w.heading("Recommendations")
    sections.append(("Recommendations", 1))
    long = " ".join(ENTRIES[:3])
    left = LEFT
    for n, text in enumerate([ENTRIES[0], long, ENTRIES[3]], 1):
        for k, part in enumerate(_wrap(w.c, text, col_width - 28)):
            if w.y < 80:  # the column's foot: go on at the top of the right column
                w.y, left = HEIGHT - 90, gutter + 20
            w.c.setFont("Helvetica", BODY)
            if k == 0:
                w.c.drawString(left, w.y, f"{n}.")
            w.c.drawString(left + 28, w.y, part)
            w.y -= LEADING
        w.y -= 8
        items.append((str(n), text, 1, "Recommendations", []))
    assert left > gutter, "the list must go on in the right column"
    w.c.setFont("Helvetica-Bold", 14)
    w.y -= 10
    w.c.drawString(gutter + 20, w.y, "Next steps")
    sections.append(("Next steps", 1))
    w.y -= 26
    for part in _wrap(w.c, PROSE, col_width):
        w.c.setFont("Helvetica", BODY)
        w.c.drawString(gutter + 20, w.y, part)
        w.y -= LEADING
    w.save()
    return {"items": items, "sections": sections}


def grade_box(path: Path) -> dict:
    """A two-line heading with a grade set beside it in a box (an inspection judgement), and a boxed panel
    that holds the section's sub-heading and its paragraphs."""
    w, items, sections = Writer(path), [], []
    top = w.y + 20
    w.c.setFont("Helvetica-Bold", 14)
    w.c.drawString(LEFT + 6, w.y, "The experiences and progress of")
    w.c.drawString(LEFT + 300, w.y - 8, "Requires improvement")
    w.y -= 17
    w.c.drawString(LEFT + 6, w.y, "children who need help and protection")
    sections.append(("The experiences and progress of children who need help and protection", 1))
    w.y -= 30
    w.c.rect(LEFT, w.y + 8, RIGHT - LEFT, top - w.y - 8, stroke=1, fill=0)
    w.c.line(LEFT + 290, top, LEFT + 290, w.y + 8)
    panel_top = w.y + 8
    w.heading("Summary", size=12, x=LEFT + 6)
    sections.append(("Summary", 2))
    for _ in range(4):
        w.lines(PROSE, LEFT + 6, width=RIGHT - LEFT - 12)
    w.c.rect(LEFT, w.y, RIGHT - LEFT, panel_top - w.y, stroke=1, fill=0)
    w.y -= 20
    _prose_section(w, sections, "Next steps")
    w.save()
    return {"items": items, "sections": sections}


FORM = [("CORONER", "I am the assistant coroner for the area of Northfield."),
        ("INVESTIGATION and INQUEST", PROSE),
        ("CORONER'S CONCERNS", None),
        ("ACTION SHOULD BE TAKEN", "In my opinion action should be taken to prevent future deaths.")]


def form(path: Path) -> dict:
    """A numbered form: a ruled table whose left cells hold the box numbers and whose right cells hold a
    bold heading and its paragraphs, one box holding the numbered concerns."""
    w, items, sections = Writer(path), [], []
    number_x, text_x = LEFT, LEFT + 30
    y = w.y + 14
    w.c.setLineWidth(0.8)
    for n, (title, body) in enumerate(FORM, 1):
        top = y
        w.c.setFont("Helvetica-Bold", BODY)
        w.c.drawString(number_x + 6, y - 14, str(n))
        w.c.drawString(text_x + 6, y - 14, title)
        sections.append((title, 1))
        y -= 14 + LEADING + 6
        w.c.setFont("Helvetica", BODY)
        if body is None:
            for k, text in enumerate(ENTRIES[:2], 1):
                w.c.drawString(text_x + 6, y, f"{k}.")
                for part in _wrap(w.c, text, RIGHT - text_x - 40):
                    w.c.drawString(text_x + 30, y, part)
                    y -= LEADING
                y -= 8
                items.append((str(k), text, 1, title, []))
        else:
            for part in _wrap(w.c, body, RIGHT - text_x - 12):
                w.c.drawString(text_x + 6, y, part)
                y -= LEADING
        y -= 8
        w.c.line(number_x, top, RIGHT, top)
        w.c.line(number_x, y, RIGHT, y)
        for x in (number_x, text_x, RIGHT):
            w.c.line(x, top, x, y)
    w.save()
    return {"items": items, "sections": sections}


def all_bold(path: Path) -> dict:
    """A document set all in a bold face: its headings stand out only in capitals."""
    w, items, sections = Writer(path), [], []
    for title in ("BACKGROUND", "MATTERS OF CONCERN"):
        w.heading(title, size=BODY)
        sections.append((title, 1))
        w.lines("The review panel met on two occasions.", LEFT, font="Helvetica-Bold")
        w.lines(PROSE, LEFT, font="Helvetica-Bold")
    for k, text in enumerate(ENTRIES[:2], 1):
        w.c.setFont("Helvetica-Bold", BODY)
        w.c.drawString(LEFT, w.y, f"{k}.")
        page = w.lines(text, TEXT_AT, font="Helvetica-Bold")
        items.append((str(k), text, page, "MATTERS OF CONCERN", []))
    w.save()
    return {"items": items, "sections": sections}


def _grid(w: Writer, columns: list[float], rows: list[list[str]]) -> None:
    top = w.y + 12
    heights = [LEADING * max(len(_wrap(w.c, cell, columns[i + 1] - columns[i] - 8)) for i, cell in enumerate(row))
               + 8 for row in rows]
    bottom = top - sum(heights)
    w.c.setLineWidth(0.8)
    for x in columns:
        w.c.line(x, top, x, bottom)
    y = top
    for row, height in zip(rows, heights, strict=True):
        w.c.line(columns[0], y, columns[-1], y)
        for i, cell in enumerate(row):
            w.c.setFont("Helvetica", BODY)
            for k, part in enumerate(_wrap(w.c, cell, columns[i + 1] - columns[i] - 8)):
                w.c.drawString(columns[i] + 4, y - 13 - k * LEADING, part)
        y -= height
    w.c.line(columns[0], y, columns[-1], y)
    w.y = bottom - 20


def _wrap(c: canvas.Canvas, text: str, width: float) -> list[str]:
    out, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if c.stringWidth(trial, "Helvetica", BODY) > width and line:
            out.append(line)
            line = word
        else:
            line = trial
    return [*out, line]


CONTENTS = [("Introduction", 1, 3), ("Scope of the review", 2, 3), ("The family", 2, 3),
            ("Analysis of practice", 1, 3), ("Early help", 2, 4), ("Recommendations", 1, 4)]


def contents(path: Path) -> dict:
    """A cover page, a contents page (dot leaders, page numbers, two levels by indent) and the report, with
    a running title and a page number on every page. Only the report's headings are sections."""
    w = Writer(path)
    w.c.setFont("Helvetica", 26)
    w.c.drawString(LEFT, HEIGHT - 200, "Learning Review")
    w.c.setFont("Helvetica-Bold", 14)
    w.c.drawString(LEFT, HEIGHT - 240, "Child R and the Northfield Partnership")
    w.c.setFont("Helvetica", 12)
    w.c.drawString(LEFT, HEIGHT - 265, "Published: March 2024")
    w.new_page()
    w.c.setFont("Helvetica-Bold", 20)
    w.c.drawString(LEFT, w.y, "Contents")
    w.y -= 36
    for title, level, page in CONTENTS:
        x = LEFT + (level - 1) * 18
        w.c.setFont("Helvetica", 12)
        w.c.drawString(x, w.y, title)
        start = x + w.c.stringWidth(title, "Helvetica", 12) + 6
        dots = "." * int((RIGHT - 20 - start) / w.c.stringWidth(".", "Helvetica", 12))
        w.c.drawString(start, w.y, dots)
        w.c.drawRightString(RIGHT, w.y, str(page))
        w.y -= 22
    w.new_page()
    sections = []
    for title, level, page in CONTENTS:
        while w.page < page:
            w.new_page()
        w.heading(title, size=16 if level == 1 else 13)
        sections.append((title, level))
        w.lines(PROSE, LEFT)
    w.save()
    return {"items": [], "sections": sections}


def running_title(path: Path) -> dict:
    """Three pages each with a bold running title at the top and a large page number at the foot."""
    w, sections = Writer(path), []
    for n in range(3):
        heading = ["Introduction", "Analysis of practice", "Conclusion"][n]
        w.heading(heading)
        sections.append((heading, 1))
        w.lines(PROSE, LEFT)
        if n < 2:
            w.new_page()
    w.save()
    return {"items": [], "sections": sections}


LAYOUTS: dict[str, Callable[[Path], dict]] = {
    "symbol_bullets": symbol_bullets, "drawn_bullets": drawn_bullets, "indented": indented,
    "numbering": numbering, "page_break": page_break, "table": table, "table_pages": table_pages,
    "columns": columns, "contents": contents, "grade_box": grade_box, "form": form,
    "all_bold": all_bold,
    "running_title": running_title,
}


def make(name: str, path: Path) -> dict:
    return LAYOUTS[name](path)


if __name__ == "__main__":
    import sys

    folder = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    for layout_name in LAYOUTS:
        make(layout_name, folder / f"{layout_name}.pdf")
