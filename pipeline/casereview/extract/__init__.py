"""The extract stage: one PDF in, one Document out.

``extract_pdf`` never raises for a bad file: it returns a Document with status "error" (or "needs_ocr")
and a stable error code, so a batch can record the problem and go on.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from casereview.config import ExtractConfig, load_config
from casereview.contracts import Document, Source
from casereview.extract import layout, structure
from casereview.extract.contents import find_contents
from casereview.extract.glyphs import PageGlyphs, PageTooLarge, read_page
from casereview.extract.items import find_items
from casereview.extract.limits import OverBudget, check_streams
from casereview.extract.tables import find_tables, outside_tables

log = logging.getLogger(__name__)
_PAGE_BYTES = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096

__all__ = ["ExtractError", "extract_pdf"]


class ExtractError(Exception):
    """A file that cannot be read as a report. ``code`` is stable; the message names the file."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def extract_pdf(path: str | Path, config: ExtractConfig | None = None) -> Document:
    """One PDF to a Document; ``config`` is params.yaml's ``extract:`` section (loaded when not given)."""
    settings = config or load_config().extract
    path = Path(path)
    digest = _sha256(path)
    source = Source(file=path.name, sha256=digest or "", pages=0, extractor="pypdfium2+pdfplumber-tables")
    doc_id = (digest or hashlib.sha256(str(path).encode()).hexdigest())[:16]
    try:
        pdf = _open_checked(path, settings)
    except ExtractError as exc:
        log.info("extract: %s: %s", path.name, exc.code)
        return Document.failed(doc_id=doc_id, source=source, code=exc.code, message=str(exc))
    try:
        source.pages = len(pdf)
        return _extract(path, pdf, doc_id, source, settings)
    except ExtractError as exc:
        return Document.failed(doc_id=doc_id, source=source, code=exc.code, message=str(exc),
                               status="needs_ocr" if exc.code == "needs_ocr" else "error")
    except Exception as exc:  # noqa: BLE001 - a PDF library failing on a malformed file must not stop a batch
        log.info("extract: %s: unreadable (%s)", path.name, type(exc).__name__)
        return Document.failed(doc_id=doc_id, source=source, code="corrupt",
                               message=f"{path.name}: the PDF is damaged and could not be read "
                                       f"({type(exc).__name__})")
    finally:
        pdf.close()


def _sha256(path: Path) -> str | None:
    try:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None


def _open_checked(path: Path, settings: ExtractConfig) -> pdfium.PdfDocument:
    """Cheap checks first (existence, size, magic bytes) so that no parser sees a hopeless file."""
    name = path.name
    if not path.exists():
        raise ExtractError("not_found", f"{name}: no such file")
    if not path.is_file():
        raise ExtractError("not_a_file", f"{name}: not a regular file")
    size = path.stat().st_size
    if size == 0:
        raise ExtractError("empty", f"{name}: the file is empty (0 bytes)")
    if size > settings.max_file_mb * 1024 * 1024:
        raise ExtractError("too_large", f"{name}: {size / 1e6:.0f} MB is over the {settings.max_file_mb} MB limit")
    try:
        with open(path, "rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise ExtractError("unreadable", f"{name}: cannot be read ({exc.strerror})") from None
    if b"%PDF-" not in head:
        lowered = head.lower()
        if b"<html" in lowered or b"<!doctype" in lowered:
            raise ExtractError("not_pdf", f"{name}: an HTML page saved with a .pdf name, not a PDF")
        raise ExtractError("not_pdf", f"{name}: not a PDF (no %PDF header)")
    _check_streams(path, settings)
    pdf = _open_pdfium(path)
    pages = len(pdf)
    if pages == 0:
        pdf.close()
        raise ExtractError("empty", f"{name}: the PDF has no pages")
    if pages > settings.max_pages:
        pdf.close()
        raise ExtractError("too_many_pages",
                           f"{name}: {pages} pages is over the limit of {settings.max_pages} (extract.max_pages)")
    return pdf


def _check_streams(path: Path, settings: ExtractConfig) -> None:
    """Refuse a file whose content streams decode past the memory bound (a Flate bomb) before PDFium does."""
    mb = 1024 * 1024
    try:
        check_streams(str(path), int(settings.max_stream_mb * mb), int(settings.max_decoded_mb * mb),
                      int(settings.max_content_stream_mb * mb))
    except OverBudget as exc:
        if exc.what == "content":
            raise ExtractError("too_large", f"{path.name}: a page content stream decodes to over "
                                            f"{settings.max_content_stream_mb:g} MB (extract.max_content_stream_mb)"
                               ) from None
        if exc.what == "stream":
            raise ExtractError("too_large", f"{path.name}: a font or other stream decodes to over "
                                            f"{settings.max_stream_mb:g} MB (extract.max_stream_mb)") from None
        raise ExtractError("too_large", f"{path.name}: its content streams decode to over "
                                        f"{settings.max_decoded_mb:g} MB (extract.max_decoded_mb)") from None
    except OSError as exc:
        raise ExtractError("unreadable", f"{path.name}: cannot be read ({exc.strerror})") from None


def _read_pages(path: Path, pdf: pdfium.PdfDocument, settings: ExtractConfig) -> list[PageGlyphs]:
    pages: list[PageGlyphs] = []
    total = 0
    for i in range(len(pdf)):
        before = _rss_mb()
        page = _load_page(pdf, i)
        if _rss_mb() - before > settings.max_page_load_mb:
            page.close()
            raise ExtractError("too_large", f"{path.name}: page {i + 1} takes over {settings.max_page_load_mb:g} MB "
                                            f"to load (extract.max_page_load_mb)")
        try:
            glyphs = read_page(page, i + 1, settings.max_chars_per_page, settings.max_edges_per_page)
        except PageTooLarge as exc:
            raise ExtractError("too_large", f"{path.name}: page {i + 1} has {exc.chars} characters, over the "
                                            f"limit of {settings.max_chars_per_page} (extract.max_chars_per_page)"
                               ) from None
        finally:
            page.close()
        total += glyphs.char_count
        if total > settings.max_chars:
            raise ExtractError("too_large", f"{path.name}: over {settings.max_chars} characters "
                                            f"(extract.max_chars)")
        pages.append(glyphs)
    return pages


def _load_page(pdf: pdfium.PdfDocument, index: int) -> pdfium.PdfPage:
    """The page with its annotations' appearances (form-field values, text boxes, stamps) merged into its
    content, as other readers show and read them; the file itself is not changed."""
    page = pdf[index]
    if pdfium_c.FPDFPage_GetAnnotCount(page) > 0 and \
            pdfium_c.FPDFPage_Flatten(page, pdfium_c.FLAT_NORMALDISPLAY) == pdfium_c.FLATTEN_SUCCESS:
        page.close()  # PDFium's text page sees the flattened content only on a page loaded afresh
        page = pdf[index]
    return page


def _rss_mb() -> float:
    """This process's resident memory (Linux; 0 elsewhere, which turns the page-load check off)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE_BYTES / (1024 * 1024)
    except (OSError, ValueError, IndexError):
        return 0.0


def _open_pdfium(path: Path) -> pdfium.PdfDocument:
    """Open with the empty user password (AES R5/R6 files other readers open need it given explicitly).

    PDFium's error code is thread-wide and not always reset, so a message after an encrypted file can
    still say "password"; whether a file is encrypted is read from the file itself (an /Encrypt entry).
    """
    name = path.name
    try:
        return pdfium.PdfDocument(str(path), password="")
    except pdfium.PdfiumError:
        if _has_encrypt_entry(path):
            raise ExtractError("encrypted", f"{name}: the PDF is password-protected") from None
        raise ExtractError("corrupt", f"{name}: the PDF is damaged and could not be opened") from None


def _has_encrypt_entry(path: Path, chunk: int = 1 << 20) -> bool:
    """Whether the file names an /Encrypt dictionary, read a megabyte at a time (memory stays bounded)."""
    key = b"/Encrypt"
    with open(path, "rb") as fh:
        tail = b""
        while block := fh.read(chunk):
            window = tail + block
            if key in window:
                return True
            tail = window[-(len(key) - 1):]  # a key split across reads is still found
    return False


def _extract(path: Path, pdf: pdfium.PdfDocument, doc_id: str, source: Source,
             settings: ExtractConfig) -> Document:
    glyph_pages = _read_pages(path, pdf, settings)
    scanned = [g for g in glyph_pages
               if g.char_count < settings.min_chars_per_page and _has_image(pdf[g.number - 1])]
    if scanned and _ocr_available(settings):
        _check_ocr_size(path, scanned, settings)
        return _ocr(path, doc_id, source, settings)
    chars = sum(g.char_count for g in glyph_pages)
    # Little text is a scan only when there are scanned pages (or no text at all): a one-line page with
    # no image (a cover, a form) is read as it is.
    if chars < settings.min_chars_per_page * len(glyph_pages) and (scanned or chars == 0):
        raise ExtractError("needs_ocr", f"{path.name}: no text layer on its pages (a scan); OCR is needed")
    pages = _page_lines(glyph_pages)
    body_size = layout.body_font_size([lines for _, lines in pages])
    kept = layout.remove_furniture(pages, body_size)
    contents_pages, entries = find_contents(kept, len(glyph_pages))
    lines = [line for page_lines in kept for line in page_lines]
    blocks = structure.build_blocks(lines, body_size, layout.line_pitch(lines))
    structure.refine_headings(blocks, entries, contents_pages, body_size)
    text = structure.assemble(blocks, structure.document_vocabulary(lines))
    blocks = [b for b in blocks if b.text.strip()]
    sections = structure.find_sections(blocks, len(text))  # sets the heading levels find_items keeps to
    return Document(
        id=doc_id,
        source=source,
        status="ok",
        text=text,
        pages=structure.page_spans(blocks, len(glyph_pages)),
        sections=sections,
        items=find_items(blocks, doc_id),
    )


def _page_lines(glyph_pages: list[PageGlyphs]) -> list[tuple[PageGlyphs, list[layout.Line]]]:
    pages = []
    for glyphs in glyph_pages:
        tables = find_tables(glyphs.edges, glyphs.words, glyphs.number)
        lines = layout.build_lines(outside_tables(glyphs.words, tables), glyphs.edges)
        layout.attach_marks(lines, glyphs.marks)
        lines += tables
        # Text turned another way than the page's (a vertical margin note) follows the page's text.
        aside = sorted(layout.build_lines(glyphs.aside_words), key=lambda ln: (ln.top, ln.x0))
        for line in lines + aside:
            line.page = glyphs.number
        pages.append((glyphs, layout.reading_order(lines, glyphs.width) + aside))
    return pages


def _has_image(page: pdfium.PdfPage) -> bool:
    return any(obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects(max_depth=3))


def _check_ocr_size(path: Path, pages: list[PageGlyphs], settings: ExtractConfig) -> None:
    """OCR renders a page at 300 dpi: a huge page box would take gigabytes, so it is refused first."""
    for glyphs in pages:
        megapixels = glyphs.width * glyphs.height / (72 * 72) * 300 * 300 / 1e6
        if megapixels > settings.max_ocr_megapixels:
            raise ExtractError("too_large", f"{path.name}: page {glyphs.number} is too large to OCR "
                                            f"({megapixels:.0f} megapixels at 300 dpi, "
                                            f"extract.max_ocr_megapixels)")


def _ocr_available(settings: ExtractConfig) -> bool:
    return settings.ocr == "auto" and bool(shutil.which("tesseract")) and bool(shutil.which("ocrmypdf"))


def _ocr(path: Path, doc_id: str, source: Source, settings: ExtractConfig) -> Document:
    """OCR the scanned pages with Debian's ocrmypdf; --skip-text leaves pages that have text as they are."""
    with tempfile.TemporaryDirectory(prefix="casereview-ocr-") as tmp:
        target = Path(tmp) / "ocr.pdf"
        command = ["ocrmypdf", "--quiet", "--skip-text", "--output-type", "pdf", "--optimize", "0",
                   "--jobs", "1", str(path), str(target)]
        try:
            done = subprocess.run(command, capture_output=True, timeout=settings.ocr_timeout_s, check=False)
        except subprocess.TimeoutExpired:
            raise ExtractError("ocr_failed", f"{path.name}: OCR took over {settings.ocr_timeout_s:.0f} s") from None
        if done.returncode != 0 or not target.exists():
            raise ExtractError("ocr_failed", f"{path.name}: OCR failed (ocrmypdf exit {done.returncode})")
        doc = extract_pdf(target, settings.model_copy(update={"ocr": "never"}))
    doc.id, doc.source = doc_id, Source(file=source.file, sha256=source.sha256, pages=source.pages,
                                        extractor="ocrmypdf+pdfium", ocr=True)
    return doc
