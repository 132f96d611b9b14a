"""Annotation rounds for stand-off labels of real text (corpora/weak/labels.jsonl).

    python corpora/weak/annotate.py batches OUT_DIR [--batches 8] [--paragraphs 1000] [--seed-paragraphs 150]
        [--hidden 240]
    python corpora/weak/annotate.py collect corpora/weak/labels.jsonl OUT_DIR [OUT_DIR2 ...] [--annotator NAME]
    python corpora/weak/annotate.py agreement [corpora/weak/hidden_gold.jsonl]
    python corpora/weak/annotate.py adjudication [corpora/weak/scie_adjudicated.jsonl]

`batches` cuts candidate units from ../shared (casereview.classify.standoff), drops any that duplicate a gold
dev unit, samples paragraphs, mixes in `--hidden` gold dev units under anonymous ids (so each annotator's
agreement with the gold can be measured without them knowing which units are gold) and writes
OUT_DIR/batch_K.jsonl (uid, type, text) plus OUT_DIR/key.json. OUT_DIR must be outside the repository:
the batches hold real text. Annotators write OUT_DIR/labels_K.jsonl (uid, themes, scie, scie_second)
following docs/taxonomy and the guideline examples.

`collect` joins the labels back to candidate ids and writes stand-off rows (no text, only its SHA-1); the
annotators' labels of the hidden gold units go to hidden_gold.jsonl beside it (gold ids and labels, never
trained on). `agreement` prints the annotators' agreement with the gold on those units.

`adjudication` prints the figures of the SCIE re-adjudication (brief/scie_adjudication.md): how often the
adjudicated category is the annotators' or the model's one on the re-read pool items (each row keeps both,
`before` and `model_loso`), and the adjudicator's agreement with the gold on the gold items read blind among
them (scie_adjudication_gold_check.jsonl beside it: gold ids and labels, no text).
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "pipeline"))

from casereview.classify.metrics import scie_metrics, theme_metrics
from casereview.classify.standoff import candidates, normalise
from casereview.settings import shared_dir


def _gold() -> list[dict]:
    path = shared_dir() / "gold" / "dev" / "units.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _duplicates_gold(text: str, gold_texts: set[str]) -> bool:
    return text in gold_texts or any(text[:60] in g or g[:60] in text for g in gold_texts)


def batches(out: Path, n_batches: int, paragraphs: int, seed_paragraphs: int, hidden: int, seed: int = 7,
            only_source: str | None = None, only_type: str | None = None, exclude: Path | None = None,
            sample: int | None = None) -> None:
    if ROOT in out.resolve().parents or out.resolve() == ROOT:
        raise SystemExit(f"{out}: batches hold real text; write them outside the repository")
    rng = random.Random(seed)
    gold = _gold()
    gold_texts = {normalise(g["text"]) for g in gold}
    cands = [c for c in candidates() if not _duplicates_gold(c.text, gold_texts)]
    by = collections.defaultdict(list)
    for c in cands:
        by[(c.source, c.type)].append(c)
    if exclude:  # passages an earlier round labelled
        done = {json.loads(line)["id"] for line in exclude.read_text(encoding="utf-8").splitlines() if line.strip()}
        cands = [c for c in cands if c.id not in done]
    if only_source or only_type:  # a later round: candidates of one source and/or type
        pool = [c for c in cands if c.source == (only_source or c.source) and c.type == (only_type or c.type)]
        if sample is not None:
            pool = rng.sample(pool, min(sample, len(pool)))
        gold = [g for g in gold if g["source"] == (only_source or g["source"])
                and (only_type in (None, "passage") or g["type"] == only_type)]
    else:
        pool = (by[("ofsted", "recommendation")] + by[("pfd", "finding")]
                + rng.sample(by[("ofsted", "paragraph")], min(paragraphs, len(by[("ofsted", "paragraph")])))
                + rng.sample(by[("seed", "passage")], min(seed_paragraphs, len(by[("seed", "passage")]))))
    items = [{"cid": c.id, "type": c.type, "text": c.text} for c in pool]
    # Hidden gold units take their candidates' type ("passage" for seed lines) so they look like the rest.
    hidden_type = {c.source: c.type for c in pool}
    items += [{"gid": g["id"], "type": hidden_type.get(g["source"], g["type"]), "text": normalise(g["text"])}
              for g in rng.sample(gold, min(hidden, len(gold)))]
    rng.shuffle(items)
    out.mkdir(parents=True, exist_ok=True)
    key = {}
    for k in range(n_batches):
        with open(out / f"batch_{k}.jsonl", "w", encoding="utf-8") as fh:
            for j, it in enumerate(items[k::n_batches]):
                uid = f"b{k}-{j:03d}"
                key[uid] = {kk: v for kk, v in it.items() if kk != "text"} | {"text": it["text"]}
                fh.write(json.dumps({"uid": uid, "type": it["type"], "text": it["text"]}, ensure_ascii=False) + "\n")
    (out / "key.json").write_text(json.dumps(key), encoding="utf-8")
    _annotator_pack(out, hidden_gold={v["gid"] for v in key.values() if "gid" in v})
    print(f"{len(items)} units in {n_batches} batches under {out}")


def _annotator_pack(out: Path, hidden_gold: set[str]) -> None:
    """What annotators read besides their batch: the taxonomy, the guideline examples (gold units listed in
    brief/guideline_example_ids.txt, minus any hidden in this round) and the brief (brief/round1.md, with
    /tmp/weak standing for OUT_DIR, plus the round's addendum)."""
    brief = ROOT / "corpora" / "weak" / "brief"
    shutil.copy(shared_dir() / "docs" / "taxonomy.md", out / "taxonomy.md")
    ids = [line.strip() for line in (brief / "guideline_example_ids.txt").read_text(encoding="utf-8").splitlines()
           if line.strip() and not line.startswith("#")]
    gold = {g["id"]: g for g in _gold()}
    with open(out / "guideline_examples.jsonl", "w", encoding="utf-8") as fh:
        for gid in ids:
            if gid in gold and gid not in hidden_gold:
                g = gold[gid]
                fh.write(json.dumps({"type": g["type"], "text": normalise(g["text"]), "themes": g["themes"],
                                     "scie": g["scie"], "scie_second": g["scie_second"]}, ensure_ascii=False) + "\n")
    (out / "INSTRUCTIONS.md").write_text((brief / "round1.md").read_text(encoding="utf-8").replace("/tmp/weak/", f"{out}/"),
                                         encoding="utf-8")
    shutil.copy(brief / "check_round1.py", out / "check.py")


def _labels(out: Path):
    for path in sorted(out.glob("labels_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield json.loads(line)


def _batch_texts(out: Path) -> dict[str, str]:
    texts = {}
    for path in sorted(out.glob("batch_*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            texts[row["uid"]] = row["text"]
    return texts


def collect(outs: list[Path], dest: Path, annotator: str) -> None:
    """Stand-off rows for every labelled candidate whose text the current cutter still produces.

    Several annotation rounds may be given: a later round wins on the same passage."""
    by_text = {normalise(c.text): c for c in candidates()}
    rows, lost, hidden = {}, 0, {}
    for out in outs:
        key = json.loads((out / "key.json").read_text(encoding="utf-8"))
        texts = _batch_texts(out)
        for lab in _labels(out):
            entry = key.get(lab["uid"], {})
            if "gid" in entry:  # a hidden gold unit: kept apart (ids and labels only) to measure agreement
                hidden[entry["gid"]] = {"gold_id": entry["gid"], "type": lab.get("type"), "themes": lab["themes"],
                                        "scie": lab["scie"], "scie_second": lab.get("scie_second"),
                                        "round": out.name}
                continue
            if "cid" not in entry:
                continue
            cand = by_text.get(normalise(texts.get(lab["uid"], "")))
            if cand is None:
                lost += 1
                continue
            utype = (lab.get("type") or "paragraph") if cand.type == "passage" else cand.type  # seed lines: annotators' call
            rows[cand.id] = {"id": cand.id, "source": cand.source, "doc": cand.doc, "type": utype,
                             "text_sha1": cand.sha1, "themes": lab["themes"],
                             "scie": lab["scie"] if utype != "paragraph" else None,
                             "scie_second": lab.get("scie_second") if utype != "paragraph" else None,
                             "annotator": f"{annotator} ({out.name})"}
    dest.parent.mkdir(parents=True, exist_ok=True)
    with open(dest, "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(rows[cid], ensure_ascii=False) + "\n" for cid in sorted(rows))
    hidden_path = dest.with_name("hidden_gold.jsonl")
    with open(hidden_path, "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(hidden[gid], ensure_ascii=False) + "\n" for gid in sorted(hidden))
    print(f"{len(rows)} stand-off labels written to {dest}; {lost} dropped (text no longer cut the same way); "
          f"annotators' labels of {len(hidden)} hidden gold units in {hidden_path}")


def agreement(hidden_path: Path) -> dict:
    """Agreement of the annotators with the gold on the hidden gold units (corpora/weak/hidden_gold.jsonl),
    scored like the models (the annotators' second SCIE category counts as their runner-up)."""
    gold = {g["id"]: g for g in _gold()}
    labs = [json.loads(line) for line in hidden_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    pairs = [(gold[lab["gold_id"]], lab) for lab in labs]
    theme_ids = sorted({t for g, lab in pairs for t in (*g["themes"], *lab["themes"])})
    t = theme_metrics([g["themes"] for g, _ in pairs], [lab["themes"] for _, lab in pairs], theme_ids)
    s = scie_metrics([g["scie"] for g, _ in pairs], [[lab["scie"], lab.get("scie_second")] for _, lab in pairs],
                     sorted({g["scie"] for g, _ in pairs if g["scie"]}))
    res = {"hidden_gold_units": len(labs), "themes_micro_f1": t["micro"]["f1"],
           "themes_precision": t["micro"]["precision"], "themes_recall": t["micro"]["recall"],
           "scie_items": s["n"], "scie_accuracy": s["accuracy"], "scie_first_or_second": s["top2_accuracy"]}
    print(json.dumps(res, indent=1))
    return res


def adjudication(path: Path) -> dict:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    ms = "management_systems"
    groups: dict[str, collections.Counter] = {"annotators_ms": collections.Counter(),
                                              "model_ms": collections.Counter(), "other": collections.Counter()}
    for r in rows:
        before, model, now = r["before"]["scie"], r["model_loso"], r["scie"]
        g = "annotators_ms" if before == ms else "model_ms" if model == ms else "other"
        groups[g]["annotators" if now == before else "model" if now == model else "neither"] += 1
    res: dict = {"items": len(rows),
                 "kept_annotators": sum(r["scie"] == r["before"]["scie"] for r in rows),
                 "took_model": sum(r["scie"] == r["model_loso"] for r in rows),
                 "management_systems": {"annotators": sum(r["before"]["scie"] == ms for r in rows),
                                        "model": sum(r["model_loso"] == ms for r in rows),
                                        "adjudicated": sum(r["scie"] == ms for r in rows)},
                 "by_disagreement": {k: dict(v) for k, v in groups.items() if v}}
    check = path.parent / "scie_adjudication_gold_check.jsonl"
    if check.exists():
        gold = {g["id"]: g for g in _gold()}
        labs = [json.loads(line) for line in check.read_text(encoding="utf-8").splitlines() if line.strip()]
        res["gold_check"] = {"items": len(labs),
                             "first_category_agrees": sum(gold[x["id"]]["scie"] == x["scie"] for x in labs),
                             "gold_first_or_second": sum(gold[x["id"]]["scie"] in (x["scie"], x["scie_second"])
                                                         for x in labs)}
    print(json.dumps(res, indent=1))
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("batches")
    b.add_argument("out", type=Path)
    b.add_argument("--batches", type=int, default=8)
    b.add_argument("--paragraphs", type=int, default=1000)
    b.add_argument("--seed-paragraphs", type=int, default=150)
    b.add_argument("--hidden", type=int, default=240)
    b.add_argument("--only-source", help="label every candidate of this source (a later round)")
    b.add_argument("--only-type", help="... and/or of this candidate type (recommendation, paragraph, ...)")
    b.add_argument("--exclude", type=Path, help="leave out passages already in this stand-off labels file")
    b.add_argument("--sample", type=int, help="with --only-*: a random sample of this many candidates")
    c = sub.add_parser("collect")
    c.add_argument("dest", type=Path)
    c.add_argument("outs", type=Path, nargs="+", help="annotation rounds, oldest first")
    c.add_argument("--annotator", default="casereview-annotators")
    a = sub.add_parser("agreement")
    a.add_argument("hidden", type=Path, nargs="?", default=ROOT / "corpora" / "weak" / "hidden_gold.jsonl")
    d = sub.add_parser("adjudication")
    d.add_argument("path", type=Path, nargs="?", default=ROOT / "corpora" / "weak" / "scie_adjudicated.jsonl")
    args = ap.parse_args()
    if args.cmd == "batches":
        batches(args.out, args.batches, args.paragraphs, args.seed_paragraphs, args.hidden,
                only_source=args.only_source, only_type=args.only_type, exclude=args.exclude, sample=args.sample)
    elif args.cmd == "collect":
        collect(args.outs, args.dest, args.annotator)
    elif args.cmd == "adjudication":
        adjudication(args.path)
    else:
        agreement(args.hidden)


if __name__ == "__main__":
    main()
