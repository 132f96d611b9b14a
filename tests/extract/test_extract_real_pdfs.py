"""Two rendered real reports from ../shared (one column and two columns) against their truth files."""

from __future__ import annotations

import difflib
import json

import pytest
from casereview.extract import extract_pdf
from casereview.settings import shared_dir

PFD = shared_dir() / "data" / "pfd" / "pdfs"


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


@pytest.mark.skipif(not PFD.is_dir(), reason="../shared/data/pfd/pdfs is not available")
@pytest.mark.parametrize("name", ["pfd001", "pfd002"])  # pfd002 is laid out in two columns
def test_rendered_report_matches_its_truth(name: str):
    pdf = PFD / f"{name}.pdf"
    truth = json.loads((PFD / f"{name}.truth.json").read_text(encoding="utf-8"))
    doc = extract_pdf(pdf)
    assert doc.status == "ok"
    assert _similarity(doc.text, "\n\n".join(truth["blocks"])) >= 0.99
    assert [(i.number, i.text) for i in doc.items] == [(t["n"], t["text"]) for t in truth["items"]]
    assert all(i.kind == "finding" for i in doc.items)  # matters of concern are findings
    titles = {s.title for s in doc.sections}
    assert set(truth["headings"]) <= titles
