"""Property-based tests of the span arithmetic: merging detections and mapping offsets into redacted text.

Every item, section and page offset of a redacted Document goes through these two functions, so they are
checked over arbitrary texts and overlapping detections rather than a few hand-picked cases.
"""

import itertools

from casereview.redact.core import Plan, apply_plan
from casereview.redact.spans import LABEL_PRIORITY, Span, merge_overlapping, priority
from hypothesis import given, settings
from hypothesis import strategies as st

LABELS = [*LABEL_PRIORITY, "OTHER"]


@st.composite
def text_and_spans(draw, max_len: int = 60):
    text = draw(st.text(alphabet="ab c.\n", min_size=1, max_size=max_len))
    n = len(text)
    raw = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(1, 12), st.sampled_from(LABELS)),
                        max_size=8))
    return text, [Span(s, min(n, s + length), label) for s, length, label in raw]


def covered(spans: list[Span]) -> set[int]:
    return {i for s in spans for i in range(s.start, s.end)}


@given(text_and_spans())
def test_merged_spans_are_sorted_disjoint_and_cover_exactly_the_detections(case):
    _, spans = case
    merged = merge_overlapping(spans)
    assert all(a.end <= b.start for a, b in itertools.pairwise(merged))
    assert covered(merged) == covered(spans)


@given(text_and_spans())
def test_a_merged_span_carries_the_most_specific_label_it_absorbed(case):
    _, spans = case
    for m in merge_overlapping(spans):
        inside = [s for s in spans if m.start <= s.start and s.end <= m.end]
        assert inside, m
        assert priority(m.label) == min(priority(s.label) for s in inside)


def redact(text: str, spans: list[Span]):
    merged = merge_overlapping(spans)
    replacements = [f"[{s.label}]" for s in merged]
    plan = Plan(spans=merged, replacements=replacements, leak_tokens=set(), finder=None)  # type: ignore[arg-type]
    return merged, *apply_plan(text, plan)


@settings(max_examples=300)
@given(text_and_spans())
def test_text_outside_redactions_maps_to_the_same_characters(case):
    text, spans = case
    merged, new_text, _, offsets = redact(text, spans)
    hidden = covered(merged)
    for pos, char in enumerate(text):
        if pos not in hidden:
            assert new_text[offsets.start(pos)] == char
            assert offsets.end(pos + 1) == offsets.start(pos) + 1


@settings(max_examples=300)
@given(text_and_spans())
def test_each_redaction_maps_onto_its_replacement_and_never_leaks_a_part(case):
    text, spans = case
    merged, new_text, redactions, offsets = redact(text, spans)
    assert len(redactions) == len(merged)
    for span, red in zip(merged, redactions, strict=True):
        assert new_text[red.start:red.end] == red.replacement == f"[{span.label}]"
        for pos in range(span.start, span.end):  # a range that starts or ends inside widens to the whole
            assert offsets.start(pos) == red.start
            assert offsets.end(pos + 1) == red.end
    assert len(new_text) == len(text) + sum(len(r.replacement) - (s.end - s.start)
                                            for s, r in zip(merged, redactions, strict=True))


@given(text_and_spans(), st.data())
def test_offset_maps_are_monotonic_so_ranges_stay_ranges(case, data):
    text, spans = case
    _, new_text, _, offsets = redact(text, spans)
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    assert offsets.start(a) <= offsets.start(b) and offsets.end(a) <= offsets.end(b)
    assert 0 <= offsets.start(a) <= offsets.end(b) <= len(new_text)
