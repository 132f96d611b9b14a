"""Sub-points and the source file name are redacted with the rest of a Document."""

from casereview.contracts import Document, Item, Page, Source
from casereview.redact import redact_document

NAME = "Zebedee Quarrington"


def _doc() -> Document:
    text = (f"Matters of concern\n\n1. {NAME} was not seen alone.\n\n"
            f"a) Zebedee was not asked about school.\n\nb) The plan for Zebedee lapsed.")
    start = text.index(NAME)
    end = text.index(" alone.") + len(" alone.")
    return Document(
        id="d1",
        source=Source(file=f"{NAME.replace(' ', '-')}-review.pdf", sha256="0" * 64, pages=1),
        text=text,
        pages=[Page(number=1, start=0, end=len(text))],
        items=[Item(id="d1-i001", kind="finding", number="1", text=text[start:end], start=start, end=end,
                    section="Matters of concern",
                    subpoints=["Zebedee was not asked about school.", "The plan for Zebedee lapsed."])],
    )


def test_subpoints_are_redacted_like_the_item_text():
    doc = redact_document(_doc())
    item = doc.items[0]
    assert "Zebedee" not in item.text
    assert item.subpoints and all("Zebedee" not in p for p in item.subpoints)
    assert item.subpoints[1].startswith("The plan for ")


def test_a_name_in_the_file_name_does_not_survive():
    doc = redact_document(_doc())
    assert "zebedee" not in doc.source.file.lower()
    assert "quarrington" not in doc.source.file.lower()
    assert doc.source.file.endswith("-review.pdf")
    assert "Zebedee" not in doc.to_json()


def test_file_name_keeps_its_extension_when_a_name_token_equals_it():
    from casereview.redact.core import Plan, redact_file_name

    plan = Plan(spans=[], replacements=[], leak_tokens={"Pdf", "Jane"}, finder=None)  # type: ignore[arg-type]
    assert redact_file_name("Jane-review_resources__2.pdf", plan) == "REDACTED-review_resources__2.pdf"
