"""Generate PDFs whose text other readers read and PDFium's raw characters make hard (nothing committed).

Each reproduces a failure seen on other projects' test PDFs: fonts scaled by the text matrix (Tf size 1),
negative font sizes, pages turned by /Rotate, text whose baseline runs up or down the page and ligature
glyphs (one glyph "fi" for two letters). The PDFs
are written by hand so the content stream is exactly the construct under test.
"""
from __future__ import annotations

from pathlib import Path

LINES = ["The review panel met the family on three occasions",
         "Recommendations were agreed by the safeguarding partnership",
         "Comite de demolition seance tenue le lundi"]


_HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def _pdf(path: Path, content: str, page: str = "/MediaBox [0 0 612 792]", font: bytes = _HELVETICA,
         extra: list[bytes] | None = None) -> Path:
    stream = content.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R {page} /Contents 4 0 R "
        f"/Resources << /Font << /F1 5 0 R >> >> >>".encode("latin-1"),
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        font,
        *(extra or []),
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def _text(lines: list[str], matrix: tuple[float, float, float, float], origin: tuple[float, float],
          step: tuple[float, float], size: float = 12, spacing: float = 0.0) -> str:
    """Lines set with font size ``size`` and text matrix ``matrix``; each next line moves by ``step``."""
    a, b, c, d = matrix
    parts = []
    for i, line in enumerate(lines):
        x, y = origin[0] + i * step[0], origin[1] + i * step[1]
        parts.append(f"BT /F1 {size:g} Tf {spacing:g} Tc {a:g} {b:g} {c:g} {d:g} {x:g} {y:g} Tm ({line}) Tj ET")
    return "\n".join(parts)


def make_matrix_scaled_pdf(path: Path) -> Path:
    """Tf size 1 and the 12 pt scale in the text matrix, with a little letter spacing (as in PDFs
    from some report writers): a size-1 threshold split every letter ("C O M I TÉ")."""
    return _pdf(path, _text(LINES, (12, 0, 0, 12), (72, 700), (0, -16), size=1, spacing=0.1))


def make_negative_size_pdf(path: Path) -> Path:
    """A negative Tf size with a text matrix that flips it back upright."""
    return _pdf(path, _text(LINES, (-1, 0, 0, -1), (72, 700), (0, -16), size=-12))


def make_rotated_page_pdf(path: Path, rotate: int = 90) -> Path:
    """A landscape page made by /Rotate: the text is drawn turned in page space so it reads upright on
    screen; the first line must come first and each word whole."""
    matrix = {90: (0, 1, -1, 0), 180: (-1, 0, 0, -1), 270: (0, -1, 1, 0)}[rotate]
    origin, step = {90: ((100, 72), (16, 0)), 180: ((540, 100), (0, 16)), 270: ((500, 720), (-16, 0))}[rotate]
    return _pdf(path, _text(LINES, matrix, origin, step), page=f"/MediaBox [0 0 612 792] /Rotate {rotate}")


def make_turned_text_pdf(path: Path) -> Path:
    """Upright body text and a note running up the left margin (as journals print a DOI)."""
    body = _text(LINES, (1, 0, 0, 1), (72, 700), (0, -16))
    note = _text(["Downloaded from the archive on request"], (0, 1, -1, 0), (40, 200), (0, 0))
    return _pdf(path, body + "\n" + note)


LIGATURE_WORDS = "The officers fled the flat to find the office"


def _ligature_content() -> str:
    # Octal 256 and 257 are the fi and fl glyphs in the font's encoding below.
    text = LIGATURE_WORDS.replace("fi", "\\256").replace("fl", "\\257")
    return f"BT /F1 12 Tf 72 700 Td ({text}) Tj ET"


def make_ligature_pdf(path: Path) -> Path:
    """fi and fl set as single ligature glyphs (in Courier, a glyph wider than half the font size)."""
    font = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier "
            b"/Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [174 /fi /fl] >> >>")
    return _pdf(path, _ligature_content(), font=font)


def make_ligature_tounicode_pdf(path: Path, single: bool = False) -> Path:
    """The same ligature glyphs with a ToUnicode map that gives each two letters: PDFium reports both
    letters with the one glyph's box, the second starting left of where the first ends. With ``single``
    the map gives the ligature characters U+FB01 and U+FB02 instead."""
    fi, fl = (b"<FB01>", b"<FB02>") if single else (b"<00660069>", b"<0066006C>")
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            b"/CMapName /Ligatures def 1 begincodespacerange <00> <FF> endcodespacerange\n"
            b"2 beginbfchar <AE> " + fi + b" <AF> " + fl + b" endbfchar\n"
            b"endcmap CMapName currentdict /CMap defineresource pop end end")
    font = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /ToUnicode 6 0 R "
            b"/Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [174 /fi /fl] >> >>")
    stream = b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream"
    return _pdf(path, _ligature_content(), font=font, extra=[stream])


FORM_VALUE = "Jane Doe attended the review meeting"


def make_form_field_pdf(path: Path) -> Path:
    """A filled-in text field: its value is drawn only by the widget's appearance stream, not the page
    content (other readers read it; a page with only its label looked like a scan)."""
    appearance = f"/Tx BMC BT /F1 11 Tf 2 6 Td ({FORM_VALUE}) Tj ET EMC".encode("latin-1")
    widget = (b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /V (" + FORM_VALUE.encode("latin-1") +
              b") /Rect [150 690 400 710] /F 4 /P 3 0 R /AP << /N 7 0 R >> >>")
    form = (b"<< /Type /XObject /Subtype /Form /BBox [0 0 250 20] /Resources << /Font << /F1 5 0 R >> >> "
            b"/Length %d >>\nstream\n" % len(appearance) + appearance + b"\nendstream")
    return _pdf(path, "BT /F1 11 Tf 72 696 Td (Name:) Tj ET",
                page="/MediaBox [0 0 612 792] /Annots [6 0 R]", extra=[widget, form])


def make_short_page_pdf(path: Path) -> Path:
    """One short line and no image: little text, but no scan."""
    return _pdf(path, "BT /F1 12 Tf 72 700 Td (1 2 3) Tj ET")


def make_overlaid_word_pdf(path: Path) -> Path:
    """A word whose last letter is drawn after an overlay line elsewhere on the page: PDFium cuts it
    where the overlay came between, though its halves touch ("Dumm y")."""
    return _pdf(path, "BT /F1 16 Tf 72 700 Td (Summar) Tj ET\n"
                      "BT /F1 30 Tf 72 640 Td (DRAFT) Tj ET\n"
                      "BT /F1 16 Tf 72 700 Td 60.448 0 Td (y of the review) Tj ET")


ARABIC_WORDS = "مرحبا بالعالم"  # "hello world"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def make_arabic_pdf(path: Path) -> Path:
    """Arabic drawn in visual order (left to right on the page, as PDF writers store shaped text): PDFium
    gives the letters back in reading order, each left of the one before."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVu", str(DEJAVU)))
    pdf = canvas.Canvas(str(path))
    pdf.setFont("DejaVu", 14)
    pdf.drawString(72, 740, "The message was written in Arabic:")
    pdf.drawString(72, 720, ARABIC_WORDS[::-1])
    pdf.save()
    return path
