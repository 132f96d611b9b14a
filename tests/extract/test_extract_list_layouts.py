"""Items and headings in the layouts real reports use (issue 11): PDFs drawn by make_list_layouts.py.

Each layout failed on the extractor before this work: a marker at a tab stop split from its text, bullets
in a symbol font or drawn as shapes, lists with only an indent, R-numbers and lettered or roman top-level
lists, a list over a page turn or a column turn, recommendations tables (one over a page turn), a
contents page, running titles and page numbers, a grade box beside a heading, a numbered form and a
document set all in bold.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from casereview.contracts import Document
from casereview.extract import extract_pdf

from tests.extract.make_list_layouts import CONTENTS, LAYOUTS, RUNNING_TITLE, make


@pytest.fixture(scope="module")
def layouts(tmp_path_factory) -> dict[str, tuple[dict, Document]]:
    folder = tmp_path_factory.mktemp("list_layouts")
    out = {}
    for name in LAYOUTS:
        path = folder / f"{name}.pdf"
        truth = make(name, path)
        out[name] = (truth, extract_pdf(path))
    return out


def _items(doc: Document) -> list[tuple]:
    return [(i.number, i.text, i.page, i.section, i.subpoints or []) for i in doc.items]


@pytest.mark.parametrize("name", ["symbol_bullets", "drawn_bullets", "indented", "numbering", "page_break",
                                  "table", "table_pages", "columns", "form", "all_bold"])
def test_every_entry_is_an_item_with_number_text_page_section_and_subpoints(layouts, name):
    truth, doc = layouts[name]
    assert doc.status == "ok"
    assert _items(doc) == [tuple(t) for t in truth["items"]]


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_sections_are_the_headings_and_nothing_else(layouts, name):
    truth, doc = layouts[name]
    assert [(s.title, s.level) for s in doc.sections] == [tuple(t) for t in truth["sections"]]


def test_item_kinds_follow_their_section(layouts):
    _, doc = layouts["numbering"]
    kinds = {i.section: i.kind for i in doc.items if i.section != "Summary"}
    assert kinds == {"Recommendations": "recommendation", "Findings": "finding",
                     "Matters of concern": "finding", "Recommendations to the partnership": "recommendation"}
    labelled = [(i.kind, i.number) for i in doc.items if i.section == "Summary"]
    assert labelled == [("recommendation", "1"), ("finding", "3")]


def test_a_list_over_a_page_turn_keeps_the_entry_whole_without_the_furniture(layouts):
    truth, doc = layouts["page_break"]
    last = doc.items[-1]
    assert last.page == 1 and last.text == truth["items"][-1][1]
    assert RUNNING_TITLE not in last.text and " 2 " not in f" {last.text} "


def test_a_symbol_font_bullet_is_not_left_in_the_text(layouts):
    _, doc = layouts["symbol_bullets"]
    assert all(i.text[0].isupper() for i in doc.items)
    assert "■" not in doc.text


def test_table_columns_other_than_the_entry_stay_out_of_it(layouts):
    _, doc = layouts["table"]
    assert not any(word in i.text for i in doc.items for word in ("Police", "Health", "months"))


def test_contents_lines_page_numbers_and_cover_are_not_sections(layouts):
    _, doc = layouts["contents"]
    titles = [s.title for s in doc.sections]
    assert "Contents" not in titles and not any(t.isdigit() for t in titles)
    assert not any("..." in t for t in titles)
    assert "Learning Review" not in titles and RUNNING_TITLE not in titles
    assert [(s.title, s.level) for s in doc.sections] == [(t, level) for t, level, _ in CONTENTS]
    assert "Scope of the review" in doc.text  # the contents page's text stays in the document


def test_running_title_and_page_numbers_are_never_headings(layouts):
    _, doc = layouts["running_title"]
    titles = [s.title for s in doc.sections]
    assert RUNNING_TITLE not in titles and not any(t.strip().isdigit() for t in titles)


def test_item_offsets_point_at_the_item_text(layouts):
    for _, doc in layouts.values():
        for item in doc.items:
            assert doc.text[item.start:item.end].startswith(item.text)


def test_generated_fixtures_are_written_only_where_asked(tmp_path: Path):
    truth = make("numbering", tmp_path / "n.pdf")
    assert (tmp_path / "n.pdf").stat().st_size > 1000 and truth["items"]


def test_a_grade_beside_a_heading_is_neither_part_of_it_nor_a_heading(layouts):
    _, doc = layouts["grade_box"]
    titles = [s.title for s in doc.sections]
    assert "Requires improvement" not in titles and not any("Requires" in t for t in titles)
    assert "Requires improvement" in doc.text


def test_a_numbered_form_is_read_as_headings_and_paragraphs(layouts):
    _, doc = layouts["form"]
    assert not any(s.title[:1].isdigit() for s in doc.sections)  # the box number is not in the title
    assert all(i.kind == "finding" for i in doc.items)
