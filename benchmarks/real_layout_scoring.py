"""Score extracted items and headings against the stand-off real-layout truth (corpora/real_layout/truth).

The truth holds no report text, only first/last words, word counts and hashes of normalised text
(corpora/real_layout/norm.py), so an extractor's output is turned into the same stand-off records
before matching. A predicted record matches a truth record, one to one, when
- exact: the normalised text hashes are equal (page within PAGE_SLACK), or
- loose: first and last words equal, word counts within WORD_SLACK of the truth's, page within PAGE_SLACK.
Headings have no last words in the truth: their loose match is first words and word count.

Extracted section titles that match no truth heading are sorted into the kinds issue 11 counts as
"not headings": page numbers, contents-page lines and fragments; the rest are "other" false headings.

Usage: python benchmarks/real_layout_scoring.py --shared ../shared [--out benchmarks/results/real_layout.json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "pipeline"))

from corpora.real_layout.norm import norm, stand_off

TRUTH_DIR = ROOT / "corpora" / "real_layout" / "truth"
# Truth made after the extraction rules were frozen, by an annotator who never ran the extractor: the
# figure for layouts the rules were not developed on (scored apart, quoted first).
HOLDOUT_DIR = ROOT / "corpora" / "real_layout" / "holdout"
PAGE_SLACK = 1  # a list that starts at the foot of a page may be attributed to the next one
WORD_SLACK = 0.15  # share of the truth's word count a loose match may differ by
ROMAN = re.compile(r"^[ivxlcdm]+$")
# A contents-page line: a title followed by its page number (dot leaders are not words after norm()).
CONTENTS_LINE = re.compile(r"^\D.*\s\d{1,4}$")
# A heading's number label ("5", "2.1", "3.") is left out of the truth where it sits in its own cell
# (PFD form sections) and kept where it is printed as part of the title: a title matches either way.
HEADING_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)*[.)]?\s+(?=\S)")
FRAGMENT_WORDS = 2  # unmatched titles this short are fragments ("and", "Board 1")


@dataclass
class Record:
    """One predicted item or heading in stand-off form."""

    page: int
    first_words: str
    last_words: str
    n_words: int
    text_sha1: str
    number: str | None = None
    level: int | None = None
    title: str = ""  # normalised text, in memory only (never written): classifies false headings
    lowercase_start: bool = False  # the printed text begins with a lower-case letter (a cut-off line)
    alt: Record | None = None  # the same title without its number label, also accepted as a match

    @classmethod
    def of(cls, text: str, page: int, number: str | None = None, level: int | None = None) -> Record:
        so = stand_off(text)
        return cls(page=page, first_words=so["first_words"], last_words=so["last_words"],
                   n_words=so["n_words"], text_sha1=so["text_sha1"], number=number, level=level,
                   title=norm(text), lowercase_start=text.strip()[:1].islower())


def _exact(truth: dict, rec: Record) -> bool:
    return any(r.text_sha1 == truth["text_sha1"] and abs(r.page - truth["page"]) <= PAGE_SLACK
               for r in _variants(rec))


def _variants(rec: Record) -> list[Record]:
    return [rec] if rec.alt is None else [rec, rec.alt]


def _loose(truth: dict, rec: Record, last_words: bool) -> bool:
    return any(_loose_one(truth, r, last_words) for r in _variants(rec))


def _loose_one(truth: dict, rec: Record, last_words: bool) -> bool:
    if abs(rec.page - truth["page"]) > PAGE_SLACK or rec.first_words != truth["first_words"]:
        return False
    if last_words and rec.last_words != truth["last_words"]:
        return False
    return abs(rec.n_words - truth["n_words"]) <= WORD_SLACK * truth["n_words"]


def match(truth: list[dict], predicted: list[Record], last_words: bool = True) -> list[tuple[int, int]]:
    """One-to-one (truth index, predicted index) pairs: exact hash matches first, nearest page first."""
    pairs: list[tuple[int, int]] = []
    used_t: set[int] = set()
    used_p: set[int] = set()
    for exact in (True, False):
        for ti, t in enumerate(truth):
            if ti in used_t:
                continue
            cands = [pi for pi, p in enumerate(predicted) if pi not in used_p and (
                _exact(t, p) if exact else _loose(t, p, last_words))]
            if cands:
                best = min(cands, key=lambda pi: abs(predicted[pi].page - t["page"]))
                pairs.append((ti, best))
                used_t.add(ti)
                used_p.add(best)
    return pairs


def false_heading_kind(rec: Record, contents_pages: Iterable[int], pages: int) -> str:
    """Why an unmatched section title is not a heading."""
    words = rec.title.split()
    if words and all(w.isdigit() or ROMAN.match(w) for w in words):
        return "page_number"
    if rec.page in set(contents_pages) or (CONTENTS_LINE.match(rec.title) and int(words[-1]) <= pages):
        return "contents_line"
    if len(words) <= FRAGMENT_WORDS or rec.lowercase_start:
        return "fragment"
    return "other"


def ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def score_document(truth: dict, items: list[Record], headings: list[Record]) -> dict[str, Any]:
    """Counts for one PDF; sums of these give the corpus figures."""
    item_pairs = match(truth["items"], items)
    head_pairs = match(truth["headings"], headings, last_words=False)
    matched_p = {pi for _, pi in head_pairs}
    kinds: dict[str, int] = {"page_number": 0, "contents_line": 0, "fragment": 0, "other": 0}
    for pi, rec in enumerate(headings):
        if pi not in matched_p:
            kinds[false_heading_kind(rec, truth["contents_pages"], truth["pages"])] += 1
    level_ok = sum(1 for ti, pi in head_pairs if headings[pi].level == truth["headings"][ti]["level"])
    # Levels may be numbered from another origin (a title at level 1 pushes everything down): map each
    # predicted level to the truth level it most often stands for, then count agreement.
    by_level: dict[int | None, Counter[int]] = {}
    for ti, pi in head_pairs:
        by_level.setdefault(headings[pi].level, Counter())[truth["headings"][ti]["level"]] += 1
    level_mapped_ok = sum(c.most_common(1)[0][1] for c in by_level.values())
    item_exact = sum(1 for ti, pi in item_pairs if items[pi].text_sha1 == truth["items"][ti]["text_sha1"])
    return {
        "items_truth": len(truth["items"]), "items_predicted": len(items), "items_matched": len(item_pairs),
        "items_numbered_ok": sum(1 for ti, pi in item_pairs
                                 if (items[pi].number or None) == (truth["items"][ti]["number"] or None)),
        "headings_truth": len(truth["headings"]), "headings_predicted": len(headings),
        "items_matched_exact": item_exact, "headings_matched": len(head_pairs), "heading_levels_ok": level_ok,
        "heading_levels_mapped_ok": level_mapped_ok, "false_headings": kinds,
    }


def summarise(counts: list[dict[str, Any]]) -> dict[str, Any]:
    total: dict[str, Any] = {k: sum(c[k] for c in counts) for k in (
        "items_truth", "items_predicted", "items_matched", "items_matched_exact", "items_numbered_ok",
        "headings_truth", "headings_predicted", "headings_matched", "heading_levels_ok",
        "heading_levels_mapped_ok")}
    kinds = {k: sum(c["false_headings"][k] for c in counts) for k in counts[0]["false_headings"]} if counts else {}
    not_headings = kinds.get("page_number", 0) + kinds.get("contents_line", 0) + kinds.get("fragment", 0)
    return {
        "documents": len(counts),
        "item_recall": ratio(total["items_matched"], total["items_truth"]),
        "item_precision": ratio(total["items_matched"], total["items_predicted"]),
        "heading_recall": ratio(total["headings_matched"], total["headings_truth"]),
        "heading_precision": ratio(total["headings_matched"], total["headings_predicted"]),
        "heading_level_accuracy": ratio(total["heading_levels_ok"], total["headings_matched"]),
        "heading_level_accuracy_mapped": ratio(total["heading_levels_mapped_ok"], total["headings_matched"]),
        # issue 11's measure: section titles that are page numbers, contents lines or fragments
        "section_titles_not_headings_share": ratio(not_headings, total["headings_predicted"]),
        "false_headings": kinds,
        **total,
    }


def load_truth(folder: Path = TRUTH_DIR) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def find_pdfs(data: Path, truth: list[dict]) -> dict[str, Path]:
    """sha256 -> PDF under data/<collection>, for the truth files' collections only."""
    wanted = {t["sha256"] for t in truth}
    found: dict[str, Path] = {}
    for collection in sorted({t["collection"] for t in truth}):
        for pdf in sorted((data / collection).glob("*.pdf")):
            digest = sha256_file(pdf)
            if digest in wanted:
                found.setdefault(digest, pdf)
    return found


def records_of(doc: Any) -> tuple[list[Record], list[Record]]:
    """A casereview Document's items and section titles as stand-off records with 1-based pages."""
    starts = [(p.start, p.number) for p in doc.pages]

    def page_at(offset: int) -> int:
        page = starts[0][1] if starts else 1
        for start, number in starts:
            if start > offset:
                break
            page = number
        return page

    items = [Record.of(i.full_text, page_at(i.start), number=i.number) for i in doc.items]
    heads = []
    for s in doc.sections:
        rec = Record.of(s.title, page_at(s.start), level=s.level)
        bare = HEADING_NUMBER.sub("", s.title)
        if bare != s.title:
            rec.alt = Record.of(bare, rec.page, level=s.level)
        heads.append(rec)
    return items, heads


def evaluate(data: Path, truth_dir: Path = TRUTH_DIR) -> dict[str, Any]:
    from casereview.extract import extract_pdf

    truth = load_truth(truth_dir)
    pdfs = find_pdfs(data, truth)
    by_collection: dict[str, list[dict]] = {}
    per_doc = []
    missing = []
    pages = 0
    elapsed = 0.0
    for t in truth:
        pdf = pdfs.get(t["sha256"])
        if pdf is None:
            missing.append(t["sha256"][:16])
            continue
        start = time.perf_counter()
        doc = extract_pdf(pdf)
        elapsed += time.perf_counter() - start
        pages += doc.source.pages
        items, heads = records_of(doc)
        counts = score_document(t, items, heads)
        by_collection.setdefault(t["collection"], []).append(counts)
        # per-document rows name the truth id, never the file (PFD file names carry names)
        per_doc.append({"truth": t["sha256"][:16], "collection": t["collection"], "status": doc.status,
                        "items": f"{counts['items_matched']}/{counts['items_truth']} pred={counts['items_predicted']}",
                        "headings": f"{counts['headings_matched']}/{counts['headings_truth']} "
                                    f"pred={counts['headings_predicted']}"})
    all_counts = [c for cs in by_collection.values() for c in cs]
    return {
        "truth_files": len(truth), "scored": len(all_counts), "missing_pdfs": missing,
        "checked_by_second_reader": sum(1 for t in truth if t.get("checked_by")),
        "pages": pages, "pages_per_second": round(pages / elapsed, 2) if elapsed else None,
        "all": summarise(all_counts),
        "by_collection": {k: summarise(v) for k, v in sorted(by_collection.items())},
        "documents": per_doc,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--truth", type=Path, default=TRUTH_DIR, help="folder of truth files (default: truth/)")
    args = parser.parse_args()
    result = evaluate(args.shared / "data", args.truth)
    text = json.dumps(result, indent=2) + "\n"
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "documents"}, indent=2))


if __name__ == "__main__":
    main()
