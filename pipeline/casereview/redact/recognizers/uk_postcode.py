"""Presidio's own UK postcode recogniser, trusted: it scores its strict pattern 0.1, below any useful
threshold, so the score comes from resources/redaction/recognizers/uk_postcode.yaml. The pattern is
Presidio's, not a copy."""

from __future__ import annotations

from presidio_analyzer import Pattern
from presidio_analyzer.predefined_recognizers import UkPostcodeRecognizer


class ConfidentUkPostcodeRecognizer(UkPostcodeRecognizer):
    def __init__(self, score: float, name: str = "ConfidentUkPostcodeRecognizer", **kwargs):
        patterns = [Pattern(p.name, p.regex, score) for p in UkPostcodeRecognizer.PATTERNS]
        super().__init__(patterns=patterns, name=name, **kwargs)
