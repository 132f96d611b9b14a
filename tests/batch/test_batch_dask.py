"""The Dask backend runs the same per-file function on a LocalCluster; the client keeps manifest and resume."""

from __future__ import annotations

import json

import pytest
from conftest import FAKE, fast_params, real_stages_missing

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as lc:
        yield lc


@pytest.mark.slow
def test_dask_backend_processes_and_resumes(corpus, tmp_path, cluster):
    from casereview.batch import run_batch

    stages = FAKE if real_stages_missing() else None  # the real stages once they exist
    (corpus / "broken.pdf").write_bytes(b"not a pdf")
    out = tmp_path / "out"
    first = run_batch([corpus], out, backend="dask", scheduler=cluster.scheduler_address,
                      config=fast_params(), progress=False, stages=stages)
    assert first.processed == 5
    manifest = json.loads((out / "manifest.json").read_text())
    codes = {e["name"]: (e["error"] or {}).get("code") for e in manifest["inputs"]}
    assert codes["broken.pdf"]  # an error code, whatever the extract stage calls it
    assert sum(e["status"] == "ok" for e in manifest["inputs"]) == 4
    assert all((out / "documents" / f"{e['document_id']}.json").exists() for e in manifest["inputs"]
               if e["status"] == "ok")
    again = run_batch([corpus], out, backend="dask", scheduler=cluster.scheduler_address,
                      config=fast_params(), progress=False, stages=stages)
    assert again.processed == 0 and again.skipped == 5


@pytest.mark.slow
def test_dask_backend_times_out_a_hung_file(corpus, tmp_path, cluster):
    from casereview.batch import run_batch

    (corpus / "hang.pdf").write_bytes(b"%PDF-1.4 hang")
    out = tmp_path / "out"
    summary = run_batch([corpus], out, backend="dask", scheduler=cluster.scheduler_address,
                        config=fast_params(time_limit_s=3), progress=False, stages=FAKE)
    codes = {e["name"]: (e["error"] or {}).get("code") for e in summary.failures}
    assert codes == {"hang.pdf": "timeout"}
    assert summary.counts.get("ok") == 4
