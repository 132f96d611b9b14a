"""Where the project's data files live and what params.yaml says.

Labels, thresholds and limits live in data files (params.yaml, corpora/taxonomy/*.yaml, the redaction
lists under resources/); code reads them through here so a user can change behaviour without editing code.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

PACKAGE_DIR = Path(__file__).resolve().parent
RESOURCES_DIR = PACKAGE_DIR / "resources"


def project_root() -> Path:
    """The checkout that holds params.yaml, corpora/ and models/ (CASEREVIEW_HOME overrides)."""
    env = os.environ.get("CASEREVIEW_HOME")
    return Path(env).resolve() if env else PACKAGE_DIR.parents[1]


def shared_dir() -> Path:
    """The read-only ../shared folder beside the checkout (CASEREVIEW_SHARED overrides)."""
    env = os.environ.get("CASEREVIEW_SHARED")
    return Path(env).resolve() if env else project_root().parent / "shared"


@lru_cache(maxsize=8)
def _load(path: str) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: params file must be a mapping")
    return data


def load_params(path: str | Path | None = None) -> dict[str, Any]:
    """The whole params.yaml (CASEREVIEW_PARAMS or the project's own by default)."""
    path = Path(path or os.environ.get("CASEREVIEW_PARAMS") or project_root() / "params.yaml")
    if not path.exists():
        return {}
    return _load(str(path.resolve()))


def stage_params(stage: str, path: str | Path | None = None) -> dict[str, Any]:
    """One stage's section of params.yaml (empty when absent, so defaults in code apply)."""
    return dict(load_params(path).get(stage) or {})
