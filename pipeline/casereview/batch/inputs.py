"""Turn the command line's INPUT... into a list of files with their content hashes."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


class InputError(ValueError):
    """An INPUT argument that names nothing usable (the message names the path)."""


@dataclass(frozen=True)
class InputFile:
    path: Path  # absolute
    sha256: str
    size: int


def discover(inputs: Iterable[str | Path]) -> list[Path]:
    """Files given explicitly are kept whatever their suffix (extract turns them into error Documents);
    folders are searched recursively for *.pdf in any letter case. Duplicates are dropped, order is stable."""
    found: list[Path] = []
    seen: set[Path] = set()
    for raw in inputs:
        path = Path(raw).expanduser()
        if path.is_dir():
            candidates = sorted(p for p in path.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file())
        elif path.exists():
            candidates = [path]
        else:
            raise InputError(f"{raw}: no such file or folder")
        for candidate in candidates:
            resolved = candidate.resolve()
            if resolved not in seen:
                seen.add(resolved)
                found.append(resolved)
    return found


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def hash_inputs(paths: Iterable[Path]) -> tuple[list[InputFile], list[tuple[Path, str]]]:
    """(hashed files, unreadable files with the reason). An unreadable file is a per-file failure."""
    files, unreadable = [], []
    for path in paths:
        try:
            files.append(InputFile(path=path, sha256=sha256_file(path), size=os.path.getsize(path)))
        except OSError as exc:
            unreadable.append((path, exc.strerror or type(exc).__name__))
    return files, unreadable
