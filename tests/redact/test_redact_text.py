"""Behaviour of redact_text on invented report text."""

from __future__ import annotations

import re

import pytest
from casereview.config import RedactConfig, load_config
from casereview.redact import LeakError, redact_text
from casereview.redact.core import apply_plan, check_leaks, plan_redactions
from casereview.redact.recognizers import mod11_check_ok

from tests.redact.synthetic import PUBLIC_BODIES, identifier_suite, public_body_suite

REPORT = (
    "Dr A. Jones examined Kayden Fairweather on 3 March 2021. KAYDEN FAIRWEATHER had been seen by the "
    "health visitor from NHS Grampian. Mrs Quigley, Kayden's mother, spoke to Police Scotland and CAMHS. "
    "Later Kayden told Mrs Quigley that Mhairi-Rose O'Neill and Tamsin MacLeod had visited. "
    "[REDACTED] attended the meeting with the lead professional."
)


def redact_config(**changes: object) -> RedactConfig:
    """params.yaml's redact section with some keys changed (validated like the file)."""
    return load_config().with_overrides({"redact": changes}).redact


def test_every_name_form_is_redacted():
    out = redact_text(REPORT).text
    for token in ["Jones", "Kayden", "KAYDEN", "Fairweather", "FAIRWEATHER", "Quigley", "Mhairi", "O'Neill",
                  "Tamsin", "MacLeod"]:
        assert not re.search(rf"\b{re.escape(token)}\b", out), token


def test_same_person_same_pseudonym_and_different_people_differ():
    result = redact_text("Tamsin Strachan moved school. Tamsin's teacher knew TAMSIN well. "
                         "Brodie Lindqvist was her friend; Brodie and Tamsin met daily.")
    assert result.text.count("Child A") == 4  # the most-mentioned person is the review's subject
    assert result.text.count("[PERSON 1]") == 2
    assert "Child A's teacher" in result.text


def test_subject_can_be_named_in_params():
    result = redact_text("Tamsin Strachan moved school. Tamsin met Brodie Lindqvist.",
                         redact_config(subject="names", subject_names=["Brodie Lindqvist"], subject_label="Child B"))
    assert "met Child B" in result.text and "[PERSON 1] moved" in result.text


def test_public_bodies_roles_places_and_dates_stay():
    out = redact_text(REPORT).text
    for kept in ["NHS Grampian", "Police Scotland", "CAMHS", "health visitor", "lead professional",
                 "3 March 2021", "[REDACTED]"]:
        assert kept in out


@pytest.mark.parametrize("sentence,body", public_body_suite()[:: len(PUBLIC_BODIES) // 7 or 1])
def test_public_body_sentences_keep_the_body(sentence, body):
    assert body in redact_text(sentence).text


def test_every_synthetic_identifier_is_found():
    params = load_config().redact
    for case in identifier_suite(40):
        spans = plan_redactions(case.text, params).spans
        for start, end, label in case.spans:
            covered = set()
            for s in spans:
                covered.update(range(max(s.start, start), min(s.end, end)))
            assert len(covered) == end - start, (label, case.text[start:end])


def test_identifier_labels():
    text = ("NHS number 943 476 5919, CHI 1203151234 is not valid but CHI number 0101051237 is checked; "
            "NI number AB 12 34 56 C; postcode DD1 4NY; 12 Riverside Drive; phone 01224 552233; "
            "email someone@example.co.uk; date of birth 12/03/2015.")
    out = redact_text(text).text
    for label in ["[NHS NUMBER]", "[NI NUMBER]", "[POSTCODE]", "[ADDRESS]", "[PHONE]", "[EMAIL]",
                  "[DATE OF BIRTH]"]:
        assert label in out
    assert "943 476 5919" not in out and "someone@" not in out and "12/03/2015" not in out


def test_redactions_point_into_the_redacted_text():
    result = redact_text(REPORT)
    assert result.redactions
    for r in result.redactions:
        assert result.text[r.start:r.end] == r.replacement


def test_mod11_check_digit():
    assert mod11_check_ok("9434765919")
    assert not mod11_check_ok("9434765918")


def test_leak_check_refuses_output_and_does_not_name_the_name():
    params = load_config().redact
    text = "Kacper Achterberg was seen. Kacper was well."
    plan = plan_redactions(text, params)
    plan.spans, plan.replacements = plan.spans[:1], plan.replacements[:1]  # simulate a missed mention
    redacted, redactions, _ = apply_plan(text, plan)
    with pytest.raises(LeakError) as info:
        check_leaks(redacted, redactions, plan, params)
    assert "Kacper" not in str(info.value) and "remain" in str(info.value)


def test_empty_and_name_free_text():
    assert redact_text("").text == ""
    assert redact_text("The meeting was held in May.").text == "The meeting was held in May."


def test_role_titles_stay_and_courtesy_titles_go_with_the_name():
    out = redact_text("Senior Coroner D. Stewart wrote. Mr Quigley and DC Pemberton attended; Mr Quigley left.").text
    assert "Coroner" in out and "DC " in out
    assert "Mr " not in out and "Stewart" not in out and "Quigley" not in out and "Pemberton" not in out


def test_user_lists_extend_the_shipped_ones(tmp_path):
    bodies = tmp_path / "bodies.txt"
    bodies.write_text("# local\nFairweather Trust Partners\n", encoding="utf-8")
    deny = tmp_path / "deny.txt"
    deny.write_text("Zebedee\n", encoding="utf-8")
    config = redact_config(extra_lists={"public_bodies": [str(bodies)], "deny_names": [str(deny)]})
    out = redact_text("Fairweather Trust Partners met zebedee on Monday.", config).text
    assert "Fairweather Trust Partners" in out and "zebedee" not in out.casefold()


def test_an_initial_tells_people_with_one_surname_apart():
    out = redact_text("Mary Pemberton met Dr A. Pemberton. Mary Pemberton left; Dr A. Pemberton stayed.").text
    assert out.count("Child A") == 2 and out.count("[PERSON 1]") == 2
