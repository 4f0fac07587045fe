"""Make each notebook's .ipynb from its source, run it, and keep its outputs.

The notebooks' sources are the numbered ``.py`` files in this folder, in jupytext's percent
format: ``# %%`` starts a code cell, ``# %% [markdown]`` a markdown cell. They are the files to
edit; Jupyter opens them as notebooks where jupytext is installed. This script reads a source,
executes it top to bottom with nbclient from the repository root (so the packages import), and
writes the ``.ipynb`` beside it with its outputs, so what is committed is what a learner sees.

Usage: python notebooks/execute.py [--no-execute] [names...]
``names`` picks notebooks by prefix (``01``, ``03_loss``); none means all of them.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

HERE = Path(__file__).resolve().parent
SOURCES = sorted(HERE.glob("[0-9][0-9]_*.py"))
KERNEL = "python3"
CELL_TIMEOUT_S = 120


def read(source: Path) -> nbformat.NotebookNode:
    """The notebook written in ``source``, with the kernel set and a stable id on every cell."""
    notebook = jupytext.read(source)
    notebook.metadata.pop("jupytext", None)  # how the source is written, not the notebook's
    notebook.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Python 3",
                                       "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    for i, cell in enumerate(notebook.cells):  # random ids would change every diff
        cell["id"] = f"{source.name[:2]}-{i:02d}"
    return notebook


def execute(notebook: nbformat.NotebookNode) -> float:
    """Run every cell in the repository root, in place; returns the seconds it took."""
    start = time.perf_counter()
    NotebookClient(notebook, timeout=CELL_TIMEOUT_S, kernel_name=KERNEL, record_timing=False,
                   resources={"metadata": {"path": str(HERE.parent)}}).execute()
    return time.perf_counter() - start


def drop_addresses(notebook: nbformat.NotebookNode) -> None:
    """Remove memory addresses from reprs (``<Figure ... at 0x7f...>``) so reruns diff clean."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/plain")
            if text:
                output["data"]["text/plain"] = re.sub(r" at 0x[0-9a-f]+>", ">", text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="notebook name prefixes (default: all)")
    parser.add_argument("--no-execute", action="store_true",
                        help="write the cells without running them (no outputs)")
    args = parser.parse_args()
    chosen = [source for source in SOURCES
              if not args.names or any(source.name.startswith(name) for name in args.names)]
    if not chosen:
        parser.error(f"no notebook source matches {args.names}; "
                     f"sources: {[source.name for source in SOURCES]}")
    for source in chosen:
        notebook = read(source)
        if not args.no_execute:
            seconds = execute(notebook)
            print(f"{source.stem}: executed in {seconds:.1f} s", file=sys.stderr)
        drop_addresses(notebook)
        path = source.with_suffix(".ipynb")
        nbformat.write(notebook, path)
        print(f"{path.name}: {path.stat().st_size / 1024:.0f} KiB", file=sys.stderr)


if __name__ == "__main__":
    main()
