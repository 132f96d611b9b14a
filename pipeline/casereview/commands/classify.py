"""`casereview classify UNITS.jsonl [--out PRED.jsonl]`: text units in, predictions out (the contract)."""

from __future__ import annotations

from pathlib import Path

import typer

from casereview.commands import die


def read_units(path: Path):
    """Validate every line before predicting anything; errors name the file and line, never the text."""
    import json

    from casereview.contracts import ContractError, TextUnit

    units, seen = [], set()
    try:
        fh = open(path, encoding="utf-8")  # noqa: SIM115 - opened apart from `with` so a read error is told apart
    except OSError as exc:
        raise ValueError(f"{path}: cannot read ({exc.strerror})") from None
    with fh:
        try:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    unit = TextUnit.from_dict(json.loads(line))
                except json.JSONDecodeError:
                    raise ValueError(f"{path}:{n}: not valid JSON") from None
                except ContractError as exc:
                    raise ValueError(f"{path}:{n}: {exc}") from None
                if unit.id in seen:
                    raise ValueError(f"{path}:{n}: duplicate id")
                seen.add(unit.id)
                units.append(unit)
        except UnicodeDecodeError:
            raise ValueError(f"{path}: not UTF-8 text") from None
    return units


def register(app: typer.Typer) -> None:
    @app.command("classify")
    def classify_cmd(
        ctx: typer.Context,
        units_file: Path = typer.Argument(..., help="JSONL: one {id, text, type} per line"),
        out: Path | None = typer.Option(None, "--out", help="write predictions here (default: stdout)"),
        model_dir: Path | None = typer.Option(None, "--model-dir", help="trained models (default: models/)"),
    ) -> None:
        """Tag text units with themes and map recommendations/findings to SCIE categories."""
        import json
        import sys

        from casereview.classify import ModelNotFound, load_classifier
        from casereview.commands import config

        settings = config(ctx).classify
        try:
            units = read_units(units_file)
        except ValueError as exc:
            die(str(exc))
        try:
            clf = load_classifier(model_dir, settings)
        except ModelNotFound as exc:
            die(str(exc))
        preds = []
        for start in range(0, len(units), 512):  # batches keep memory flat on large files
            preds.extend(clf.predict(units[start:start + 512]))
        lines = "".join(json.dumps(p.to_dict(), ensure_ascii=False) + "\n" for p in preds)
        if out:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(lines, encoding="utf-8")
        else:
            sys.stdout.write(lines)
