"""Label sets for the QA pages, read from corpora/taxonomy/*.yaml (never hard-coded)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from casereview.classify.taxonomy import Label  # one label type for training and the QA pages
from casereview.settings import project_root, stage_params


class TaxonomyError(RuntimeError):
    """A taxonomy file is missing or malformed; the message names the file."""


@dataclass(frozen=True)
class Taxonomy:
    scie: tuple[Label, ...]
    themes: tuple[Label, ...]

    @property
    def scie_active(self) -> list[Label]:
        return [lab for lab in self.scie if not lab.retired]

    @property
    def themes_active(self) -> list[Label]:
        return [lab for lab in self.themes if not lab.retired]

    def scie_name(self, label_id: str | None) -> str:
        return _name(self.scie, label_id)

    def theme_name(self, label_id: str | None) -> str:
        return _name(self.themes, label_id)

    def evidence_name(self, key: str) -> str:
        """Evidence keys are theme ids or "scie:<id>" (the classifier's convention)."""
        if key.startswith("scie:"):
            return f"SCIE: {self.scie_name(key[5:])}"
        if any(lab.id == key for lab in self.scie):
            return f"SCIE: {self.scie_name(key)}"
        return self.theme_name(key)


def _name(labels: tuple[Label, ...], label_id: str | None) -> str:
    if label_id is None:
        return "none"
    for lab in labels:
        if lab.id == label_id:
            return lab.label
    return label_id  # a label retired from the file but still in old data


def taxonomy_dir(path: str | Path | None = None) -> Path:
    env = os.environ.get("CASEREVIEW_TAXONOMY_DIR")
    return Path(path or env or project_root() / "corpora" / "taxonomy")


def taxonomy_files(path: str | Path | None = None) -> tuple[Path, Path]:
    """(scie file, themes file). A folder given here or in CASEREVIEW_TAXONOMY_DIR holds scie.yaml and
    themes.yaml; otherwise the files the model was trained on (params.yaml web: or train: *_taxonomy)."""
    if path or os.environ.get("CASEREVIEW_TAXONOMY_DIR"):
        folder = taxonomy_dir(path)
        return folder / "scie.yaml", folder / "themes.yaml"
    chosen = {**stage_params("train"), **stage_params("web")}
    root = project_root()

    def pick(key: str, default: str) -> Path:
        value = Path(chosen.get(key) or default)
        return value if value.is_absolute() else root / value

    return (pick("scie_taxonomy", "corpora/taxonomy/scie.yaml"),
            pick("themes_taxonomy", "corpora/taxonomy/themes.yaml"))


def load_labels(path: Path) -> tuple[Label, ...]:
    """A file holding a list of {id, label, description}, or a mapping with such a list under `labels`."""
    if not path.exists():
        raise TaxonomyError(f"{path}: taxonomy file not found (set CASEREVIEW_TAXONOMY_DIR or add the file)")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"{path}: not valid YAML ({exc.__class__.__name__})") from None
    entries = data.get("labels") if isinstance(data, dict) else data
    if not isinstance(entries, list) or not entries:
        raise TaxonomyError(f"{path}: expected a non-empty list of labels (or a mapping with `labels:`)")
    out = []
    for n, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise TaxonomyError(f"{path}: label {n} needs a string `id`")
        out.append(Label(id=entry["id"], label=str(entry.get("label") or entry["id"]),
                         description=str(entry.get("description") or ""), group=entry.get("group"),
                         retired=bool(entry.get("retired", False))))
    ids = [lab.id for lab in out]
    if len(set(ids)) != len(ids):
        raise TaxonomyError(f"{path}: duplicate label ids")
    return tuple(out)


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    scie_file, themes_file = taxonomy_files(path)
    return Taxonomy(scie=load_labels(scie_file), themes=load_labels(themes_file))
