"""Build narratives.jsonl from the marked-up source files (invented text only, written by the project).

    python corpora/redaction_truth/build.py            # writes corpora/redaction_truth/narratives.jsonl
    python corpora/redaction_truth/build.py --check    # exit 1 if narratives.jsonl is out of date

Source format (source/*.txt, read in name order), one block per narrative:

    ### n01 | scottish_icr
    @p1 | subject child | yes        person id | role | is the subject child (yes/no)
    @p2 | mother | no
    Text with [[p1:Jane Smith]] (a name mention), [[p1~Child A]] (a pseudonym the text already uses,
    which must stay) and {{keep:Calderdale}} (a body, place, diagnosis, ... that must survive).

Titles ("Ms", "DC") and possessive endings stay outside the brackets: a mention is the name itself.
The build is deterministic: same sources, same bytes.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
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
    if len(parts) != 2 or not parts[0]:
        raise SourceError(f"{where}: header must be '### <id> | <style>'")
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
    known = {p["id"] for p in people}
    unknown = sorted({m["person"] for m in mentions} - known)
    if unknown:
        raise SourceError(f"{where} {parts[0]}: mentions of undeclared people {unknown}")
    unmentioned = sorted(known - {m["person"] for m in mentions})
    if unmentioned:
        raise SourceError(f"{where} {parts[0]}: declared but never mentioned {unmentioned}")
    if sum(p["is_subject_child"] for p in people) > 1:
        raise SourceError(f"{where} {parts[0]}: more than one subject child")
    return {"id": parts[0], "style": parts[1], "text": text, "people": people,
            "mentions": mentions, "keep": keeps}


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
