"""`casereview process INPUT... --out DIR`: the whole pipeline over files or folders."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Annotated

import typer

from casereview.commands import die


def register(app: typer.Typer) -> None:
    @app.command()
    def process(
        ctx: typer.Context,
        inputs: Annotated[list[Path], typer.Argument(help="PDF files or folders (searched recursively for *.pdf).")],
        out: Annotated[Path, typer.Option("--out", "-o", help="Results folder (documents/, items.csv, manifest.json).")],
        jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Worker processes (or Dask workers).")] = 1,
        db: Annotated[str | None, typer.Option("--db", envvar="CASEREVIEW_DB",
                                               help="Database URL to load results into, e.g. sqlite:///x.db")] = None,
        backend: Annotated[str, typer.Option("--backend", help="local (process pool) or dask.")] = "local",
        scheduler: Annotated[str | None, typer.Option("--scheduler",
                                                      help="Dask scheduler address (tcp://host:8786).")] = None,
        retry_errors: Annotated[bool, typer.Option("--retry-errors",
                                                   help="Process again files that failed before.")] = False,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
        stages: Annotated[str | None, typer.Option("--stages", hidden=True,
                                                   help="A module of stand-in stages (tests).")] = None,
    ) -> None:
        """Extract, redact, classify and store every input; resumable (run it again to finish or update)."""
        from casereview.batch import BatchSetupError, InputError, run_batch
        from casereview.commands import config

        settings = config(ctx)
        if backend not in ("local", "dask"):
            die(f"--backend must be local or dask, not {backend!r}")
        if scheduler and backend != "dask":
            die("--scheduler needs --backend dask")
        _sigterm_as_interrupt()
        try:
            summary = run_batch([str(p) for p in inputs], out, jobs=jobs, backend=backend, scheduler=scheduler,
                                db_url=db, config=settings, progress=not quiet, retry_errors=retry_errors,
                                stages=stages)
        except InputError as exc:
            die(str(exc))
        except BatchSetupError as exc:
            die(str(exc))
        except KeyboardInterrupt as exc:
            partial = getattr(exc, "summary", None)
            done = f"{partial.processed} file(s) finished in this run; " if partial else ""
            die(f"interrupted: {done}progress is saved in {out / 'manifest.json'}. "
                f"Run the same command again to resume.", code=130)
        _print_summary(summary)


def _sigterm_as_interrupt() -> None:
    """`kill PID` stops as cleanly as Ctrl-C does."""
    def handler(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)


def _print_summary(summary) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False, soft_wrap=True)
    counts = ", ".join(f"{k} {v}" for k, v in sorted(summary.counts.items())) or "none"
    console.print(f"{summary.inputs} input(s): {summary.processed} processed, {summary.skipped} already done "
                  f"or identical; manifest: {counts}; {summary.items} item(s) in items.csv; "
                  f"{summary.pages} page(s) in {summary.elapsed_s:.1f} s"
                  + (f" ({summary.pages_per_second:.1f} pages/s)" if summary.pages else "")
                  + (f"; {summary.stored} document(s) loaded into the database" if summary.stored else ""))
    if summary.failures:
        table = Table(title=f"{len(summary.failures)} file(s) failed", title_justify="left")
        for col in ("file", "code", "problem"):
            table.add_column(col, overflow="fold")
        for entry in summary.failures:
            error = entry.get("error") or {}
            table.add_row(entry["name"], error.get("code", ""), error.get("message", ""))
        console.print(table)
    console.print(f"Results in {summary.out_dir} (manifest.json, items.csv, documents/)")
