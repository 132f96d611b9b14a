"""Regressions for layout bugs the synthetic generator found: line-end hyphens, short paragraphs, and
lines of two-column pages whose baselines nearly align with the other column's.
"""

from __future__ import annotations

from pathlib import Path

from casereview.extract import extract_pdf

from corpora.synthetic.render import render_review, sample_spec

FILLER = ("Practitioners from health, education and social work met monthly to review the plan for the family, "
          "but the minutes of those meetings were not shared with the nursery.")


def _one_section(path: Path, content: list, columns: int = 1) -> dict:
    spec = {"title": "Learning Review: Child A", "columns": columns, "header": "OFFICIAL - SENSITIVE",
            "footer": "page_n", "sections": [{"heading": "1. Analysis", "content": content}]}
    return render_review(path, spec)


def test_a_word_broken_with_a_hyphen_at_a_line_end_is_joined(tmp_path: Path):
    truth = _one_section(tmp_path / "hyphen.pdf", [
        FILLER,
        ("The partnership has since introduced a joint chronology, and practitioners told the review that it "
        "has improved their understanding of the risks of cumulative harm in the multi-¦agency setting."),
        ("Managers acknowledged that the response to neglect had depended too much on the persistence of "
        "individual practitioners, and that the approach to safe¦guarding children under five had not been "
        "refreshed since the last inspection."),
    ])
    doc = extract_pdf(tmp_path / "hyphen.pdf")
    assert "multi-agency setting" in doc.text     # today: "multi agency setting"
    assert "safeguarding children" in doc.text    # today: "safe guarding children"
    assert doc.text.split("\n\n") == truth["blocks"]


def test_short_paragraphs_stay_separate_blocks(tmp_path: Path):
    two_liners = [
        ("The health visitor recorded concerns about the condition of the home on several visits, and noted "
        "that appointments were often missed."),
        ("Police Scotland attended the family home three times in response to reports of domestic abuse, and "
        "sent a concern report each time."),
        ("Child A's attendance at nursery fell below sixty per cent during the winter term, and staff recorded "
        "bruising on two occasions."),
        ("Mother's use of alcohol increased after the birth of her youngest child, but the offer of support was "
        "not linked to the child's plan."),
        ("The family were known to the housing service because of rent arrears, and a notice of eviction was "
        "served in the spring."),
        ("The voice of the child was rarely recorded, and Child A was spoken to alone only twice in eighteen "
        "months of contact."),
    ]
    truth = _one_section(tmp_path / "short.pdf", two_liners)
    doc = extract_pdf(tmp_path / "short.pdf")
    # today: the six paragraphs come out as one block
    assert doc.text.split("\n\n") == truth["blocks"]


def test_list_markers_in_two_columns_stay_with_their_text(tmp_path: Path):
    spec = sample_spec(7, 5, columns=2, style="inspection", breaks=False, marker_size=12)
    truth = render_review(tmp_path / "markers.pdf", spec)
    doc = extract_pdf(tmp_path / "markers.pdf")
    assert [(i.number, i.text) for i in doc.items] == [(t["n"], t["text"]) for t in truth["items"]]
    assert doc.text.split("\n\n") == truth["blocks"]  # today: "2." and its text are two blocks


def test_words_of_a_two_column_line_keep_their_order(tmp_path: Path):
    spec = sample_spec(1, 4, columns=2, breaks=False, marker_size=11)
    truth = render_review(tmp_path / "order.pdf", spec)
    doc = extract_pdf(tmp_path / "order.pdf")
    sentence = "The voice of the child was rarely recorded."
    assert any(sentence in block for block in truth["blocks"])
    # today: "The voice of the child\n\nrarely recorded.\n\nwas Child E was seen ..."
    assert sentence in doc.text
