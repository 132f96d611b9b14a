"""Score a redactor against the who-is-who truth of corpora/redaction_truth/narratives.jsonl, and on real
reports: non-name tokens changed (hand-labelled names) and the deceased's name left (coroners' reports).

A system's output is a list of (start, end, replacement) in ORIGINAL offsets. A mention's pseudonym is
the replacement(s) overlapping it, or its own text when nothing touches it (what a reader sees).
Every function returns counts and rates only, never report text.
"""

from __future__ import annotations

import re
from itertools import combinations

Out = list[tuple[int, int, str]]

TOKEN = re.compile(r"\w+")
# Words before a name that are not the name (the deceased may be "Baby X" or "Dr X").
TITLES = {"mr", "mrs", "ms", "miss", "mx", "master", "dr", "baby", "sir", "dame", "lady", "lord", "rev",
          "the", "a", "an", "late", "infant", "child", "pc", "sgt", "and", "aged", "age", "of"}
# Capitalised words that end the name run: "the death of Ann Lee Inquest concluded ..."
ENDS_NAME = {"inquest", "investigation", "on", "in", "at", "who", "which", "i", "the", "hm", "coroner", "born",
             "date", "died", "deceased", "dob"}
# "the death of Ann Lee", "the deaths of A B, aged 47, and C D", "into Ann Lee's death", "16-year-old Ann"
DEATH_OF = re.compile(r"\bdeaths?\s+of:?\s+(?P<names>[^.;]{1,200})", re.IGNORECASE)
INTO_DEATH = re.compile(r"\binto\s+(?P<names>(?:[A-Z][\w'’\-]+\s+){0,4}[A-Z][\w\-]+)['’]s?\s+death\b")
MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"}
NAME_WORD = re.compile(r"(?:Mc|Mac|O['’])?[A-Z][\w'’\-]*")


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
    return {"narratives": len(narratives), "mentions": names, "names_left": names_left,
            "same_person_recall": round(same_tp / max(same_tp + same_fn, 1), 4),
            "same_person_precision": round(same_tp / max(same_tp + diff_fp, 1), 4),
            "different_people_kept_apart": round(diff_tn / max(diff_tn + diff_fp, 1), 4),
            "child_label_misuse": misuse, "keep_spans": keeps, "kept": kept,
            "kept_rate": round(kept / max(keeps, 1), 4)}


def score_split(narratives: list[dict], outputs: list[Out], child_label: str) -> dict:
    """The measures for dev (holdout=false) and holdout (holdout=true) narratives apart, each also by style.

    Holdout numbers are for reporting only: nothing is tuned on them."""
    result = {}
    for part, wanted in (("dev", False), ("holdout", True)):
        pairs = [(n, o) for n, o in zip(narratives, outputs, strict=True) if bool(n.get("holdout")) == wanted]
        entry = score([n for n, _ in pairs], [o for _, o in pairs], child_label)
        entry["by_style"] = {
            style: score([n for n, _ in pairs if n["style"] == style],
                         [o for n, o in pairs if n["style"] == style], child_label)
            for style in sorted({n["style"] for n, _ in pairs})}
        result[part] = entry
    return result


# -- real reports with hand-labelled names ---------------------------------------------------------------

def non_name_tokens_changed(text: str, names: list[tuple[int, int]], out: Out,
                            titles: frozenset[str] = frozenset()) -> dict:
    """Word tokens outside every labelled name that a redaction touches.

    `titles` (folded courtesy titles) are counted apart when they stand right before a labelled name: the
    redactor replaces "Mr Lee" whole, which changes the word "Mr" but hides no information."""
    name_starts = sorted(s for s, _ in names)
    tokens = changed = title_changed = 0
    for match in TOKEN.finditer(text):
        start, end = match.span()
        if any(s < end and start < e for s, e in names):
            continue
        tokens += 1
        if any(s < end and start < e for s, e, _ in out):
            follow = re.match(r"\.?\s+", text[end:end + 3])
            if match.group().casefold() in titles and follow and end + follow.end() in name_starts:
                title_changed += 1
            else:
                changed += 1
    return {"tokens": tokens, "changed": changed, "titles_changed": title_changed}


def per_10k(counts: list[dict]) -> dict:
    tokens = sum(c["tokens"] for c in counts)
    changed = sum(c["changed"] for c in counts)
    titles = sum(c["titles_changed"] for c in counts)
    return {"reports": len(counts), "non_name_tokens": tokens, "changed": changed,
            "titles_before_a_name_changed": titles,
            "changed_per_10k": round(10_000 * changed / max(tokens, 1), 2),
            "changed_per_10k_with_titles": round(10_000 * (changed + titles) / max(tokens, 1), 2)}


# -- coroners' reports: the deceased's name ------------------------------------------------------------

def deceased_tokens(text: str) -> set[str]:
    """The name words of the deceased, read from how coroners name them: "the death of [Baby] Ann Lee",
    "the deaths of A B, aged 47, and C D", "into Ann Lee's death". Empty when the text does not say."""
    tokens: set[str] = set()
    match = DEATH_OF.search(text)
    if match:
        for part in re.split(r",|\band\b|\(|\bwho\b|\baged?\b", match.group("names")):
            words = re.sub(r"^\s*(?:\d+[\s\-]*(?:years?|months?|weeks?)[\s\-]*old\s+)", "", part).split()
            run = []
            for word in words:
                word = word.strip("'\"‘’“”")
                if word.casefold() in ENDS_NAME and run:
                    break
                if NAME_WORD.fullmatch(word) and word.casefold() not in TITLES and not word.isdigit():
                    run.append(re.sub(r"['’]s$", "", word))
                elif word.casefold() in TITLES and not run:
                    continue
                else:
                    break
            tokens.update(run)
            if tokens and not match.group().lower().startswith("deaths"):
                break  # one deceased: what follows ("who died at X Hospital, Y") is not a name
    if not tokens:
        match = INTO_DEATH.search(text)
        if match:
            tokens.update(w for w in match.group("names").split() if w.casefold() not in TITLES)
    return {t for t in tokens if len(t) >= 2 and "REDACTED" not in t.upper()}


def is_date(text: str, start: int, end: int) -> bool:
    return bool(re.search(r"\d(?:st|nd|rd|th)?\s*$", text[max(0, start - 8):start])
                or re.match(r"\s*\d", text[end:end + 4]))


def name_occurrences(text: str, tokens: set[str], out: Out | None = None) -> tuple[int, int]:
    """(mentions, left): capitalised or upper-case whole-word occurrences of the tokens in the original
    text, and how many of them no redaction in `out` covers."""
    mentions = left_count = 0
    for token in tokens:
        for match in re.finditer(rf"(?<![\w'’\-]){re.escape(token)}(?!\w)", text, re.IGNORECASE):
            word = match.group()
            if not word[0].isupper() or (token.casefold() in MONTHS and is_date(text, match.start(), match.end())):
                continue  # "31 May 2019" is a date, not Lily May
            mentions += 1
            if out is None or not any(s <= match.start() and match.end() <= e for s, e, _ in out):
                left_count += 1
    return mentions, left_count


def deceased_left(reports: list[str], outputs: list[Out]) -> dict:
    """Over coroners' reports: how many mentions of the deceased's name tokens survive redaction."""
    found = mentions = left_count = reports_with_left = 0
    for text, out in zip(reports, outputs, strict=True):
        tokens = deceased_tokens(text)
        if not tokens:
            continue
        found += 1
        m, lft = name_occurrences(text, tokens, out)
        mentions += m
        left_count += lft
        reports_with_left += lft > 0
    return {"reports": len(reports), "deceased_named": found, "mentions": mentions, "left": left_count,
            "reports_with_a_name_left": reports_with_left}
