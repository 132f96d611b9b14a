"""Role permissions, read from resources/permissions.yaml: one table for pages and the JSON API."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from casereview.store.models import ROLES

PERMISSIONS_FILE = Path(__file__).resolve().parents[1] / "resources" / "permissions.yaml"


@cache
def permissions(path: Path = PERMISSIONS_FILE) -> dict[str, frozenset[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    table: dict[str, frozenset[str]] = {}
    for name, roles in data.items():
        unknown = set(roles or []) - set(ROLES)
        if unknown:
            raise ValueError(f"{path}: permission {name!r} names unknown roles {sorted(unknown)}")
        table[name] = frozenset(roles or [])
    return table


def allowed(role: str, permission: str) -> bool:
    """May this role do this? An unknown permission is a programming error, not a refusal."""
    return role in permissions()[permission]
