"""Render invented case review reports as PDFs, with the exact ground truth of what was drawn.

``render_review(path, spec) -> truth`` lays a report out with reportlab (one or two columns, running header,
"Page N of M" or "Page N" footer, ruled tables, numbered recommendations or Learning Together findings with
lettered sub-points, bulleted "What needs to improve" entries, words broken with a hyphen at a line end)
and returns what a perfect extractor would produce:

    {"title": str,
     "blocks": [str, ...],        # every block in reading order; "\\n\\n".join(blocks) is the ideal Document.text
     "headings": [str, ...],      # section headings (not the title), as drawn ("2.1 Agency involvement")
     "sections": [{"title": str, "level": int}],
     "items": [{"n": "1" | None, "text": str, "kind": "recommendation" | "finding",
                "subpoints": [str, ...], "section": str}],
     "tables": [[[cell, ...], ...]],   # each table's rows
     "furniture": [str, ...],     # running header and footer strings drawn on the pages (must not be in text)
     "pages": int, "columns": 1 | 2}

Block conventions (those of the Document contract): a numbered entry's block keeps its number ("1. The
partnership should ..."), a sub-point keeps its letter ("a) ..."), a bullet loses its bullet glyph, a table
is one block whose rows are lines of tab-separated cells, a word broken across lines is whole
("safeguarding", "multi-agency").

The spec (a dict; ``sample_spec`` builds varied ones):

    {"title": str, "columns": 1 | 2, "header": str | None, "footer": "page_n_of_m" | "page_n" | None,
     "font": "auto" | "dejavu" | "helvetica", "marker_size": 12,   # list numbers/letters/bullets: Helvetica
     "sections": [{"heading": "3. Analysis", "level": 1, "content": [block, ...]}, ...]}

    block: "plain paragraph text"      a word written "safe¦guarding" or "multi-¦agency" is broken there
                                       at the end of a line (a hyphen is drawn; the truth has the whole word)
           {"table": [[cell, ...], ...]}                                   first row is the header row
           {"numbered": [str | {"text": str, "subpoints": [str]}], "kind": "recommendation" | "finding" | None,
            "start": 1}
           {"bullets": [str, ...], "kind": "recommendation" | "finding" | None}

All names, places, postcodes and phone numbers are invented (phone numbers in Ofcom's drama ranges).

CLI: python -m corpora.synthetic.render --out corpora/samples --count 6 --seed 7
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path
from typing import Any, ClassVar
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    FrameBreak,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

BREAK = "¦"  # marks where a word is broken across a line end
PAGE_W, PAGE_H = A4
MARGIN = 56.7
GUTTER = 20.0
PAD = 6.0  # reportlab Frame padding on each side

_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF",
              "/usr/local/share/fonts", "/Library/Fonts")


# -- fonts ------------------------------------------------------------------------------------------------


def _fonts(choice: str) -> tuple[str, str]:
    """(regular, bold) font names: DejaVuSans where the system has it (and it is wanted), else Helvetica."""
    if choice in ("auto", "dejavu"):
        for folder in _FONT_DIRS:
            regular, bold = Path(folder) / "DejaVuSans.ttf", Path(folder) / "DejaVuSans-Bold.ttf"
            if regular.is_file() and bold.is_file():
                if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
                    pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
                    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
                return "DejaVuSans", "DejaVuSans-Bold"
        if choice == "dejavu":
            raise FileNotFoundError("DejaVuSans.ttf not found; use font 'auto' or 'helvetica'")
    return "Helvetica", "Helvetica-Bold"


def _styles(regular: str, bold: str, marker_size: float = 12) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=regular, fontSize=10, leading=13.5, spaceAfter=6)
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=18, leading=22, spaceAfter=14),
        "h1": ParagraphStyle("h1", fontName=bold, fontSize=12.5, leading=15, spaceBefore=8, spaceAfter=6,
                             keepWithNext=1),
        "h2": ParagraphStyle("h2", fontName=bold, fontSize=11, leading=14, spaceBefore=4, spaceAfter=5,
                             keepWithNext=1),
        "body": body,
        "item": ParagraphStyle("item", parent=body, leftIndent=16, bulletIndent=0, bulletFontName="Helvetica",
                               bulletFontSize=marker_size),
        "sub": ParagraphStyle("sub", parent=body, leftIndent=34, bulletIndent=16, bulletFontName="Helvetica",
                              bulletFontSize=marker_size),
        "bullet": ParagraphStyle("bullet", parent=body, leftIndent=16, bulletIndent=4,
                                 bulletFontName="Helvetica", bulletFontSize=marker_size),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=9, leading=11),
        "cell_head": ParagraphStyle("cell_head", fontName=bold, fontSize=9, leading=11),
    }


# -- words broken at a line end -----------------------------------------------------------------------------


def _whole(word: str) -> str:
    head, tail = word.split(BREAK, 1)
    return head + tail


def _break_paragraph(text: str, width: float, font: str, size: float) -> tuple[str, str, float]:
    """(markup, truth, right indent) for a paragraph with one word marked head¦tail.

    The paragraph is narrowed (a right indent of up to a third of the width) until the marked word is the
    first word that no longer fits on a line while "head-" still does; the line is then broken after
    "head-", as a typesetter's hyphenation would. Word order is never changed."""
    words = text.split()
    marked = next(i for i, w in enumerate(words) if BREAK in w)
    head, tail = words[marked].split(BREAK, 1)
    drawn_head = head if head.endswith("-") else head + "-"
    whole = [_whole(w) if BREAK in w else w for w in words]
    space = pdfmetrics.stringWidth(" ", font, size)
    sizes = [pdfmetrics.stringWidth(w, font, size) for w in whole]
    head_w = pdfmetrics.stringWidth(drawn_head, font, size)

    def placement(avail: float) -> bool:
        line_w = -space
        for i, w in enumerate(sizes):
            if line_w + space + w > avail - 0.5 and line_w > 0:
                if i == marked:
                    return line_w + space + head_w <= avail - 2.0
                line_w = w
            else:
                if i == marked:
                    return False
                line_w += space + w
        return False

    indent = 0.0
    for step in range(int(width / 3)):
        if placement(width - step):
            indent = float(step)
            break
    before = " ".join(escape(w) for w in words[:marked])
    after = " ".join(escape(w) for w in words[marked + 1:])
    markup = f"{before} {escape(drawn_head)}<br/>{escape(tail)} {after}".strip()
    return markup, " ".join(whole), indent


# -- page furniture ---------------------------------------------------------------------------------------


def _numbered_canvas(footer: str | None, font: str):
    """A canvas that draws the footer once the page count is known ("Page N of M")."""

    class NumberedCanvas(rl_canvas.Canvas):
        drawn: ClassVar[list[str]] = []

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                if footer:
                    label = (f"Page {self._pageNumber} of {total}" if footer == "page_n_of_m"
                             else f"Page {self._pageNumber}")
                    NumberedCanvas.drawn.append(label)
                    self.setFont(font, 9)
                    self.drawCentredString(PAGE_W / 2, 28, label)
                super().showPage()
            super().save()

    return NumberedCanvas


# -- rendering ----------------------------------------------------------------------------------------------


def render_review(path: str | Path, spec: dict[str, Any]) -> dict[str, Any]:
    """Write the PDF for ``spec`` to ``path`` and return its ground truth (see the module docstring)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    regular, bold = _fonts(spec.get("font", "auto"))
    st = _styles(regular, bold, float(spec.get("marker_size", 12)))
    columns = int(spec.get("columns", 1))
    if columns not in (1, 2):
        raise ValueError("columns must be 1 or 2")
    body_w = PAGE_W - 2 * MARGIN
    col_w = body_w if columns == 1 else (body_w - GUTTER) / 2
    text_w = col_w - 2 * PAD

    truth: dict[str, Any] = {"title": spec["title"], "blocks": [], "headings": [], "sections": [],
                             "items": [], "tables": [], "furniture": [], "columns": columns}
    story: list = []

    pending: list = []  # a heading waits here to be kept together with the block after it

    def add(flowable, block: str) -> None:
        story.append(KeepTogether([*pending, flowable]))
        pending.clear()
        truth["blocks"].append(block)

    add(Paragraph(escape(spec["title"]), st["title"]), spec["title"])
    if columns == 2:
        story.append(NextPageTemplate("columns"))
        story.append(FrameBreak())

    for section in spec["sections"]:
        heading, level = section["heading"], int(section.get("level", 1))
        pending.append(Paragraph(escape(heading), st["h1" if level == 1 else "h2"]))
        truth["blocks"].append(heading)
        truth["headings"].append(heading)
        truth["sections"].append({"title": heading, "level": level})
        for block in section.get("content", []):
            _render_block(block, heading, st, text_w, regular, add, truth)
        story.extend(pending)
        pending.clear()

    header = spec.get("header")
    footer = spec.get("footer")

    def on_page(canvas, doc) -> None:
        if header:
            canvas.saveState()
            canvas.setFont(regular, 8)
            canvas.drawString(MARGIN + PAD, PAGE_H - 30, header)
            canvas.restoreState()

    top = PAGE_H - MARGIN - 10
    height = top - MARGIN - 10
    frame_bottom = MARGIN + 10
    if columns == 1:
        templates = [PageTemplate("page", [Frame(MARGIN, frame_bottom, body_w, height, id="body")],
                                  onPage=on_page)]
    else:
        title_h = 80.0

        def two(prefix: str, h: float) -> list[Frame]:
            return [Frame(MARGIN, frame_bottom, col_w, h, id=f"{prefix}left"),
                    Frame(MARGIN + col_w + GUTTER, frame_bottom, col_w, h, id=f"{prefix}right")]

        templates = [
            PageTemplate("first", [Frame(MARGIN, top - title_h, body_w, title_h, id="title"),
                                   *two("first", height - title_h)], onPage=on_page),
            PageTemplate("columns", two("", height), onPage=on_page),
        ]
    doc = BaseDocTemplate(str(path), pagesize=A4, pageTemplates=templates, title=spec["title"],
                          author="casereview synthetic generator", leftMargin=MARGIN, rightMargin=MARGIN,
                          topMargin=MARGIN, bottomMargin=MARGIN)
    canvasmaker = _numbered_canvas(footer, regular)
    canvasmaker.drawn = []
    doc.build(story, canvasmaker=canvasmaker)
    truth["pages"] = doc.page
    truth["furniture"] = sorted({header} if header else set()) + list(canvasmaker.drawn)
    return truth


def _render_block(block: Any, heading: str, st: dict[str, ParagraphStyle], text_w: float, font: str,
                  add, truth: dict[str, Any]) -> None:
    if isinstance(block, str):
        style = st["body"]
        if BREAK in block:
            markup, text, indent = _break_paragraph(block, text_w, font, style.fontSize)
            style = ParagraphStyle(f"body_r{indent:.0f}", parent=style, rightIndent=indent)
        else:
            markup, text = escape(block), block
        add(Paragraph(markup, style), text)
    elif "table" in block:
        rows = [[str(c) for c in row] for row in block["table"]]
        ncols = max(len(r) for r in rows)
        widths = block.get("widths") or [1.0] * ncols
        scale = (text_w - 2) / sum(widths)
        data = [[Paragraph(escape(c), st["cell_head" if r == 0 else "cell"]) for c in row]
                for r, row in enumerate(rows)]
        table = Table(data, colWidths=[w * scale for w in widths], hAlign="LEFT")
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6"))]))
        table.spaceBefore, table.spaceAfter = 4, 10
        add(table, "\n".join("\t".join(row) for row in rows))
        truth["tables"].append(rows)
    elif "numbered" in block:
        kind = block.get("kind")
        for n, entry in enumerate(block["numbered"], int(block.get("start", 1))):
            entry = {"text": entry} if isinstance(entry, str) else entry
            add(Paragraph(escape(entry["text"]), st["item"], bulletText=f"{n}."), f"{n}. {entry['text']}")
            subpoints = list(entry.get("subpoints", []))
            for letter, sub in zip("abcdefghij", subpoints, strict=False):
                add(Paragraph(escape(sub), st["sub"], bulletText=f"{letter})"), f"{letter}) {sub}")
            if kind:
                truth["items"].append({"n": str(n), "text": entry["text"], "kind": kind,
                                       "subpoints": subpoints, "section": heading})
    elif "bullets" in block:
        kind = block.get("kind")
        for entry in block["bullets"]:
            add(Paragraph(escape(entry), st["bullet"], bulletText="\u2022"), entry)
            if kind:
                truth["items"].append({"n": None, "text": entry, "kind": kind, "subpoints": [],
                                       "section": heading})
    else:
        raise ValueError(f"unknown block {sorted(block)!r}")


def truth_text(truth: dict[str, Any]) -> str:
    """The ideal Document.text for a rendered review."""
    return "\n\n".join(truth["blocks"])


# -- invented content ----------------------------------------------------------------------------------------

_AREAS = ["Glenbrae", "Strathmore Vale", "Kinloch Shore", "Eastmuir", "Ashcombe", "Hartwell Borough"]
_STAFF = ["Morag Kellerman", "Euan Strathdee", "Priya Lennox", "Callum Drysdale", "Fiona Baird", "Tomasz Wren",
          "Alison Quarrie", "Rhona McVittie"]
_POSTCODES = ["EH99 1ZZ", "G99 9ZZ", "AB99 2ZZ", "KY99 4ZZ"]
_PHONES = ["0131 496 0123", "0141 496 0457", "07700 900381", "01632 960214"]

_INTRO = [
    ("This report sets out the findings of a review into the circumstances of Child {c}, who was {age} years "
    "old when the review was commissioned by the {area} Child Protection Committee."),
    ("The review was carried out under the national guidance for learning reviews. Its purpose is to learn "
    "how agencies worked together, not to apportion blame to individual practitioners."),
    ("The review team met practitioners from health, education, social work and Police Scotland, and read the "
    "records held by each agency for the period under review."),
    ("Child {c}'s mother and maternal grandmother were invited to contribute, and their views are reflected "
    "throughout this report."),
]
_BACKGROUND = [
    ("Child {c} lived with their mother and two younger siblings in a privately rented flat. The family moved "
    "house four times in the two years before the incident that led to this review."),
    ("The health visitor recorded concerns about the condition of the home on several visits, and noted that "
    "appointments were often missed or cancelled at short notice."),
    ("Child {c}'s attendance at nursery fell below sixty per cent during the winter term. Nursery staff "
    "recorded bruising on two occasions and shared their concerns with the named person."),
    ("Police Scotland attended the family home three times in response to reports of domestic abuse. On each "
    "occasion a concern report was sent to social work services."),
    ("Mother's use of alcohol increased after the birth of her youngest child. Adult services offered support, "
    "but the offer was not linked to the child's plan."),
    ("The family were known to the housing service because of rent arrears, and a notice of eviction was "
    "served in the month before Child {c} was admitted to hospital."),
]
_ANALYSIS = [
    ("Information about domestic abuse was held by several agencies, but it was not brought together, so no "
    "single practitioner saw the cumulative harm to Child {c}."),
    ("Practitioners accepted the mother's explanations for missed appointments without testing them. The "
    "review found that professional curiosity was limited by high caseloads and turnover of staff."),
    ("The interagency referral discussion took place promptly, but its decisions were not recorded in a way "
    "that the nursery or the GP practice could act on."),
    ("Supervision records show that the social worker raised her worries about neglect, but the plan agreed "
    "at the core group was not reviewed when the family moved house."),
    ("The voice of the child was rarely recorded. Child {c} was seen by professionals on more than forty "
    "occasions, but was spoken to alone only twice."),
    ("Escalation procedures existed, yet practitioners in universal services did not feel confident to "
    "challenge decisions made by social work managers."),
]
_BROKEN = [
    ("The {area} partnership has since introduced a joint chronology, and practitioners told the review that "
    "it has improved their understanding of the risks of cumulative harm in the multi-¦agency setting."),
    ("Managers acknowledged that the response to neglect had depended too much on the persistence of "
    "individual practitioners, and that the approach to safe¦guarding children under five had not been "
    "refreshed since the last inspection."),
    ("The review heard that the family did not understand the purpose of the case conference, and that the "
    "decision-¦making process that removed Child {c} from the child protection register was not explained "
    "to the nursery or to the school nurse."),
]
_IDENTIFIERS = [
    ("The lead reviewer was {staff}, an independent social work consultant. Enquiries about this review should "
    "be sent to the Child Protection Committee, 1 Example Street, {area}, {postcode}, telephone {phone}."),
    ("The review was chaired by {staff2} on behalf of the {area} partnership, with support from the lead "
    "officer (telephone {phone2})."),
]
_RECOMMENDATIONS = [
    (("The Child Protection Committee should ensure that concern reports about domestic abuse are shared with "
     "the health visiting service within one working day."), []),
    ("Social work services should review how neglect is assessed when parents misuse alcohol or drugs.",
     ["the review should include the use of a structured neglect assessment tool;",
      "managers should audit a sample of cases within twelve months."]),
    (("The partnership should provide multi-agency training on professional curiosity and on recording the "
     "voice of the child."), []),
    (("NHS {area} should ensure that missed health appointments for children under five are followed up and "
     "shared with the named person."), ["a clear pathway for was not brought children;",
                                       "a record of the follow-up in the child's health record."]),
    (("The Child Protection Committee should publish a simple escalation guide for practitioners in "
     "universal services."), []),
    (("Housing services should notify social work services when a family with a child's plan is served with "
     "a notice of eviction."), []),
]
_FINDINGS = [
    (("Practitioners did not bring together information held by different agencies, so the cumulative impact "
     "of neglect on Child {c} was not recognised."), []),
    (("The local system relies on individual practitioners to escalate concerns, and there is no shared "
     "understanding of when and how to challenge a decision."),
     ["staff in nurseries and schools were unsure whom to contact;",
      "challenge was seen as a sign of conflict rather than good practice."]),
    (("Plans for children were not reviewed when families moved between areas, which meant that support "
     "lapsed at the point of greatest risk."), []),
    ("Fathers and male partners were largely invisible in assessments and plans.", []),
    ("High turnover of social work staff reduced the continuity of relationships with the family.",
     ["Child {c} had five allocated workers in eighteen months."]),
]
_IMPROVE = [
    "The quality and consistency of chronologies in children's records.",
    "The recording of children's views and experiences in assessments and plans.",
    "The timeliness of interagency referral discussions at weekends.",
    "Management oversight of cases where neglect is the main concern.",
]
_CHRONOLOGY = [
    ["Date", "Agency", "Event"],
    ["March 2021", "Health visiting", "Home visit; concerns about home conditions noted"],
    ["June 2021", "Police Scotland", "Domestic incident; concern report sent"],
    ["October 2021", "Nursery", "Bruising observed and reported to named person"],
    ["January 2022", "Social work", "Interagency referral discussion held"],
    ["April 2022", "Health", "Child admitted to hospital"],
]
_SUMMARY_TABLE = [
    ["Agency", "Contacts", "Seen alone"],
    ["Health visiting", "14", "0"],
    ["Nursery", "22", "2"],
    ["Social work", "9", "0"],
]


def sample_spec(seed: int = 7, index: int = 0, *, columns: int | None = None, style: str | None = None,
                font: str = "auto", breaks: bool = True, paragraph_group: int = 1,
                marker_size: float = 12) -> dict[str, Any]:
    """A varied invented review. ``style``: "recommendations" (SCR/CSPR), "learning_together" (findings),
    "inspection" (findings + bulleted "What needs to improve"); default by index. Every third is two-column
    unless ``columns`` says otherwise. ``breaks=False`` writes no word broken at a line end;
    ``paragraph_group=N`` joins runs of up to N consecutive paragraphs of a section into one."""
    rng = random.Random(seed * 1000 + index)
    style = style or ("recommendations", "learning_together", "inspection")[index % 3]
    columns = columns or (2 if index % 3 == 2 else 1)
    letter = "ABCDEFGHJK"[index % 10]
    area = _AREAS[rng.randrange(len(_AREAS))]
    staff = rng.sample(_STAFF, 2)
    fill = {"c": letter, "area": area, "age": rng.randint(2, 15), "staff": staff[0], "staff2": staff[1],
            "postcode": rng.choice(_POSTCODES), "phone": _PHONES[index % 4], "phone2": _PHONES[(index + 1) % 4]}

    def f(text: str) -> str:
        return text.format(**fill)

    def numbered(heading: str, intro: str, entries, kind: str) -> dict[str, Any]:
        """A section of an intro sentence and numbered entries (text, sub-points) of one kind."""
        return {"heading": heading, "content": [intro, {
            "numbered": [{"text": f(t), "subpoints": [f(s) for s in subs]} for t, subs in entries], "kind": kind}]}

    kind_title = {"recommendations": ["Significant Case Review", "Child Safeguarding Practice Review"],
                  "learning_together": ["Learning Review", "Initial Case Review"],
                  "inspection": ["Significant Case Review", "Learning Review"]}[style]
    title = f"{rng.choice(kind_title)}: Child {letter}"
    background = rng.sample(_BACKGROUND, 5)
    analysis = rng.sample(_ANALYSIS, 6)
    broken = rng.sample(_BROKEN, 2)
    sections: list[dict[str, Any]] = [
        {"heading": "1. Introduction", "content": [f(s) for s in _INTRO[:3]] + [f(_IDENTIFIERS[0])]},
        {"heading": "2. Background", "content": [f(background[0]), f(background[4])]},
        {"heading": "2.1 Family circumstances", "level": 2, "content": [f(s) for s in background[1:3]]},
        {"heading": "2.2 Agency involvement", "level": 2,
         "content": [f(background[3]), {"table": _CHRONOLOGY if columns == 1 else _SUMMARY_TABLE,
                                       "widths": [1, 1.2, 2.4] if columns == 1 else [1.6, 1, 1]}]},
        {"heading": "3. Analysis of practice", "content": [f(analysis[0]), f(broken[0]), f(analysis[1]),
                                                                  f(analysis[4])]},
        {"heading": "3.1 Hearing the child", "level": 2, "content": [f(analysis[2]), f(broken[1]),
                                                                      f(analysis[3]), f(analysis[5])]},
    ]
    number = 4
    if style in ("learning_together", "inspection"):
        findings = rng.sample(_FINDINGS, 4 if style == "learning_together" else 3)
        sections.append(numbered(f"{number}. Findings", "The review identified the following findings for the "
                                 "local system.", findings, "finding"))
        number += 1
    if style == "inspection":
        sections.append({"heading": f"{number}. What needs to improve", "content": [
            {"bullets": rng.sample(_IMPROVE, 3), "kind": "recommendation"}]})
        number += 1
    if style in ("recommendations", "inspection"):
        recs = rng.sample(_RECOMMENDATIONS, 5 if style == "recommendations" else 3)
        sections.append(numbered(f"{number}. Recommendations", "The review makes the following recommendations "
                                 "to the Child Protection Committee.", recs, "recommendation"))
        number += 1
    sections.append({"heading": f"{number}. Conclusion", "content": [
        f("Child {c} is now living with kinship carers and is reported to be doing well at school."),
        f(_IDENTIFIERS[1]),
        "Practitioners should note that the points below summarise this report for team briefings.",
        {"bullets": ["Bring information together early.", "Speak to the child alone.",
                     "Use the escalation guide when you disagree with a decision."], "kind": None}]})
    header = f"OFFICIAL - SENSITIVE: {title}" if rng.random() < 0.8 else f"{area} Child Protection Committee"
    if not breaks:
        for section in sections:
            section["content"] = [b.replace(BREAK, "") if isinstance(b, str) else b for b in section["content"]]
    if paragraph_group > 1:
        for section in sections:
            section["content"] = _group_paragraphs(section["content"], paragraph_group)
    return {"title": title, "columns": columns, "header": header, "marker_size": marker_size,
            "footer": "page_n_of_m" if index % 2 == 0 else "page_n", "font": font, "sections": sections}


def _group_paragraphs(content: list[Any], size: int) -> list[Any]:
    """Join runs of consecutive paragraphs into one paragraph of up to ``size`` (at most one broken word)."""
    out: list[Any] = []
    count = 0
    for block in content:
        if isinstance(block, str) and out and isinstance(out[-1], str) and count < size \
                and not (BREAK in block and BREAK in out[-1]):
            out[-1] = out[-1] + " " + block
            count += 1
        else:
            out.append(block)
            count = 1
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write invented case review PDFs with .truth.json files.")
    parser.add_argument("--out", type=Path, default=Path("corpora/samples"))
    parser.add_argument("--count", type=int, default=6)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for index in range(args.count):
        spec = sample_spec(args.seed, index)
        pdf = args.out / f"{index + 1:02d}_{_slug(spec['title'])}.pdf"
        truth = render_review(pdf, spec)
        pdf.with_name(pdf.stem + ".truth.json").write_text(
            json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{pdf} ({truth['pages']} pages, {truth['columns']} column(s), {len(truth['items'])} items)")


if __name__ == "__main__":
    main()
