"""Check one annotator's labels file against its batch: python check_round1.py <batch-key>."""

import collections
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def label_ids(taxonomy_md: str) -> tuple[set[str], set[str]]:
    part_a, part_b = taxonomy_md.split("## B.")[:2]
    row = re.compile(r"^\| ([a-z_]+) \|", re.M)
    return set(row.findall(part_a)) - {"id"}, set(row.findall(part_b)) - {"id"}


def problems(record: dict, unit: dict, themes: set[str], scie: set[str]) -> list[str]:
    found = []
    if not isinstance(record.get("themes"), list) or any(t not in themes for t in record["themes"]):
        found.append(f"bad themes {record.get('themes')}")
    if unit["type"] == "paragraph":
        if record.get("scie") is not None:
            found.append("paragraph must have scie null")
    elif record.get("scie") not in scie:
        found.append(f"bad scie {record.get('scie')}")
    if record.get("scie_second") not in scie | {None}:
        found.append("bad scie_second")
    return found


def main(key: str) -> None:
    themes, scie = label_ids((HERE / "taxonomy.md").read_text())
    with (HERE / f"batch_{key}.jsonl").open() as f:
        batch = {u["uid"]: u for u in map(json.loads, f)}
    seen: set[str] = set()
    bad = 0
    counts: collections.Counter = collections.Counter()
    with (HERE / f"labels_{key}.jsonl").open() as f:
        for i, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                print("line", i, "invalid JSON")
                bad += 1
                continue
            uid = record.get("uid")
            if uid not in batch:
                print("line", i, "unknown uid", uid)
                bad += 1
                continue
            if uid in seen:
                print("line", i, "duplicate uid", uid)
                bad += 1
            seen.add(uid)
            for problem in problems(record, batch[uid], themes, scie):
                print("line", i, problem)
                bad += 1
            if batch[uid]["type"] != "paragraph":
                counts[record.get("scie")] += 1
    missing = [u for u in batch if u not in seen]
    print(f"{len(seen)} labelled, {len(missing)} missing, {bad} problems; scie counts {dict(counts)}")
    if missing:
        print("first missing:", missing[:5])


if __name__ == "__main__":
    main(sys.argv[1])
