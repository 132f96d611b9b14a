"""Where the project's files live: the checkout (params.yaml, corpora/, models/), the packaged resources and
the read-only ../shared folder. What params.yaml says is read by casereview.config."""

from __future__ import annotations

import os
from pathlib import Path

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
