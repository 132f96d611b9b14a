"""The `casereview` command line: a thin layer over the library.

Each command lives in its own module under casereview.commands and registers itself here.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Annotated

import typer

from casereview import commands

app = typer.Typer(
    name="casereview",
    help="Read child-protection case review reports and turn them into verified, comparable learning.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,  # tracebacks can quote report text: never show locals
)


@app.callback()
def main(
    ctx: typer.Context,
    params: Annotated[Path | None, typer.Option(
        "--params", envvar="CASEREVIEW_PARAMS",
        help="params file (default: the project's params.yaml, else the packaged one); may hold only the "
             "keys it changes")] = None,
) -> None:
    """casereview: extract, redact, classify, verify and report on case review reports."""
    ctx.obj = commands.CliState(params=params)


def _register_commands() -> None:
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(app)


_register_commands()

if __name__ == "__main__":  # pragma: no cover
    app()
