"""Synthetic review PDFs rendered once per test session, with their ground truth and extracted Document.

The specs are chosen to show the layouts the extractor claims to handle (one and two columns, running
header and "Page N of M"/"Page N" footer, ruled tables, numbered recommendations and findings with lettered
sub-points, bulleted "What needs to improve" entries, level-2 headings, several pages). Layout bugs the
generator found earlier have their own regression tests in test_extract_layout_regressions.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from casereview.contracts import Document
from casereview.extract import extract_pdf

from corpora.synthetic.render import render_review, sample_spec

SPECS = {
    # SCR/CSPR: numbered recommendations with a), b) sub-points, a chronology table, "Page N of M".
    "one_column": {"seed": 7, "index": 0, "columns": 1, "style": "recommendations", "breaks": False,
                   "paragraph_group": 3},
    # Learning Together: numbered findings, "Page N" footer.
    "learning_together": {"seed": 7, "index": 1, "columns": 1, "style": "learning_together", "breaks": False,
                          "paragraph_group": 3},
    # Two columns: findings, bulleted "What needs to improve", recommendations, a table in a column.
    "two_column": {"seed": 7, "index": 5, "columns": 2, "style": "inspection", "breaks": False,
                   "marker_size": 11},
}


@dataclass
class Rendered:
    pdf: Path
    truth: dict
    doc: Document

    @property
    def ideal_text(self) -> str:
        return "\n\n".join(self.truth["blocks"])


@pytest.fixture(scope="session")
def rendered(tmp_path_factory) -> dict[str, Rendered]:
    folder = tmp_path_factory.mktemp("synthetic_reviews")
    out = {}
    for name, kwargs in SPECS.items():
        pdf = folder / f"{name}.pdf"
        truth = render_review(pdf, sample_spec(**kwargs))
        out[name] = Rendered(pdf=pdf, truth=truth, doc=extract_pdf(pdf))
    return out


@pytest.fixture(params=sorted(SPECS))
def each(request, rendered) -> Rendered:
    return rendered[request.param]
