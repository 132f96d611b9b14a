"""extract_pdf on synthetic reviews whose exact text, sections and items are known (corpora/synthetic)."""

from __future__ import annotations

import json
import re

import pdfplumber
from casereview.contracts import Document


def _body_lines(pdf, page_index: int) -> list[tuple[float, float, str]]:
    """(x0, top, text) of the text lines pdfplumber sees on a page, furniture included."""
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[page_index]
        words = page.extract_words()
        half = page.width / 2
        lines: dict[tuple[bool, int], list[dict]] = {}
        for w in words:
            lines.setdefault((w["x0"] >= half, round(w["top"])), []).append(w)
    return [(ws[0]["x0"], ws[0]["top"], " ".join(w["text"] for w in ws)) for _, ws in sorted(lines.items())]


def test_documents_extract_ok_with_the_page_count(each):
    assert each.doc.status == "ok", each.doc.error
    assert each.doc.error is None
    assert each.truth["pages"] >= 2
    assert each.doc.source.pages == each.truth["pages"]
    assert len(each.doc.source.sha256) == 64


def test_text_is_the_blocks_in_reading_order_separated_by_blank_lines(each):
    # Every heading, paragraph, list entry and table is one block, in order, with nothing added or lost.
    assert each.doc.text.split("\n\n") == each.truth["blocks"]
    assert each.doc.text == each.ideal_text
    assert "\n\n\n" not in each.doc.text


def test_paragraphs_are_single_lines_joined_across_line_breaks(each):
    tables = {"\n".join("\t".join(row) for row in t) for t in each.truth["tables"]}
    for block in each.doc.text.split("\n\n"):
        if block not in tables:
            assert "\n" not in block and "  " not in block, block[:60]


def test_two_columns_are_read_left_column_first(rendered):
    two = rendered["two_column"]
    assert two.truth["columns"] == 2
    lines = [ln for ln in _body_lines(two.pdf, 0) if 60 < ln[1] < 780]
    mid = 595.0 / 2
    below_title = [ln for ln in lines if ln[1] > 150]  # the title spans both columns
    left = [ln for ln in below_title if ln[0] < mid]
    right = [ln for ln in below_title if ln[0] >= mid]
    assert left and right
    left_last = max(left, key=lambda ln: ln[1])
    right_first = min(right, key=lambda ln: ln[1])
    # Read top to bottom across the page, the right column's first line would come before the left
    # column's last line; in reading order it comes after.
    assert right_first[1] < left_last[1]
    text = two.doc.text
    assert text.count(left_last[2]) == 1 and text.count(right_first[2]) == 1
    assert text.index(left_last[2]) < text.index(right_first[2])
    # A paragraph that straddles nothing keeps its exact wording in a narrow column.
    paragraphs = [b for b in two.truth["blocks"] if len(b) > 150 and "\t" not in b]
    assert paragraphs and all(p in text.split("\n\n") for p in paragraphs)


def test_running_header_footer_and_page_numbers_are_removed(each):
    furniture = each.truth["furniture"]
    assert any(f.startswith("Page ") for f in furniture)
    with pdfplumber.open(each.pdf) as pdf:  # they are on the pages: the test could fail
        page_one = pdf.pages[0].extract_text()
    assert furniture[0] in page_one
    header = furniture[0]
    for line in each.doc.text.splitlines():
        assert line.strip() not in furniture, line
        assert not line.startswith(header) and not line.endswith(header), line
        assert not re.fullmatch(r"Page \d+( of \d+)?", line.strip()), line
        assert not line.startswith("OFFICIAL"), line


def test_tables_are_tab_separated_rows_in_place(each):
    blocks = each.doc.text.split("\n\n")
    assert each.truth["tables"], "every fixture has a ruled table"
    for rows in each.truth["tables"]:
        table = "\n".join("\t".join(row) for row in rows)
        assert table in blocks
        position = each.truth["blocks"].index(table)
        assert blocks[position - 1] == each.truth["blocks"][position - 1]
        assert blocks[position + 1] == each.truth["blocks"][position + 1]
        assert all(line.count("\t") == len(rows[0]) - 1 for line in table.split("\n"))


def test_sections_have_titles_levels_and_offsets(each):
    doc = each.doc
    sections = [s for s in doc.sections if s.title != each.truth["title"]]
    assert [(s.title, s.level) for s in sections] == [(t["title"], t["level"]) for t in each.truth["sections"]]
    assert any(s.level == 2 for s in sections)
    for section in doc.sections:
        assert doc.text[section.start:section.start + len(section.title)] == section.title
        assert section.start < section.end <= len(doc.text)
    # A level-2 section lies inside the level-1 section before it; a level-1 section ends where the next starts.
    for i, section in enumerate(sections):
        parent = next((s for s in reversed(sections[:i]) if s.level < section.level), None)
        if parent is not None:
            assert parent.start < section.start and section.end <= parent.end
        following = next((s for s in sections[i + 1:] if s.level <= section.level), None)
        if following is not None:
            assert section.end == following.start


def test_items_have_kind_number_text_section_and_subpoints(each):
    got = [(i.number, i.kind, i.text, i.section, i.subpoints or []) for i in each.doc.items]
    want = [(t["n"], t["kind"], t["text"], t["section"], t["subpoints"]) for t in each.truth["items"]]
    assert got == want
    assert len({i.id for i in each.doc.items}) == len(each.doc.items)


def test_item_offsets_point_at_the_item_text(each):
    text = each.doc.text
    for item in each.doc.items:
        assert text[item.start:item.end].startswith(item.text)
        for sub in item.subpoints or []:
            assert sub in text[item.start:item.end]


def test_every_fixture_kind_of_item_is_covered(rendered):
    items = [i for r in rendered.values() for i in r.doc.items]
    assert {i.kind for i in items} == {"recommendation", "finding"}
    assert any(i.subpoints for i in items)
    bullets = [i for i in items if i.number is None]
    assert bullets and all(i.section.endswith("What needs to improve") for i in bullets)


def test_bullets_outside_item_sections_are_text_without_the_glyph(rendered):
    doc = rendered["two_column"].doc
    assert "Speak to the child alone." in doc.text.split("\n\n")
    assert "\u2022" not in doc.text
    assert not any("Speak to the child" in i.text for i in doc.items)


def test_pages_cover_the_text_in_order(each):
    doc = each.doc
    assert [p.number for p in doc.pages] == list(range(1, each.truth["pages"] + 1))
    assert doc.pages[0].start == 0 and doc.pages[-1].end == len(doc.text)
    for before, after in zip(doc.pages, doc.pages[1:], strict=False):
        assert before.start <= before.end <= after.start <= after.end
        assert after.start - before.end <= 2  # only the blank line between blocks is outside a page
    # The first line of body text on page 2 lies in page 2's span.
    lines = [ln for ln in _body_lines(each.pdf, 1) if 60 < ln[1] < 780]
    first = min(lines, key=lambda ln: (ln[0] >= 595 / 2, ln[1]))[2]
    page_two = doc.text[doc.pages[1].start:doc.pages[1].end]
    assert first in page_two


def test_document_json_round_trips_through_the_contract(each):
    data = json.loads(each.doc.to_json())
    assert data["schema"] == "casereview.document/1"
    for key in ("id", "source", "status", "error", "text", "pages", "sections", "items", "redactions"):
        assert key in data
    again = Document.from_dict(data)
    assert again == each.doc
    assert again.to_json() == each.doc.to_json()
