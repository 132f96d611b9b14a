"""Apply a reviewed relabelling (theme additions/removals by unit id) to the batch files in place.

Used once per review pass: ids refer to the current compiled units.jsonl, edits are written back to
the hand-written batch line with the same text, so the batch files stay the single source of truth.
Usage: python relabel.py 'add:eng=C0041,C0108' 'del:sx=C0050' 'scie:ms,hr=C0041' ...
"""
import json
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
units = {x["id"]: x for x in map(json.loads, (HERE.parent / "units.jsonl").read_text().splitlines())}
edits = {}
for arg in sys.argv[1:]:
    op, rest = arg.split(":", 1)
    code, ids = rest.split("=")
    for i in ids.split(","):
        edits.setdefault(units[i]["text"], []).append((op, code))
done = 0
for f in sorted(HERE.glob("batch_*.txt")):
    lines = f.read_text().splitlines()
    for k, line in enumerate(lines):
        m = re.match(r"^([RFP]) ([^|]*?) \|(.*?\|.*?\|) (.*)$", line)
        if m and m.group(4) in edits:
            th = [c for c in m.group(2).split(",") if c and c != "-"]
            sc, cf = m.group(3).split("|")[:2]
            for op, code in edits[m.group(4)]:
                if op == "scie":
                    sc = " " + " ".join(code.split(",")) + " "
                if op == "add" and code not in th:
                    th.append(code)
                if op == "del" and code in th:
                    th.remove(code)
            lines[k] = f"{m.group(1)} {','.join(th) or '-'} |{sc}|{cf}| {m.group(4)}"
            done += 1
    f.write_text("\n".join(lines) + "\n")
print(f"edited {done} lines for {len(edits)} texts")
