"""CLI command plug-ins: every module here exposes ``register(app)`` and is loaded by casereview.cli.

Modules import their heavy dependencies inside the command functions so `casereview --help` stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer
from rich.console import Console

if TYPE_CHECKING:
    from casereview.config import Config

err_console = Console(stderr=True)


@dataclass
class CliState:
    """What the top-level options chose; commands read it through ``config(ctx)``."""

    params: Path | None = None


def config(ctx: typer.Context, params: Path | None = None) -> Config:
    """The validated configuration, loaded once per command at the edge: a command's own --params wins over
    the top-level one. A missing or broken file is a one-line error naming it, never a traceback."""
    from casereview.config import ConfigError, load_config

    state = ctx.find_root().obj
    chosen = params or (state.params if isinstance(state, CliState) else None)
    if chosen is not None and not Path(chosen).exists():
        die(f"{chosen}: params file not found")
    try:
        return load_config(chosen)
    except ConfigError as exc:
        die(str(exc))


def die(message: str, code: int = 1) -> NoReturn:
    """Print a one-line error (never a traceback) and exit. Messages name files, never report text."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)
