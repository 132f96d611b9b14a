"""Extraction benchmark: casereview's extract stage against the rendered PDFs' ground truth.

Usage: python benchmarks/bench_extract.py --shared ../shared --out benchmarks/results/extract.json

Measured on ../shared/data/rendered and ../shared/data/pfd/pdfs (which have .truth.json) and on the Ofsted
PDFs (speed only), with plain pdfplumber extract_text() and raw pypdfium2 text as baselines in the same run:
- text_similarity: difflib ratio between the token sequences of the output and of the truth blocks;
- furniture_lines_left: output lines that are a running header, footer or page number;
- heading_recall: truth headings found among the Document's section titles;
- item precision and recall: items matched by number and text (token similarity >= 0.9);
- pages per second (one core) and peak memory (the process's max RSS);
- real_layout: item and heading recall/precision on real PDFs against the hand-checked stand-off truth
  of corpora/real_layout (benchmarks/real_layout_scoring.py), overall and per collection, with the share
  of section titles that are page numbers, contents-page lines or fragments.
"""

from __future__ import annotations

import argparse
import difflib
import json
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pipeline"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from casereview.extract import extract_pdf
from casereview.extract.layout import is_page_number

from benchmarks.real_layout_scoring import HOLDOUT_DIR
from benchmarks.real_layout_scoring import evaluate as evaluate_real_layout


def tokens(text: str) -> list[str]:
    return text.split()


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, tokens(a), tokens(b), autojunk=False).ratio()


def norm(text: str) -> str:
    return " ".join(text.split()).lower()


def furniture_strings(pdf: Path, truth_blocks: set[str]) -> set[str]:
    """Text in the top and bottom margins of the PDF's pages that the truth does not have."""
    import pypdfium2 as pdfium
    from casereview.extract.glyphs import read_page
    from casereview.extract.layout import build_lines

    found: set[str] = set()
    doc = pdfium.PdfDocument(str(pdf))
    for i in range(len(doc)):
        glyphs = read_page(doc[i], i + 1)
        for line in build_lines(glyphs.words):
            in_margin = line.bottom < 0.09 * glyphs.height or line.top > 0.91 * glyphs.height
            if in_margin and norm(line.text) not in truth_blocks:
                found.add(norm(line.text))
    doc.close()
    return found


def furniture_left(text: str, furniture: set[str], truth_blocks: set[str], pages: int) -> int:
    """Output lines that are margin text the truth lacks, or look like a page number and are not a block
    of the truth (a report may hold a bare number as text)."""
    count = 0
    for line in text.split("\n"):
        n = norm(line)
        if not n or n in truth_blocks:
            continue
        if n in furniture or is_page_number(n, pages) or any(
                f and n.endswith(" " + f) and is_page_number(f, pages) for f in furniture):
            count += 1
    return count


def item_scores(doc_items: list, truth_items: list[dict]) -> tuple[int, int, int]:
    matched = 0
    used: set[int] = set()
    for truth in truth_items:
        for i, item in enumerate(doc_items):
            if i in used or str(item.number) != str(truth["n"]):
                continue
            if similarity(item.text, truth["text"]) >= 0.9:
                matched += 1
                used.add(i)
                break
    return matched, len(doc_items), len(truth_items)


def evaluate_truth_set(folder: Path) -> dict:
    per_doc = []
    pages = 0
    elapsed = 0.0
    items_tp = items_pred = items_truth = 0
    headings_found = headings_total = furniture_total = 0
    baseline_plumber: list[float] = []
    baseline_pdfium: list[float] = []
    for truth_file in sorted(folder.glob("*.truth.json")):
        pdf = truth_file.with_name(truth_file.name.replace(".truth.json", ".pdf"))
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        truth_text = "\n\n".join(truth["blocks"])
        start = time.perf_counter()
        doc = extract_pdf(pdf)
        elapsed += time.perf_counter() - start
        pages += doc.source.pages
        sim = similarity(doc.text, truth_text)
        truth_blocks = {norm(b) for b in truth["blocks"]}
        left = furniture_left(doc.text, furniture_strings(pdf, truth_blocks), truth_blocks, doc.source.pages)
        titles = {norm(s.title) for s in doc.sections}
        found = sum(1 for h in truth["headings"] if norm(h) in titles)
        tp, n_pred, n_truth = item_scores(doc.items, truth.get("items", []))
        items_tp, items_pred, items_truth = items_tp + tp, items_pred + n_pred, items_truth + n_truth
        headings_found, headings_total = headings_found + found, headings_total + len(truth["headings"])
        furniture_total += left
        per_doc.append({"file": pdf.name, "status": doc.status, "text_similarity": round(sim, 4),
                        "furniture_lines_left": left, "headings": f"{found}/{len(truth['headings'])}",
                        "items": f"tp={tp} pred={n_pred} truth={n_truth}"})
        baseline_plumber.append(similarity(plumber_text(pdf), truth_text))
        baseline_pdfium.append(similarity(pdfium_text(pdf), truth_text))
    return {
        "documents": len(per_doc),
        "pages": pages,
        "text_similarity_mean": round(statistics.mean(d["text_similarity"] for d in per_doc), 4),
        "text_similarity_min": round(min(d["text_similarity"] for d in per_doc), 4),
        "furniture_lines_left": furniture_total,
        "heading_recall": round(headings_found / headings_total, 4) if headings_total else None,
        "item_precision": round(items_tp / items_pred, 4) if items_pred else (1.0 if not items_truth else 0.0),
        "item_recall": round(items_tp / items_truth, 4) if items_truth else None,
        "items": {"matched": items_tp, "predicted": items_pred, "truth": items_truth},
        "pages_per_second": round(pages / elapsed, 2),
        "baselines": {
            "pdfplumber_extract_text_similarity_mean": round(statistics.mean(baseline_plumber), 4),
            "pypdfium2_text_similarity_mean": round(statistics.mean(baseline_pdfium), 4),
        },
        "worst_documents": sorted(per_doc, key=lambda d: d["text_similarity"])[:5],
    }


def plumber_text(pdf: Path) -> str:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def pdfium_text(pdf: Path) -> str:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


def speed(folder: Path, limit: int | None) -> dict:
    files = sorted(folder.glob("*.pdf"))[:limit]
    statuses: dict[str, int] = {}
    pages, start = 0, time.perf_counter()
    for pdf in files:
        doc = extract_pdf(pdf)
        pages += doc.source.pages
        statuses[doc.status] = statuses.get(doc.status, 0) + 1
    elapsed = time.perf_counter() - start
    result = {"files": len(files), "pages": pages, "seconds": round(elapsed, 2),
              "pages_per_second": round(pages / elapsed, 2), "statuses": statuses}
    for name, reader in (("pdfplumber_extract_text", plumber_text), ("pypdfium2_text", pdfium_text)):
        start = time.perf_counter()
        for pdf in files:
            reader(pdf)
        result[f"baseline_{name}_pages_per_second"] = round(pages / (time.perf_counter() - start), 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results/extract.json"))
    parser.add_argument("--ofsted-limit", type=int, default=None, help="read only the first N Ofsted PDFs")
    args = parser.parse_args()
    data = args.shared / "data"
    results = {
        "machine": {"python": platform.python_version(), "processor": platform.machine(), "cores_used": 1},
        "rendered": evaluate_truth_set(data / "rendered"),
        "pfd": evaluate_truth_set(data / "pfd" / "pdfs"),
        "real_layout": evaluate_real_layout(data),
        "real_layout_holdout": evaluate_real_layout(data, HOLDOUT_DIR) if any(HOLDOUT_DIR.glob("*.json")) else None,
        "ofsted_speed": speed(data / "ofsted" / "pdfs", args.ofsted_limit),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    summary = {k: {m: v for m, v in results[k].items() if m not in ("worst_documents",)}
               for k in ("rendered", "pfd", "ofsted_speed")}
    summary["real_layout"] = {k: v for k, v in results["real_layout"].items() if k != "documents"}
    if results["real_layout_holdout"]:
        summary["real_layout_holdout"] = {k: v for k, v in results["real_layout_holdout"].items()
                                          if k != "documents"}
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
