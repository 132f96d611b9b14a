"""Capitalised words right before a coroner's title ("heard before Ann Lee Senior Coroner") or before
"'s death", "'s mother" and other words only a person has (patterns:
resources/redaction/recognizers/name_before_coroner.yaml)."""

from __future__ import annotations

import re

from casereview.redact.lists import load_lists
from casereview.redact.recognizers.base import CaseReviewRecognizer

SENTENCE_START = re.compile(r"(?:[.!?:]\s+|\n\s*)$")


class NameBeforeCoronerRecognizer(CaseReviewRecognizer):
    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        # "Later Ann's mother": a sentence's first word is not part of the name unless it is a known one.
        first_names = load_lists().first_names()
        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for result in results:
            words = text[result.start:result.end].split()
            sentence_start = result.start == 0 or SENTENCE_START.search(text[max(0, result.start - 40):result.start])
            if len(words) > 1 and sentence_start and words[0].casefold() not in first_names:
                result.start = text.index(words[1], result.start + len(words[0]))
        return results

    def validate_result(self, pattern_text: str):
        from spacy.lang.en.stop_words import STOP_WORDS

        words = pattern_text.split()
        # not "The Senior Coroner", "HM Senior Coroner"
        return not (words[0].casefold() in STOP_WORDS or all(w.isupper() and len(w) <= 3 for w in words))
