"""What stays (issue 12, part 4): councils, places, bodies, conditions, legislation, roles, months and
post-nominals are kept; the names beside them are not; a file name keeps its council and extension."""

import pytest
from casereview.contracts import Document, Page, Source
from casereview.redact import redact_document, redact_text
from casereview.redact.lists import LIST_DIR, load_lists, read_list


def test_every_list_file_is_loaded_and_councils_cover_the_four_nations():
    lists = load_lists()
    councils = set(lists.get("councils"))
    for council in ("Calderdale", "Blackburn with Darwen", "Darwen", "Cheshire West and Chester", "Kirklees",
                    "Rhondda Cynon Taf", "Na h-Eileanan Siar", "Fermanagh and Omagh", "Torbay", "Halton"):
        assert council in councils
    assert len(councils) > 400
    for name in ("organisations", "conditions", "legislation", "post_nominals", "names_also_words"):
        assert lists.get(name) == read_list(LIST_DIR / f"{name}.txt") and lists.get(name)


@pytest.mark.parametrize("sentence, kept", [
    ("Calderdale Council and Kirklees shared the referral about Jodie Quigley.", ["Calderdale", "Kirklees"]),
    ("Blackburn with Darwen children's services knew Aoife Drummond; Darwen is a town.",
     ["Blackburn with Darwen", "Darwen is"]),
    ("Tamsin Lindqvist had Asperger's and Post-Traumatic Stress Disorder.",
     ["Asperger's", "Post-Traumatic Stress Disorder"]),
    ("Network Rail and Cygnet Health Care were told that Reuben Baird had died.", ["Network Rail", "Cygnet"]),
    ("The Practitioner from Custody spoke to Callum Strachan in May 2021.", ["Practitioner", "Custody", "May 2021"]),
    ("Lead inspector: Rachel Whitmore HMI. Team inspectors: Marcus Oyelaran HMI.", ["HMI. Team", "HMI."]),
])
def test_what_stays_stays_and_the_person_goes(sentence, kept):
    out = redact_text(sentence).text
    for phrase in kept:
        assert phrase in out
    for name in ("Quigley", "Drummond", "Lindqvist", "Baird", "Strachan", "Whitmore", "Oyelaran"):
        assert name not in out


def test_a_council_never_becomes_a_pseudonym():
    text = ("Calderdale commissioned this review. Calderdale's social workers visited Ellie Brannock. "
            "Calderdale did not hold a strategy meeting; Calderdale later apologised.")
    out = redact_text(text).text
    assert out.count("Calderdale") == 4 and "Brannock" not in out


def _doc(file: str, text: str) -> Document:
    return Document(id="d1", source=Source(file=file, sha256="0" * 64, pages=1), text=text,
                    pages=[Page(number=1, start=0, end=len(text))])


def test_file_name_keeps_its_council_and_extension():
    text = "Calderdale children's resources. Calderdale placed Jodie Quigley in a home. Jodie was 14."
    doc = redact_document(_doc("calderdale_children_resources__2.pdf", text))
    assert doc.source.file == "calderdale_children_resources__2.pdf"
    doc = redact_document(_doc("calderdale_jodie_quigley__2.pdf", text))
    assert doc.source.file == "calderdale_REDACTED_REDACTED__2.pdf"
