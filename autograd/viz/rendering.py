"""The object ``draw_graph`` returns: a ``graphviz.Digraph`` that explains a missing ``dot``.

This module imports graphviz at its top, so only ``draw_graph`` imports it, when first called:
``import autograd`` stays free of optional packages.
"""

from __future__ import annotations

import sys
from typing import Any

import graphviz


def install_hint() -> str:
    """How to install graphviz's ``dot`` program on this platform."""
    if sys.platform == "darwin":
        how = "brew install graphviz"
    elif sys.platform.startswith("win"):
        how = ("run the installer from https://graphviz.org/download/ and tick 'add Graphviz to "
               "the system PATH'")
    else:
        how = "sudo apt-get install graphviz (Debian, Ubuntu), or your distribution's package"
    return (
        f"Rendering a drawing needs graphviz's 'dot' program, which was not found on PATH. "
        f"Install it: {how}; with conda: conda install -c conda-forge graphviz. The Python "
        f"package alone (pip install graphviz) does not include it. Without it the DOT text is "
        f"still available as .source."
    )


class DotNotFoundError(RuntimeError):
    """Rendering was asked for, but graphviz's ``dot`` program is not installed."""


class Drawing(graphviz.Digraph):  # type: ignore[misc]  # (graphviz ships no types: Any)
    """A ``graphviz.Digraph`` whose rendering methods say how to install ``dot`` when it is
    missing. Jupyter shows it inline (as SVG) like any Digraph."""

    def __repr__(self) -> str:
        # Stable text (no memory address), so saved notebook outputs do not change run to run.
        nodes = sum(1 for line in self.body if "label=" in line and "->" not in line)
        return f"<autograd drawing: {nodes} nodes>"

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        """Render and return the bytes (or text with ``encoding=``); see ``graphviz.Digraph``."""
        try:
            return super().pipe(*args, **kwargs)
        except graphviz.ExecutableNotFound as err:
            raise DotNotFoundError(install_hint()) from err

    def render(self, *args: Any, **kwargs: Any) -> Any:
        """Render to a file and return its path; see ``graphviz.Digraph.render``."""
        try:
            return super().render(*args, **kwargs)
        except graphviz.ExecutableNotFound as err:
            raise DotNotFoundError(install_hint()) from err
