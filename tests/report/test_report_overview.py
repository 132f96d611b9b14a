"""The overview report: counts, percentages, self-contained HTML, CSV and XLSX beside it, verification."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from casereview.batch.journal import Journal
from casereview.batch.outputs import write_document
from casereview.config import load_config
from casereview.contracts import Document, Item, Source, ThemeRollup
from casereview.report import build_report


def _doc(doc_id: str, themes: list[str], items: list[tuple[str, str | None]], status: str = "ok") -> Document:
    text = "Redacted report text."
    doc = Document(id=doc_id, source=Source(file=f"{doc_id}.pdf", sha256=doc_id * 4, pages=3), status=status,
                   text=text if status == "ok" else "", redacted=True,
                   themes=[ThemeRollup(id=t, score=0.9) for t in themes])
    for n, (kind, scie) in enumerate(items):
        doc.items.append(Item(id=f"{doc_id}-{n}", kind=kind, number=str(n + 1), text="Item text.", start=0, end=4,
                              section=None, themes=themes[:1], theme_scores={}, scie=scie,
                              scie_scores={scie: 0.7} if scie else {}))
    return doc


@pytest.fixture
def results(tmp_path: Path) -> Path:
    out = tmp_path / "results"
    docs = [
        _doc("d1", ["neglect", "domestic_abuse"], [("recommendation", "tools"), ("recommendation", "tools"),
                                                   ("finding", "human_reasoning")]),
        _doc("d2", ["neglect"], [("recommendation", "management_systems")]),
        _doc("d3", [], []),
        _doc("d4", [], [], status="error"),
    ]
    journal = Journal(out)
    journal.load()
    for doc in docs:
        write_document(out, doc.to_dict())
        journal.append({"file": f"/in/{doc.id}.pdf", "name": f"{doc.id}.pdf", "sha256": doc.id * 4,
                        "status": doc.status, "document_id": doc.id, "pages": 3, "timings": {},
                        "error": {"code": "not_a_pdf", "message": "d4.pdf: not a PDF"} if doc.status == "error"
                        else None})
    journal.compact()
    return out


def test_tables_count_themes_scie_and_items(results, tmp_path):
    out = build_report(results, tmp_path / "rep" / "report.html")
    t = out.tables
    status = t["status"].set_index("Status")["Files"]
    assert status["Processed"] == 3 and status["Could not be read"] == 1 and status["Total"] == 4
    themes = t["themes"].set_index("Theme id")
    assert themes.loc["neglect", "Reports"] == 2 and themes.loc["neglect", "% of reports"] == pytest.approx(66.7)
    assert themes.loc["domestic_abuse", "Reports"] == 1
    recs = t["scie_recommendations"].set_index("Category id")
    assert recs.loc["tools", "Recommendations"] == 2 and recs.loc["tools", "%"] == pytest.approx(66.7)
    finds = t["scie_findings"].set_index("Category id")
    assert finds.loc["human_reasoning", "Findings"] == 1
    per = t["items_per_report"].set_index("Per report")
    assert per.loc["Recommendations", "Total"] == 3 and per.loc["Recommendations", "Max"] == 2
    assert per.loc["Recommendations", "Median"] == 1 and per.loc["Recommendations", "Min"] == 0
    assert t["verification"]["% verified"].iloc[0] == "not verified"


def test_taxonomy_labels_are_used(results, tmp_path):
    out = build_report(results, tmp_path / "report.html")
    labels = dict(zip(out.tables["themes"]["Theme id"], out.tables["themes"]["Theme"], strict=False))
    assert labels["neglect"] == "Neglect"  # from corpora/taxonomy/themes.yaml


def test_html_is_self_contained_with_tables_and_charts(results, tmp_path):
    out = build_report(results, tmp_path / "report.html")
    page = out.html.read_text(encoding="utf-8")
    assert page.count("<img") >= 3 and page.count('src="data:image/svg+xml;base64,') == page.count("<img")
    assert not re.search(r'(src|href)="(https?:)?//', page)
    for key in ("status", "themes", "scie_recommendations", "scie_findings", "items_per_report", "verification"):
        assert f'id="table-{key}"' in page
    assert "not verified" in page


def test_csv_and_xlsx_hold_the_same_tables(results, tmp_path):
    out = build_report(results, tmp_path / "report.html")
    sheets = pd.read_excel(out.xlsx, sheet_name=None)
    for key, frame in out.tables.items():
        assert out.csv[key].exists()
        assert len(pd.read_csv(out.csv[key])) == len(frame) == len(sheets[key])


def test_verification_progress_is_read_from_the_database(results, tmp_path):
    pytest.importorskip("casereview.store")
    from casereview.store import import_documents, session_factory
    from casereview.store.models import ItemRow
    from sqlalchemy import update

    db_url = f"sqlite:///{tmp_path / 'qa.db'}"
    docs = [Document.load(p) for p in sorted((results / "documents").glob("*.json"))]
    import_documents(db_url, docs)
    with session_factory(db_url)() as session, session.begin():
        session.execute(update(ItemRow).where(ItemRow.item_id == "d1-0").values(status="verified"))
    out = build_report(results, tmp_path / "report.html", db_url=db_url)
    ver = out.tables["verification"].set_index("Items")
    assert ver.loc["Recommendations", "Total"] == 3 and ver.loc["Recommendations", "Verified"] == 1
    assert ver.loc["All items", "% verified"] == pytest.approx(25.0)


def test_report_command_writes_files(results, tmp_path):
    from casereview.cli import app
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["report", str(results), "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r.html").exists() and (tmp_path / "r.xlsx").exists()
    missing = CliRunner().invoke(app, ["report", str(tmp_path), "--out", str(tmp_path / "x.html")])
    assert missing.exit_code == 1 and "manifest.json" in missing.output


def test_report_finds_the_database_process_loaded(tmp_path):
    pytest.importorskip("casereview.store")
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "batch"))
    from casereview.batch import run_batch
    from synthpdf import make_corpus

    make_corpus(tmp_path / "in", 2, pages=1)
    out = tmp_path / "out"
    run_batch([tmp_path / "in"], out, db_url=f"sqlite:///{tmp_path / 'qa.db'}", progress=False,
              config=load_config().with_overrides({"process": {"poll_interval_s": 0.1}}),
              stages="tests.batch.fake_stages")
    report = build_report(out, tmp_path / "report.html")
    assert report.verified_from_db
    ver = report.tables["verification"].set_index("Items")
    assert ver.loc["All items", "Total"] == 2 and ver.loc["All items", "Pending"] == 2
