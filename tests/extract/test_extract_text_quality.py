"""Text other readers get right from PDFs made by hand with the constructs that split or scrambled words:
fonts scaled by the text matrix, negative font sizes, pages turned by /Rotate, text running up a margin."""

from __future__ import annotations

from pathlib import Path

import pytest
from casereview.extract import extract_pdf

from tests.extract import make_text_quality_pdfs as make

EXPECTED = " ".join(make.LINES)


def test_font_scaled_by_the_text_matrix_keeps_words_whole(tmp_path: Path) -> None:
    doc = extract_pdf(make.make_matrix_scaled_pdf(tmp_path / "scaled.pdf"))
    assert doc.status == "ok", doc.error
    assert doc.text.split() == EXPECTED.split()


def test_negative_font_size_reads_upright(tmp_path: Path) -> None:
    doc = extract_pdf(make.make_negative_size_pdf(tmp_path / "negative.pdf"))
    assert doc.status == "ok", doc.error
    assert doc.text.split() == EXPECTED.split()


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_rotated_page_reads_in_order_with_words_whole(tmp_path: Path, rotate: int) -> None:
    doc = extract_pdf(make.make_rotated_page_pdf(tmp_path / f"rotated{rotate}.pdf", rotate))
    assert doc.status == "ok", doc.error
    assert doc.text.split() == EXPECTED.split()


def test_text_turned_up_the_margin_comes_after_the_page_text_whole(tmp_path: Path) -> None:
    doc = extract_pdf(make.make_turned_text_pdf(tmp_path / "margin_note.pdf"))
    assert doc.status == "ok", doc.error
    assert doc.text.split() == (EXPECTED + " Downloaded from the archive on request").split()


@pytest.mark.parametrize("variant", ["glyph_names", "tounicode_letters", "tounicode_ligature_chars"])
def test_ligature_glyphs_keep_words_whole_and_spelt_out(tmp_path: Path, variant: str) -> None:
    path = tmp_path / f"{variant}.pdf"
    if variant == "glyph_names":
        make.make_ligature_pdf(path)
    else:
        make.make_ligature_tounicode_pdf(path, single=variant == "tounicode_ligature_chars")
    doc = extract_pdf(path)
    assert doc.status == "ok", doc.error
    assert doc.text == make.LIGATURE_WORDS


def test_form_field_value_is_read_from_its_appearance(tmp_path: Path) -> None:
    doc = extract_pdf(make.make_form_field_pdf(tmp_path / "form.pdf"))
    assert doc.status == "ok", doc.error
    assert doc.text.split() == ["Name:", *make.FORM_VALUE.split()]


def test_short_page_without_an_image_is_text_not_a_scan(tmp_path: Path) -> None:
    doc = extract_pdf(make.make_short_page_pdf(tmp_path / "short.pdf"))
    assert doc.status == "ok", doc.error
    assert doc.text.split() == ["1", "2", "3"]


def test_word_cut_by_text_drawn_between_its_halves_is_joined(tmp_path: Path) -> None:
    doc = extract_pdf(make.make_overlaid_word_pdf(tmp_path / "overlaid.pdf"))
    assert doc.status == "ok", doc.error
    assert doc.text.split() == ["Summary", "of", "the", "review", "DRAFT"]


def test_arabic_words_come_whole_in_reading_order(tmp_path: Path) -> None:
    doc = extract_pdf(make.make_arabic_pdf(tmp_path / "arabic.pdf"))
    assert doc.status == "ok", doc.error
    assert doc.text.split()[-2:] == make.ARABIC_WORDS.split()
