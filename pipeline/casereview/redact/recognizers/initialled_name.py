"""Initials then a capitalised surname, "D. Stewart", "A.J. McAllister": how reports sign off
(pattern: resources/redaction/recognizers/initialled_name.yaml). "Plan B. The" is no name."""

from __future__ import annotations

import re

from casereview.redact.recognizers.base import CaseReviewRecognizer


class InitialledNameRecognizer(CaseReviewRecognizer):
    def validate_result(self, pattern_text: str):
        from spacy.lang.en.stop_words import STOP_WORDS

        surname = re.split(r"[.\s]+", pattern_text)[-1]
        return surname.casefold() not in STOP_WORDS
