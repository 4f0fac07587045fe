"""A captured training step: recorded on its first calls, then replayed without a graph.

``autograd.compile(step)`` (PyTorch's ``torch.compile`` spelling) returns a function that runs
``step`` eagerly on its first two calls, recording the forward pass, the backward and the
updates it performed, and from then on replays that record as a flat list of numpy calls: no
graph nodes, no topological sort, no per-operation checks. The replay gives the same bits as the
eager step. ``compiled.py`` has the life of a compiled function, ``recording.py`` what is
recorded and what is refused, ``replay.py`` and ``backward_program.py`` how it runs again,
``scalar_step.py`` and ``scalar_program.py`` the same for a graph of Scalars, run as vectors.
"""

from __future__ import annotations

from autograd.capture.entry import compile, guard
from autograd.capture.state import CaptureError

__all__ = ["CaptureError", "compile", "guard"]
