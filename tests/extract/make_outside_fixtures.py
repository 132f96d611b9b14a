"""Generate the PDFs the extract tests need: plain, encrypted, damaged and scanned (nothing committed)."""
from __future__ import annotations

from pathlib import Path

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # the system font the scans are drawn in


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
