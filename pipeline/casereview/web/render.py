"""Turn an item and its document into safe HTML: the surrounding paragraphs with the item and the model's
evidence highlighted. Everything is escaped here; templates mark the result safe."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_PARA_BREAK = re.compile(r"\n[ \t]*\n+")


def paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for m in _PARA_BREAK.finditer(text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans


def locate(doc_text: str, item_text: str, start: int, end: int) -> tuple[int, int] | None:
    """The item's span in the document: its offsets if they hold its text, else where the text occurs."""
    if 0 <= start < end <= len(doc_text) and doc_text[start:end].strip() == item_text.strip():
        return start, end
    idx = doc_text.find(item_text) if item_text else -1
    if idx >= 0:
        return idx, idx + len(item_text)
    if 0 <= start < end <= len(doc_text):
        return start, end
    return None


def _evidence_spans(text: str, lo: int, hi: int, phrases: list[str]) -> list[tuple[int, int]]:
    spans = []
    lowered = text[lo:hi].lower()
    for phrase in phrases:
        p = phrase.strip().lower()
        if len(p) < 2:
            continue
        for m in re.finditer(re.escape(p), lowered):
            spans.append((lo + m.start(), lo + m.end()))
    return spans


def context_html(doc_text: str, item_text: str, start: int, end: int, evidence: dict[str, list[str]],
                 around: int = 2) -> Markup:
    """<p> elements for the paragraphs around the item, item in <mark class=item>, evidence in <strong>."""
    phrases = [p for values in (evidence or {}).values() for p in values]
    span = locate(doc_text, item_text, start, end)
    if span is None:  # no usable offsets: show the item on its own
        doc_text, span = item_text, (0, len(item_text))
    lo, hi = span
    paras = paragraphs(doc_text) or [(0, len(doc_text))]
    hit = [i for i, (a, b) in enumerate(paras) if a < hi and b > lo] or [0]
    first, last = max(0, hit[0] - around), min(len(paras), hit[-1] + around + 1)
    ev = _evidence_spans(doc_text, lo, hi, phrases)
    out = []
    for a, b in paras[first:last]:
        # Per-character flags, then runs: simple and correct for overlapping evidence.
        flags = []
        for pos in range(a, b):
            in_item = lo <= pos < hi
            in_ev = in_item and any(s <= pos < e for s, e in ev)
            flags.append((in_item, in_ev))
        html, run_start = [], a
        for pos in range(a, b + 1):
            if pos == b or (pos > run_start and flags[pos - a] != flags[pos - 1 - a]):
                chunk = escape(doc_text[run_start:pos])
                in_item, in_ev = flags[run_start - a]
                if in_ev:
                    chunk = Markup('<strong class="evidence">') + chunk + Markup("</strong>")
                if in_item:
                    chunk = Markup('<mark class="item">') + chunk + Markup("</mark>")
                html.append(chunk)
                run_start = pos
        cls = ' class="item-para"' if a < hi and b > lo else ""
        out.append(Markup(f"<p{cls}>") + Markup("").join(html) + Markup("</p>"))
    return Markup("\n").join(out)


def document_html(doc_text: str, items: list[tuple[int, str, int, int]]) -> Markup:
    """The whole document as <p> elements with every item (pk, text, start, end) in a
    <mark class="item" data-pk=...> that links to its entry in the item list (#item-<pk>). Items whose span
    overlaps an earlier one are left unmarked in the text (they are still listed)."""
    spans: list[tuple[int, int, int]] = []
    for pk, text, start, end in items:
        span = locate(doc_text, text, start, end)
        if span is not None:
            spans.append((span[0], span[1], pk))
    spans.sort()
    kept: list[tuple[int, int, int]] = []
    for lo, hi, pk in spans:
        if not kept or lo >= kept[-1][1]:
            kept.append((lo, hi, pk))
    out = []
    k = 0
    for a, b in paragraphs(doc_text) or [(0, len(doc_text))]:
        html, pos = [], a
        while k < len(kept) and kept[k][1] <= a:
            k += 1
        j = k
        while j < len(kept) and kept[j][0] < b:
            lo, hi, pk = kept[j]
            lo, hi = max(lo, a), min(hi, b)
            if lo > pos:
                html.append(escape(doc_text[pos:lo]))
            html.append(Markup(f'<a class="doc-item" href="#item-{pk}"><mark class="item" data-pk="{pk}">')
                        + escape(doc_text[lo:hi]) + Markup("</mark></a>"))
            pos = hi
            j += 1
        if pos < b:
            html.append(escape(doc_text[pos:b]))
        out.append(Markup("<p>") + Markup("").join(html) + Markup("</p>"))
    return Markup("\n").join(out)
