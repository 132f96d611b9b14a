"""PDFs nobody here made: text quality against `pdftotext -layout`, speed and memory, bombs included.

Usage: python benchmarks/bench_outside.py --shared ../shared --out benchmarks/results/outside.json \
           [--corpus DIR ...]

Corpora: ../shared/data/outside_pdfs and any --corpus directory of PDFs (e.g. other projects' test PDFs
read from a git mirror into /tmp; they are never committed). For each PDF that pdftotext reads:
- bag-of-words F1 of casereview's Document text and of pdfplumber's extract_text() against pdftotext's
  (NFKC, lower case, \\w+ tokens, counted as multisets); a file we refuse or fail scores 0;
- each extraction runs in its own interpreter, so its peak RSS is that file's alone;
- pages per second (one core): pages over the seconds spent inside extract_pdf.
Then generated bombs (tests/extract/make_hostile_pdfs.py) with their peak RSS and error codes, and the
time of a 40- and a 400-page generated report, to show that extract time grows linearly with pages.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "pipeline"))
sys.path.insert(0, str(ROOT))

_WORD = re.compile(r"\w+")


def tokens(text: str) -> Counter[str]:
    return Counter(_WORD.findall(unicodedata.normalize("NFKC", text).lower()))


def f1(ours: Counter[str], truth: Counter[str]) -> float:
    overlap = sum((ours & truth).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(ours.values()), overlap / sum(truth.values())
    return 2 * precision * recall / (precision + recall)


def pdftotext(path: Path) -> str | None:
    try:
        done = subprocess.run(["pdftotext", "-layout", "-q", str(path), "-"], capture_output=True,
                              timeout=60, check=False)
    except subprocess.TimeoutExpired:
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


# -- one extraction in its own interpreter -------------------------------------------------------------

def worker(tool: str, path: str) -> None:
    start = time.perf_counter()
    pages, status, code = 0, "ok", None
    if tool == "ours":
        from casereview.extract import extract_pdf

        start = time.perf_counter()
        doc = extract_pdf(path)
        text, pages, status = doc.text or "", doc.source.pages, doc.status
        code = doc.error.code if doc.error else None
    else:
        import pdfplumber

        start = time.perf_counter()
        try:
            with pdfplumber.open(path) as pdf:
                pages = len(pdf.pages)
                text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        except Exception as exc:  # noqa: BLE001 - a baseline failing on a file scores 0 there
            text, status, code = "", "error", type(exc).__name__
    seconds = time.perf_counter() - start
    print(json.dumps({"text": text, "pages": pages, "seconds": seconds, "status": status, "code": code,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def run_worker(tool: str, path: Path, timeout: float = 300) -> dict:
    try:
        done = subprocess.run([sys.executable, __file__, "--worker", tool, str(path)], capture_output=True,
                              text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"text": "", "pages": 0, "seconds": timeout, "status": "timeout", "code": "timeout", "peak_mb": 0}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = done.stderr.strip().splitlines()[-1:] or ["?"]
        return {"text": "", "pages": 0, "seconds": 0, "status": "crash", "code": tail[0][:200], "peak_mb": 0}
    return json.loads(lines[-1])


def score_file(path: Path) -> dict | None:
    truth_text = pdftotext(path)
    if truth_text is None:
        return None
    truth = tokens(truth_text)
    if sum(truth.values()) < 5:
        return None  # nothing to compare with (a scan, or a file poppler cannot read either)
    ours, plumber = run_worker("ours", path), run_worker("plumber", path)
    return {"file": path.name, "truth_words": sum(truth.values()),
            "ours_f1": round(f1(tokens(ours["text"]), truth), 4),
            "pdfplumber_f1": round(f1(tokens(plumber["text"]), truth), 4),
            "ours_status": ours["status"], "ours_code": ours["code"], "pages": ours["pages"],
            "ours_seconds": round(ours["seconds"], 4), "ours_peak_mb": round(ours["peak_mb"], 1),
            "pdfplumber_seconds": round(plumber["seconds"], 4), "pdfplumber_peak_mb": round(plumber["peak_mb"], 1)}


# -- bombs and growth ----------------------------------------------------------------------------------

def bombs(tmp: Path) -> list[dict]:
    from tests.extract import make_hostile_pdfs as hostile

    made = [hostile.make_content_bomb(tmp / "flate_bomb_2gib.pdf", 2048),
            hostile.make_double_flate_bomb(tmp / "double_flate_bomb_64mib.pdf", 64),
            hostile.make_image_bomb(tmp / "image_bomb_2gib.pdf", 2048),
            hostile.make_huge_page(tmp / "huge_page_3m_chars.pdf", 3_000_000),
            hostile.make_huge_page(tmp / "big_page_150k_chars.pdf", 150_000),
            hostile.make_stroke_page(tmp / "strokes_20k.pdf", 20_000)]
    rows = []
    for path in made:
        result = run_worker("ours", path)
        rows.append({"file": path.name, "bytes": path.stat().st_size, "status": result["status"],
                     "code": result["code"], "peak_mb": round(result["peak_mb"], 1),
                     "seconds": round(result["seconds"], 3)})
    return rows


def growth(tmp: Path) -> dict:
    """Seconds per page of a generated text report at 40 and at 400 pages (in this process, one core)."""
    from casereview.extract import extract_pdf
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    style = getSampleStyleSheet()["BodyText"]
    sentence = "The panel met the social worker and the health visitor to review the plan for the family. "
    result = {}
    for pages in (40, 400):
        path = tmp / f"report_{pages}.pdf"
        story = [Paragraph(f"{i}. " + sentence * 6, style) for i in range(pages * 8)]
        SimpleDocTemplate(str(path)).build(story)
        start = time.perf_counter()
        doc = extract_pdf(path)
        seconds = time.perf_counter() - start
        result[f"pages_{pages}"] = {"pages": doc.source.pages, "seconds": round(seconds, 3),
                                    "pages_per_second": round(doc.source.pages / seconds, 1)}
    small, large = result["pages_40"], result["pages_400"]
    result["seconds_per_page_ratio_400_vs_40"] = round(
        (large["seconds"] / large["pages"]) / (small["seconds"] / small["pages"]), 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--corpus", type=Path, action="append", default=[],
                        help="another directory of PDFs (read recursively; not committed)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/outside.json")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--worker", nargs=2, metavar=("TOOL", "PDF"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    if not shutil.which("pdftotext"):
        sys.exit("pdftotext is not installed (Debian: poppler-utils, see scripts/install-system-deps.sh)")
    corpora = [args.shared / "data/outside_pdfs", *args.corpus]
    files = sorted({p for d in corpora if d.is_dir() for p in d.rglob("*") if p.suffix.lower() == ".pdf"})
    with ThreadPoolExecutor(args.jobs) as pool:
        rows = [r for r in pool.map(score_file, files) if r is not None]
    ours = [r["ours_f1"] for r in rows]
    plumber = [r["pdfplumber_f1"] for r in rows]
    pages = sum(r["pages"] for r in rows if r["ours_status"] == "ok")
    seconds = sum(r["ours_seconds"] for r in rows if r["ours_status"] == "ok")
    with tempfile.TemporaryDirectory(prefix="bench-outside-") as tmp:
        bomb_rows = bombs(Path(tmp))
        linear = growth(Path(tmp))
    worst = sorted(rows, key=lambda r: r["ours_f1"] - r["pdfplumber_f1"])[:15]
    result = {
        "corpora": [str(d) for d in corpora], "files_tried": len(files), "files_scored": len(rows),
        "median_f1_ours": round(statistics.median(ours), 4) if ours else None,
        "median_f1_pdfplumber": round(statistics.median(plumber), 4) if plumber else None,
        "mean_f1_ours": round(statistics.fmean(ours), 4) if ours else None,
        "mean_f1_pdfplumber": round(statistics.fmean(plumber), 4) if plumber else None,
        "files_below_0_9_ours": sum(1 for f in ours if f < 0.9),
        "files_below_0_9_pdfplumber": sum(1 for f in plumber if f < 0.9),
        "not_ok_ours": [{"file": r["file"], "code": r["ours_code"]} for r in rows if r["ours_status"] != "ok"],
        "pages_per_second_one_core": round(pages / seconds, 1) if seconds else None,
        "peak_rss_mb_max_ours": max((r["ours_peak_mb"] for r in rows), default=None),
        "peak_rss_mb_max_pdfplumber": max((r["pdfplumber_peak_mb"] for r in rows), default=None),
        "worst_vs_pdfplumber": [{k: r[k] for k in ("file", "ours_f1", "pdfplumber_f1", "ours_status")}
                                for r in worst],
        "bombs": bomb_rows,
        "growth": linear,
        "bars": {"median_f1_ours_ge_pdfplumber": bool(ours) and statistics.median(ours) >= statistics.median(plumber),
                 "peak_rss_under_1gb": all(b["peak_mb"] < 1024 for b in bomb_rows)
                 and all(r["ours_peak_mb"] < 1024 for r in rows)},
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "files": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    summary = {k: result[k] for k in ("files_scored", "median_f1_ours", "median_f1_pdfplumber", "mean_f1_ours",
                                      "mean_f1_pdfplumber", "pages_per_second_one_core", "peak_rss_mb_max_ours")}
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
