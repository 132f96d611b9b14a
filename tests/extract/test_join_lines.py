"""structure.join_lines: hyphen mending unchanged, and work linear in the paragraph's length."""

from __future__ import annotations

import random
import re

import pytest
from casereview.extract import structure
from casereview.extract.structure import item_rules, join_lines


def _reference_join(texts: list[str], vocabulary: set[str]) -> str:
    """The former (quadratic) algorithm, kept here as the behavioural reference."""
    out = ""
    for text in texts:
        text = text.strip()
        if not out:
            out = text
            continue
        match = re.search(r"(\w+)-$", out)
        if match and text[:1].islower():
            head = match.group(1)
            tail = re.match(r"\w+", text)
            tail_word = tail.group(0) if tail else ""
            if f"{head}-{tail_word}".lower() in vocabulary or (
                    head.lower() in item_rules()["_keep"]
                    and f"{head}{tail_word}".lower() not in vocabulary):
                out = out + text
            else:
                out = out[:-1] + text
        else:
            out = f"{out} {text}"
    return out


_PIECES = ["co-", "operation", "well-", "being", "the", "Child", "a-", "b", "-", "x.", "", "  ",
           "family-", "based", "Re-", "review", "step-", "mother", "12-", "month", "(a)", "non-"]


@pytest.mark.parametrize("seed", range(40))
def test_same_result_as_reference_on_generated_lines(seed: int) -> None:
    rng = random.Random(seed)
    vocabulary = {"well-being", "family-based", "step-mother"}
    texts = [" ".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 3))) for _ in range(60)]
    assert join_lines(texts, vocabulary) == _reference_join(texts, vocabulary)


def test_hyphen_mending() -> None:
    assert join_lines(["the assess-", "ment was late"], set()) == "the assessment was late"
    assert join_lines(["the child's well-", "being"], {"well-being"}) == "the child's well-being"
    assert join_lines(["ends here-", "Next"], set()) == "ends here- Next"


class _CountingPattern:
    """Wraps a compiled pattern and counts the characters handed to it."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.scanned = 0

    def search(self, text: str) -> re.Match[str] | None:
        self.scanned += len(text)
        return self.pattern.search(text)

    def match(self, text: str) -> re.Match[str] | None:
        self.scanned += len(text)
        return self.pattern.match(text)


def test_hundred_pages_without_a_full_stop_scan_each_character_a_bounded_number_of_times(
        monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    words = ["child", "social", "worker", "visit", "and", "school", "co-", "operation", "health"]
    lines = [" ".join(rng.choice(words) for _ in range(12)) for _ in range(100 * 45)]
    trailing = _CountingPattern(structure._TRAILING_WORD)
    leading = _CountingPattern(structure._LEADING_WORD)
    monkeypatch.setattr(structure, "_TRAILING_WORD", trailing)
    monkeypatch.setattr(structure, "_LEADING_WORD", leading)
    result = join_lines(lines, set())
    total = sum(len(line) for line in lines)
    assert len(result) >= total - len(lines)
    # a quadratic join rescans the growing paragraph: thousands of times the input
    assert trailing.scanned + leading.scanned <= 3 * total
