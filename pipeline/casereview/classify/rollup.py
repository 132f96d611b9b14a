"""label_document: label a Document's items and paragraphs and roll the themes up to the document.

Items are labelled as themselves (the entry with its sub-points, `Item.full_text`); paragraphs are the blank-line separated blocks of doc.text that do not
overlap an item (so an item's words are not counted twice). A document theme's score is the highest score of
any unit tagged with it; its passages are those units' character spans into doc.text, best first.
"""

from __future__ import annotations

import re

from casereview.config import ClassifyConfig, load_config
from casereview.contracts import Document, TextUnit, ThemeRollup

_BLOCK = re.compile(r"\S(?:.*?\S)?(?=\n[ \t]*\n|\s*\Z)", re.DOTALL)


def paragraph_spans(text: str, min_chars: int = 40) -> list[tuple[int, int]]:
    """(start, end) of blank-line separated blocks, trimmed of surrounding whitespace."""
    return [(m.start(), m.end()) for m in _BLOCK.finditer(text) if m.end() - m.start() >= min_chars]


def section_at(doc: Document, offset: int) -> str | None:
    """Title of the innermost section whose span holds `offset` (the deepest level wins), else None."""
    inside = [s for s in doc.sections if s.start <= offset < s.end]
    return max(inside, key=lambda s: (s.level, s.start)).title if inside else None


def label_document(doc: Document, classifier, config: ClassifyConfig | None = None) -> Document:
    config = config or load_config().classify
    if doc.status != "ok" or not doc.text:
        return doc
    min_chars = config.paragraph_min_chars
    max_passages = config.rollup_passages
    item_spans = [(it.start, it.end) for it in doc.items]
    paras = [(s, e) for s, e in paragraph_spans(doc.text, min_chars)
             if not any(s < ie and is_ < e for is_, ie in item_spans)]
    # An item is classified with its sub-points ("a) ...", "(ii) ..."): the entry alone is often only a lead-in.
    units = [TextUnit(id=it.id, text=it.full_text, type=it.kind, section=it.section) for it in doc.items]
    units += [TextUnit(id=f"p{n}", text=doc.text[s:e], type="paragraph", section=section_at(doc, s))
              for n, (s, e) in enumerate(paras)]
    preds = classifier.predict(units)
    spans = item_spans + paras
    for it, p in zip(doc.items, preds, strict=False):
        it.themes, it.theme_scores = p.themes, p.theme_scores
        it.scie, it.scie_scores, it.evidence = p.scie, p.scie_scores, p.evidence
    support: dict[str, list[dict]] = {}
    for (s, e), p in zip(spans, preds, strict=False):
        for t in p.themes:
            support.setdefault(t, []).append({"start": s, "end": e, "score": p.theme_scores[t]})
    rollups = []
    for t, passages in support.items():
        passages.sort(key=lambda x: -x["score"])
        rollups.append(ThemeRollup(id=t, score=passages[0]["score"], passages=passages[:max_passages]))
    doc.themes = sorted(rollups, key=lambda r: -r.score)
    return doc
