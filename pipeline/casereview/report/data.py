"""Read a `process` results folder and the taxonomies the report labels its rows with."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


@dataclass
class Results:
    folder: Path
    manifest: dict[str, Any]
    documents: dict[str, dict[str, Any]]  # id -> redacted Document (as JSON)
    theme_labels: dict[str, str] = field(default_factory=dict)  # id -> label, taxonomy order
    scie_labels: dict[str, str] = field(default_factory=dict)


def load_results(folder: str | Path) -> Results:
    from casereview.batch import read_manifest
    from casereview.batch.outputs import document_path

    folder = Path(folder)
    if not (folder / "manifest.json").exists():
        raise FileNotFoundError(f"{folder}: no manifest.json (run `casereview process ... --out {folder}` first)")
    manifest = read_manifest(folder)
    docs: dict[str, dict[str, Any]] = {}
    for entry in manifest["inputs"]:
        doc_id = entry.get("document_id")
        if doc_id and doc_id not in docs and document_path(folder, doc_id).exists():
            docs[doc_id] = json.loads(document_path(folder, doc_id).read_text(encoding="utf-8"))
    return Results(folder=folder, manifest=manifest, documents=docs,
                   theme_labels=taxonomy_labels("themes"), scie_labels=taxonomy_labels("scie"))


def taxonomy_labels(name: str, folder: Path | None = None) -> dict[str, str]:
    """id -> label from corpora/taxonomy/<name>.yaml (the first list of {id, label} under a top key);
    empty when the file is missing, so the report falls back to ids."""
    if folder is None:
        from casereview.settings import project_root

        folder = project_root() / "corpora" / "taxonomy"
    path = folder / f"{name}.yaml"
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = data if isinstance(data, list) else next(
        (v for v in data.values() if isinstance(v, list)), [])
    return {str(e["id"]): str(e.get("label") or e["id"]) for e in entries
            if isinstance(e, dict) and "id" in e and not e.get("retired")}
