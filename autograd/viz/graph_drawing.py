"""``draw_graph``: a picture of a recorded graph, with values, gradients and operations.

Each value is a record (micrograd's look): a Scalar shows its name, ``data`` and ``grad``; a
Tensor shows its name, shape and dtype, and its data and gradient (every element when there are
few, else min / mean / max). Each operation is an oval between its inputs and its output.

The DOT text is built here line by line, without the ``dot`` program, so it is cheap for large
graphs and the same for the same graph on every run: values are numbered in the order a
breadth-first walk from the root meets them (``v0`` is the root, ``o3`` the operation that made
``v3``). Only rendering (Jupyter's inline display, ``.pipe()``, ``.render()``) needs ``dot``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from autograd.constants import is_shared_number
from autograd.engine import InPlaceChangeError
from autograd.node import Node
from autograd.viz import labels
from autograd.viz.dot_picture import Picture, is_constant
from autograd.viz.layer_groups import Collapse, Groups
from autograd.viz.steps_backward import BackwardStep, all_gradients
from autograd.viz.steps_forward import ForwardStep

if TYPE_CHECKING:
    import graphviz



def draw_graph(
    root: Node,
    *,
    rankdir: str | None = None,
    show_grad: bool = True,
    grad_source: str = "computed",
    gradient: Any = None,
    show_rule: bool = False,
    hide_constants: bool = False,
    max_nodes: int | None = None,
    names: Mapping[Node, str] | None = None,
    params: Iterable[tuple[str, Node]] | None = None,
    groups: bool = True,
    collapse: Collapse = False,
    full_values: int = 6,
    step: BackwardStep | ForwardStep | None = None,
    title: str | None = None,
) -> graphviz.Digraph:
    """Draw the graph that produced ``root``: values, gradients, operations and layers.

    Args:
        root: The Scalar or Tensor to draw, with everything it was computed from.
        rankdir: ``"LR"`` (left to right) or ``"TB"`` (top to bottom). By default left to
            right, unless that would be wider than a notebook cell (about 1,000 pt, as with
            ``show_rule=True`` or a long chain): then top to bottom.
        show_grad: Show each value's gradient.
        grad_source: ``"computed"``: d root / d value for every value, worked out for the
            drawing with the engine's rules and order, without touching ``.grad`` (what
            micrograd shows after one backward). ``"stored"``: the ``.grad`` attributes as they
            are (leaves only, unless ``retain_grad`` was used; accumulated over calls).
        gradient: d result / d root, to compute gradients when ``root`` has several elements.
        show_rule: Add each operation's local derivative rule (``d tanh(x) = 1 - y²``).
        hide_constants: Leave out leaves that do not require grad (numbers written in the code).
        max_nodes: Draw at most this many values, nearest the root first; a note says how many
            values and operations were left out and where.
        names: Names to show instead of ``.name``, e.g. ``{w: "dense.kernel"}``.
        params: ``(name, value)`` pairs, e.g. ``model.named_parameters()``, shown the same way.
        groups: Draw operations recorded inside ``autograd.name_scope`` blocks (each ``nn``
            layer call opens one) as nested clusters.
        collapse: Draw groups as one box showing their inputs and outputs: True for every
            outermost group, or a group name (``"dense"``, or a path ``"model/dense"``), or
            several names.
        full_values: Tensors with at most this many elements show every element.
        step: A step from ``backward_steps(root)`` or ``forward_steps(root)``: its node and
            edges are highlighted, and values or gradients not known yet show ``?``.
        title: A caption above the drawing.

    Returns:
        A ``graphviz.Digraph`` (Jupyter displays it). ``.source`` is the DOT text; ``.pipe()``
        and ``.render()`` need graphviz's ``dot`` program and say how to install it if missing.

    Raises:
        ImportError: The graphviz Python package is not installed.
        ValueError: An option has an unknown value, or ``step`` belongs to another graph.

    Examples:
        >>> import autograd as ag
        >>> a, b = ag.Scalar(2.0, name="a"), ag.Scalar(-3.0, name="b")
        >>> dot = ag.draw_graph(a * b)
        >>> "{ a | data 2.0000 | grad -3.0000 }" in dot.source
        True
        >>> dot.source.count("->")
        3
    """
    _check_options(root, rankdir, grad_source, max_nodes, full_values, step)
    drawing_class = _drawing_class()
    values, index, inputs, cut, cut_into = _walk(root, hide_constants, max_nodes)
    notes: list[str] = []
    grads = _gradients(root, values, show_grad, grad_source, gradient, step, notes)
    scopes = [v.record.scope if groups and not v.is_leaf  # type: ignore[union-attr]  # (recorded)
              else () for v in values]
    layout = Groups(scopes, collapse)
    shown_names = _names(names, params)

    def picture_in(direction: str) -> Picture:
        picture = Picture(values, index, inputs, layout, step, direction)
        for k, v in enumerate(values):
            picture.add_value(k, shown_names.get(v, v.name), grads, full_values)
            picture.add_operation(k, show_rule)
        return picture

    picture = picture_in(rankdir or "LR")
    if rankdir is None:
        rankdir = "LR"
        if picture.width_left_to_right() > WIDEST_LEFT_TO_RIGHT:
            rankdir = "TB"
            picture = picture_in(rankdir)
    picture.add_boxes()
    if cut:
        # (a cut is made by max_nodes only)
        picture.add_cut_note(_cut_text(cut, index, hide_constants,
                                       max_nodes), cut_into)  # type: ignore[arg-type]
    if title is None and step is not None:
        title = step.describe()
    caption = [title] if title else []
    return drawing_class(
        name="autograd", format="svg", graph_attr={"rankdir": rankdir},
        body=picture.lines(caption + notes),
    )


# About the width of a notebook cell, in points: wider drawings are laid out top to bottom.
WIDEST_LEFT_TO_RIGHT = 1000.0


def draw_step(step: BackwardStep | ForwardStep, **options: Any) -> graphviz.Digraph:
    """Draw the whole graph of ``step`` with its node and edges highlighted.

    A backward step shows the gradients known at that moment: complete for the values already
    processed, running totals for the inputs still collecting theirs, ``?`` for the rest. A
    forward step shows the values computed so far and ``?`` for the others.

    Args:
        step: A record from ``backward_steps`` or ``forward_steps``.
        **options: Any keyword of ``draw_graph``.

    Examples:
        >>> import autograd as ag
        >>> a = ag.Scalar(3.0, name="a")
        >>> b = a + a
        >>> steps = list(ag.backward_steps(b * b))
        >>> "grad 12.0000" in ag.draw_step(steps[0]).source  # a's total after step 1
        True
    """
    return draw_graph(step.root, step=step, **options)


def _check_options(root: Any, rankdir: str | None, grad_source: str, max_nodes: int | None,
                   full_values: int, step: Any) -> None:
    if not isinstance(root, Node):
        raise TypeError(f"draw_graph expects a Scalar or a Tensor. Received: "
                        f"{type(root).__name__} ({root!r:.60})")
    if rankdir not in (None, "LR", "TB", "RL", "BT"):
        raise ValueError(f"draw_graph expects rankdir 'LR' or 'TB' (or 'RL', 'BT'). "
                         f"Received: rankdir={rankdir!r}")
    if grad_source not in ("computed", "stored"):
        raise ValueError(f"draw_graph expects grad_source 'computed' or 'stored'. "
                         f"Received: grad_source={grad_source!r}")
    if max_nodes is not None and (not isinstance(max_nodes, int) or max_nodes < 1):
        raise ValueError(f"draw_graph expects max_nodes >= 1 or None. Received: "
                         f"max_nodes={max_nodes!r}")
    if full_values < 0:
        raise ValueError(f"draw_graph expects full_values >= 0. Received: {full_values!r}")
    if step is not None and not isinstance(step, (BackwardStep, ForwardStep)):
        raise TypeError(f"draw_graph expects step to come from backward_steps or forward_steps. "
                        f"Received: {type(step).__name__}")
    if step is not None and step.root is not root:
        raise ValueError("draw_graph: this step belongs to another graph; draw it with "
                         "draw_step(step), or pass the step's own root")


def _drawing_class() -> type:
    try:
        from autograd.viz.rendering import Drawing
    except ImportError as err:
        raise ImportError(
            "draw_graph needs the graphviz Python package: pip install graphviz (rendering "
            "also needs graphviz's dot program: apt-get, brew or conda install graphviz)"
        ) from err
    return Drawing


def _walk(root: Node, hide_constants: bool,
          max_nodes: int | None) -> tuple[list[Node], dict[Node, int], list[tuple[Node, ...]],
                                          list[Node], list[int]]:
    """Values to draw in breadth-first order from the root, the inputs each one is drawn with,
    and what ``max_nodes`` cut off."""
    values = [root]
    index = {root: 0}
    inputs: list[tuple[Node, ...]] = []  # each value's inputs as drawn (see _drawn_inputs)
    cut: dict[Node, None] = {}  # values not drawn that a drawn operation uses (ordered set)
    cut_into: list[int] = []  # drawn values whose operation has such an input
    k = 0
    while k < len(values):
        inputs.append(_drawn_inputs(values[k]))
        for x in inputs[k]:
            if x in index or (hide_constants and is_constant(x)):
                continue
            if max_nodes is not None and len(values) >= max_nodes:
                cut[x] = None
                if not cut_into or cut_into[-1] != k:
                    cut_into.append(k)
                continue
            index[x] = len(values)
            values.append(x)
        k += 1
    return values, index, inputs, list(cut), cut_into


def _drawn_inputs(node: Node) -> tuple[Node, ...]:
    """The inputs of ``node``'s operation, with a copy of its own for each shared number.

    A number written in an expression (``x * 2``) is one constant node shared by every
    expression that uses it; drawn once per use, it appears where it was written.
    """
    if node.is_leaf:
        return ()
    return tuple(_copy_of_number(x) if is_shared_number(x) else x
                 for x in node.record.inputs)  # type: ignore[union-attr]  # (not a leaf)


def _copy_of_number(constant: Node) -> Node:
    copy = constant.detach()
    copy.name = constant.name
    return copy


def _cut_text(cut: list[Node], index: dict[Node, int], hide_constants: bool,
              max_nodes: int) -> str:
    """How many values and operations lie beyond the drawn part of the graph."""
    seen = set(cut)
    stack = list(cut)
    operations = 0
    while stack:
        node = stack.pop()
        if node.is_leaf:
            continue
        operations += 1
        for x in _drawn_inputs(node):
            if x not in index and x not in seen and not (hide_constants and is_constant(x)):
                seen.add(x)
                stack.append(x)
    return (f"{len(seen)} more values and {operations} more operations not drawn "
            f"(max_nodes={max_nodes}); dashed edges show where they connect")


def _names(names: Mapping[Node, str] | None, params: Iterable[Any] | None) -> dict[Node, str]:
    shown: dict[Node, str] = {}
    for name, value in params or ():
        shown[value] = str(name)
    for value, name in (names or {}).items():
        shown[value] = str(name)
    return shown


def _gradients(root: Node, values: list[Node], show_grad: bool, grad_source: str, gradient: Any,
               step: Any, notes: list[str]) -> dict[Node, Any] | None:
    """The raw gradient to show for each value, or None to show no gradients."""
    if not show_grad or isinstance(step, ForwardStep):
        return None
    if isinstance(step, BackwardStep):
        return step.known_gradients()
    if grad_source == "computed" and root.requires_grad:
        count = np.size(labels.raw(root))
        if gradient is None and count != 1:
            notes.append(f"grad: the stored .grad (the root has {count} elements: "
                         f"pass gradient= to compute d root / d value)")
        else:
            try:
                # A NaN or an infinity is highlighted in the picture; numpy need not warn too.
                with np.errstate(all="ignore"):
                    return all_gradients(root, gradient)
            except InPlaceChangeError as err:
                notes.append(f"grad: the stored .grad, since {err}")
    return {v: _raw(v.grad) for v in values if v.grad is not None}


def _raw(grad: Any) -> Any:
    return labels.raw(grad) if isinstance(grad, Node) else grad
