"""Our Presidio recognisers: one YAML file each, loaded through Presidio's registry configuration."""

import shutil

import yaml
from casereview.redact.engine import get_analyzer
from casereview.redact.recognizers import (
    RECOGNIZER_DIR,
    class_recognizers,
    recognizer_configs,
    registry_configuration,
)
from casereview.redact.recognizers.base import split_at_line_breaks
from presidio_analyzer import RecognizerResult
from presidio_analyzer.predefined_recognizers import UkPostcodeRecognizer


def found(text: str, name: str) -> list[str]:
    """What one recogniser of the registry reports on its own (the engine would merge it with spaCy's)."""
    recognizer = next(r for r in get_analyzer().registry.recognizers if r.name == name)
    return [text[r.start:r.end] for r in recognizer.analyze(text, recognizer.supported_entities)]


def test_every_file_is_one_recognizer_in_the_registry():
    names = [conf["name"] for conf in recognizer_configs()]
    assert len(names) == len(set(names)) == len(list(RECOGNIZER_DIR.glob("*.yaml"))) - 1
    in_registry = {r.name for r in get_analyzer().registry.recognizers}
    assert set(names) <= in_registry
    assert {"SpacyRecognizer", "EmailRecognizer", "NhsRecognizer", "UkNinoRecognizer", "PhoneRecognizer"} \
        <= in_registry
    assert not in_registry & {"UsSsnRecognizer", "CreditCardRecognizer", "IbanRecognizer"}


def test_pattern_only_recognizers_go_through_presidios_configuration():
    config = registry_configuration()
    custom = [r for r in config["recognizers"] if r.get("type") == "custom"]
    assert {r["name"] for r in custom} >= {"TitledNameRecognizer", "StreetAddressRecognizer",
                                           "DateOfBirthRecognizer", "PostNominalNameRecognizer"}
    assert all("<<" not in p["regex"] for r in custom for p in r["patterns"])  # lists filled in
    titled = next(r for r in custom if r["name"] == "TitledNameRecognizer")
    assert "Mrs" in titled["patterns"][0]["regex"] and "Sgt" in titled["patterns"][0]["regex"]
    assert {type(r).__name__ for r in class_recognizers()} >= {"ChiRecognizer", "UkPhoneRecognizer"}


def test_a_new_file_adds_a_recognizer(tmp_path):
    for path in RECOGNIZER_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "case_number.yaml").write_text(yaml.safe_dump({
        "name": "CaseNumberRecognizer", "type": "custom", "supported_language": "en",
        "supported_entity": "CASE_NUMBER", "patterns": [{"name": "case", "regex": r"\bCR-\d{6}\b", "score": 0.9}]}))
    names = [r["name"] for r in registry_configuration(tmp_path)["recognizers"]]
    assert "CaseNumberRecognizer" in names and len(names) == len(registry_configuration()["recognizers"]) + 1


def test_postcodes_use_presidios_own_pattern():
    ours = next(r for r in class_recognizers() if r.name == "ConfidentUkPostcodeRecognizer")
    assert [p.regex for p in ours.patterns] == [p.regex for p in UkPostcodeRecognizer.PATTERNS]
    assert all(p.score == 0.6 for p in ours.patterns)


def test_cues_and_labels_are_not_reported_with_the_name():
    assert found("the inquest into the death of Ann Lee heard", "CuedNameRecognizer") == ["Ann Lee"]
    assert found("Lead inspector: Rachel Whitmore HMI.", "PostNominalNameRecognizer") == ["Rachel Whitmore"]
    assert found("Registered manager: Grace Adeleke. Good.", "ListedNameRecognizer") == ["Grace Adeleke"]
    assert found("She was born on 3 March 2011 in Leeds.", "DateOfBirthRecognizer") == ["3 March 2011"]
    assert found("Met on 3 March 2011 in Leeds.", "DateOfBirthRecognizer") == []
    assert found("The social worker, Siân Rowlands, visited; her mother, Kirsty Brannock, did not.",
                 "RelatedNameRecognizer") == ["Siân Rowlands", "Kirsty Brannock"]
    assert found("The social worker, who was new, visited.", "RelatedNameRecognizer") == []


def test_a_name_across_a_line_break_is_reported_line_by_line():
    text = "the death of Jake Anthony \r\nJOHNSON (age 22).\n\nAt noon"
    whole = RecognizerResult("PERSON", text.index("Jake"), text.index(" (age"), 0.85)
    assert [text[r.start:r.end] for r in split_at_line_breaks(text, [whole])] == ["Jake Anthony", "JOHNSON"]
    heading = "Lead inspector: Steve Roe, Her Majesty's Inspector\nJudgement Grade\nThe impact"
    title = RecognizerResult("PERSON", heading.index("Inspector\n"), heading.index("\nThe"), 0.8)
    assert split_at_line_breaks(heading, [title]) == [title]  # a title alone on its line: not split
    para = RecognizerResult("PERSON", text.index("JOHNSON"), len(text) - 5, 0.85)
    assert [text[r.start:r.end] for r in split_at_line_breaks(text, [para])] == ["JOHNSON (age 22)."]
