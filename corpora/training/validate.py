"""Validate corpora/training/units.jsonl and print label counts.

Usage: python corpora/training/validate.py [--markdown] [path]
Label ids are read from corpora/taxonomy/*.yaml if present, else from the table rows of
/work/shared/docs/taxonomy.md (or $TAXONOMY_MD).
"""
import collections
import json
import os
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
KEYS = ["id", "source", "doc", "type", "text", "themes", "scie", "scie_second", "confidence"]
TYPES = {"recommendation", "finding", "paragraph"}
CONFS = {"high", "medium", "low"}


def load_taxonomy():
    tax_dir = HERE.parent / "taxonomy"
    ymls = sorted(tax_dir.glob("*.yaml")) if tax_dir.is_dir() else []
    if ymls:
        try:
            import yaml
            themes, scie = set(), set()
            for y in ymls:
                d = yaml.safe_load(y.read_text())
                blob = json.dumps(d)
                name = y.stem.lower()
                ids = set(re.findall(r'"id": "([a-z_]+)"', blob))
                if "theme" in name:
                    themes |= ids
                elif "scie" in name and "2008" not in name and "learning_together" not in name:
                    scie |= ids
            if themes and scie:
                return themes, scie
        except Exception:  # noqa: BLE001 - no readable taxonomy here: fall back to the brief's table
            pass
    md = pathlib.Path(os.environ.get("TAXONOMY_MD", "/work/shared/docs/taxonomy.md")).read_text()
    themes, scie, section = set(), set(), None
    for line in md.splitlines():
        if line.startswith("## A"):
            section = "t"
        elif line.startswith("## B"):
            section = "s"
        m = re.match(r"\|\s*([a-z_]+)\s*\|", line)
        if m and m.group(1) != "id":
            (themes if section == "t" else scie).add(m.group(1))
    return themes, scie


def main():  # noqa: C901 - one flat list of checks, each a line; splitting it would hide the list
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    markdown = "--markdown" in sys.argv
    path = pathlib.Path(args[0]) if args else HERE / "units.jsonl"
    themes_ok, scie_ok = load_taxonomy()
    assert len(themes_ok) == 18 and len(scie_ok) == 6, (themes_ok, scie_ok)
    errors, units, ids, texts = [], [], set(), {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        try:
            u = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"line {n}: bad json {e}")
            continue
        if list(u) != KEYS:
            errors.append(f"line {n}: keys {list(u)}")
        if not re.fullmatch(r"C\d{4}", str(u.get("id"))):
            errors.append(f"line {n}: bad id {u.get('id')}")
        if u.get("id") in ids:
            errors.append(f"line {n}: duplicate id {u['id']}")
        ids.add(u.get("id"))
        if u.get("source") != "synthetic":
            errors.append(f"line {n}: source must be synthetic")
        if not isinstance(u.get("doc"), str) or not u["doc"].startswith("syn-"):
            errors.append(f"line {n}: doc key {u.get('doc')}")
        if u.get("type") not in TYPES:
            errors.append(f"line {n}: type {u.get('type')}")
        t = u.get("text")
        if not isinstance(t, str) or len(t.strip()) < 15:
            errors.append(f"line {n}: text too short")
        else:
            key = re.sub(r"\W+", " ", t.lower()).strip()
            if key in texts:
                errors.append(f"line {n}: duplicate text of line {texts[key]}")
            texts[key] = n
        th = u.get("themes")
        if not isinstance(th, list) or len(set(th)) != len(th) or any(x not in themes_ok for x in th):
            errors.append(f"line {n}: themes {th}")
        s1, s2 = u.get("scie"), u.get("scie_second")
        if u.get("type") == "paragraph":
            if s1 is not None or s2 is not None:
                errors.append(f"line {n}: paragraph with scie")
        else:
            if s1 not in scie_ok:
                errors.append(f"line {n}: scie {s1}")
            if s2 is not None and (s2 not in scie_ok or s2 == s1):
                errors.append(f"line {n}: scie_second {s2}")
        if u.get("confidence") not in CONFS:
            errors.append(f"line {n}: confidence {u.get('confidence')}")
        units.append(u)
    schema_path = HERE / "schema.json"
    if schema_path.exists():
        try:
            import jsonschema
            v = jsonschema.Draft202012Validator(json.loads(schema_path.read_text()))
            for u in units:
                for e in v.iter_errors(u):
                    errors.append(f"{u.get('id')}: schema: {e.message}")
        except ImportError:
            pass
    for e in errors[:50]:
        print("ERROR", e)
    report(units, themes_ok, scie_ok, markdown)
    if errors:
        print(f"{len(errors)} errors")
        sys.exit(1)
    if not markdown:
        print("OK")


def report(units, themes_ok, scie_ok, markdown):
    n = len(units)
    ty = collections.Counter(u["type"] for u in units)
    th = collections.Counter(x for u in units for x in u["themes"])
    items = [u for u in units if u["type"] != "paragraph"]
    s1 = collections.Counter(u["scie"] for u in items)
    s2 = collections.Counter(u["scie_second"] for u in items if u["scie_second"])
    none = sum(1 for u in units if not u["themes"])
    docs = len({u["doc"] for u in units})
    if markdown:
        print(f"Units: **{n}** in {docs} imagined documents; {none} units carry no theme.\n")
        print("| type | units | share |\n|---|---|---|")
        for k in sorted(TYPES):
            print(f"| {k} | {ty[k]} | {ty[k]/n:.0%} |")
        kinds = collections.Counter(u["doc"].split("-")[1] for u in units)
        print("\n| imagined source (doc key) | units |\n|---|---|")
        for k, v in kinds.most_common():
            print(f"| syn-{k}-* | {v} |")
        print("\n| theme | positive units |\n|---|---|")
        for k in sorted(themes_ok, key=lambda k: -th[k]):
            print(f"| {k} | {th[k]} |")
        print("\n| SCIE category | primary (recommendations + findings) | share | as second |\n|---|---|---|---|")
        for k in sorted(scie_ok, key=lambda k: -s1[k]):
            print(f"| {k} | {s1[k]} | {s1[k]/max(1,len(items)):.0%} | {s2[k]} |")
        return
    print(f"units {n}  docs {docs}  no-theme {none}")
    print("types", dict(ty))
    print("themes:")
    for k in sorted(themes_ok, key=lambda k: -th[k]):
        print(f"  {k:36s}{th[k]:5d}")
    print("scie primary (second):")
    for k in sorted(scie_ok, key=lambda k: -s1[k]):
        print(f"  {k:36s}{s1[k]:5d} {s1[k]/max(1,len(items)):5.0%}  ({s2[k]})")


if __name__ == "__main__":
    main()
