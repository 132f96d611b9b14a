"""Benchmark the redact stage against Presidio's default AnalyzerEngine on the same spaCy model.

    python benchmarks/bench_redact.py --shared ../shared --out benchmarks/results/redact.json
    python benchmarks/bench_redact.py --parts truth --out benchmarks/results/redact_truth.json

Parts (--parts, comma-separated; default all):
- names: person-name mention recall/precision against Presidio's default engine on the hand-labelled coroners'
  reports (gold/dev/names.jsonl), on BTC and WNUT-17 (CoNLL, PER/person), the invented identifier suite and
  public-body retention. A gold mention counts as found only if every character of it is inside a redaction.
- truth: the invented narratives of corpora/redaction_truth (dev and holdout apart, by style: names left,
  same-person precision/recall, different people kept apart, child-label misuse, kept spans); non-name
  tokens changed per 10,000 on the labelled dev reports; the deceased's name left on the coroners' reports
  of data/pfd and data/pfd_more.
- speed: words per second and the time for a 20,000-word report against spaCy's full pipeline; peak memory
  and time of documents of 150,000 and 450,000 characters, each in a fresh process (bar: < 1 GB, linear).
Prints and writes numbers only, never report text.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from casereview.config import load_config
from casereview.redact.core import LeakError, apply_plan, check_leaks, plan_redactions
from casereview.redact.engine import get_analyzer, get_default_analyzer, spacy_nlp_engine

from benchmarks.redaction_scoring import deceased_left, non_name_tokens_changed, per_10k, score_split
from tests.redact.synthetic import identifier_suite, public_body_suite

NARRATIVES = ROOT / "corpora/redaction_truth/narratives.jsonl"
PARTS = ("names", "truth", "speed")

PRESIDIO_LABELS = {"PERSON": "PERSON", "EMAIL_ADDRESS": "EMAIL", "UK_NHS": "NHS_NUMBER",
                   "UK_NINO": "NI_NUMBER", "PHONE_NUMBER": "PHONE", "DATE_TIME": "DATE",
                   "LOCATION": "LOCATION"}


# -- the two systems under test: text -> [(start, end, label)] in the original text -------------------

def ours(params):
    def run(text: str):
        plan = plan_redactions(text, params)
        return [(s.start, s.end, s.label) for s in plan.spans]
    return run


def presidio_default():
    analyzer = get_default_analyzer()

    def run(text: str):
        results = analyzer.analyze(text, language="en")
        return [(r.start, r.end, PRESIDIO_LABELS.get(r.entity_type, r.entity_type)) for r in results]
    return run


# -- scoring ---------------------------------------------------------------------------------------

def covered(start: int, end: int, spans) -> bool:
    """Every character of [start, end) lies inside some predicted span (of any label)."""
    chars = set()
    for s, e, _ in spans:
        if s < end and start < e:
            chars.update(range(max(s, start), min(e, end)))
    return len(chars) == end - start


def score_names(texts_and_gold, system) -> dict:
    found = total = predicted = predicted_true = 0
    for text, gold in texts_and_gold:
        spans = system(text)
        found += sum(covered(s, e, spans) for s, e in gold)
        total += len(gold)
        person = [(s, e) for s, e, label in spans if label == "PERSON"]
        predicted += len(person)
        predicted_true += sum(any(s < ge and gs < e for gs, ge in gold) for s, e in person)
    return {"gold_mentions": total, "found": found, "recall": round(found / max(total, 1), 4),
            "predicted_person_spans": predicted,
            "precision": round(predicted_true / max(predicted, 1), 4)}


def pfd_gold(shared: Path):
    reports = {r["id"]: r["text"] for r in map(json.loads, (shared / "data/pfd/reports.jsonl").open())}
    gold = [json.loads(line) for line in (shared / "gold/dev/names.jsonl").open()]
    return [(reports[g["id"]], [(s, e) for s, e, _ in g["spans"]]) for g in gold]


SYLLABLES = ["ka", "lo", "mer", "vin", "tha", "dor", "bre", "sel", "qua", "zin", "rou", "fen", "gal", "mir",
             "tob", "wes", "yan", "pru"]
TITLES = {"mr", "mrs", "miss", "ms", "dr"}


def with_invented_names(pfd, seed: int):
    """The same reports with every gold name word swapped for an invented one (kept consistently in each
    report, upper case kept): recall that cannot come from knowing the names, a stand-in for held-out text.
    Nicknames become unrelated invented words too, which makes this harder than real text."""
    import random
    import re

    rng = random.Random(seed)
    out = []
    for text, spans in pfd:
        names = {w.casefold() for s, e in spans for w in re.findall(r"[A-Za-z]+", text[s:e])} - TITLES
        mapping = {w: "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
                   for w in sorted(names)}

        def swap(match, mapping=mapping):
            new = mapping.get(match.group().casefold())
            return match.group() if new is None else new.upper() if match.group().isupper() else new

        pieces, new_spans, cursor = [], [], 0
        for s, e in sorted(spans):
            pieces.append(re.sub(r"[A-Za-z]+", swap, text[cursor:s]))
            start = sum(map(len, pieces))
            pieces.append(re.sub(r"[A-Za-z]+", swap, text[s:e]))
            new_spans.append((start, start + len(pieces[-1])))
            cursor = e
        pieces.append(re.sub(r"[A-Za-z]+", swap, text[cursor:]))
        out.append(("".join(pieces), new_spans))
    return out


def conll_gold(path: Path, person_tags: set[str]):
    """One text per sentence (tweet): tokens joined by spaces, PER spans as character offsets."""
    docs, tokens, tags = [], [], []
    for line in path.open(encoding="utf-8"):
        parts = line.rstrip("\n").split("\t") if "\t" in line else line.split()
        if not parts or not line.strip():
            if tokens:
                docs.append(conll_doc(tokens, tags, person_tags))
            tokens, tags = [], []
            continue
        tokens.append(parts[0])
        tags.append(parts[-1])
    if tokens:
        docs.append(conll_doc(tokens, tags, person_tags))
    return docs


def conll_doc(tokens, tags, person_tags):
    text, spans, current = "", [], None
    for token, tag in zip(tokens, tags, strict=False):
        start = len(text)
        text += token + " "
        kind, _, entity = tag.partition("-")
        if (entity in person_tags and kind == "B") or (entity in person_tags and kind == "I" and current is None):
            current = [start, start + len(token)]
            spans.append(current)
        elif entity in person_tags and kind == "I":
            current[1] = start + len(token)
        else:
            current = None
    return text.rstrip(), [tuple(s) for s in spans]


def score_identifiers(system) -> dict:
    cases = identifier_suite()
    by_label: dict[str, list[int]] = {}
    for case in cases:
        spans = system(case.text)
        for s, e, label in case.spans:
            hit = covered(s, e, spans)
            by_label.setdefault(label, [0, 0])
            by_label[label][0] += hit
            by_label[label][1] += 1
    found = sum(v[0] for v in by_label.values())
    total = sum(v[1] for v in by_label.values())
    return {"identifiers": total, "found": found, "recall": round(found / total, 4),
            "by_label": {k: {"found": v[0], "total": v[1]} for k, v in sorted(by_label.items())}}


def score_public_bodies(system) -> dict:
    pairs = public_body_suite()
    kept = 0
    for sentence, body in pairs:
        start = sentence.index(body)
        spans = system(sentence)
        kept += not any(s < start + len(body) and start < e for s, e, _ in spans)
    return {"mentions": len(pairs), "kept": kept, "retention": round(kept / len(pairs), 4)}


# -- speed -----------------------------------------------------------------------------------------

def best_of(n, fn):
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def speed(texts, system) -> dict:
    words = sum(len(t.split()) for t in texts)
    seconds = best_of(2, lambda: [system(t) for t in texts])
    return {"texts": len(texts), "words": words, "seconds": round(seconds, 3),
            "words_per_second": round(words / seconds)}


def long_report(shared: Path, words: int = 20_000) -> str:
    texts = [json.loads(line)["text"] for line in (shared / "data/pfd/reports.jsonl").open()]
    out, count = [], 0
    while count < words:
        for text in texts:
            out.append(text)
            count += len(text.split())
            if count >= words:
                break
    return "\n\n".join(out)


def long_report_timing(shared: Path, params) -> dict:
    text = long_report(shared)
    nlp = spacy_nlp_engine(params.model).nlp["en"]
    nlp(text)  # warm up
    spacy_seconds = best_of(3, lambda: nlp(text))
    ours_seconds = best_of(3, lambda: redact_full(text, params))
    return {"words": len(text.split()), "spacy_full_pipeline_seconds": round(spacy_seconds, 3),
            "redact_seconds": round(ours_seconds, 3), "ratio": round(ours_seconds / spacy_seconds, 3),
            "bar": "ratio < 2"}


def long_document(shared: Path, chars: int) -> str:
    """Coroners' reports joined to `chars` characters (real text: it stays in memory, only numbers leave)."""
    return long_report(shared, words=chars)[:chars]


def long_document_child(shared: Path, chars: int) -> None:
    """Run in a fresh process: the whole redact path on one long document; print seconds and peak RSS."""
    params = load_config().redact
    redact_full("A warm-up sentence about Ms Jones.", params)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    text = long_document(shared, chars)
    start = time.perf_counter()
    redact_full(text, params)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"chars": len(text), "seconds": round(seconds, 2), "peak_rss_mb": round(peak),
                      "rss_after_model_load_mb": round(before)}))


def long_documents(shared: Path, sizes=(150_000, 450_000)) -> dict:
    runs = []
    for chars in sizes:
        out = subprocess.run([sys.executable, __file__, "--shared", str(shared), "--long-child", str(chars)],
                             capture_output=True, text=True, check=True)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    per_char = [r["seconds"] / r["chars"] for r in runs]
    return {"runs": runs, "seconds_per_100k_chars": [round(1e5 * x, 2) for x in per_char],
            "largest_peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
            "bar": "peak < 1024 MB at 450,000 characters; seconds per character about constant"}


def redact_full(text: str, params):
    """The whole redact_text path (detection, replacement, leak check), leak errors counted not raised."""
    plan = plan_redactions(text, params)
    redacted, redactions, _ = apply_plan(text, plan)
    try:
        check_leaks(redacted, redactions, plan, params)
    except LeakError:
        return False
    return True


# -- truth: narratives, non-name tokens, the deceased's name ------------------------------------------

def replacements_of(text: str, params):
    """(start, end, replacement) in original offsets: what a reader of the redacted text sees."""
    plan = plan_redactions(text, params)
    return [(s.start, s.end, r) for s, r in zip(plan.spans, plan.replacements, strict=True)], plan


def truth_section(shared: Path, params) -> dict:
    narratives = [json.loads(line) for line in NARRATIVES.open(encoding="utf-8")]
    outputs = [replacements_of(n["text"], params)[0] for n in narratives]
    result: dict = {"narratives": score_split(narratives, outputs, params.subject_label)}

    counts, titles = [], frozenset()
    for text, gold in pfd_gold(shared):
        out, plan = replacements_of(text, params)
        titles = plan.finder.courtesy_titles
        counts.append(non_name_tokens_changed(text, gold, out, titles))
    result["pfd_dev_non_name_tokens"] = per_10k(counts)

    reports = [json.loads(line) for line in (shared / "data/pfd/reports.jsonl").open()]
    dev_ids = {json.loads(line)["id"] for line in (shared / "gold/dev/names.jsonl").open()}
    deceased = {}
    for part, chosen in (("pfd_dev", [r for r in reports if r["id"] in dev_ids]),
                         ("pfd_other", [r for r in reports if r["id"] not in dev_ids])):
        texts = [r["text"] for r in chosen]
        deceased[part] = deceased_left(texts, [replacements_of(t, params)[0] for t in texts])
    more = [json.loads(line) for line in (shared / "data/pfd_more/reports.jsonl").open()]
    texts = ["\n\n".join(r.get(k) or "" for k in ("investigation", "circumstances", "concerns")) for r in more]
    deceased["pfd_more"] = deceased_left(texts, [replacements_of(t, params)[0] for t in texts])
    result["deceased_name_left"] = deceased
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(ROOT.parent / "shared"))
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results/redact.json"))
    parser.add_argument("--parts", default=",".join(PARTS), help="comma-separated: " + ", ".join(PARTS))
    parser.add_argument("--long-child", type=int, help=argparse.SUPPRESS)  # internal: one long document
    args = parser.parse_args()
    if args.long_child:
        long_document_child(Path(args.shared), args.long_child)
        return
    parts = set(args.parts.split(","))
    if not parts <= set(PARTS):
        parser.error(f"unknown part(s): {', '.join(sorted(parts - set(PARTS)))}")
    shared = Path(args.shared)
    params = load_config().redact
    get_analyzer(params.model)
    results: dict = {"python": platform.python_version(), "model": params.model, "parts": sorted(parts)}
    if "names" in parts or "speed" in parts:
        results.update(names_and_speed(shared, params, parts))
    if "truth" in parts:
        results["truth"] = truth_section(shared, params)
        print("truth", json.dumps(results["truth"]["narratives"]["dev"] | {"by_style": "..."}))
        print("truth", json.dumps({k: v for k, v in results["truth"].items() if k != "narratives"}))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def names_and_speed(shared: Path, params, parts: set[str]) -> dict:
    systems = {"casereview": ours(params), "presidio_default": presidio_default()}

    pfd = pfd_gold(shared)
    corpora = {
        "pfd_dev_names": pfd,
        "pfd_dev_names_invented": [doc for seed in (1, 2, 3) for doc in with_invented_names(pfd, seed)],
        "btc": conll_gold(shared / "data/ner/btc_a.conll", {"PER"})
        + conll_gold(shared / "data/ner/btc_b.conll", {"PER"}),
        "wnut17_test": conll_gold(shared / "data/ner/wnut17_test.conll", {"person"}),
    }
    results: dict = {"systems": {}}
    for name, system in systems.items():
        entry = {}
        if "names" in parts:
            entry = {corpus: score_names(docs, system) for corpus, docs in corpora.items()}
            entry["synthetic_identifiers"] = score_identifiers(system)
            entry["public_bodies"] = score_public_bodies(system)
        if "speed" in parts:
            entry["speed_pfd_all_reports"] = speed([t for t, _ in pfd], system)
        results["systems"][name] = entry
        print(name, json.dumps({k: v.get("recall", v.get("retention", v.get("words_per_second")))
                                for k, v in entry.items()}))
    if "names" in parts:
        results["pfd_dev_leak_check_passed"] = sum(redact_full(t, params) for t, _ in pfd)
        results["pfd_dev_reports"] = len(pfd)
    if "speed" in parts:
        results["long_report"] = long_report_timing(shared, params)
        print("long report", json.dumps(results["long_report"]))
        results["long_documents"] = long_documents(shared)
        print("long documents", json.dumps(results["long_documents"]))
    return results


if __name__ == "__main__":
    main()
