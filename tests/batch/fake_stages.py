"""Stand-ins for extract/redact/classify used by the batch tests to exercise behaviour the real stages do not
show on demand (hangs, memory blow-ups, crashes). Runs pass its name as `stages=` (`--stages` on the command line)."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from casereview.contracts import Document, ErrorInfo, Item, Page, Source


class LeakError(Exception):
    pass


def extract_pdf(path, config=None):
    path = Path(path)
    data = path.read_bytes() if path.exists() else b""
    sha = hashlib.sha256(data).hexdigest()
    source = Source(file=path.name, sha256=sha, pages=0)
    doc_id = sha[:16]
    if "hang" in path.name:
        time.sleep(3600)
    if "hog" in path.name:
        hog = bytearray(800 * 1024 * 1024)
        for i in range(0, len(hog), 4096):
            hog[i] = 1
        time.sleep(3600)
    if "crash" in path.name:
        os._exit(3)
    if not data.startswith(b"%PDF"):
        return Document.failed(doc_id=doc_id, source=source, code="not_a_pdf", message=f"{path.name}: not a PDF")
    time.sleep(float(os.environ.get("FAKE_STAGE_DELAY", "0")))
    pages = max(1, data.count(b"/Type /Page") - data.count(b"/Type /Pages"))
    text = f"Report {path.stem}. The health visitor saw Child A.\n\nRecommendation one about neglect."
    source.pages = pages
    item_start = text.index("Recommendation")
    return Document(id=doc_id, source=source, text=text, pages=[Page(1, 0, len(text))],
                    items=[Item(id=f"{doc_id}-r1", kind="recommendation", number="1",
                                text=text[item_start:], start=item_start, end=len(text), section=None)])


def redact_document(doc, config=None):
    doc.redacted = True
    return doc


def load_classifier(model_dir=None, config=None):
    return object()


def label_document(doc, classifier, config=None):
    for item in doc.items:
        item.themes, item.theme_scores = ["neglect"], {"neglect": 0.9}
        item.scie, item.scie_scores = "training", {"training": 0.8}
    return doc


__all__ = ["ErrorInfo", "LeakError", "extract_pdf", "label_document", "load_classifier", "redact_document"]
