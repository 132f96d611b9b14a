"""`casereview process`: run every stage over many files with a manifest, resume, limits and backends.

Entry: run_batch(inputs, out_dir, *, jobs=1, backend="local", scheduler=None, db_url=None, params=None,
progress=True) -> BatchSummary.
"""

from casereview.batch.inputs import InputError
from casereview.batch.journal import read_manifest
from casereview.batch.pool import BatchSetupError
from casereview.batch.runner import BatchSummary, run_batch

__all__ = ["BatchSetupError", "BatchSummary", "InputError", "read_manifest", "run_batch"]
