"""`casereview import DIR`: load redacted Documents (DIR/documents/*.json) into the database."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    @app.command("import")
    def import_(
        ctx: typer.Context,
        folder: Path = typer.Argument(..., help="A results folder (reads DIR/documents/*.json)."),
        db: str | None = typer.Option(None, "--db", help="Database URL (default: $CASEREVIEW_DB or "
                                         "sqlite:///casereview.db)."),
    ) -> None:
        """Import redacted Documents; unredacted ones, labels outside the taxonomy and text in which the
        redactor still finds an identifier are refused, naming the file. Re-import is safe."""
        from sqlalchemy.exc import SQLAlchemyError

        from casereview.commands import config, die, err_console
        from casereview.contracts import ContractError, Document
        from casereview.store import session_factory
        from casereview.store.imports import check_import, import_into
        from casereview.taxonomy import load_label_sets

        if not folder.is_dir():
            die(f"{folder}: not a folder")
        docs_dir = folder / "documents"
        files = sorted(docs_dir.glob("*.json")) if docs_dir.is_dir() else []
        if not files:  # a bare folder of Document JSON files works too
            files = sorted(folder.glob("*.json"))
        if not files:
            die(f"{folder}: no Document JSON files found (looked in documents/ and the folder itself)")
        settings = config(ctx)
        labels = load_label_sets(settings.taxonomy)
        scie_ids, theme_ids = [c.id for c in labels.scie], [t.id for t in labels.themes]
        make_session = session_factory(db)
        imported, failed = 0, 0
        for path in files:  # one bad file is reported and never stops the rest
            try:
                doc = Document.load(path)
                if doc.redacted is not True:
                    raise ValueError(f"{path.name}: not redacted (\"redacted\" is not true); refused")
                check_import(doc, scie_ids=scie_ids, theme_ids=theme_ids, redact=settings.redact)
                with make_session() as session, session.begin():
                    import_into(session, [doc])
                imported += 1
            except (ContractError, ValueError, OSError, SQLAlchemyError) as exc:
                failed += 1
                # database errors can quote values: give only their kind
                msg = f"database error ({exc.__class__.__name__})" if isinstance(exc, SQLAlchemyError) else str(exc)
                if not msg.startswith(path.name):
                    msg = f"{path.name}: {msg}"
                err_console.print(f"[bold red]error:[/] {msg}", highlight=False, soft_wrap=True)
        typer.echo(f"imported {imported} document(s); refused {failed}")
        if failed:
            raise typer.Exit(1)
