"""The real-layout truth files follow their stand-off schema, and the scorer counts outputs correctly."""

import copy
import json
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.real_layout_scoring import (  # noqa: E402
    HOLDOUT_DIR,
    TRUTH_DIR,
    Record,
    load_truth,
    records_of,
    score_document,
    summarise,
)
from corpora.real_layout.norm import stand_off  # noqa: E402

TRUTH_FILES = sorted(TRUTH_DIR.glob("*.json")) + sorted(HOLDOUT_DIR.glob("*.json"))
HEX = re.compile(r"^[0-9a-f]+$")
TOP_KEYS = {"sha256", "collection", "pages", "annotator", "checked_by", "check_notes", "contents_pages",
            "items", "headings"}
ITEM_KEYS = {"page", "section", "number", "first_words", "last_words", "n_words", "text_sha1"}
HEADING_KEYS = {"page", "level", "first_words", "n_words", "text_sha1"}
COLLECTIONS = {"ofsted/pdfs", "gov_pdfs", "pfd_more/pdfs"}


def schema_errors(t: dict, name: str) -> list[str]:
    """Every way one truth file breaks the README's format (empty when it follows it)."""
    errors = []
    if set(t) != TOP_KEYS:
        return [f"top-level keys {sorted(set(t) ^ TOP_KEYS)}"]
    if not (isinstance(t["sha256"], str) and len(t["sha256"]) == 64 and HEX.match(t["sha256"])):
        errors.append("sha256")
    elif name != t["sha256"][:16] + ".json":
        errors.append("file name is not sha256[:16]")
    if t["collection"] not in COLLECTIONS:
        errors.append("collection")
    pages = t["pages"]
    if not (isinstance(pages, int) and pages > 0):
        return [*errors, "pages"]
    if not (isinstance(t["annotator"], str) and t["annotator"].isalnum() and t["annotator"].isupper()):
        errors.append("annotator")
    checker = t["checked_by"]
    if checker is not None and (not (isinstance(checker, str) and checker.isalnum() and checker.isupper())
                                or checker == t["annotator"]):
        errors.append("checked_by must be a second reader's id (not the annotator) or null")
    if not isinstance(t["check_notes"], str):
        errors.append("check_notes")
    if not all(isinstance(p, int) and 1 <= p <= pages for p in t["contents_pages"]):
        errors.append("contents_pages")
    return errors + list_errors(t, pages)


def list_errors(t: dict, pages: int) -> list[str]:
    errors = []
    for kind, rows, keys in (("item", t["items"], ITEM_KEYS), ("heading", t["headings"], HEADING_KEYS)):
        for i, row in enumerate(rows):
            errors += [f"{kind} {i}: {e}" for e in row_errors(row, keys, pages)]
    if errors:
        return errors
    for i, item in enumerate(t["items"]):
        if not (isinstance(item["section"], str) and item["section"].strip()):
            errors.append(f"item {i}: section")
        if item["number"] is not None and not (isinstance(item["number"], str) and item["number"].strip()):
            errors.append(f"item {i}: number")
    for i, h in enumerate(t["headings"]):
        if not (isinstance(h["level"], int) and h["level"] >= 1):
            errors.append(f"heading {i}: level")
    return errors


def row_errors(row: dict, keys: set[str], pages: int) -> list[str]:
    if set(row) != keys:
        return [f"keys {sorted(set(row) ^ keys)}"]
    errors = []
    if not (isinstance(row["page"], int) and 1 <= row["page"] <= pages):
        errors.append("page")
    n = row["n_words"]
    if not (isinstance(n, int) and n >= 1):
        return [*errors, "n_words"]
    for edge in ("first_words", "last_words"):
        if edge in row:
            words = row[edge].split()
            # stand-off: at most 3 normalised words, never more text than that
            if len(words) != min(3, n) or row[edge] != " ".join(words) or row[edge] != row[edge].casefold():
                errors.append(edge)
    if not (isinstance(row["text_sha1"], str) and len(row["text_sha1"]) == 40 and HEX.match(row["text_sha1"])):
        errors.append("text_sha1")
    return errors


def test_there_is_truth_to_check():
    assert len(TRUTH_FILES) >= 10


@pytest.mark.parametrize("path", TRUTH_FILES, ids=lambda p: p.stem)
def test_truth_file_follows_the_schema(path: Path):
    assert schema_errors(json.loads(path.read_text(encoding="utf-8")), path.name) == []


def test_no_two_truth_files_describe_the_same_pdf():
    shas = [t["sha256"] for t in load_truth()]
    assert len(shas) == len(set(shas))


def test_schema_check_catches_broken_files():
    good = load_truth()[0]
    name = good["sha256"][:16] + ".json"
    assert schema_errors(good, name) == []
    broken = [("sha256", "xyz"), ("collection", "pfd/pdfs"), ("checked_by", good["annotator"]),
              ("contents_pages", [good["pages"] + 1])]
    for key, value in broken:
        t = copy.deepcopy(good)
        t[key] = value
        assert schema_errors(t, name), key
    t = copy.deepcopy(good)
    t["headings"][0]["text"] = "full heading text"  # a text field would ship report text
    assert schema_errors(t, name)
    t = copy.deepcopy(good)
    t["headings"][0]["first_words"] = "one two three four"
    assert schema_errors(t, name)
    assert schema_errors(good, "0000000000000000.json")


def oracle(t: dict) -> tuple[list[Record], list[Record]]:
    """What a perfect extractor's output looks like once in stand-off form."""
    items = [Record(page=i["page"], first_words=i["first_words"], last_words=i["last_words"],
                    n_words=i["n_words"], text_sha1=i["text_sha1"], number=i["number"]) for i in t["items"]]
    heads = [Record(page=h["page"], first_words=h["first_words"], last_words="", n_words=h["n_words"],
                    text_sha1=h["text_sha1"], level=h["level"], title=h["first_words"]) for h in t["headings"]]
    return items, heads


def test_oracle_output_scores_one_on_every_truth_file():
    truth = load_truth()
    counts = [score_document(t, *oracle(t)) for t in truth]
    total = summarise(counts)
    assert total["item_recall"] == 1.0 and total["heading_recall"] == 1.0
    assert total["item_precision"] == 1.0 and total["heading_precision"] == 1.0
    assert total["section_titles_not_headings_share"] == 0.0
    assert total["heading_level_accuracy"] == 1.0 and total["items_matched_exact"] == total["items_truth"]


def test_level_accuracy_mapped_forgives_a_shifted_origin_but_not_a_flattened_one():
    t = next(t for t in load_truth() if len({h["level"] for h in t["headings"]}) >= 2)
    _, heads = oracle(t)
    for h in heads:
        h.level = (h.level or 0) + 1
    c = score_document(t, [], heads)
    assert c["heading_levels_ok"] == 0 and c["heading_levels_mapped_ok"] == len(heads)
    for h in heads:
        h.level = 1
    assert score_document(t, [], heads)["heading_levels_mapped_ok"] < len(heads)


def test_missing_shifted_and_extra_output_lowers_the_scores():
    t = next(t for t in load_truth() if len(t["items"]) >= 3 and t["contents_pages"])
    items, heads = oracle(t)
    items = items[1:]  # one item not found
    items[0].page += 3  # found three pages away: no longer the same item
    heads.append(Record.of("12", page=5))
    heads.append(Record.of("and", page=6))
    heads.append(Record.of("Executive summary 2", page=t["contents_pages"][0]))
    c = score_document(t, items, heads)
    assert c["items_matched"] == len(t["items"]) - 2
    assert c["items_predicted"] == len(t["items"]) - 1
    assert c["headings_matched"] == len(t["headings"])
    assert c["false_headings"] == {"page_number": 1, "contents_line": 1, "fragment": 1, "other": 0}
    assert summarise([c])["section_titles_not_headings_share"] == round(3 / len(heads), 4)


def test_loose_match_needs_same_edges_similar_length_and_near_page():
    text = "Ensure that all children in care have a timely health assessment and a plan for their health"
    truth = {"sha256": "0" * 64, "pages": 9, "contents_pages": [], "headings": [],
             "items": [{"page": 4, "section": "Recommendations", "number": "1", **stand_off(text)}]}
    variants = {
        "Ensure that all children in care have a timely health assessment, and a clear plan for their health": 1,
        "Ensure that all children in care have a plan for their health": 0,  # 12 of 17 words
        "Make sure that all children in care have a timely health assessment and a plan for their health": 0,
    }
    for variant, expected in variants.items():
        assert score_document(truth, [Record.of(variant, page=5)], [])["items_matched"] == expected, variant
    assert score_document(truth, [Record.of(text, page=6)], [])["items_matched"] == 0


def test_records_of_maps_offsets_to_pages_and_drops_heading_numbers():
    doc = SimpleNamespace(
        pages=[SimpleNamespace(number=1, start=0, end=99), SimpleNamespace(number=2, start=100, end=199)],
        items=[SimpleNamespace(full_text="Do the thing well.", start=120, number="3")],
        sections=[SimpleNamespace(title="5 CORONER'S CONCERNS", start=10, level=1),
                  SimpleNamespace(title="7", start=150, level=1)])
    items, heads = records_of(doc)
    assert (items[0].page, items[0].number, items[0].n_words) == (2, "3", 4)
    assert [(h.page, h.title) for h in heads] == [(1, "5 coroner s concerns"), (2, "7")]
    assert heads[0].alt is not None and heads[0].alt.title == "coroner s concerns" and heads[1].alt is None
    truth = {"pages": 2, "contents_pages": [], "items": [], "headings": [
        {"page": 1, "level": 1, **{k: v for k, v in stand_off(t).items() if k != "last_words"}}
        for t in ("CORONER'S CONCERNS", "5 CORONER'S CONCERNS")]}
    for one in truth["headings"]:  # a numbered title matches a truth heading with or without its number
        assert score_document({**truth, "headings": [one]}, [], heads)["headings_matched"] == 1


def test_exact_matches_are_paired_before_loose_ones():
    a = "Ensure that every child in care has a timely health assessment and plan for all children"
    b = "Ensure that every child in need has a timely review of the plan for all children"
    truth = {"pages": 9, "contents_pages": [], "headings": [],
             "items": [{"page": 4, "section": "Recommendations", "number": "1", **stand_off(a)},
                       {"page": 5, "section": "Recommendations", "number": "2", **stand_off(b)}]}
    # b's text sits on a's page: a loose-first pairing would give both truth items the wrong partner
    c = score_document(truth, [Record.of(b, page=4), Record.of(a, page=5)], [])
    assert (c["items_matched"], c["items_matched_exact"]) == (2, 2)
