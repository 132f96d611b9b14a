"""redact_document: text, items, sections and pages remapped; no original value kept anywhere."""

from __future__ import annotations

from casereview.contracts import Document, Item, Page, Section, Source
from casereview.redact import redact_document

NAMES = ["Oisin", "Pemberton", "Skye", "Okonkwo"]


def make_document() -> Document:
    p1 = "Learning review: Oisin Pemberton\n\nOisin Pemberton lived with Skye Okonkwo in Perth."
    p2 = "Findings\n\n1. Agencies did not share what Skye knew about Oisin.\n\n2. NHS Tayside did not follow up."
    text = p1 + "\n\n" + p2
    f1 = "Agencies did not share what Skye knew about Oisin."
    f2 = "NHS Tayside did not follow up."
    s1, s2 = text.index(f1), text.index(f2)
    return Document(
        id="doc1", source=Source(file="r.pdf", sha256="0", pages=2), text=text,
        pages=[Page(1, 0, len(p1)), Page(2, len(p1) + 2, len(text))],
        sections=[Section("Learning review: Oisin Pemberton", 1, 0, len(p1)),
                  Section("Findings", 1, len(p1) + 2, len(text))],
        items=[Item("f1", "finding", "1", f1, s1, s1 + len(f1), "Findings"),
               Item("f2", "finding", "2", f2, s2, s2 + len(f2), "Findings")],
    )


def test_document_is_redacted_and_offsets_follow():
    doc = redact_document(make_document())
    assert doc.redacted
    dumped = doc.to_json()
    for name in NAMES:
        assert name not in dumped
    for item in doc.items:
        assert doc.text[item.start:item.end] == item.text
    assert doc.items[1].text == "NHS Tayside did not follow up."
    assert doc.sections[0].title == "Learning review: Child A"
    assert doc.text[doc.sections[1].start:].startswith("Findings")
    assert doc.pages[0].end <= doc.pages[1].start and doc.pages[1].end == len(doc.text)
    for r in doc.redactions:
        assert doc.text[r.start:r.end] == r.replacement
    assert "Perth" in doc.text


def test_redacting_twice_changes_nothing():
    doc = redact_document(make_document())
    before = doc.to_json()
    assert redact_document(doc).to_json() == before


def test_document_json_round_trip():
    doc = redact_document(make_document())
    again = Document.from_json(doc.to_json())
    assert again.redacted and again.text == doc.text and len(again.redactions) == len(doc.redactions)
