"""Small synthetic case review PDFs (reportlab), written by us: no real report text in tests."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

PARAGRAPHS = [
    "The review considered how agencies worked together to protect Child A between 2019 and 2021.",
    "The health visitor recorded concerns about neglect and the condition of the home on several visits.",
    "Police Scotland attended the family home after reports of domestic abuse; information was not shared.",
    "Parental substance misuse and mental health problems affected the care Child A received.",
    "School staff noticed that Child A was often hungry and missed school, but no referral was made.",
]
RECOMMENDATIONS = [
    "The partnership should ensure that information about domestic abuse is shared with health services.",
    "Social work services should review how neglect is assessed when parents misuse substances.",
    "The child protection committee should deliver training on professional curiosity.",
]


def make_report_pdf(path: Path, *, title: str = "Significant Case Review: Child A", pages: int = 2,
                    header: str = "Significant Case Review", extra_body: list[str] = (),
                    recommendations: list[str] = RECOMMENDATIONS) -> Path:
    """A report with a running header, numbered paragraphs over `pages` pages and a Recommendations list."""
    styles = getSampleStyleSheet()
    story = [Paragraph(title, styles["Title"])]
    number = 1
    for page in range(pages):
        story.append(Paragraph(f"{page + 1}. Background" if page == 0 else f"{page + 1}. Analysis",
                               styles["Heading2"]))
        for text in [*PARAGRAPHS, *extra_body]:
            story.append(Paragraph(f"{page + 1}.{number} {text}", styles["BodyText"]))
            number += 1
        story.append(PageBreak())
    story.append(Paragraph("Recommendations", styles["Heading2"]))
    for n, rec in enumerate(recommendations, 1):  # numbered paragraphs, as review reports set them
        story.append(Paragraph(f"{n}. {rec}", styles["BodyText"]))
        story.append(Spacer(1, 6))

    def running_header(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(72, A4[1] - 40, header)
        canvas.drawRightString(A4[0] - 72, 30, f"Page {doc.page}")
        canvas.restoreState()

    path.parent.mkdir(parents=True, exist_ok=True)
    SimpleDocTemplate(str(path), pagesize=A4, title=title).build(
        story, onFirstPage=running_header, onLaterPages=running_header)
    return path


def make_corpus(folder: Path, n: int, pages: int = 2) -> list[Path]:
    """n distinct small reports (distinct content, so distinct sha256): the project's richer generator
    (corpora/synthetic: two columns, tables, sub-points) when it is there, else the simple one above."""
    try:
        from corpora.synthetic.render import render_review, sample_spec
    except ImportError:
        render_review = None
    paths = []
    for i in range(n):
        path = folder / f"review_{i:02d}.pdf"
        if render_review is not None:
            folder.mkdir(parents=True, exist_ok=True)
            render_review(str(path), sample_spec(seed=11, index=i))
        else:
            make_report_pdf(path, title=f"Significant Case Review: Child {chr(65 + i)}", pages=pages)
        paths.append(path)
    return paths
