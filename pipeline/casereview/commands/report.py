"""`casereview report DIR --out report.html`: the national overview of a results folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from casereview.commands import die


def register(app: typer.Typer) -> None:
    @app.command()
    def report(
        ctx: typer.Context,
        results: Annotated[Path, typer.Argument(help="A results folder written by `casereview process`.")],
        out: Annotated[Path, typer.Option("--out", "-o",
                                          help="The HTML file to write (CSVs and .xlsx go beside it).")],
        db: Annotated[str | None, typer.Option("--db", help="QA database URL for verification progress "
                                               "(default: the one `process` loaded, when recorded).")] = None,
    ) -> None:
        """Write the overview: reports by status, themes, SCIE categories, items per report, verification."""
        from casereview.commands import config
        from casereview.report import build_report
        from casereview.taxonomy import TaxonomyError

        settings = config(ctx)
        if not results.is_dir():
            die(f"{results}: not a folder")
        try:
            output = build_report(results, out, db_url=db, taxonomy=settings.taxonomy)
        except (FileNotFoundError, TaxonomyError) as exc:
            die(str(exc))
        sheet = output.xlsx.name if output.xlsx else "no spreadsheet"
        typer.echo(f"Report: {output.html} (tables also in {sheet} and {len(output.csv)} CSV files)")
        if not output.verified_from_db:
            typer.echo("No QA database read: verification shown as 'not verified'.")
