"""Build narratives.jsonl from the marked-up source files (invented text only, written by the project).

    python corpora/redaction_truth/build.py            # writes corpora/redaction_truth/narratives.jsonl
    python corpora/redaction_truth/build.py --check    # exit 1 if narratives.jsonl is out of date

Source format (source/*.txt, read in name order), one block per narrative:

    ### n01 | scottish_icr [| holdout] [| no_subject]
    @p1 | subject child | yes        person id | role | is the subject child (yes/no)
    @p2 | mother | no
    Text with [[p1:Jane Smith]] (a name mention), [[p1~Child A]] (a pseudonym the text already uses,
    which must stay) and {{keep:Calderdale}} (a body, place, diagnosis, ... that must survive).

Titles ("Ms", "DC") and possessive endings stay outside the brackets: a mention is the name itself.
`holdout` marks a narrative kept out of engine development (scored first); `no_subject` says the text has
no subject child (inspection reports), otherwise exactly one person must be the subject child.
The build is deterministic: same sources, same bytes, and validates every block (see `validate`).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from itertools import pairwise
from pathlib import Path

HERE = Path(__file__).resolve().parent
TITLES = {"Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "DC", "DS", "PC", "Sgt", "Uncle", "Baby"}
FLAGS = {"holdout", "no_subject"}
MARK = re.compile(r"\[\[(?P<pid>p\d+)(?P<kind>[:~])(?P<pm>[^\]]+)\]\]|\{\{keep:(?P<keep>[^}]+)\}\}")


class SourceError(ValueError):
    """A malformed source block; the message names the file and the narrative."""


def strip_markup(marked: str) -> tuple[str, list[dict], list[dict]]:
    """Plain text, mentions [{start, end, person, existing_label}] and keep spans [{start, end}]."""
    pieces: list[str] = []
    mentions: list[dict] = []
    keeps: list[dict] = []
    cursor = length = 0
    for match in MARK.finditer(marked):
        pieces.append(marked[cursor:match.start()])
        length += match.start() - cursor
        surface = match.group("keep") or match.group("pm")
        start, end = length, length + len(surface)
        if match.group("keep"):
            keeps.append({"start": start, "end": end})
        else:
            mentions.append({"start": start, "end": end, "person": match.group("pid"),
                             "existing_label": match.group("kind") == "~"})
        pieces.append(surface)
        length = end
        cursor = match.end()
    pieces.append(marked[cursor:])
    text = "".join(pieces)
    if "[[" in text or "{{" in text or "]]" in text or "}}" in text:
        raise SourceError("unbalanced markup")
    return text, mentions, keeps


def parse_block(header: str, lines: list[str], where: str) -> dict:
    parts = [p.strip() for p in header[3:].split("|")]
    if len(parts) < 2 or not parts[0] or not set(parts[2:]) <= FLAGS:
        raise SourceError(f"{where}: header must be '### <id> | <style> [| holdout] [| no_subject]'")
    people, body = [], []
    for line in lines:
        if line.startswith("@") and not body:
            pid, role, subject = [p.strip() for p in line[1:].split("|")]
            people.append({"id": pid, "role": role, "is_subject_child": subject == "yes"})
        else:
            body.append(line)
    marked = "\n".join(body).strip("\n")
    try:
        text, mentions, keeps = strip_markup(marked)
    except SourceError as err:
        raise SourceError(f"{where} {parts[0]}: {err}") from None
    narrative = {"id": parts[0], "style": parts[1], "holdout": "holdout" in parts[2:], "text": text,
                 "people": people, "mentions": mentions, "keep": keeps}
    problems = validate(narrative, no_subject="no_subject" in parts[2:])
    if problems:
        raise SourceError(f"{where} {parts[0]}: " + "; ".join(problems))
    return narrative


def validate(n: dict, no_subject: bool = False) -> list[str]:
    """Everything a second reader relies on: what the markup says matches the text it came from."""
    problems = []
    ids = [p["id"] for p in n["people"]]
    if len(ids) != len(set(ids)):
        problems.append("a person id is declared twice")
    known, said = set(ids), {m["person"] for m in n["mentions"]}
    if said - known:
        problems.append(f"mentions of undeclared people {sorted(said - known)}")
    if known - said:
        problems.append(f"declared but never mentioned {sorted(known - said)}")
    subjects = sum(p["is_subject_child"] for p in n["people"])
    if subjects != (0 if no_subject else 1):
        problems.append(f"{subjects} subject children ({'none' if no_subject else 'exactly one'} expected)")
    spans = sorted([(m["start"], m["end"]) for m in n["mentions"]] + [(k["start"], k["end"]) for k in n["keep"]])
    if any(b[0] < a[1] for a, b in pairwise(spans)):
        problems.append("overlapping spans")
    for s, e in spans:
        surface = n["text"][s:e]
        if not surface or surface != surface.strip():
            problems.append(f"span with outer white space at {s}")
        if (s > 0 and n["text"][s - 1].isalnum()) or (e < len(n["text"]) and n["text"][e].isalnum()):
            problems.append(f"span cuts a word at {s}")
    for m in n["mentions"]:
        first = n["text"][m["start"]:m["end"]].split()[0]
        if first in TITLES and not m["existing_label"]:
            problems.append(f"title inside a mention at {m['start']}")
    return problems


def parse_source(content: str, where: str) -> list[dict]:
    blocks: list[dict] = []
    header, lines = None, []
    for line in content.splitlines():
        if line.startswith("### "):
            if header:
                blocks.append(parse_block(header, lines, where))
            header, lines = line, []
        elif header:
            lines.append(line)
    if header:
        blocks.append(parse_block(header, lines, where))
    return blocks


def build(source_dir: Path = HERE / "source") -> list[dict]:
    narratives = [n for path in sorted(source_dir.glob("*.txt"))
                  for n in parse_source(path.read_text(encoding="utf-8"), path.name)]
    ids = [n["id"] for n in narratives]
    if len(ids) != len(set(ids)):
        raise SourceError(f"{source_dir}: duplicate narrative ids")
    return narratives


def render(narratives: list[dict]) -> str:
    return "".join(json.dumps(n, ensure_ascii=False, sort_keys=True) + "\n" for n in narratives)


def main() -> int:
    parser = argparse.ArgumentParser(description="Build narratives.jsonl from source/*.txt")
    parser.add_argument("--check", action="store_true", help="fail if narratives.jsonl is out of date")
    args = parser.parse_args()
    out = HERE / "narratives.jsonl"
    try:
        content = render(build())
    except SourceError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.check:
        current = out.read_text(encoding="utf-8") if out.exists() else ""
        print("up to date" if current == content else "out of date: run build.py")
        return 0 if current == content else 1
    out.write_text(content, encoding="utf-8")
    print(f"wrote {out.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
