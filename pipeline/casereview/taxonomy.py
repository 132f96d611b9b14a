"""Label taxonomies as data (corpora/taxonomy/*.yaml): the one loader that training, classify, the report and
the QA workspace use.

A taxonomy file has a `kind` (themes | scie), a `version` and a list of labels (id, label, description,
optional `retired: true`, optional `keywords: [...]`). Models record the version and the SHA-256 of the file
they were trained on, so a researcher can add or retire a label, bump the version and retrain without touching
code. Which files are used is params.yaml's `taxonomy:` section (`load_label_sets`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from casereview.config import TaxonomyConfig, load_config, resolve_path

_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class TaxonomyError(ValueError):
    """A taxonomy file is malformed; the message names the file and the problem."""


@dataclass(frozen=True)
class Label:
    id: str
    label: str
    description: str = ""
    group: str | None = None
    retired: bool = False
    maps_to: str | None = None
    # Words and phrases that signal the label (a case-insensitive match at a word start, so "suicid" also
    # finds "suicidal"); the theme tagger adds one feature per label for them (train.themes.lexicon_weight).
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    kind: str
    name: str
    version: str
    labels: tuple[Label, ...]
    path: str = ""
    sha256: str = ""
    _index: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def ids(self) -> list[str]:
        """Active label ids in file order (what a model is trained to predict)."""
        return [lab.id for lab in self.labels if not lab.retired]

    @property
    def retired_ids(self) -> list[str]:
        return [lab.id for lab in self.labels if lab.retired]

    def __iter__(self):
        """Every label in file order, retired ones included (old data may still use them)."""
        return iter(self.labels)

    @property
    def active(self) -> list[Label]:
        return [lab for lab in self.labels if not lab.retired]

    def label_name(self, label_id: str | None) -> str:
        """The label's display name; a label retired from the file but still in old data shows its id."""
        if label_id is None:
            return "none"
        lab = self.get(label_id)
        return lab.label if lab else label_id

    def __contains__(self, label_id: str) -> bool:
        return any(lab.id == label_id for lab in self.labels)

    def get(self, label_id: str) -> Label | None:
        return next((lab for lab in self.labels if lab.id == label_id), None)

    def keywords(self) -> dict[str, list[str]]:
        """Keyword lists of the active labels (labels without keywords are left out)."""
        return {lab.id: list(lab.keywords) for lab in self.labels if not lab.retired and lab.keywords}

    def meta(self) -> dict:
        """What a model card records about the taxonomy."""
        return {"kind": self.kind, "name": self.name, "version": self.version, "file": Path(self.path).name,
                "sha256": self.sha256, "labels": self.ids, "retired": self.retired_ids}


def load_taxonomy(path: str | Path, kind: str | None = None) -> Taxonomy:
    """One taxonomy file (relative paths are relative to the project root). Raises TaxonomyError."""
    path = resolve_path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise TaxonomyError(f"{path}: taxonomy file not found (see taxonomy: in params.yaml)") from None
    except OSError as exc:
        raise TaxonomyError(f"{path}: cannot read taxonomy ({exc.strerror})") from None
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError:
        raise TaxonomyError(f"{path}: not valid YAML") from None
    if not isinstance(data, dict) or not isinstance(data.get("labels"), list):
        raise TaxonomyError(f"{path}: a taxonomy needs a 'labels' list")
    if kind and data.get("kind") != kind:
        raise TaxonomyError(f"{path}: expected kind {kind!r}, found {data.get('kind')!r}")
    if "version" not in data:
        raise TaxonomyError(f"{path}: missing 'version'")
    labels, seen = [], set()
    for n, entry in enumerate(data["labels"], 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise TaxonomyError(f"{path}: label #{n} needs a string 'id'")
        lid = entry["id"]
        if not _ID.match(lid):
            raise TaxonomyError(f"{path}: label id {lid!r} must be lower_snake_case")
        if lid in seen:
            raise TaxonomyError(f"{path}: duplicate label id {lid!r}")
        seen.add(lid)
        kws = entry.get("keywords") or []
        if not isinstance(kws, list) or not all(isinstance(k, str) and k.strip() for k in kws):
            raise TaxonomyError(f"{path}: label {lid!r}: 'keywords' must be a list of non-empty strings")
        labels.append(Label(id=lid, label=str(entry.get("label", lid)),
                            description=str(entry.get("description", "")), group=entry.get("group"),
                            retired=bool(entry.get("retired", False)), maps_to=entry.get("maps_to"),
                            keywords=tuple(k.strip() for k in kws)))
    if not any(not lab.retired for lab in labels):
        raise TaxonomyError(f"{path}: no active labels")
    return Taxonomy(kind=str(data.get("kind", kind or "")), name=str(data.get("name", path.stem)),
                    version=str(data["version"]), labels=tuple(labels), path=str(path),
                    sha256=hashlib.sha256(raw).hexdigest())


@dataclass(frozen=True)
class LabelSets:
    """The two taxonomies a model is trained on and the QA workspace and report show."""

    themes: Taxonomy
    scie: Taxonomy

    @property
    def scie_active(self) -> list[Label]:
        return self.scie.active

    @property
    def themes_active(self) -> list[Label]:
        return self.themes.active

    def scie_name(self, label_id: str | None) -> str:
        return self.scie.label_name(label_id)

    def theme_name(self, label_id: str | None) -> str:
        return self.themes.label_name(label_id)

    def evidence_name(self, key: str) -> str:
        """Evidence keys are theme ids or "scie:<id>" (the classifier's convention)."""
        if key.startswith("scie:"):
            return f"SCIE: {self.scie_name(key[5:])}"
        if key in self.scie:
            return f"SCIE: {self.scie_name(key)}"
        return self.theme_name(key)


def load_label_sets(config: TaxonomyConfig | None = None) -> LabelSets:
    """The taxonomies named in params.yaml's `taxonomy:` section (or the given one)."""
    config = config or load_config().taxonomy
    scie = load_taxonomy(config.scie, kind="scie")
    return LabelSets(themes=load_taxonomy(config.themes, kind="themes"), scie=scie)
