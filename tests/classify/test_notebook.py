"""notebooks/error_analysis.ipynb runs top to bottom against the shipped models and the shared gold."""

import sys

import pytest
from casereview.settings import project_root, shared_dir

NB = project_root() / "notebooks" / "error_analysis.ipynb"


@pytest.mark.skipif(not (shared_dir() / "gold/dev/units.jsonl").exists(), reason="needs ../shared/gold")
def test_error_analysis_notebook_executes():
    import nbformat
    from nbclient import NotebookClient

    if not (project_root() / "models/cv_predictions.jsonl").exists():
        pytest.skip("no shipped cv_predictions.jsonl (run casereview train)")
    nb = nbformat.read(NB, as_version=4)
    # The kernel is this interpreter (the venv), whatever kernelspecs the machine has.
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager

    class _Here(KernelSpecManager):
        def get_kernel_spec(self, name):
            return KernelSpec(argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                              display_name="venv", language="python", name=name)

    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(NB.parent)}},
                            kernel_manager_kwargs={"kernel_spec_manager": _Here()})
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not any(o.get("output_type") == "error" for o in outputs)
    assert any("units;" in o.get("text", "") for o in outputs)
