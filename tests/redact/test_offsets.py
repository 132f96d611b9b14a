"""The old -> new offset map used to move items, sections and pages into the redacted text."""

from casereview.redact.spans import OffsetMap, Span, merge_overlapping

# "ab NAME cd" -> "ab [P] cd": old [3, 7) became new [3, 6)
MAP = OffsetMap(old_starts=[3], old_ends=[7], new_starts=[3], new_ends=[6])


def test_offsets_before_inside_and_after_a_redaction():
    assert MAP.start(0) == 0 and MAP.end(2) == 2
    assert MAP.start(3) == 3 and MAP.start(5) == 3  # a start inside moves to the replacement's start
    assert MAP.end(5) == 6 and MAP.end(7) == 6      # an end inside moves to the replacement's end
    assert MAP.start(8) == 7 and MAP.end(10) == 9   # after: shifted by the length difference
    assert MAP.end(3) == 3                           # an end right before a redaction stays before it


def test_overlapping_detections_merge_under_the_most_specific_label():
    merged = merge_overlapping([Span(0, 12, "PHONE"), Span(0, 12, "NHS_NUMBER"), Span(20, 25, "PERSON", 0)])
    assert [(s.start, s.end, s.label) for s in merged] == [(0, 12, "NHS_NUMBER"), (20, 25, "PERSON")]
