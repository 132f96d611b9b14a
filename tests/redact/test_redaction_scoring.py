"""Oracle tests for benchmarks/redaction_scoring.py: outputs whose right scores are known by construction."""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks.redaction_scoring import (  # noqa: E402
    deceased_left,
    deceased_tokens,
    non_name_tokens_changed,
    per_10k,
    score,
    score_split,
)

NARRATIVES = [json.loads(line) for line in (ROOT / "corpora/redaction_truth/narratives.jsonl").open()]


def oracle(narrative: dict) -> list[tuple[int, int, str]]:
    """The ideal redaction: every name mention replaced by its person's own label, the subject by Child A."""
    subject = {p["id"] for p in narrative["people"] if p["is_subject_child"]}
    labels = {p["id"]: "Child A" if p["id"] in subject else f"[PERSON {i}]"
              for i, p in enumerate(narrative["people"], 1)}
    return [(m["start"], m["end"], labels[m["person"]]) for m in narrative["mentions"] if not m["existing_label"]]


def test_perfect_output_scores_one_on_every_narrative():
    result = score_split(NARRATIVES, [oracle(n) for n in NARRATIVES], "Child A")
    for part in ("dev", "holdout"):
        r = result[part]
        assert r["narratives"] > 0 and r["names_left"] == 0 and r["child_label_misuse"] == 0
        assert r["same_person_recall"] == r["same_person_precision"] == 1.0
        assert r["different_people_kept_apart"] == 1.0 and r["kept_rate"] == 1.0
        assert sum(s["narratives"] for s in r["by_style"].values()) == r["narratives"]
    assert result["dev"]["narratives"] + result["holdout"]["narratives"] == len(NARRATIVES)


def test_everyone_the_same_label_fails_kept_apart_and_misuses_the_child_label():
    same = [[(m["start"], m["end"], "Child A") for m in n["mentions"]] for n in NARRATIVES]
    r = score(NARRATIVES, same, "Child A")
    assert r["different_people_kept_apart"] == 0.0 and r["same_person_recall"] == 1.0
    assert r["same_person_precision"] < 0.5 and r["child_label_misuse"] > 100 and r["names_left"] == 0


def test_doing_nothing_leaves_every_name():
    r = score(NARRATIVES, [[] for _ in NARRATIVES], "Child A")
    assert r["names_left"] == r["mentions"] and r["kept_rate"] == 1.0


def test_redacting_everything_keeps_nothing():
    r = score(NARRATIVES, [[(0, len(n["text"]), "X")] for n in NARRATIVES], "Child A")
    assert r["names_left"] == 0 and r["kept_rate"] == 0.0


TEXT = "Mr Lee met Ann Roe in Leeds on Monday."
NAMES = [(3, 6), (11, 18)]


def test_non_name_tokens_changed():
    assert non_name_tokens_changed(TEXT, NAMES, [(3, 6, "P1"), (11, 18, "P2")]) == \
        {"tokens": 6, "changed": 0, "titles_changed": 0}
    wrong = [(0, 6, "P1"), (22, 27, "P2")]  # the title with the name, and a town
    assert non_name_tokens_changed(TEXT, NAMES, wrong, frozenset({"mr"})) == \
        {"tokens": 6, "changed": 1, "titles_changed": 1}
    assert non_name_tokens_changed(TEXT, NAMES, wrong)["changed"] == 2
    summary = per_10k([{"tokens": 5000, "changed": 3, "titles_changed": 1}] * 2)
    assert summary["changed_per_10k"] == 6.0 and summary["changed_per_10k_with_titles"] == 8.0


def test_deceased_tokens_from_how_coroners_name_them():
    assert deceased_tokens("an investigation into the death of Ann Mary Lee. The") == {"Ann", "Mary", "Lee"}
    assert deceased_tokens("into the death of 16-year-old Jo Bell. It") == {"Jo", "Bell"}
    assert deceased_tokens("the death of Dr Sam Hill who died at Kew Hospital, Leeds") == {"Sam", "Hill"}
    assert deceased_tokens("the deaths of A Bo, aged 4, and Cy Dee, aged 7.") == {"Bo", "Cy", "Dee"}
    assert deceased_tokens("commenced into Noah Lomax’s death on") == {"Noah", "Lomax"}
    assert deceased_tokens("into the death of [REDACTED] aged 18") == set()


def test_deceased_left_counts_capitalised_mentions_outside_redactions():
    text = "the death of Jo Chester. Jo lived in Chester; chester cake."
    out = [(13, 23, "Child A"), (25, 27, "Child A")]
    r = deceased_left([text], [out])
    assert (r["mentions"], r["left"], r["reports_with_a_name_left"]) == (4, 1, 1)
    assert deceased_left([text], [[(0, len(text), "X")]])["left"] == 0
    dates = "the death of Lily May Roe. On 31 May 2019, May 3 2020, Lily May was seen."
    assert deceased_left([dates], [[]])["mentions"] == 5  # Lily, May, Roe; the dates' May are not names
