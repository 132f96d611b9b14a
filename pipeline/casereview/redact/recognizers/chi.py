"""Scottish CHI numbers: a valid date of birth DDMMYY then four digits, the last a modulus-11 check digit.

The pattern and context are in resources/redaction/recognizers/chi.yaml. A valid date alone keeps the
pattern's score (medium evidence); the check digit raises it; an impossible date rejects the match.
"""

from __future__ import annotations

import datetime as dt
import re

from casereview.redact.recognizers.base import CaseReviewRecognizer


def mod11_check_ok(digits: str) -> bool:
    """NHS and CHI numbers share the modulus-11 check digit (weights 10..2, check 11 - r, 11 -> 0)."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    remainder = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=False)) % 11
    check = (11 - remainder) % 11
    return check != 10 and check == int(digits[9])


class ChiRecognizer(CaseReviewRecognizer):
    def validate_result(self, pattern_text: str):
        digits = re.sub(r"\D", "", pattern_text)
        try:
            dt.date(2000 + int(digits[4:6]), int(digits[2:4]), int(digits[0:2]))
        except ValueError:
            return False  # not a date of birth: not a CHI number
        return True if mod11_check_ok(digits) else None  # None keeps the pattern's own score
