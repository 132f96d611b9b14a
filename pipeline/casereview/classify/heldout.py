"""Held-out splits: grouped-by-report folds and leave-one-source-out (LOSO).

Users bring reports the models have never seen, often of a kind (source) the training data has little of. So
two honest estimates sit side by side:

- grouped CV: folds by report over the `cv_on` set (the hand-labelled gold); the other corpora train every
  fold, minus every unit of a test report (stand-off labels cover other passages of the same reports);
- LOSO: for each source (ofsted, pfd, seed), train on every unit of the other sources and test on that
  source's units: its gold units (the headline) and, separately, its stand-off labels (more units, labels
  of medium quality). Nothing of the left-out source is trained on, so the score says what the models do
  on a kind of report they have not seen, e.g. coroners' concerns.

A report is known by `report_key`: "<source>:<doc>". The gold names coroners' reports by judiciary reference
(or "nan"), the stand-off labels by `pfd000`..., so `canonical_reports` gives gold coroners' units the
stand-off id of the report whose text contains theirs; otherwise one report would sit on both sides.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from casereview.settings import shared_dir

from .corpus import LabelledUnit
from .models import _splits

_NON_WORD = re.compile(r"\W+")


def report_key(u: LabelledUnit) -> str:
    return f"{u.source}:{u.doc}"


def _norm(text: str) -> str:
    return _NON_WORD.sub(" ", text).lower().strip()


def canonical_reports(units: list[LabelledUnit], root: Path | None = None, probe_chars: int = 120
                      ) -> list[LabelledUnit]:
    """Units whose coroners' report is named by the stand-off id (`pfd012`) wherever its text is found there.

    A gold coroners' unit whose text (its first `probe_chars` normalised characters) occurs in exactly one
    report of data/pfd/reports.jsonl takes that report's id as `doc`; other units are returned unchanged."""
    path = (Path(root) if root else shared_dir()) / "data" / "pfd" / "reports.jsonl"
    if not path.exists() or not any(u.source == "pfd" for u in units):
        return list(units)
    reports = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            reports[str(row["id"])] = _norm(str(row.get("text", "")))
    out = []
    for u in units:
        if u.source == "pfd" and u.doc not in reports:
            probe = _norm(u.text)[:probe_chars]
            hits = [rid for rid, text in reports.items() if probe and probe in text]
            if len(hits) == 1:
                u = dataclasses.replace(u, doc=hits[0])
        out.append(u)
    return out


def grouped_folds(units: list[LabelledUnit], cv_keys: set, folds: int, split: str = "grouped"
                  ) -> list[tuple[list[LabelledUnit], list[LabelledUnit]]]:
    """(train, test) per fold over the units in `cv_keys` (all units when none is).

    split="grouped": folds by report; "random": units shuffled into folds regardless of report. Either way a
    fold's training units never include a unit of the other corpora from a report in its test fold."""
    cv_idx = [i for i, u in enumerate(units) if (u.source, u.id) in cv_keys] or list(range(len(units)))
    in_cv = set(cv_idx)
    rest = [units[i] for i in range(len(units)) if i not in in_cv]
    groups = [report_key(units[i]) for i in cv_idx] if split == "grouped" else None
    out = []
    for tr, te in _splits(len(cv_idx), groups, folds, 0):
        test = [units[cv_idx[j]] for j in te]
        test_reports = {report_key(u) for u in test}
        train = [u for u in rest if report_key(u) not in test_reports] + [units[cv_idx[j]] for j in tr]
        out.append((train, test))
    return out


def loso_split(units: list[LabelledUnit], cv_keys: set, source: str
               ) -> tuple[list[LabelledUnit], list[LabelledUnit], list[LabelledUnit]]:
    """(train, gold test, stand-off test) with `source` left out: training holds no unit of that source and
    no unit of any report that is tested."""
    gold = [u for u in units if u.source == source and (u.source, u.id) in cv_keys]
    standoff = [u for u in units if u.source == source and (u.source, u.id) not in cv_keys]
    tested = {report_key(u) for u in gold + standoff}
    train = [u for u in units if u.source != source and report_key(u) not in tested]
    return train, gold, standoff


def sources_present(units: Iterable[LabelledUnit], wanted: Iterable[str]) -> list[str]:
    have = {u.source for u in units}
    return [s for s in wanted if s in have]


def majority_accuracy(gold: list[str | None]) -> float:
    """Accuracy of always answering the most common category: the floor a SCIE mapper must beat."""
    labels = [g for g in gold if g]
    if not labels:
        return 0.0
    _, counts = np.unique(labels, return_counts=True)
    return round(float(counts.max() / len(labels)), 4)


def second_look(rows: list[dict], k: int = 300) -> list[dict]:
    """The stand-off labels most worth a second reading, from predictions of models that never saw their source.

    A row scores high when the model confidently contradicts the annotators (a SCIE category it gives little
    weight, a theme it gives < 0.1 or one they left out that it gives > 0.9) or is unsure (top SCIE score below
    0.4). Ids, labels and scores only: the text stays in ../shared."""
    out = []
    for r in rows:
        reasons, score = [], 0.0
        s = r.get("scie_scores") or {}
        if r.get("gold_scie") and s:
            top = max(s, key=lambda c: s[c])
            gap = s[top] - s.get(r["gold_scie"], 0.0)
            if top != r["gold_scie"] and gap >= 0.4:
                reasons.append(f"scie: model {top} ({s[top]:.2f}) vs annotators {r['gold_scie']}")
                score = max(score, gap)
            elif s[top] < 0.4:
                reasons.append("scie: model unsure")
                score = max(score, 0.4 - s[top])
        ts = r.get("theme_scores") or {}
        for lab, p in ts.items():
            if lab in r.get("gold", []) and p < 0.1:
                reasons.append(f"theme {lab}: annotators yes, model {p:.2f}")
                score = max(score, 1.0 - p - 0.5)
            elif lab not in r.get("gold", []) and p > 0.9:
                reasons.append(f"theme {lab}: annotators no, model {p:.2f}")
                score = max(score, p - 0.5)
        if reasons:
            out.append({"id": r["id"], "source": r.get("source"), "doc": r.get("doc"), "score": round(score, 3),
                        "reasons": reasons, "annotators": {"themes": r.get("gold"), "scie": r.get("gold_scie")},
                        "model": {"themes": r.get("pred"), "scie": r.get("pred_scie")}})
    return sorted(out, key=lambda x: (-x["score"], x["id"]))[:k]
