"""Assemble the overview: one self-contained HTML file, one CSV per table and one XLSX workbook beside it."""

from __future__ import annotations

import html
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from casereview.config import TaxonomyConfig
from casereview.fileio import atomic_write_text
from casereview.report import charts, tables
from casereview.report.data import Results, load_results


@dataclass
class ReportOutput:
    html: Path
    csv: dict[str, Path] = field(default_factory=dict)
    xlsx: Path | None = None
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    verified_from_db: bool = False


# (key, caption): the order tables appear in, and the names of their CSV files and workbook sheets.
CAPTIONS = {
    "status": "Reports received, by outcome of processing",
    "errors": "Files that could not be read, by reason",
    "themes": "Number of reports showing each theme (% of reports analysed)",
    "scie_recommendations": "SCIE categories of recommendations (% of recommendations)",
    "scie_findings": "SCIE categories of findings (% of findings)",
    "items_per_report": "Recommendations and findings per report",
    "verification": "Verification of automatic labels by QA staff",
}


def build_report(results_dir: str | Path, out_html: str | Path, db_url: str | None = None,
                 taxonomy: TaxonomyConfig | None = None) -> ReportOutput:
    """The overview of one results folder: HTML, a CSV per table and an XLSX workbook beside it."""
    results = load_results(results_dir, taxonomy)
    db_url = db_url or _db_from_manifest(results)
    counts = tables.verification_counts(db_url)
    frames = {
        "status": tables.status_table(results),
        "errors": tables.error_table(results),
        "themes": tables.theme_table(results),
        "scie_recommendations": tables.scie_table(results, "recommendation"),
        "scie_findings": tables.scie_table(results, "finding"),
        "items_per_report": tables.items_per_report_table(results),
        "verification": tables.verification_table(counts),
    }
    out_html = Path(out_html)
    output = ReportOutput(html=out_html, tables=frames, verified_from_db=counts is not None)
    output.csv = write_csvs(frames, out_html)
    output.xlsx = write_xlsx(frames, out_html.with_suffix(".xlsx"))
    atomic_write_text(out_html, render_html(results, frames, make_charts(results, frames), counts is not None))
    return output


def _db_from_manifest(results: Results) -> str | None:
    """The database `process` loaded (recorded in the manifest), when it holds no hidden password."""
    keys = [k for k in (results.manifest.get("stored") or {}) if "***" not in k]
    return keys[0] if len(keys) == 1 else None


def write_csvs(frames: dict[str, pd.DataFrame], out_html: Path) -> dict[str, Path]:
    paths = {}
    for key, frame in frames.items():
        path = out_html.with_name(f"{out_html.stem}_{key}.csv")
        atomic_write_text(path, frame.to_csv(index=False))
        paths[key] = path
    return paths


def write_xlsx(frames: dict[str, pd.DataFrame], path: Path) -> Path:
    tmp = path.with_name(f".{path.name}.tmp")
    with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
        for key, frame in frames.items():
            frame.to_excel(writer, sheet_name=key[:31], index=False)
    tmp.replace(path)
    return path


def make_charts(results: Results, frames: dict[str, pd.DataFrame]) -> dict[str, str]:
    docs = tables.analysed(results)
    out = {"status": charts.status_chart(frames["status"])}
    if docs:
        out["themes"] = charts.theme_chart(frames["themes"])
        out["scie"] = charts.scie_chart(frames["scie_recommendations"], frames["scie_findings"])
        per_report = {noun: [sum(1 for i in d.get("items") or [] if i.get("kind") == kind) for d in docs]
                      for kind, noun in (("recommendation", "Recommendations"), ("finding", "Findings"))}
        out["items"] = charts.items_chart(per_report)
    return out


# -- HTML -----------------------------------------------------------------------------------------------

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;max-width:960px;margin:2rem auto;
padding:0 1rem;color:#1a1a1a;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem} h2{font-size:1.2rem;margin-top:2.2rem;border-bottom:1px solid #ccc}
.meta{color:#555;font-size:.9rem} table{border-collapse:collapse;margin:.6rem 0 1rem;font-size:.92rem}
caption{text-align:left;font-weight:600;padding:.3rem 0;white-space:nowrap} th,td{border:1px solid #bbb;padding:.25rem .6rem}
th{background:#eef3f7;text-align:left} td.n{text-align:right;font-variant-numeric:tabular-nums}
tr.total td{font-weight:600;background:#f6f6f6} figure{margin:1rem 0} img{max-width:100%}
.keys{display:flex;gap:1rem;flex-wrap:wrap}.key{border:1px solid #ccd;border-radius:6px;padding:.5rem 1rem}
.key b{display:block;font-size:1.4rem}
"""


def table_html(key: str, frame: pd.DataFrame, number: int) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns if c not in ("Theme id", "Category id"))
    rows = []
    for _, row in frame.iterrows():
        cells = []
        for col in frame.columns:
            if col in ("Theme id", "Category id"):
                continue
            value = row[col]
            text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else f"{value:g}" \
                if isinstance(value, float) else str(value)
            numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
            cells.append(("<td class='n'>" if numeric else "<td>") + html.escape(text) + "</td>")
        first = str(row[frame.columns[0]])
        rows.append(("<tr class='total'>" if first == "Total" else "<tr>") + "".join(cells) + "</tr>")
    return (f'<table id="table-{key}"><caption>Table {number}: {html.escape(CAPTIONS[key])}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def figure_html(uri: str | None, alt: str) -> str:
    return f'<figure><img alt="{html.escape(alt)}" src="{uri}"></figure>' if uri else ""


def key_numbers(results: Results, frames: dict[str, pd.DataFrame]) -> str:
    docs = tables.analysed(results)
    ipr = frames["items_per_report"].set_index("Per report")
    keys = [("files", len(results.manifest["inputs"])), ("reports analysed", len(docs)),
            ("recommendations", int(ipr.loc["Recommendations", "Total"])),
            ("findings", int(ipr.loc["Findings", "Total"]))]
    return '<div class="keys">' + "".join(f'<div class="key"><b>{v}</b>{html.escape(k)}</div>' for k, v in keys) \
        + "</div>"


def render_html(results: Results, frames: dict[str, pd.DataFrame], figs: dict[str, str], verified: bool) -> str:
    n = iter(range(1, 100))

    def section(title: str, body: str) -> str:
        return f"<h2>{html.escape(title)}</h2>{body}"

    parts = [
        section("Reports", table_html("status", frames["status"], next(n))
                + (table_html("errors", frames["errors"], next(n)) if len(frames["errors"]) else "")
                + figure_html(figs.get("status"), "Files by outcome")),
        section("Themes", table_html("themes", frames["themes"], next(n))
                + figure_html(figs.get("themes"), "Reports showing each theme")),
        section("SCIE categories", table_html("scie_recommendations", frames["scie_recommendations"], next(n))
                + table_html("scie_findings", frames["scie_findings"], next(n))
                + figure_html(figs.get("scie"), "SCIE categories of recommendations and findings")),
        section("Recommendations and findings per report",
                table_html("items_per_report", frames["items_per_report"], next(n))
                + figure_html(figs.get("items"), "Recommendations and findings per report")),
        section("Verification", table_html("verification", frames["verification"], next(n))
                + ("" if verified else "<p>No QA database was given or found: every label in this report is "
                   "an automatic suggestion, <b>not verified</b>.</p>")),
    ]
    note = ("Counts of themes and items are over reports processed successfully. Theme and SCIE labels are "
            "automatic suggestions" + (" unless verified (see Verification)." if verified else "."))
    return (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>Case reviews: national overview</title><style>{STYLE}</style></head><body>"
            f"<h1>Case reviews: national overview</h1>"
            f"<p class=\"meta\">Results folder {html.escape(results.folder.name)} · generated "
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}</p>"
            f"{key_numbers(results, frames)}<p>{note}</p>{''.join(parts)}</body></html>\n")


