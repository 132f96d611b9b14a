"""Ruled tables, kept whole as tab-separated rows in reading order.

pdfplumber's table algorithm (edges -> intersections -> cells -> tables) is used as it is, but it is fed
the ruling lines PDFium reports for the page: pdfplumber's own page parse costs ~0.3 s a page, which on
reports whose every page carries rules and boxes would put extraction far under 10 pages a second.
"""

from __future__ import annotations

from itertools import groupby

from pdfplumber import table as plumber_table

from casereview.extract.glyphs import Word
from casereview.extract.layout import Line

_TOLERANCE = 3     # pdfplumber's default snap/join/intersection tolerance
_PROSE_CELL = 700  # characters: a cell this long is a frame around paragraphs, not a table's cell


def find_tables(edges: list[dict], words: list[Word], page_number: int) -> list[Line]:
    """One pseudo-line per table holding its rows; a lone box around text is not a table."""
    horizontal = sum(1 for e in edges if e["orientation"] == "h")
    vertical = len(edges) - horizontal
    if horizontal < 3 or vertical < 2:
        return []
    merged = plumber_table.merge_edges(edges, _TOLERANCE, _TOLERANCE, _TOLERANCE, _TOLERANCE)
    intersections = plumber_table.edges_to_intersections(merged, _TOLERANCE, _TOLERANCE)
    cells = plumber_table.intersections_to_cells(intersections)
    tables = []
    for table_cells in plumber_table.cells_to_tables(cells):
        rows = _rows(table_cells, words)
        columns = max(r.count("\t") for r in rows) + 1 if rows else 0
        if len(rows) < 2 or columns < 2 or _text_box(rows) or \
                _headed_cells(table_cells, words) >= (1 if columns == 2 else 2):
            continue  # a frame around a paragraph, or a one-column box, or a form: read it as text
        x0 = min(c[0] for c in table_cells)
        top = min(c[1] for c in table_cells)
        x1 = max(c[2] for c in table_cells)
        bottom = max(c[3] for c in table_cells)
        tables.append(Line(page=page_number, top=top, bottom=bottom, x0=x0, x1=x1, size=0.0, bold=False,
                           text="\n".join(rows), table_rows=rows))
    return tables


def _text_box(rows: list[str]) -> bool:
    """A box whose text is mostly in full-width cells (a titled panel around pages of prose), or a form
    whose text is mostly in a few cells of a page of prose each (a numbered form: "5 | CONCERNS ..."), is
    a frame around paragraphs, not a table: reading it as rows would run its paragraphs, headings and
    lists together."""
    total = sum(len(r) for r in rows)
    spanning = sum(len(r) for r in rows if "\t" not in r)
    if spanning > 400 and spanning > 0.5 * total:
        return True
    cells = [c for r in rows for c in r.split("\t")]
    prose = sum(len(c) for c in cells if len(c) > _PROSE_CELL)
    return max(r.count("\t") for r in rows) <= 2 and prose > 0.5 * total


def _rows(cells: list[tuple], words: list[Word]) -> list[str]:
    rows = []
    for _, row_cells in groupby(sorted(cells, key=lambda c: (round(c[1]), c[0])), key=lambda c: round(c[1])):
        texts = [_cell_text(cell, words) for cell in row_cells]
        if any(texts):
            rows.append("\t".join(texts))
    return rows


def _headed_cells(cells: list[tuple], words: list[Word]) -> int:
    """How many cells open with a bold line and go on in plain text for more lines: a heading and its
    paragraphs, as in the boxes of a numbered form ("1 | CORONER  I am ..."), not a table's cell."""
    headed = 0
    for x0, top, x1, bottom in cells:
        inside = [w for w in words if x0 <= (w.x0 + w.x1) / 2 < x1 and top <= w.middle < bottom]
        if len(inside) < 8:
            continue
        first_row = min(w.middle for w in inside)
        head = [w for w in inside if abs(w.middle - first_row) < 0.5 * w.size]
        rest = [w for w in inside if w.middle - first_row >= 0.5 * w.size]
        rows = {round(w.middle / max(w.size, 1.0)) for w in rest}
        if head and all(w.bold for w in head) and len(rows) >= 2 and \
                sum(1 for w in rest if not w.bold) > 0.7 * len(rest):
            headed += 1
    return headed


def _cell_text(cell: tuple, words: list[Word]) -> str:
    x0, top, x1, bottom = cell
    inside = [w for w in words if x0 <= (w.x0 + w.x1) / 2 < x1 and top <= w.middle < bottom]
    inside.sort(key=lambda w: (round(w.middle / max(w.size, 1) * 2), w.x0))
    return " ".join(w.text for w in inside)


def outside_tables(words: list[Word], tables: list[Line]) -> list[Word]:
    """The words that are not inside any table (those are read through the table's rows)."""
    if not tables:
        return words

    def inside(w: Word, t: Line) -> bool:
        cx = (w.x0 + w.x1) / 2
        return t.x0 - 1 <= cx <= t.x1 + 1 and t.top - 1 <= w.middle <= t.bottom + 1

    return [w for w in words if not any(inside(w, t) for t in tables)]
