from casereview.classify import label_document, load_classifier
from casereview.classify.rollup import paragraph_spans
from casereview.contracts import Document, Item, Source


def _doc():
    paras = ["Introduction to this review of services for Child A and the family.",
             "Practitioners noted missed health appointments and the GP practice was not told.",
             "There was evidence that poor housing conditions and a damp and overcrowded flat persisted."]
    rec = "Records show the school attendance fell and the head teacher raised concerns."
    text = "\n\n".join(paras) + "\n\n1. " + rec + "\n"
    start = text.index(rec)
    item = Item(id="r1", kind="recommendation", number="1", text=rec, start=start, end=start + len(rec), section=None)
    return Document(id="d1", source=Source(file="x.pdf", sha256="0", pages=1), text=text, items=[item])


def test_paragraph_spans_are_trimmed_blocks():
    text = "  first block here\n\n\nsecond\nline\n \nthird"
    spans = paragraph_spans(text, min_chars=1)
    assert [text[s:e] for s, e in spans] == ["first block here", "second\nline", "third"]


def test_label_document_fills_items_and_rollup_offsets(tiny):
    clf = load_classifier(tiny["models"])
    doc = label_document(_doc(), clf)
    item = doc.items[0]
    assert item.themes == ["school"] and item.scie is not None and set(item.theme_scores) == {"housing", "school", "health"}
    ids = [r.id for r in doc.themes]
    assert {"housing", "health", "school"} <= set(ids)
    assert [r.score for r in doc.themes] == sorted((r.score for r in doc.themes), reverse=True)
    for r in doc.themes:
        for p in r.passages:
            span = doc.text[p["start"]:p["end"]]
            assert span.strip() == span and span  # spans point at real text, trimmed
            assert p["score"] <= r.score
    school = next(r for r in doc.themes if r.id == "school")
    assert doc.text[school.passages[0]["start"]:school.passages[0]["end"]] == item.text
    housing = next(r for r in doc.themes if r.id == "housing")
    assert "damp and overcrowded" in doc.text[housing.passages[0]["start"]:housing.passages[0]["end"]]
    # the item's words are not also counted as a paragraph
    assert all(p["start"] != item.start - 3 for r in doc.themes for p in r.passages)
    assert Document.from_dict(doc.to_dict()).themes[0].id == doc.themes[0].id


def test_label_document_skips_failed_documents(tiny):
    doc = Document.failed(doc_id="x", source=Source(file="x.pdf", sha256="0", pages=0), code="bad", message="m")
    assert label_document(doc, load_classifier(tiny["models"])).themes == []


def test_label_document_classifies_items_with_their_subpoints(tiny):
    """An entry that is only a lead-in is labelled from its sub-points (Item.full_text), not text alone."""
    lead = "The partnership should make sure that:"
    subs = ["a) school attendance fell is acted on", "b) the head teacher raised concerns are heard"]
    text = "1. " + lead + "\n" + "\n".join(subs) + "\n"
    item = Item(id="r1", kind="recommendation", number="1", text=lead, start=3, end=3 + len(lead), section=None,
                subpoints=subs)
    doc = Document(id="d2", source=Source(file="x.pdf", sha256="0", pages=1), text=text, items=[item])

    seen = []
    clf = load_classifier(tiny["models"])
    real_predict = clf.predict

    def spy(units):
        seen.extend(units)
        return real_predict(units)

    clf.predict = spy
    doc = label_document(doc, clf)
    assert seen[0].id == "r1" and seen[0].text == item.full_text and subs[0] in seen[0].text
    assert "school" in doc.items[0].themes
    assert doc.items[0].scie is not None
