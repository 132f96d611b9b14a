"""What a batch worker runs for each file: ``casereview.pipeline.process_document`` with this run's config.

Backends send a file's path and hash, the run's Config and the stages' module name (None: the real stages);
what comes back is ``(redacted Document or None, ManifestEntry)``.
"""

from __future__ import annotations

from casereview.config import Config
from casereview.contracts import Document, ManifestEntry
from casereview.pipeline import Stages, process_document, warm_up

FileResult = tuple[Document | None, ManifestEntry]


def run_file(path: str, sha256: str, config: Config, stages: str | None = None) -> FileResult:
    return process_document(path, config, Stages.load(stages), sha256=sha256)


def prepare(config: Config, stages: str | None = None) -> None:
    """Load the models once, before the first file."""
    warm_up(config, Stages.load(stages))


def failed(path: str, sha256: str, code: str, message: str) -> FileResult:
    """The result of a file the backend had to give up on (timeout, memory limit, a crashed worker)."""
    return None, ManifestEntry.for_input(path, sha256).fail(code, message)
