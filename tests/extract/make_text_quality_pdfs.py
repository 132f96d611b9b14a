"""Generate PDFs whose text other readers read and PDFium's raw characters make hard (nothing committed).

Each reproduces a failure seen on other projects' test PDFs: fonts scaled by the text matrix (Tf size 1),
negative font sizes, pages turned by /Rotate and text whose baseline runs up or down the page. The PDFs
are written by hand so the content stream is exactly the construct under test.
"""
from __future__ import annotations

from pathlib import Path

LINES = ["The review panel met the family on three occasions",
         "Recommendations were agreed by the safeguarding partnership",
         "Comite de demolition seance tenue le lundi"]


def _pdf(path: Path, content: str, page: str = "/MediaBox [0 0 612 792]") -> Path:
    stream = content.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R {page} /Contents 4 0 R "
        f"/Resources << /Font << /F1 5 0 R >> >> >>".encode("latin-1"),
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
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
