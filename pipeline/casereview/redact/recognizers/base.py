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
LINE_CONTINUATION = "LineContinuation"  # recogniser name on the part of a name after a line break


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
                         context=context or [], supported_language=supported_language, **kwargs)

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        return split_at_line_breaks(text, super().analyze(text, entities, nlp_artifacts, regex_flags))


def split_at_line_breaks(text: str, results: list) -> list:
    """A name across a line break ("Jake Anthony\r\nJOHNSON", hard-wrapped text) is reported one line at a
    time: the redactor keeps a name to one line, and would otherwise drop what follows the break. A next
    line starting with a stop word ("Ann Lee\nThe inquest") is not part of the name."""
    from spacy.lang.en.stop_words import STOP_WORDS

    titles = {t.casefold() for t in load_lists().titles}
    out = []
    for result in results:
        span = text[result.start:result.end]
        first_line = re.split(r"[\r\n]", span, maxsplit=1)[0]
        if result.entity_type != "PERSON" or "\n" not in span \
                or all(w.strip(".,’'").casefold() in titles for w in first_line.split()):
            out.append(result)  # "Inspector\nJudgement Grade": a title on its own line introduces no name
            continue
        for n, line in enumerate(re.finditer(r"[^\r\n]+", span)):
            piece = line.group()
            gap = span[:line.start()][-4:] if n else ""
            if n and (not piece.strip() or gap.count("\n") > 1 or piece.split()[0].casefold() in STOP_WORDS):
                break  # a paragraph break or "The ..." ends the name
            start = result.start + line.start() + len(piece) - len(piece.lstrip())
            end = result.start + line.start() + len(piece.rstrip())
            metadata = dict(result.recognition_metadata or {})
            if n:  # the rest of a name that a line break cut: as trusted as the title or cue rules
                metadata[result.RECOGNIZER_NAME_KEY] = LINE_CONTINUATION
            out.append(type(result)(result.entity_type, start, end, result.score,
                                    result.analysis_explanation, metadata))
    return out
