"""Run every notebook in notebooks/ top to bottom; a failing cell (or assertion) fails the test.

The notebooks assert the facts they teach, so a regression in the library shows up here. Each
one runs on a copy in a temporary folder; the committed file, with its outputs, is left alone.
"""

import shutil
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

nbformat = pytest.importorskip("nbformat", reason="running the notebooks needs nbformat")
nbclient = pytest.importorskip("nbclient", reason="running the notebooks needs nbclient")


def _kernel_missing() -> str | None:
    """Why no python3 Jupyter kernel can be started here, or None when one can."""
    try:
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    except ImportError:
        return "running the notebooks needs jupyter_client"
    try:
        KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        return "no python3 Jupyter kernel (pip install ipykernel; python -m ipykernel install)"
    return None


def test_notebooks_are_present():
    names = [path.name for path in NOTEBOOKS]
    assert len(names) == 6, names


# jupyter_client and zmq warn about their own deprecated calls and about running over
# unencrypted local TCP; neither is about this project.
@pytest.mark.filterwarnings("ignore::DeprecationWarning:jupyter_client")
@pytest.mark.filterwarnings("ignore::DeprecationWarning:zmq")
@pytest.mark.filterwarnings("ignore:.*datetime.datetime.utcnow:DeprecationWarning")
@pytest.mark.filterwarnings("ignore:Jupyter is migrating its paths:DeprecationWarning")
@pytest.mark.filterwarnings("ignore:There is no current event loop:DeprecationWarning")
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_notebook_runs(path, tmp_path):
    reason = _kernel_missing()
    if reason:
        pytest.skip(reason)
    if shutil.which("dot") is None:
        pytest.skip("the notebooks draw graphs, which needs graphviz's dot program")
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    notebook = nbformat.read(copy, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(ROOT)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    print(f"{path.name}: {seconds:.1f} s")
    errors = [output for cell in notebook.cells if cell.cell_type == "code"
              for output in cell.get("outputs", []) if output.get("output_type") == "error"]
    assert not errors, errors
    assert seconds < 60, f"{path.name} took {seconds:.1f} s (the limit is a minute)"
