"""`casereview export-labels`: verified labels as JSON Lines in the training corpus schema."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    @app.command("export-labels")
    def export_labels(
        out: Path | None = typer.Option(None, "--out", help="Output file (stdout without it)."),
        db: str | None = typer.Option(None, "--db", help="Database URL (default: $CASEREVIEW_DB or "
                                         "sqlite:///casereview.db)."),
        status: str = typer.Option("verified", "--status", help="Which items: verified (default)."),
    ) -> None:
        """Write verified labels for `casereview train --extra-labels FILE` (one JSON object per line)."""
        import json

        from casereview.commands import die
        from casereview.store import session_factory
        from casereview.store.export import label_records

        if status not in ("verified", "pending", "all"):
            die(f"unknown status {status!r}; use verified, pending or all")
        with session_factory(db)() as session:
            records = label_records(session, status)
        body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        if out is None:
            typer.echo(body, nl=False)
            return
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_text(body, encoding="utf-8")
        tmp.replace(out)
        typer.echo(f"wrote {len(records)} label(s) to {out}", err=True)
