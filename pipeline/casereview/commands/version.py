"""`casereview version`: print the installed version."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def version() -> None:
        """Print casereview's version."""
        from casereview import __version__

        typer.echo(__version__)
