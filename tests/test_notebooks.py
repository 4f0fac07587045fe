"""The notebooks: each committed .ipynb agrees with its source, and each source runs top to bottom.

A notebook's source is the numbered .py file in notebooks/ (jupytext's percent format);
notebooks/execute.py makes the .ipynb from it. The notebooks assert the facts they teach, so a
regression in the library shows up here. The run happens in memory: the committed files, with
their outputs, are left alone.
"""

import importlib.util
import shutil
from itertools import zip_longest
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py"))
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))

nbformat = pytest.importorskip("nbformat", reason="the notebook tests need nbformat")
pytest.importorskip("nbclient", reason="running the notebooks needs nbclient")
jupytext = pytest.importorskip("jupytext", reason="reading the notebook sources needs jupytext")


def _load_execute():
    """notebooks/execute.py as a module (the folder is not a package)."""
    spec = importlib.util.spec_from_file_location("notebooks_execute", ROOT / "notebooks" /
                                                  "execute.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


def _difference(want, got) -> str:
    """How the notebook's cell ``got`` departs from the source's cell ``want`` (None: absent)."""
    if want is None:
        return f"the notebook has an extra {got.cell_type} cell"
    if got is None:
        return f"the notebook lacks the source's {want.cell_type} cell"
    if want.cell_type != got.cell_type:
        return f"a {want.cell_type} cell in the source, a {got.cell_type} cell in the notebook"
    wanted, found = want.source.splitlines(), got.source.splitlines()
    for line, (a, b) in enumerate(zip_longest(wanted, found), start=1):
        if a != b:
            return f"line {line} of the {want.cell_type} cell: source {a!r}, notebook {b!r}"
    return "the cells differ in whitespace at the end"


def test_each_notebook_has_its_source():
    sources = [path.stem for path in SOURCES]
    notebooks = [path.stem for path in NOTEBOOKS]
    assert len(sources) == 6, sources
    assert notebooks == sources, "each notebooks/NN_name.py source makes one NN_name.ipynb"


@pytest.mark.parametrize("source", SOURCES, ids=[path.stem for path in SOURCES])
def test_notebook_matches_its_source(source):
    committed = nbformat.read(source.with_suffix(".ipynb"), as_version=4).cells
    written = jupytext.read(source).cells
    for i, (want, got) in enumerate(zip_longest(written, committed)):
        if want is None or got is None or (want.cell_type, want.source) != (got.cell_type,
                                                                            got.source):
            pytest.fail(f"{source.stem}.ipynb differs from {source.name} at cell {i}: "
                        f"{_difference(want, got)}; "
                        f"run python notebooks/execute.py {source.name[:2]}", pytrace=False)


# jupyter_client and zmq warn about their own deprecated calls and about running over
# unencrypted local TCP; neither is about this project.
@pytest.mark.filterwarnings("ignore::DeprecationWarning:jupyter_client")
@pytest.mark.filterwarnings("ignore::DeprecationWarning:zmq")
@pytest.mark.filterwarnings("ignore:.*datetime.datetime.utcnow:DeprecationWarning")
@pytest.mark.filterwarnings("ignore:Jupyter is migrating its paths:DeprecationWarning")
@pytest.mark.filterwarnings("ignore:There is no current event loop:DeprecationWarning")
@pytest.mark.parametrize("source", SOURCES, ids=[path.stem for path in SOURCES])
def test_notebook_runs(source):
    reason = _kernel_missing()
    if reason:
        pytest.skip(reason)
    if shutil.which("dot") is None:
        pytest.skip("the notebooks draw graphs, which needs graphviz's dot program")
    execute = _load_execute()
    notebook = execute.read(source)
    seconds = execute.execute(notebook)  # a failing cell or assertion raises here
    print(f"{source.stem}: {seconds:.1f} s")
    errors = [output for cell in notebook.cells if cell.cell_type == "code"
              for output in cell.get("outputs", []) if output.get("output_type") == "error"]
    assert not errors, errors
    assert seconds < 60, f"{source.stem} took {seconds:.1f} s (the limit is a minute)"
