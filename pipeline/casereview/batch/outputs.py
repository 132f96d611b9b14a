"""What a run leaves behind besides the manifest: documents/<id>.json, items.csv, and the database load."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from casereview.fileio import atomic_write_text

ITEM_COLUMNS = ["document", "item_id", "kind", "number", "section", "text", "themes", "scie", "scie_score",
                "theme_scores", "scie_scores", "source_file"]


def document_path(out_dir: Path, doc_id: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", doc_id)  # ids come from extract; never let one escape the folder
    return out_dir / "documents" / f"{safe}.json"


def write_document(out_dir: Path, doc: dict[str, Any]) -> Path:
    """Atomically write one redacted Document (refuses unredacted text: the privacy rule is enforced here too)."""
    if doc.get("text") and not doc.get("redacted"):
        raise ValueError(f"document {doc.get('id')}: refusing to write text that is not redacted")
    path = document_path(out_dir, doc["id"])
    atomic_write_text(path, json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
    return path


def final_document_ids(manifest: dict[str, Any]) -> list[str]:
    """Each document id once, in manifest order (identical inputs share one document)."""
    seen: dict[str, None] = {}
    for entry in manifest["inputs"]:
        if entry.get("document_id") and entry.get("status") in ("ok", "needs_ocr", "error"):
            seen.setdefault(entry["document_id"], None)
    return list(seen)


def load_documents(out_dir: Path, doc_ids: Iterable[str]) -> list[dict[str, Any]]:
    docs = []
    for doc_id in doc_ids:
        path = document_path(out_dir, doc_id)
        if path.exists():
            docs.append(json.loads(path.read_text(encoding="utf-8")))
    return docs


def item_rows(doc: dict[str, Any]) -> Iterable[dict[str, Any]]:
    for item in doc.get("items") or []:
        scie, scie_scores = item.get("scie"), item.get("scie_scores") or {}
        yield {
            "document": doc["id"],
            "item_id": item.get("id"),
            "kind": item.get("kind"),
            "number": item.get("number") or "",
            "section": item.get("section") or "",
            "text": item.get("text") or "",
            "themes": ";".join(item.get("themes") or []),
            "scie": scie or "",
            "scie_score": "" if scie is None or scie not in scie_scores else round(scie_scores[scie], 4),
            "theme_scores": json.dumps(item.get("theme_scores") or {}, sort_keys=True),
            "scie_scores": json.dumps(scie_scores, sort_keys=True),
            "source_file": (doc.get("source") or {}).get("file", ""),
        }


def write_items_csv(out_dir: Path, manifest: dict[str, Any]) -> int:
    """Regenerate items.csv from the documents on disk, so a resumed run can never duplicate rows."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=ITEM_COLUMNS)
    writer.writeheader()
    rows = 0
    for doc in load_documents(out_dir, final_document_ids(manifest)):
        for row in item_rows(doc):
            writer.writerow(row)
            rows += 1
    atomic_write_text(out_dir / "items.csv", buf.getvalue())
    return rows


def db_key(db_url: str) -> str:
    """The URL without a password (written to the manifest to remember what was loaded where); a relative
    SQLite path is made absolute so `casereview report` finds the database from any working directory."""
    path = sqlite_file(db_url)
    if path is not None and not path.is_absolute():
        return f"sqlite:///{path.resolve()}"
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", db_url)


def sqlite_file(db_url: str) -> Path | None:
    match = re.match(r"sqlite\+?\w*:///(.+)$", db_url)
    return Path(match.group(1)) if match and match.group(1) != ":memory:" else None


def import_into_db(db_url: str, docs: list[dict[str, Any]]) -> int:
    """Hand redacted Documents to the store (idempotent by document id)."""
    from casereview.contracts import Document
    from casereview.store import import_documents

    objs = [Document.from_dict(d) for d in docs if d.get("redacted")]
    if not objs:
        return 0
    return int(import_documents(db_url, objs) or 0)
