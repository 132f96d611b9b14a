"""Read a `process` results folder and the taxonomies the report labels its rows with."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casereview.config import TaxonomyConfig
from casereview.taxonomy import load_label_sets


@dataclass
class Results:
    folder: Path
    manifest: dict[str, Any]
    documents: dict[str, dict[str, Any]]  # id -> redacted Document (as JSON)
    theme_labels: dict[str, str] = field(default_factory=dict)  # id -> label, taxonomy order
    scie_labels: dict[str, str] = field(default_factory=dict)


def load_results(folder: str | Path, taxonomy: TaxonomyConfig | None = None) -> Results:
    """The manifest and documents of a results folder, with the labels of the configured taxonomies."""
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
    sets = load_label_sets(taxonomy)
    return Results(folder=folder, manifest=manifest, documents=docs,
                   theme_labels={lab.id: lab.label for lab in sets.themes.active},
                   scie_labels={lab.id: lab.label for lab in sets.scie.active})
