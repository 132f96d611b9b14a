"""`casereview extract REPORT.pdf [--out DOC.json]`: one PDF to a Document (stdout without --out).

The Document holds the report's unredacted text: asking for it is the explicit request the privacy rules
allow. `casereview process` never writes it; pipe it into `casereview redact` before keeping it anywhere.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def extract(
        ctx: typer.Context,
        report: Annotated[Path, typer.Argument(help="The report PDF.")],
        out: Annotated[Path | None, typer.Option("--out", help="Write the Document JSON here.")] = None,
        max_pages: Annotated[int | None, typer.Option(help="Refuse longer PDFs (extract.max_pages).")] = None,
    ) -> None:
        """Extract text, sections and recommendation/finding items from a report PDF (unredacted)."""
        from casereview.commands import config, die, err_console
        from casereview.extract import extract_pdf
        from casereview.fileio import atomic_write_text

        settings = config(ctx).extract
        if max_pages:
            settings = settings.model_copy(update={"max_pages": max_pages})
        doc = extract_pdf(report, settings)
        payload = doc.to_json() + "\n"
        if out is None:
            typer.echo(payload, nl=False)
        else:
            try:
                atomic_write_text(out, payload)
            except OSError as exc:
                die(f"{out.name}: cannot write ({exc.strerror or 'I/O error'})")
            err_console.print(f"{report.name}: {doc.status}, {doc.source.pages} pages, "
                              f"{len(doc.sections)} sections, {len(doc.items)} items -> {out}", highlight=False,
                              soft_wrap=True)
        if doc.status != "ok":
            # The Document (with its error code) is still written, so a script can read why.
            die(doc.error.message if doc.error else f"{report.name}: {doc.status}", code=2)
