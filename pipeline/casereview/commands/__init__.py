"""CLI command plug-ins: every module here exposes ``register(app)`` and is loaded by casereview.cli.

Modules import their heavy dependencies inside the command functions so `casereview --help` stays fast.
"""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console

err_console = Console(stderr=True)


def die(message: str, code: int = 1) -> NoReturn:
    """Print a one-line error (never a traceback) and exit. Messages name files, never report text."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)
