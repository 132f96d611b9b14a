"""UK identifiers presidio does not find on its own, as presidio plug-ins (PatternRecognizer subclasses).

Each recogniser emits one entity type; the redactor maps entity types to replacement labels.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import ClassVar

from presidio_analyzer import Pattern, PatternRecognizer

from casereview.redact.lists import load_lists

MONTHS = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
DATE = (rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTHS}\.?,?\s+\d{{2,4}}"
        rf"|{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
        r"|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}|\d{4}-\d{2}-\d{2})")


def mod11_check_ok(digits: str) -> bool:
    """NHS and CHI numbers share the modulus-11 check digit (weights 10..2, check 11 - r, 11 -> 0)."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    remainder = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=False)) % 11
    check = (11 - remainder) % 11
    return check != 10 and check == int(digits[9])


class ChiRecognizer(PatternRecognizer):
    """Scottish CHI numbers: a valid date of birth DDMMYY then four digits (the last a mod-11 check).

    A valid date alone is medium evidence; the check digit or the word "CHI" nearby raises it.
    """

    PATTERNS: ClassVar[list[Pattern]] = [Pattern("CHI", r"\b[0-3]\d[01]\d\d\d[ -]?\d{4}\b", 0.3)]
    CONTEXT: ClassVar[list[str]] = ["chi", "chi number", "community health index"]

    def __init__(self):
        super().__init__(supported_entity="UK_CHI", patterns=self.PATTERNS, context=self.CONTEXT,
                         supported_language="en", name="ChiRecognizer")

    def validate_result(self, pattern_text: str):
        digits = re.sub(r"\D", "", pattern_text)
        try:
            dt.date(2000 + int(digits[4:6]), int(digits[2:4]), int(digits[0:2]))
        except ValueError:
            return False  # not a date of birth: not a CHI number
        return True if mod11_check_ok(digits) else None  # None keeps the pattern's own score


class DateOfBirthRecognizer(PatternRecognizer):
    """Dates introduced as a date of birth. Other dates stay: they carry the chronology reviews need."""

    PATTERNS: ClassVar[list[Pattern]] = [Pattern(
        "DOB",
        rf"(?i:\b(?:d\.?o\.?b\.?|date\s+of\s+birth|born(?:\s+on)?)\b\s*(?:[:\-]|was|is)?\s*)(?P<d>{DATE})",
        0.9,
    )]

    def __init__(self):
        super().__init__(supported_entity="DATE_OF_BIRTH", patterns=self.PATTERNS, supported_language="en",
                         name="DateOfBirthRecognizer")

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        # Report only the date, not the words that introduce it.
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for result in results:
            match = re.search(DATE, text[result.start:result.end])
            if match:
                result.end = result.start + match.end()
                result.start = result.start + match.start()
        return results


class StreetAddressRecognizer(PatternRecognizer):
    """House number (or flat) + capitalised street name + a street type, e.g. "12 Riverside Drive"."""

    def __init__(self, street_types: list[str]):
        types = "|".join(re.escape(t) for t in sorted(street_types, key=len, reverse=True))
        name_word = r"[A-Z][A-Za-z'\-]+"
        pattern = (
            rf"\b(?:(?:Flat|Apartment|Unit)\s+\d+[A-Za-z]?,?\s+)?"
            rf"\d{{1,4}}[A-Za-z]?(?:-\d{{1,4}})?,?\s+(?:{name_word}\s+){{1,3}}(?:{types})\b"
        )
        super().__init__(supported_entity="STREET_ADDRESS", patterns=[Pattern("street", pattern, 0.7)],
                         supported_language="en", name="StreetAddressRecognizer",
                         global_regex_flags=re.MULTILINE)


class TitledNameRecognizer(PatternRecognizer):
    """A title then a capitalised name: "Dr A. Jones", "Mrs Smith", "Mr O'Neill", "MISS FARAH"."""

    def __init__(self, titles: list[str]):
        alternatives = "|".join(re.escape(t) for t in sorted(titles, key=len, reverse=True))
        name = r"(?:[A-Z]\.\s?|(?:Mc|Mac|O'|O’|D'|Fitz)?[A-Z][a-zA-Z'’\-]*[a-z][a-zA-Z'’\-]*|[A-Z][A-Z'’\-]+)"
        pattern = rf"\b(?:{alternatives})\.?\s+{name}(?:\s+{name}){{0,3}}"
        super().__init__(supported_entity="PERSON", patterns=[Pattern("titled name", pattern, 0.8)],
                         supported_language="en", name="TitledNameRecognizer", global_regex_flags=0)


class UkPhoneRecognizer(PatternRecognizer):
    """UK numbers as written: 0xxxx xxxxxx, 0xxx xxx xxxx, +44 (0)xxxx... (10 or 11 digits).

    libphonenumber (presidio's PhoneRecognizer) rejects numbers it thinks unallocated, such as Ofcom's
    drama ranges that invented examples use; a written number is personal data either way.
    """

    PATTERNS: ClassVar[list[Pattern]] = [Pattern(
        "UK phone",
        r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d{2,4}\)?[\s\-]?\d{3,4}[\s\-]?\d{3,4}(?![\w])",
        0.5,
    )]
    CONTEXT: ClassVar[list[str]] = ["tel", "telephone", "phone", "mobile", "call", "contact"]

    def __init__(self):
        super().__init__(supported_entity="PHONE_NUMBER", patterns=self.PATTERNS, context=self.CONTEXT,
                         supported_language="en", name="UkPhoneRecognizer")

    def validate_result(self, pattern_text: str):
        digits = re.sub(r"\D", "", pattern_text)
        digits = "0" + digits[2:] if digits.startswith("44") else digits
        return digits.startswith("0") and len(digits) in (10, 11)


class ConfidentUkPostcodeRecognizer(PatternRecognizer):
    """presidio's strict postcode pattern, trusted: it scores 0.1 there, below any useful threshold."""

    def __init__(self):
        from presidio_analyzer.predefined_recognizers import UkPostcodeRecognizer

        patterns = [Pattern(p.name, p.regex, 0.6) for p in UkPostcodeRecognizer.PATTERNS]
        super().__init__(supported_entity="UK_POSTCODE", patterns=patterns, supported_language="en",
                         name="ConfidentUkPostcodeRecognizer", global_regex_flags=re.MULTILINE)


class CuedNameRecognizer(PatternRecognizer):
    """Capitalised words right after phrases that introduce a person: "the death of Ann Lee", "known as".

    Coroners' reports and reviews name the subject this way even where NER reads the name as something else.
    """

    def __init__(self):
        cue = r"(?:death of:?|deceased[,:]?|named|called|known as|also known as|otherwise|aka|n[ée]e)"
        name = r"(?:Mc|Mac|O['’])?[A-Z][\w'’\-]*"
        pattern = rf"(?i:\b{cue})\s+['\"‘“]?(?P<name>{name}(?:[ \-]{name}){{0,4}})"
        super().__init__(supported_entity="PERSON", patterns=[Pattern("cued name", pattern, 0.7)],
                         supported_language="en", name="CuedNameRecognizer", global_regex_flags=0)

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        # Report the name only, not the cue before it.
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for result in results:
            words = text[result.start:result.end]
            match = re.search(r"\s['\"‘“]?(?=(?:Mc|Mac|O['’])?[A-Z])", words)
            if match:
                result.start += match.end()
        return results


class InitialledNameRecognizer(PatternRecognizer):
    """Initials then a capitalised surname: "D. Stewart", "A.J. McAllister" (how reports sign off)."""

    PATTERNS: ClassVar[list[Pattern]] = [Pattern(
        "initialled name",
        r"\b(?:[A-Z]\.\s?){1,3}(?:Mc|Mac|O['’])?[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?\b",
        0.6,
    )]

    def __init__(self):
        super().__init__(supported_entity="PERSON", patterns=self.PATTERNS, supported_language="en",
                         name="InitialledNameRecognizer", global_regex_flags=0)

    def validate_result(self, pattern_text: str):
        from spacy.lang.en.stop_words import STOP_WORDS

        surname = re.split(r"[.\s]+", pattern_text)[-1]
        return surname.casefold() not in STOP_WORDS  # "Plan B. The" is no name


class NameBeforeCoronerRecognizer(PatternRecognizer):
    """Capitalised words right before a coroner's title ("heard before Ann Lee Senior Coroner") or before
    "'s death", "'s mother" and other words only a person has."""

    PATTERNS: ClassVar[list[Pattern]] = [Pattern(
        "name before coroner",
        r"\b(?:(?:Mc|Mac|O['’])?[A-Z][\w'’\-]*\.?\s+){1,4}"
        r"(?=(?:HM\s+)?(?:Senior|Assistant|Area|Deputy|Acting)\s+Coroner\b)"
        r"|\b(?:(?:Mc|Mac|O['’])?[A-Z][\w'’\-]*\.?\s+){0,3}(?:Mc|Mac|O['’])?[A-Z][\w'’\-]*(?=,\s*(?:HM\s+)?"
        r"(?:(?:Senior|Assistant|Area|Deputy|Acting)\s+)?Coroner\b)",
        0.6,
    ), Pattern(
        "name before a family word",  # "Ann Lee’s death", "Ann Lee's mother"
        r"\b(?:(?:Mc|Mac|O['’])?[A-Z][\w\-]*\s+){0,3}(?:Mc|Mac|O['’])?[A-Z][\w\-]*(?=['’]s\s+(?:death|"
        r"mother|father|parents|family|siblings?|brother|sister|grandmother|grandfather|birth|funeral)\b)",
        0.6,
    )]

    def __init__(self, first_names: frozenset[str] = frozenset()):
        self.first_names = first_names
        super().__init__(supported_entity="PERSON", patterns=self.PATTERNS, supported_language="en",
                         name="NameBeforeCoronerRecognizer", global_regex_flags=0)

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        # "Later Ann's mother": a sentence's first word is not part of the name unless it is a known one.
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for result in results:
            words = text[result.start:result.end].split()
            sentence_start = result.start == 0 or re.search(r"(?:[.!?:]\s+|\n\s*)$", text[:result.start])
            if len(words) > 1 and sentence_start and words[0].casefold() not in self.first_names:
                result.start = text.index(words[1], result.start + len(words[0]))
        return results

    def validate_result(self, pattern_text: str):
        from spacy.lang.en.stop_words import STOP_WORDS

        words = pattern_text.split()
        # not "The Senior Coroner", "HM Senior Coroner"
        return not (words[0].casefold() in STOP_WORDS or all(w.isupper() and len(w) <= 3 for w in words))


def custom_recognizers(lists=None) -> list[PatternRecognizer]:
    lists = lists or load_lists()
    return [
        UkPhoneRecognizer(),
        ConfidentUkPostcodeRecognizer(),
        ChiRecognizer(),
        DateOfBirthRecognizer(),
        StreetAddressRecognizer(sorted(lists.street_types)),
        TitledNameRecognizer(sorted(lists.titles)),
        CuedNameRecognizer(),
        InitialledNameRecognizer(),
        NameBeforeCoronerRecognizer(lists.first_names()),
    ]
