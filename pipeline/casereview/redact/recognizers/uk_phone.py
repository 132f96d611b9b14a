"""UK telephone numbers as written (pattern: resources/redaction/recognizers/uk_phone.yaml).

Presidio's PhoneRecognizer (libphonenumber) rejects numbers it thinks unallocated, such as Ofcom's drama
ranges that invented examples use; a written number is personal data either way. This keeps 10 or 11
digits once a +44 is read as 0.
"""

from __future__ import annotations

import re

from casereview.redact.recognizers.base import CaseReviewRecognizer


class UkPhoneRecognizer(CaseReviewRecognizer):
    def validate_result(self, pattern_text: str):
        digits = re.sub(r"\D", "", pattern_text)
        digits = "0" + digits[2:] if digits.startswith("44") else digits
        return digits.startswith("0") and len(digits) in (10, 11)
