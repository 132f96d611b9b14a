"""Character spans: the detected things to redact, merging overlaps, and the old -> new offset map."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

# When detections overlap, the union is redacted under the most specific label.
LABEL_PRIORITY = ["EMAIL", "NHS_NUMBER", "CHI_NUMBER", "NI_NUMBER", "DATE_OF_BIRTH", "ADDRESS", "POSTCODE",
                  "PHONE", "PERSON"]


@dataclass
class Span:
    start: int
    end: int
    label: str
    person: int | None = None  # index of the person (PERSON spans only)


def priority(label: str) -> int:
    return LABEL_PRIORITY.index(label) if label in LABEL_PRIORITY else len(LABEL_PRIORITY)


def merge_overlapping(spans: list[Span]) -> list[Span]:
    """Sorted, non-overlapping spans; overlapping ones become their union with the most specific label.

    Two mentions of the same person that only touch (or are split by spaces/hyphens) are merged by the caller;
    here only true overlaps are joined, so "[PERSON 1] and [PERSON 2]" stay apart.
    """
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            keep = last if priority(last.label) <= priority(span.label) else span
            merged[-1] = Span(last.start, max(last.end, span.end), keep.label, keep.person)
        else:
            merged.append(span)
    return merged


@dataclass
class OffsetMap:
    """Maps offsets in the original text to offsets in the redacted text."""

    old_starts: list[int]
    old_ends: list[int]
    new_starts: list[int]
    new_ends: list[int]

    def _index(self, pos: int) -> int:
        return bisect.bisect_right(self.old_starts, pos) - 1

    def _shift(self, i: int) -> int:
        return 0 if i < 0 else self.new_ends[i] - self.old_ends[i]

    def start(self, pos: int) -> int:
        """A start offset: inside a redaction it moves to the replacement's start."""
        i = self._index(pos)
        if i >= 0 and pos < self.old_ends[i]:
            return self.new_starts[i]
        return pos + self._shift(i)

    def end(self, pos: int) -> int:
        """An end offset: inside a redaction it moves to the replacement's end."""
        i = bisect.bisect_left(self.old_starts, pos) - 1  # a redaction starting at pos lies after the end
        if i >= 0 and pos <= self.old_ends[i]:
            return self.new_ends[i] if pos > self.old_starts[i] else self.new_starts[i]
        return pos + self._shift(i)
