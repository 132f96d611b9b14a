"""The leak check for text that claims to be redacted: run the redaction plan over it and count what the
redactor would still replace. Pseudonyms the redactor writes ("[PERSON 3]", "Child A") and role words
("the mother") are not identifiers; anything else it would replace is. Counts only: never the identifiers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from casereview.config import RedactConfig, load_config

# Our labels -> words for a message ("3 identifiers found (1 person name, ...)").
KIND_NAMES = {
    "PERSON": "person name",
    "EMAIL": "email address",
    "NHS_NUMBER": "NHS number",
    "CHI_NUMBER": "CHI number",
    "NI_NUMBER": "NI number",
    "POSTCODE": "postcode",
    "ADDRESS": "address",
    "PHONE": "phone number",
    "DATE_OF_BIRTH": "date of birth",
}
PLURALS = {"DATE_OF_BIRTH": "dates of birth", "ADDRESS": "addresses", "EMAIL": "email addresses"}


def pseudonym_pattern(params: RedactConfig) -> re.Pattern[str]:
    """What the redactor itself writes in place of people and identifiers, and bracketed markers."""
    person = re.escape(params.person_label).replace(re.escape("{n}"), r"\d+")
    alternatives = [person, re.escape(params.subject_label), r"\[[^\[\]\n]{1,40}\]",
                    *(re.escape(r) for r in params.replacements.values()), *params.existing_markers]
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE)


def _is_pseudonym(fragment: str, pattern: re.Pattern[str], keep: frozenset[str]) -> bool:
    """The span is only pseudonyms, role and list words ("Mother", "Child A's father"), and punctuation."""
    rest = pattern.sub(" ", fragment)
    words = re.findall(r"[^\W\d_]+", rest)
    return all(w.casefold() in keep for w in words)


def residual_identifiers(text: str, config: RedactConfig | None = None) -> Counter[str]:
    """How many identifiers of each kind (PERSON, PHONE, ...) the redactor would still replace in `text`.

    A text that `casereview redact` produced gives an empty Counter. Presidio and spaCy load on first use,
    once per process.
    """
    from casereview.redact.core import plan_redactions

    params = config or load_config().redact
    found: Counter[str] = Counter()
    if not text.strip():
        return found
    plan = plan_redactions(text, params)
    pattern = pseudonym_pattern(params)
    keep = plan.finder.lists.allow_tokens() | frozenset(
        w.casefold() for name in ("roles", "keep_words", "role_titles") for phrase in plan.finder.lists.get(name)
        for w in phrase.split())
    for span in plan.spans:
        if span.label == "PERSON" and _is_pseudonym(text[span.start:span.end], pattern, keep):
            continue
        found[span.label] += 1
    return found


def residual_in_texts(texts: Iterable[str], config: RedactConfig | None = None) -> Counter[str]:
    total: Counter[str] = Counter()
    for text in texts:
        total += residual_identifiers(text, config)
    return total


def describe(found: Counter[str]) -> str:
    """"3 identifiers found (1 person name, 1 date of birth, 1 phone number)": kinds and counts only."""
    n = sum(found.values())
    parts = ", ".join(f"{c} {KIND_NAMES.get(k, k.lower()) if c == 1 else PLURALS.get(k, KIND_NAMES.get(k, k) + 's')}"
                      for k, c in sorted(found.items(), key=lambda kv: (-kv[1], kv[0])))
    return f"{n} identifier{'' if n == 1 else 's'} found ({parts})"
