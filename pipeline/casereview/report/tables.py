"""The overview tables, as pandas DataFrames (the same frames feed the HTML, the CSVs and the workbook)."""

from __future__ import annotations

from collections import Counter
from statistics import mean, median
from typing import Any

import pandas as pd

from casereview.report.data import Results

STATUS_ORDER = ["ok", "needs_ocr", "error"]
STATUS_LABELS = {"ok": "Processed", "needs_ocr": "Needs OCR (no text layer)", "error": "Could not be read"}


def pct(n: int, total: int) -> float:
    return round(100.0 * n / total, 1) if total else 0.0


def analysed(results: Results) -> list[dict[str, Any]]:
    """Documents with text to count themes and items in."""
    return [d for d in results.documents.values() if d.get("status") == "ok"]


def status_table(results: Results) -> pd.DataFrame:
    counts = Counter(e["status"] for e in results.manifest["inputs"])
    total = sum(counts.values())
    rows = [{"Status": STATUS_LABELS.get(s, s), "Files": counts.get(s, 0), "%": pct(counts.get(s, 0), total)}
            for s in STATUS_ORDER if s in counts or s != "needs_ocr"]
    rows.append({"Status": "Total", "Files": total, "%": 100.0 if total else 0.0})
    return pd.DataFrame(rows)


def error_table(results: Results) -> pd.DataFrame:
    codes = Counter((e.get("error") or {}).get("code", "unknown") for e in results.manifest["inputs"]
                    if e["status"] == "error")
    return pd.DataFrame([{"Error code": c, "Files": n} for c, n in codes.most_common()],
                        columns=["Error code", "Files"])


def document_themes(doc: dict[str, Any]) -> set[str]:
    """The document's theme roll-up; the union of its items' themes when the roll-up is absent."""
    rollup = {t["id"] for t in doc.get("themes") or [] if isinstance(t, dict) and "id" in t}
    if rollup:
        return rollup
    return {t for item in doc.get("items") or [] for t in item.get("themes") or []}


def theme_table(results: Results) -> pd.DataFrame:
    docs = analysed(results)
    counts = Counter(t for d in docs for t in document_themes(d))
    ids = list(results.theme_labels) + sorted(t for t in counts if t not in results.theme_labels)
    rows = [{"Theme": results.theme_labels.get(t, t), "Theme id": t, "Reports": counts.get(t, 0),
             "% of reports": pct(counts.get(t, 0), len(docs))} for t in ids]
    return pd.DataFrame(rows, columns=["Theme", "Theme id", "Reports", "% of reports"])


def scie_table(results: Results, kind: str) -> pd.DataFrame:
    """SCIE categories of one kind of item (recommendation or finding): count and % of those items."""
    items = [i for d in analysed(results) for i in d.get("items") or [] if i.get("kind") == kind]
    counts = Counter(i.get("scie") or "" for i in items)
    ids = list(results.scie_labels) + sorted(c for c in counts if c and c not in results.scie_labels)
    noun = "Recommendations" if kind == "recommendation" else "Findings"
    rows = [{"SCIE category": results.scie_labels.get(c, c), "Category id": c, noun: counts.get(c, 0),
             "%": pct(counts.get(c, 0), len(items))} for c in ids]
    if counts.get(""):
        rows.append({"SCIE category": "Not mapped", "Category id": "", noun: counts[""],
                     "%": pct(counts[""], len(items))})
    rows.append({"SCIE category": "Total", "Category id": "", noun: len(items), "%": 100.0 if items else 0.0})
    return pd.DataFrame(rows, columns=["SCIE category", "Category id", noun, "%"])


def items_per_report_table(results: Results) -> pd.DataFrame:
    docs = analysed(results)
    rows = []
    for kind, noun in (("recommendation", "Recommendations"), ("finding", "Findings"),
                       (None, "Recommendations and findings")):
        per_doc = [sum(1 for i in d.get("items") or [] if kind is None or i.get("kind") == kind) for d in docs]
        rows.append({"Per report": noun, "Reports": len(per_doc),
                     "Reports with any": sum(1 for n in per_doc if n),
                     "Total": sum(per_doc),
                     "Mean": round(mean(per_doc), 1) if per_doc else None,
                     "Median": median(per_doc) if per_doc else None,
                     "Min": min(per_doc) if per_doc else None,
                     "Max": max(per_doc) if per_doc else None})
    return pd.DataFrame(rows)


def verification_table(counts: dict[tuple[str, str], int] | None) -> pd.DataFrame:
    """counts: (kind, status) -> items, from the database; None when there is no database."""
    columns = ["Items", "Total", "Verified", "Pending", "Other", "% verified"]
    if counts is None:
        return pd.DataFrame([{"Items": "All items", "Total": None, "Verified": None, "Pending": None,
                              "Other": None, "% verified": "not verified"}], columns=columns)
    rows = []
    for kind in ("recommendation", "finding", None):
        sel: Counter = Counter()
        for (k, status), n in counts.items():
            if kind is None or k == kind:
                sel[status] += n
        total = sum(sel.values())
        verified, pending = sel.get("verified", 0), sel.get("pending", 0)
        rows.append({"Items": {"recommendation": "Recommendations", "finding": "Findings"}.get(kind or "", "All items"),
                     "Total": total, "Verified": verified, "Pending": pending,
                     "Other": total - verified - pending, "% verified": pct(verified, total)})
    return pd.DataFrame(rows, columns=columns)


def verification_counts(db_url: str | None) -> dict[tuple[str, str], int] | None:
    """(kind, status) -> number of items in the QA database, or None when no database can be read."""
    if not db_url:
        return None
    try:
        from sqlalchemy import func, select

        from casereview.store import session_factory
        from casereview.store.models import ItemRow

        with session_factory(db_url)() as session:
            rows = session.execute(select(ItemRow.kind, ItemRow.status, func.count()).group_by(
                ItemRow.kind, ItemRow.status)).all()
        return {(k, s): int(n) for k, s, n in rows}
    except Exception:  # noqa: BLE001 - a missing or foreign database: the report says "not verified" rather than fail
        return None
