"""Generate PDFs with characters outside the Basic Multilingual Plane (emoji, math letters).

Uses reportlab with the system's DejaVu Sans TTF (embedded in the PDF, nothing committed).
"""
from __future__ import annotations

from pathlib import Path

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
NON_BMP_TEXT = "Mum texted \U0001D400\U0001D401\U0001D402 then \U0001F600 okay"


def make_non_bmp_pdf(path: Path) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVuSans", str(DEJAVU)))
    pdf = canvas.Canvas(str(path))
    pdf.setFont("DejaVuSans", 12)
    pdf.drawString(72, 720, NON_BMP_TEXT)
    pdf.drawString(72, 700, "The review panel met on 3 May.")
    pdf.save()
    return path


def make_plain_pdf(path: Path, text: str = "The review panel met on 3 May.") -> Path:
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path))
    pdf.drawString(72, 720, text)
    pdf.save()
    return path


def make_encrypted_pdf(path: Path, user_password: str, owner_password: str = "owner") -> Path:
    """AES-256 (R6) encryption; with an empty user password any reader may open it."""
    from pypdf import PdfReader, PdfWriter

    plain = make_plain_pdf(path.with_suffix(".plain.pdf"))
    writer = PdfWriter()
    for page in PdfReader(plain).pages:
        writer.add_page(page)
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-256")
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def make_damaged_pdf(path: Path) -> Path:
    """A PDF header and then garbage: no parser can open it."""
    path.write_bytes(b"%PDF-1.7\n" + b"\x00garbage " * 200)
    return path


def _text_image(lines: list[str]):
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1700, 2200), 255)  # A4-ish at 200 dpi
    font = ImageFont.truetype(str(DEJAVU), 44)
    draw = ImageDraw.Draw(image)
    for row, line in enumerate(lines):
        draw.text((150, 200 + row * 90), line, fill=0, font=font)
    return image


def make_scanned_pdf(path: Path, pages: list[list[str] | str]) -> Path:
    """Each page is either a list of lines rendered to an image (a scan) or a string set as real text."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=(612, 792))
    for page in pages:
        if isinstance(page, str):
            pdf.setFont("Helvetica", 12)
            pdf.drawString(72, 720, page)
        else:
            pdf.drawImage(ImageReader(_text_image(page)), 0, 0, width=612, height=792)
        pdf.showPage()
    pdf.save()
    return path
