"""The redaction truth builds deterministically and the scorer counts toy outputs correctly."""

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.redaction_scoring import score  # noqa: E402

spec = importlib.util.spec_from_file_location("rt_build", ROOT / "corpora/redaction_truth/build.py")
assert spec and spec.loader
build = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build)


def test_build_is_deterministic_and_matches_the_file():
    content = build.render(build.build())
    assert content == build.render(build.build())
    assert content == (ROOT / "corpora/redaction_truth/narratives.jsonl").read_text(encoding="utf-8")


def test_offsets_match_the_marked_text():
    text, mentions, keeps = build.strip_markup("Ms [[p1:Ann Roe]]'s son [[p2:Bo]] in {{keep:Kew}}.")
    assert [text[m["start"]:m["end"]] for m in mentions] == ["Ann Roe", "Bo"]
    assert [text[k["start"]:k["end"]] for k in keeps] == ["Kew"]


TOY = [{"text": "Ann met Bo. Ann left Kew.", "people": [{"id": "p1", "is_subject_child": True},
        {"id": "p2", "is_subject_child": False}],
        "mentions": [{"start": 0, "end": 3, "person": "p1", "existing_label": False},
                     {"start": 8, "end": 10, "person": "p2", "existing_label": False},
                     {"start": 12, "end": 15, "person": "p1", "existing_label": False}],
        "keep": [{"start": 21, "end": 24}]}]


def test_perfect_output():
    r = score(TOY, [[(0, 3, "Child A"), (8, 10, "P1"), (12, 15, "Child A")]], "Child A")
    assert (r["names_left"], r["same_person_recall"], r["same_person_precision"]) == (0, 1.0, 1.0)
    assert (r["child_label_misuse"], r["kept_rate"]) == (0, 1.0)


def test_merged_people_and_child_label_misuse():
    r = score(TOY, [[(0, 3, "Child A"), (8, 10, "Child A"), (12, 15, "Child A")]], "Child A")
    assert r["same_person_precision"] == round(1 / 3, 4) and r["child_label_misuse"] == 1


def test_split_person_and_name_left():
    r = score(TOY, [[(0, 3, "P1"), (8, 10, "P2"), (21, 24, "P3")]], "Child A")
    assert r["same_person_recall"] == 0.0 and r["names_left"] == 1 and r["kept_rate"] == 0.0
