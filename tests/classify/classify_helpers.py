"""Small material we write ourselves: a three-theme taxonomy, a tiny labelled corpus, a params file."""

from __future__ import annotations

import json
import random
from pathlib import Path

import yaml

THEMES = {
    "housing": ["poor housing conditions", "damp and overcrowded flat", "homelessness and temporary accommodation",
                "eviction notice and rent arrears"],
    "school": ["school attendance fell", "the head teacher raised concerns", "exclusion from school",
               "education welfare officer visits"],
    "health": ["missed health appointments", "the GP practice", "hospital admission", "health visitor contact"],
}
SCIE = {"housing": "multi_agency_working", "school": "family_professional_interaction", "health": "tools"}
FILLER = ["The review found that", "Practitioners noted", "There was evidence that", "Records show"]


def write_taxonomy(path: Path, kind: str, ids: list[str], version: str = "1", retired=()) -> Path:
    labels = [{"id": i, "label": i.title(), "description": f"about {i}", **({"retired": True} if i in retired else {})}
              for i in ids]
    path.write_text(yaml.safe_dump({"kind": kind, "name": f"test {kind}", "version": version, "labels": labels}))
    return path


def make_units(n_docs: int = 8, per_doc: int = 6, themes=THEMES, seed: int = 0, prefix: str = "U") -> list[dict]:
    rng = random.Random(seed)
    rows, k = [], 0
    ids = list(themes)
    for d in range(n_docs):
        for _ in range(per_doc):
            chosen = rng.sample(ids, rng.choice([1, 1, 2]))
            text = " ".join(f"{rng.choice(FILLER)} {rng.choice(themes[t])}." for t in chosen)
            utype = rng.choice(["recommendation", "finding", "paragraph"])
            rows.append({"id": f"{prefix}{k:04d}", "source": "test", "doc": f"doc{d}", "type": utype, "text": text,
                         "themes": chosen, "scie": None if utype == "paragraph" else SCIE.get(chosen[0], "tools"),
                         "scie_second": None, "confidence": "high"})
            k += 1
    return rows


def write_jsonl(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def write_params(tmp: Path, corpus: Path, themes: Path, scie: Path, model_dir: Path, mlflow: bool = False) -> Path:
    params = {"taxonomy": {"themes": str(themes), "scie": str(scie)}, "train": {
        "corpora": [str(corpus)], "cv_on": str(corpus),
        "cv_folds": 3, "min_support": 5, "model_dir": str(model_dir),
        "themes": {"family": "lr", "C": 10.0, "min_positive": 3, "default_threshold": 0.5},
        "scie": {"family": "lr", "C": 10.0, "second_weight": 0.0},
        "mlflow": {"enabled": mlflow, "experiment": "test-exp", "registered_model": "test-model", "alias": "champion"}}}
    path = tmp / "params.yaml"
    path.write_text(yaml.safe_dump(params))
    return path


