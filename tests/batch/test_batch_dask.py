"""The Dask backend runs the same per-file function on a LocalCluster; the client keeps manifest and resume."""

from __future__ import annotations

import json

import pytest
from conftest import FAKE, fast_params

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as lc:
        yield lc


@pytest.mark.slow
def test_dask_backend_processes_and_resumes(corpus, tmp_path, cluster):
    from casereview.batch import run_batch

    (corpus / "broken.pdf").write_bytes(b"not a pdf")
    out = tmp_path / "out"
    first = run_batch([corpus], out, backend="dask", scheduler=cluster.scheduler_address,
                      params=fast_params(), progress=False, stages=FAKE)
    assert first.processed == 5
    manifest = json.loads((out / "manifest.json").read_text())
    codes = {e["name"]: (e["error"] or {}).get("code") for e in manifest["inputs"]}
    assert codes["broken.pdf"] == "not_a_pdf"
    assert sum(e["status"] == "ok" for e in manifest["inputs"]) == 4
    assert len(list((out / "documents").glob("*.json"))) == 5
    again = run_batch([corpus], out, backend="dask", scheduler=cluster.scheduler_address,
                      params=fast_params(), progress=False, stages=FAKE)
    assert again.processed == 0 and again.skipped == 5
