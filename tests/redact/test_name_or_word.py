"""Names that are also places or words (redact/name_or_word.py): redacted as names, kept otherwise."""

import pytest
from casereview.redact import redact_text
from casereview.redact.core import protected_spans
from casereview.redact.engine import get_analyzer
from casereview.redact.lists import load_lists
from casereview.redact.name_or_word import name_uses


def uses(text: str) -> list[str]:
    lists = load_lists()
    doc = get_analyzer().nlp_engine.nlp["en"](text)
    return [text[m.start:m.end] for m in name_uses(text, doc, lists, protected_spans(text, lists), [])]


@pytest.mark.parametrize("text, names", [
    ("Ms Paisley recorded the visit.", ["Paisley"]),
    ("Mr R. May attended the station.", ["R. May"]),
    ("Her mother, Rachael Devon, was nineteen.", ["Rachael Devon"]),
    ("Summer Chester was 13 when she took an overdose.", ["Summer Chester"]),
    ("DEVON MAY (15) died on the railway line.", ["DEVON MAY"]),
    ("Team inspectors: Marcus Oyelaran HMI, Chester Adebayo HMI.", ["Chester Adebayo"]),
    ("Her sisters, Chloe and Hope Young, were aged eight and six.", ["Hope Young"]),
    ("G. Irvine, Senior Coroner.", ["G. Irvine"]),
])
def test_a_name_in_use_is_found(text, names):
    assert uses(text) == names


@pytest.mark.parametrize("text", [
    "She moved from Devon to Paisley in May 2021.",
    "The family lived in Chester and later near Sandy in Bedfordshire.",
    "On 3 May Peter saw his own GP.",
    "Young people told inspectors that the service was good.",
    "The train stopped at Seaton, Devon, on the way.",
    "He died at Brielle Way, Sheerness, Kent of multiple injuries.",
    "Cheshire West and Chester commissioned the review.",
    "Devon County Council and Hamilton Sheriff Court were told.",
    "Dorset saw an increase in children coming into care, and Dorset agreed to fund it.",
])
def test_a_place_month_or_word_is_kept(text):
    assert uses(text) == []


def test_once_a_name_every_use_as_a_name_but_not_the_place():
    text = ("Devon May lived with his father in Luton; his mother lived in Devon. Devon had been arrested "
            "twice. Mrs May told the review that she learned of Devon's arrests in May 2023.")
    out = redact_text(text).text
    assert out.count("Devon") == 1 and "lived in Devon" in out
    assert out.count("May") == 1 and "in May 2023" in out


def test_nothing_to_judge_without_such_words():
    assert uses("Tamsin Lindqvist was seen by the health visitor.") == []
