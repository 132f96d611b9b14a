"""What our recogniser files share: patterns from data, with `<<list>>` placeholders.

A recogniser's YAML (resources/redaction/recognizers/<name>.yaml) has Presidio's usual fields (name,
supported_entity, patterns [{name, regex, score}], context). In a regex, `<<list>>` stands for the named
redaction list (resources/redaction/<list>.txt), escaped and longest first: "(?:<<titles>>)\\.?\\s+..."
matches any courtesy title. Presidio's regex engine (the `regex` module) allows variable-length
lookbehind, so a pattern reports only the identifier: "(?<=death of\\s+)Name..." leaves the cue out.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from presidio_analyzer import Pattern, PatternRecognizer

from casereview.redact.lists import load_lists

PLACEHOLDER = re.compile(r"<<([a-z_]+)>>")


@lru_cache(maxsize=32)
def list_alternation(name: str) -> str:
    """The named list as a regex alternation, longest entry first (so "Mrs" is tried before "Mr")."""
    entries = load_lists().get(name)
    if not entries:
        raise ValueError(f"recogniser pattern names an empty or unknown list: <<{name}>>")
    return "|".join(re.escape(e) for e in sorted(set(entries), key=len, reverse=True))


def expand(regex: str) -> str:
    return PLACEHOLDER.sub(lambda m: list_alternation(m.group(1)), regex)


def expand_patterns(patterns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**p, "regex": expand(p["regex"])} for p in patterns]


class CaseReviewRecognizer(PatternRecognizer):
    """A PatternRecognizer built from one YAML file's fields; subclasses add a check a pattern cannot say."""

    def __init__(self, supported_entity: str, patterns: list[dict[str, Any]], name: str | None = None,
                 context: list[str] | None = None, supported_language: str = "en", **kwargs: Any):
        compiled = [Pattern(p["name"], p["regex"], float(p["score"])) for p in expand_patterns(patterns)]
        super().__init__(supported_entity=supported_entity, patterns=compiled, name=name or type(self).__name__,
                         context=context, supported_language=supported_language, **kwargs)
