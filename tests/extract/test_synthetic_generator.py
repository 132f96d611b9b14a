"""corpora.synthetic.render: the PDFs show what the truth says, and the committed samples are reproducible."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pdfplumber
from casereview.extract import extract_pdf
from casereview.settings import project_root

from corpora.synthetic import render as synthetic
from corpora.synthetic.render import render_review, sample_spec

SAMPLES = project_root() / "corpora" / "samples"


def _lines(pdf: Path) -> list[str]:
    with pdfplumber.open(pdf) as doc:
        return [line for page in doc.pages for line in (page.extract_text() or "").splitlines()]


def test_cli_writes_pdfs_with_truth_files(tmp_path: Path, capsys):
    synthetic.main(["--out", str(tmp_path), "--count", "3", "--seed", "11"])
    pdfs = sorted(tmp_path.glob("*.pdf"))
    assert len(pdfs) == 3
    for pdf in pdfs:
        truth = json.loads(pdf.with_name(pdf.stem + ".truth.json").read_text(encoding="utf-8"))
        assert truth["blocks"][0] == truth["title"]
        assert truth["items"] and truth["headings"] and truth["tables"]
        assert pdf.stat().st_size < 200_000
    assert len(capsys.readouterr().out.strip().splitlines()) == 3


def test_the_same_seed_gives_the_same_report(tmp_path: Path):
    a = render_review(tmp_path / "a.pdf", sample_spec(5, 2))
    b = render_review(tmp_path / "b.pdf", sample_spec(5, 2))
    c = render_review(tmp_path / "c.pdf", sample_spec(6, 2))
    assert a == b
    assert a["blocks"] != c["blocks"]


def test_a_marked_word_is_broken_with_a_hyphen_at_a_line_end(tmp_path: Path):
    pdf = tmp_path / "broken.pdf"
    truth = render_review(pdf, sample_spec(7, 0))
    text = "\n\n".join(truth["blocks"])
    lines = _lines(pdf)
    broken = [(a, b) for a, b in itertools.pairwise(lines) if a.endswith("-")]
    assert broken, "no line ends with a hyphen"
    for before, after in broken:
        head, tail = before.split()[-1], after.split()[0]
        assert head + tail in text or head[:-1] + tail in text
        assert head + " " + tail not in text
    assert "¦" not in text


def test_the_helvetica_fallback_renders_a_readable_report(tmp_path: Path):
    pdf = tmp_path / "helvetica.pdf"
    truth = render_review(pdf, sample_spec(7, 0, columns=1, style="recommendations", breaks=False,
                                           paragraph_group=3, font="helvetica"))
    with pdfplumber.open(pdf) as doc:
        fonts = {c["fontname"] for page in doc.pages for c in page.chars}
    assert fonts <= {"Helvetica", "Helvetica-Bold"}
    doc = extract_pdf(pdf)
    assert doc.text == "\n\n".join(truth["blocks"])
    assert [(i.number, i.text, i.subpoints or []) for i in doc.items] == \
        [(t["n"], t["text"], t["subpoints"]) for t in truth["items"]]


def test_committed_samples_are_the_generator_output(tmp_path: Path):
    committed = sorted(SAMPLES.glob("*.truth.json"))
    assert len(committed) == 6
    synthetic.main(["--out", str(tmp_path), "--count", "6", "--seed", "7"])
    for path in committed:
        fresh = json.loads((tmp_path / path.name).read_text(encoding="utf-8"))
        saved = json.loads(path.read_text(encoding="utf-8"))
        for key in ("title", "blocks", "headings", "items", "tables"):
            assert fresh[key] == saved[key], (path.name, key)
    text = " ".join(" ".join(json.loads(p.read_text(encoding="utf-8"))["blocks"]) for p in committed)
    for identifier in ("Morag Kellerman", "EH99 1ZZ", "0131 496 0123"):  # for the demo's redaction step
        assert identifier in text
    assert sum(p.stat().st_size for p in SAMPLES.iterdir()) < 1_000_000
