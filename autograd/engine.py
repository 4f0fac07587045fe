"""The engine: reverse-mode differentiation over a recorded graph of ``Scalar``s or ``Tensor``s.

Each recorded node holds the record of the operation that made it (``_op``, ``_inputs()``,
``_params``; see ``Node``). Backward in four steps:
1. ``topological_order`` lists the nodes that need a gradient, each before its inputs: the
   recorded ones newest first (the reverse of the order they were recorded in), then leaves. It
   is iterative, so graphs of any depth work without touching Python's recursion limit.
2. ``_check_graph`` refuses, before anything changes, a graph that was released by an earlier
   backward or whose saved data was modified in place since it was recorded.
3. Walking that order, each node's total gradient is complete when it is reached. The node's op
   turns it into a gradient for each input that requires one (``Op.vjp``); the input's kind sums
   a broadcast gradient back to its shape; gradients from several uses of an input are added,
   out of place, in a table local to this call.
4. Leaves (and non-leaves that asked with ``retain_grad``) add their gradient to ``.grad``.

Backward runs in no-grad mode unless ``create_graph=True``: then the vjp rules, written with
graph operations, are recorded too, and the gradients can be differentiated again. Python's
cyclic garbage collector is paused meanwhile (``gc_paused``).
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from autograd import anomaly
from autograd import op as op_module
from autograd.collector import gc_paused
from autograd.grad_mode import set_grad_enabled, state

if TYPE_CHECKING:
    from autograd.node import Node


def topological_order(roots: Sequence[Node]) -> list[Node]:
    """Nodes reachable from ``roots`` through inputs that require grad, consumers first.

    Every recorded node carries the time of its recording (``_seq``), and its recorded inputs
    were recorded before it: sorted by that time, latest first, the recorded nodes are in
    topological order. Leaves, which pass nothing on, come last. (A depth-first post-order
    gives the same guarantee with twice the bookkeeping per node.)
    """
    recorded: list[Node] = []
    leaves: list[Node] = []
    seen: set[Node] = set(roots)  # nodes hash by identity
    stack = list(seen)
    while stack:
        node = stack.pop()
        if node._op is None:
            leaves.append(node)
            continue
        recorded.append(node)
        for x in node._inputs():
            if x.requires_grad and x not in seen:
                seen.add(x)
                stack.append(x)
    recorded.sort(key=_recording_number, reverse=True)
    return recorded + leaves


_recording_number = attrgetter("_seq")


def _check_graph(order: list[Node]) -> None:
    oldest = None  # the earliest recording in the graph: ``order`` lists them latest first
    for node in order:
        if node._op is None:
            continue
        if node._released:
            raise RuntimeError(
                f"backward: trying to backward through the graph a second time: the graph of "
                f"'{node._op.name}' was released by an earlier backward call. Pass "
                f"retain_graph=True to the first backward if you need to run it again."
            )
        oldest = node._seq
    # In-place changes are rare: when none happened anywhere since the graph's earliest
    # recording, no value it saved can have changed, and no input needs a look.
    if oldest is None or op_module.last_change < oldest:
        return
    for node in order:
        changed = None if node._op is None else changed_since_recorded(node)
        if changed is not None:
            raise RuntimeError(
                f"backward: {node._op.name} saved {changed} for backward, but it was modified "
                f"in place after that, so its gradient would be wrong. Change a copy instead, "
                f"or run backward before changing it."
            )


def changed_since_recorded(node: Node) -> str | None:
    """What the operation that made ``node`` saved and was modified in place since, or None.

    In-place changes and recordings read one clock (``op.clock``): a saved value whose last
    change (``_changed``) is later than the recording (``_seq``) was changed after it was saved.
    """
    seq = node._seq
    for i, x in enumerate(node._inputs()):
        if (x if x._base is None else x._base)._changed > seq:
            return f"input {i} ({x._describe()})"
    if node._owner()._changed > seq:
        return f"its output ({node._describe()})"
    return None


def run_backward(
    roots: Sequence[Node],
    seeds: Sequence[Node],
    *,
    retain_graph: bool,
    create_graph: bool,
    capture: Sequence[Node] | None = None,
) -> dict[Node, Node]:
    """Backpropagate ``seeds`` (the gradients of ``roots``) through the graph.

    Without ``capture``, gradients are accumulated into ``.grad`` of leaves and of nodes that
    called ``retain_grad``. With ``capture``, nothing is written on nodes: the total gradient
    of each captured node is returned instead (nodes that received none are absent).
    """
    # The graph holds no reference cycles, so Python's cyclic collector has nothing to find
    # here; left on, it would rescan the whole graph again and again as gradients are
    # allocated (W3s, W6). It is paused for this call only.
    with gc_paused():
        return _run_backward(roots, seeds, retain_graph, create_graph, capture)


def _run_backward(
    roots: Sequence[Node],
    seeds: Sequence[Node],
    retain_graph: bool,
    create_graph: bool,
    capture: Sequence[Node] | None,
) -> dict[Node, Node]:
    order = topological_order(roots)
    _check_graph(order)
    grads: dict[Node, Node] = {}
    for root, seed in zip(roots, seeds):
        grads[root] = seed if root not in grads else grads[root] + seed
    wanted = None if capture is None else set(capture)
    anomaly_on = state.anomaly_enabled
    # Under anomaly detection, each gradient is checked as a whole below; the operations inside
    # the rules are not checked one by one, so the error names the op being differentiated.
    state.anomaly_enabled = False
    try:
        with set_grad_enabled(create_graph):
            return _propagate(order, grads, wanted, retain_graph, create_graph, anomaly_on)
    finally:
        state.anomaly_enabled = anomaly_on


def _propagate(
    order: list[Node],
    grads: dict[Node, Node],
    wanted: set[Node] | None,
    retain_graph: bool,
    create_graph: bool,
    anomaly_on: bool,
) -> dict[Node, Node]:
    captured: dict[Node, Node] = {}
    retained: list[tuple[Node, Node]] = []
    for node in order:
        op = node._op
        if op is None:  # a leaf: its gradient is complete, written at the end
            continue
        g = grads.pop(node, None)
        if g is None:
            continue
        if wanted is not None:
            if node in wanted:
                captured[node] = g
        elif node._retains_grad:
            retained.append((node, g))
        inputs, params = node._inputs(), node._params
        for i, x in enumerate(inputs):
            if not x.requires_grad:
                continue
            grad_x = x._fit_gradient(op.vjp(i, g, node, inputs, params), op, i)
            if anomaly_on:
                anomaly.check_backward(op, i, grad_x, node._trace)
            previous = grads.get(x)
            grads[x] = grad_x if previous is None else previous + grad_x
        if not retain_graph:
            node._release(inputs)
    # Gradients handed to the user must not share memory with each other or with a view.
    owned: set[int] = set()
    if wanted is not None:
        for node in wanted:
            if node._op is None and node in grads:
                captured[node] = grads[node]
        return {node: g._owned_copy(owned, create_graph) for node, g in captured.items()}
    for node, g in retained:
        node._accumulate_grad(g._owned_copy(owned, create_graph))
    for node, g in grads.items():
        if node._op is None:
            node._accumulate_grad(g._owned_copy(owned, create_graph))
    return {}


def backward(
    root: Node, gradient: Any = None, *, retain_graph: bool = False, create_graph: bool = False
) -> None:
    """``root.backward(...)``: accumulate d root / d leaf into every leaf's ``.grad``."""
    if not root.requires_grad:
        raise RuntimeError(
            f"backward: {root._describe()} does not require grad and was not produced by a "
            f"recorded operation, so there is nothing to differentiate. Create the inputs with "
            f"requires_grad=True (and outside no_grad())."
        )
    seed = root._seed_gradient(gradient, "backward")
    run_backward([root], [seed], retain_graph=retain_graph or create_graph,
                 create_graph=create_graph)


def grad(
    outputs: Node | Sequence[Node],
    inputs: Node | Sequence[Node],
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool = False,
) -> tuple[Node | None, ...]:
    """Gradients of ``outputs`` with respect to ``inputs``, returned rather than stored.

    Args:
        outputs: A value or a sequence of values to differentiate.
        inputs: The values to differentiate with respect to.
        grad_outputs: The gradient of each output; optional for single-element outputs.
        retain_graph: Keep the graph for another backward (defaults to ``create_graph``).
        create_graph: Record the gradient computation, for higher-order derivatives.
        allow_unused: Return None for an input the outputs do not depend on, instead of raising.

    Returns:
        A tuple with one gradient per input, of the input's kind and shape.

    Example:
        >>> import autograd as ag
        >>> x = ag.tensor(3.0, requires_grad=True)
        >>> (dx,) = ag.grad(x ** 3, [x], create_graph=True)
        >>> (d2x,) = ag.grad(dx, [x])
        >>> float(dx.item()), float(d2x.item())
        (27.0, 18.0)
    """
    outputs = _as_sequence(outputs)
    inputs = _as_sequence(inputs)
    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    else:
        grad_outputs = _as_sequence(grad_outputs)
    if len(grad_outputs) != len(outputs):
        raise ValueError(
            f"grad: got {len(grad_outputs)} grad_outputs for {len(outputs)} outputs"
        )
    for i, x in enumerate(inputs):
        if not x.requires_grad:
            raise RuntimeError(f"grad: input {i} ({x._describe()}) does not require grad")
    roots, seeds = [], []
    for out, given in zip(outputs, grad_outputs):
        if out.requires_grad:
            roots.append(out)
            seeds.append(out._seed_gradient(given, "grad"))
    if retain_graph is None:
        retain_graph = create_graph
    captured = run_backward(roots, seeds, retain_graph=retain_graph, create_graph=create_graph,
                            capture=inputs) if roots else {}
    result = []
    for i, x in enumerate(inputs):
        g = captured.get(x)
        if g is None and not allow_unused:
            raise RuntimeError(
                f"grad: input {i} ({x._describe()}) was not used to compute the outputs; "
                f"pass allow_unused=True to get None for it"
            )
        result.append(g)
    return tuple(result)


def _as_sequence(values: Any) -> list:
    if isinstance(values, (list, tuple)):
        return list(values)
    return [values]
