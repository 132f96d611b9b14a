"""Generate hostile PDFs at test time from raw bytes and zlib (nothing committed): Flate bombs in a page's
content, in an image and behind two Flate filters, a page with millions of characters, a page of strokes."""
from __future__ import annotations

import zlib
from pathlib import Path

_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
TEXT = b"BT /F1 12 Tf 72 720 Td (The review panel met on 3 May and read the case file.) Tj ET\n"


def write_pdf(path: Path, objects: list[bytes]) -> Path:
    """Objects numbered from 1 (1 is the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def stream(info: bytes, data: bytes) -> bytes:
    return b"<< " + info + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def one_page(path: Path, content: bytes, width: float = 612, height: float = 792, xobjects: bytes = b"",
             extra: list[bytes] | None = None) -> Path:
    """A one-page PDF: object 4 is the page content (given as a whole stream object), 5 the font."""
    resources = b"<< /Font << /F1 5 0 R >> " + (b"/XObject << " + xobjects + b" >> " if xobjects else b"") + b">>"
    return write_pdf(path, [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] /Resources " % (width, height) + resources
        + b" /Contents 4 0 R >>",
        content, _FONT, *(extra or [])])


def deflate_repeated(chunk: bytes, megabytes: int, prefix: bytes = b"") -> bytes:
    """``prefix`` and then ``megabytes`` MiB of ``chunk`` repeated, as one Flate stream.

    After a full flush the compressor forgets its history, so every MiB compresses to the same bytes:
    one MiB is compressed once and its bytes repeated, which makes a 2 GiB bomb in milliseconds.
    """
    block = (chunk * ((1 << 20) // len(chunk) + 1))[: 1 << 20]
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate: the zlib wrapper is written here
    head = squeeze.compress(prefix) + squeeze.flush(zlib.Z_FULL_FLUSH)
    one = squeeze.compress(block) + squeeze.flush(zlib.Z_FULL_FLUSH)
    check = zlib.adler32(prefix)
    for _ in range(megabytes):
        check = zlib.adler32(block, check)
    return b"\x78\xda" + head + one * megabytes + squeeze.flush() + check.to_bytes(4, "big")


def make_content_bomb(path: Path, megabytes: int) -> Path:
    """A page whose content stream is a line of text and then ``megabytes`` MiB of spaces."""
    data = deflate_repeated(b" ", megabytes, prefix=TEXT)
    return one_page(path, stream(b"/Filter /FlateDecode", data))


def make_double_flate_bomb(path: Path, megabytes: int) -> Path:
    """The same bomb compressed twice (/Filter [/FlateDecode /FlateDecode]): each layer is small."""
    data = zlib.compress(deflate_repeated(b" ", megabytes, prefix=TEXT), 9)
    return one_page(path, stream(b"/Filter [/FlateDecode /FlateDecode]", data))


def make_image_bomb(path: Path, megabytes: int) -> Path:
    """Text and an RGB image whose pixel data inflates to ``megabytes`` MiB (never decoded to read text)."""
    side = int((megabytes * (1 << 20) / 3) ** 0.5)
    pixels = deflate_repeated(b"\0", megabytes)
    image = stream(b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
                   b"/BitsPerComponent 8 /Filter /FlateDecode" % (side, side), pixels)
    content = stream(b"", TEXT + b"q 100 0 0 100 72 500 cm /Im1 Do Q\n")
    return one_page(path, content, xobjects=b"/Im1 6 0 R", extra=[image])


def make_huge_page(path: Path, chars: int, side: float = 14400) -> Path:
    """One page of ``side`` points square (PDF's largest) carrying ``chars`` characters of tiny text."""
    per_line = 2000
    body = bytearray(b"BT /F1 2 Tf\n")
    for row in range(chars // per_line):
        body += b"1 0 0 1 10 %.1f Tm (" % (side - 10 - (row % 5000) * 2.4) + b"word " * (per_line // 5) + b") Tj\n"
    body += b"ET\n"
    return one_page(path, stream(b"/Filter /FlateDecode", zlib.compress(bytes(body), 9)), side, side)


def make_stroke_page(path: Path, strokes: int) -> Path:
    """Text and ``strokes`` short ruled lines (a chart or map drawn in strokes)."""
    body = bytearray(TEXT)
    for i in range(strokes):
        y = 100 + (i % 500)
        body += b"%d %d m %d %d l S\n" % (72 + i // 500, y, 80 + i // 500, y)
    return one_page(path, stream(b"/Filter /FlateDecode", zlib.compress(bytes(body), 9)))
