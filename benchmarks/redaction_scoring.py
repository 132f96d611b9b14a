"""Score a redactor against the who-is-who truth of corpora/redaction_truth/narratives.jsonl.

A system's output is a list of (start, end, replacement) in ORIGINAL offsets. A mention's pseudonym is
the replacement(s) overlapping it, or its own text when nothing touches it (what a reader sees).
"""

from __future__ import annotations

from itertools import combinations

Out = list[tuple[int, int, str]]


def pseudonym(text: str, mention: dict, out: Out) -> str:
    hits = [r for s, e, r in sorted(out) if s < mention["end"] and mention["start"] < e]
    return " ".join(hits) if hits else text[mention["start"]:mention["end"]]


def left(text: str, mention: dict, out: Out) -> bool:
    """Some letter or digit of a real name is outside every redaction."""
    covered = {i for s, e, _ in out for i in range(s, e)}
    return any(text[i].isalnum() and i not in covered for i in range(mention["start"], mention["end"]))


def score(narratives: list[dict], outputs: list[Out], child_label: str) -> dict:
    names = names_left = same_tp = same_fn = diff_fp = diff_tn = misuse = kept = keeps = 0
    for n, out in zip(narratives, outputs, strict=True):
        subject = {p["id"] for p in n["people"] if p["is_subject_child"]}
        seen = [(m["person"], pseudonym(n["text"], m, out)) for m in n["mentions"]]
        for m in n["mentions"]:
            if not m["existing_label"]:
                names += 1
                names_left += left(n["text"], m, out)
        misuse += sum(p not in subject and label == child_label for p, label in seen)
        for (p1, l1), (p2, l2) in combinations(seen, 2):
            if p1 == p2:
                same_tp += l1 == l2
                same_fn += l1 != l2
            else:
                diff_fp += l1 == l2
                diff_tn += l1 != l2
        keeps += len(n["keep"])
        kept += sum(not any(s < k["end"] and k["start"] < e for s, e, _ in out) for k in n["keep"])
    return {"mentions": names, "names_left": names_left,
            "same_person_recall": round(same_tp / max(same_tp + same_fn, 1), 4),
            "same_person_precision": round(same_tp / max(same_tp + diff_fp, 1), 4),
            "different_people_kept_apart": round(diff_tn / max(diff_tn + diff_fp, 1), 4),
            "child_label_misuse": misuse, "keep_spans": keeps,
            "kept_rate": round(kept / max(keeps, 1), 4)}
