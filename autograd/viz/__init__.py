"""Drawings of recorded graphs and step-throughs of the forward and backward passes.

Built on the engine's public API only; nothing in the core imports this package (``autograd``
re-exports its public names). graphviz is imported when a drawing is made, matplotlib when
frames are rendered to a GIF.

Modules: ``graph_drawing`` (``draw_graph``, ``draw_step``), ``captured_drawing``
(``draw_captured``: what a captured step replays), ``dot_picture`` (the DOT lines of
one drawing), ``labels`` (the text on values and operations), ``layer_groups`` (``name_scope``
blocks as clusters), ``rendering`` (the ``graphviz.Digraph`` and the ``dot`` program),
``steps_backward`` and ``steps_forward`` (the step-throughs), ``step_frames`` (steps as images,
a GIF or an HTML page).
"""

from autograd.engine import InPlaceChangeError
from autograd.viz.captured_drawing import draw_captured
from autograd.viz.graph_drawing import draw_graph, draw_step
from autograd.viz.step_frames import render_frames, steps_to_gif, steps_to_html
from autograd.viz.steps_backward import (
    BackwardStep,
    all_gradients,
    backward_steps,
)
from autograd.viz.steps_forward import ForwardStep, forward_steps

__all__ = [
    "BackwardStep", "ForwardStep", "InPlaceChangeError", "all_gradients", "backward_steps",
    "draw_captured", "draw_graph", "draw_step", "forward_steps", "render_frames", "steps_to_gif",
    "steps_to_html",
]
