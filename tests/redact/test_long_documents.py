"""Long documents: spaCy reads them in chunks (bounded memory), the person table spans the whole text."""

from __future__ import annotations

import re

from casereview.config import RedactConfig, load_config
from casereview.redact import redact_text
from casereview.redact.core import plan_redactions
from casereview.redact.engine import text_chunks

# Invented paragraphs; the same people come back far apart, so they fall in different chunks.
OPENING = ("This review concerns Kayden Fairweather, aged 4, who lived with his mother, Ms Tamsin Quigley, "
           "in Aberdeen. The health visitor, Mhairi Drummond, first saw the family in March 2019.\n\n")
FILLER = ("The practitioners met in the multi-agency meeting and agreed a plan for the family. The "
          "school recorded attendance each week and shared it with the social worker.\n\n")
CLOSING = ("Ms Quigley told the review that Kayden had been unwell. Mhairi Drummond visited again and "
           "Kayden was seen at the hospital.\n\n")


def long_text(fillers: int = 60) -> str:
    return OPENING + FILLER * fillers + CLOSING + FILLER * fillers + OPENING


def config(**changes: object) -> RedactConfig:
    return load_config().with_overrides({"redact": changes}).redact


def test_chunks_are_exact_consecutive_slices_cut_at_paragraphs():
    text = long_text()
    chunks = text_chunks(text, 2_000)
    assert "".join(chunks) == text
    assert len(chunks) > 5
    assert all(len(c) <= 2_000 for c in chunks)
    assert all(c.endswith("\n\n") for c in chunks[:-1])


def test_a_text_without_breaks_is_cut_at_spaces_and_never_inside_a_word():
    text = "word " * 3_000
    chunks = text_chunks(text, 1_000)
    assert "".join(chunks) == text
    assert all(c.endswith(" ") for c in chunks[:-1])


def test_short_text_is_one_chunk():
    assert text_chunks("Ms Quigley attended.", 1_000) == ["Ms Quigley attended."]


def test_chunked_redaction_equals_whole_text_redaction():
    text = long_text()
    chunked = plan_redactions(text, config(chunk_chars=1_500))
    whole = plan_redactions(text, config(chunk_chars=10_000_000))
    as_tuples = [(s.start, s.end, r) for s, r in zip(chunked.spans, chunked.replacements, strict=True)]
    assert as_tuples == [(s.start, s.end, r) for s, r in zip(whole.spans, whole.replacements, strict=True)]


def test_one_person_table_across_chunks():
    text = long_text()
    out = redact_text(text, config(chunk_chars=1_500)).text
    for name in ("Kayden", "Fairweather", "Quigley", "Tamsin", "Mhairi", "Drummond"):
        assert name not in out
    labels = re.findall(r"\[PERSON \d+\]|Child [A-Z]", out)
    # the child, the mother and the health visitor: three people however far apart they are mentioned
    assert len(set(labels)) == 3
    assert out.count("Child A") == 4
