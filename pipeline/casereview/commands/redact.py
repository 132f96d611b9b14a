"""`casereview redact`: redact a plain-text file or a Document JSON.

    casereview redact --text-file IN.txt [--out OUT.txt]
    casereview redact DOC.json [--out DOC.json]

Without --out the result goes to stdout. Errors are one line naming the file and the problem, never text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

if TYPE_CHECKING:
    from casereview.config import RedactConfig


def register(app: typer.Typer) -> None:
    @app.command()
    def redact(
        ctx: typer.Context,
        document: Annotated[Path | None, typer.Argument(help="A Document JSON (from `casereview extract`).")]
        = None,
        text_file: Annotated[Path | None, typer.Option("--text-file", help="A plain UTF-8 text file.")] = None,
        out: Annotated[Path | None, typer.Option("--out", help="Where to write (stdout without it).")] = None,
    ) -> None:
        """Redact names and identifiers: people become [PERSON n] / Child A, identifiers become labels."""
        from casereview.commands import config, die

        settings = config(ctx).redact
        if document is None and text_file is None:
            die("give a Document JSON or --text-file IN.txt")
        if document is not None and text_file is not None:
            die("give a Document JSON or --text-file IN.txt, not both")
        source = text_file if text_file is not None else document
        assert source is not None  # one of the two, checked above
        result = _redact_file(source, settings, as_text=text_file is not None, die=die)
        _write(result, out, die)


def _redact_file(path: Path, settings: RedactConfig, *, as_text: bool, die: Callable[[str], NoReturn]) -> str:
    from casereview.contracts import ContractError, Document
    from casereview.redact import LeakError, redact_document, redact_text

    name = path.name
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        die(f"{name}: file not found")
    except UnicodeDecodeError:
        die(f"{name}: not UTF-8 text")
    except OSError as exc:
        die(f"{name}: cannot read ({exc.strerror or 'I/O error'})")
    try:
        if as_text:
            return redact_text(raw, settings).text
        doc = Document.from_json(raw)
        return redact_document(doc, settings).to_json() + "\n"
    except ContractError as exc:
        die(f"{name}: {safe_contract_message(str(exc))}")
    except LeakError as exc:
        die(f"{name}: {exc}")
    except FileNotFoundError as exc:  # a redaction list named in params.yaml (a path, never report text)
        die(f"{name}: {exc}")
    except Exception as exc:  # noqa: BLE001 - an unexpected failure: name the type only, never its text
        die(f"{name}: redaction failed ({type(exc).__name__})")


CONTRACT_WORDS = {"id", "source", "status", "error", "text", "pages", "sections", "items", "redactions",
                  "schema", "kind", "casereview.document/1", "recommendation", "finding", "ok", "needs_ocr"}


def safe_contract_message(message: str) -> str:
    """A contract error quotes offending values (an item kind, a status): keep quoted key names only."""
    import re

    def keep_known(match: re.Match) -> str:
        return match.group(0) if match.group(1) in CONTRACT_WORDS else "(value withheld)"

    return re.sub(r"""['"]([^'"]*)['"]""", keep_known, message)


def _write(result: str, out: Path | None, die) -> None:
    if out is None:
        typer.echo(result, nl=False)
        return
    from casereview.fileio import atomic_write_text

    try:
        atomic_write_text(out, result)  # never leave a half-written file
    except OSError as exc:
        die(f"{out.name}: cannot write ({exc.strerror or 'I/O error'})")
