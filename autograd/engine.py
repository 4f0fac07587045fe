"""The engine: reverse-mode differentiation over a recorded graph of ``Scalar``s or ``Tensor``s.

Each recorded value holds the record of the operation that made it (``_op``, ``_inputs()``,
``_params``; ``autograd.graph.Value`` lists what the engine reads). Backward in three steps:

1. ``topological_order`` lists the values that need a gradient, each before its inputs.
2. ``_check_graph`` refuses, before anything changes, a graph that an earlier backward released
   or whose saved data was modified in place since it was recorded.
3. ``_backpropagate``, the loop at the heart of it all: walking that order, each value's total
   gradient is complete when it is reached; its op turns it into a gradient for each input
   (``Op.vjp``), the input fits it to its own shape (``_fit_gradient`` sums broadcast axes),
   and gradients from several uses of one input are added up, out of place.

Then leaves (and non-leaves that asked with ``retain_grad``) add their gradient to ``.grad``, or,
for ``grad()``, the gradients asked for are returned instead. A value's gradient hooks
(``register_hook``, ``autograd.grad_hooks``) see its total gradient when the loop reaches it, and
what they return replaces it. A leaf with hooks is served earlier, inside the loop, right after
the last value that feeds it: its gradient is complete there, and what its hooks start (a
reduction across processes) then overlaps the rest of the loop. Backward runs in no-grad mode unless
``create_graph=True``: then the vjp rules, written with graph operations, are recorded too, and
the gradients can be differentiated again.

When nothing is recorded and nobody watches the gradients pass (``on_gradient``), the loop
carries raw gradients (floats, numpy arrays) instead of graph values: ``Op.raw_vjp`` and
``_fit_raw_gradient`` in place of ``Op.vjp`` and ``_fit_gradient``, the same numbers without a
graph value made and dropped for each one (W3s, W6). They are wrapped as values at the end.
There, an op marked ``reuses_gradient`` (relu) gets the array it is given to write its own
gradient into, when nothing but the loop refers to that array (``_unshared``): a new array from a
built-in rule or the loop's own sum, never one another input, ``retain_grad`` or the caller holds.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Collection, Sequence
from typing import Any

import numpy as np

from autograd import anomaly, grad_hooks
from autograd import op as op_module
from autograd.collector import gc_paused
from autograd.grad_mode import is_grad_enabled, set_grad_enabled
from autograd.graph import Value

OnGradient = Callable[[Value, Value, int, Value, Value], None]
"""``on_gradient(node, g, index, grad, total)``, called by the backward loop each time it passes
``grad`` to input ``index`` of ``node`` (whose own gradient is ``g``); ``total`` is that input's
running total once ``grad`` is added. The step-throughs and anomaly detection use it."""


class InPlaceChangeError(RuntimeError):
    """Data saved for backward changed in place since it was recorded: gradients would be wrong."""


def backward(
    root: Value, gradient: Any = None, *, retain_graph: bool = False, create_graph: bool = False
) -> None:
    """``root.backward(...)``: accumulate d root / d leaf into every leaf's ``.grad``."""
    _require_grad(root, "backward")
    seed = root._seed_gradient(gradient, "backward")
    run_backward([root], [seed], retain_graph=retain_graph or create_graph,
                 create_graph=create_graph)


def run_backward(
    roots: Sequence[Value],
    seeds: Sequence[Value],
    *,
    retain_graph: bool,
    create_graph: bool,
    capture: Collection[Value] | None = None,
    on_gradient: OnGradient | None = None,
    released_ok: bool = False,
    who: str = "backward",
) -> dict[Value, Value]:
    """Backpropagate ``seeds`` (the gradients of ``roots``) through the graph.

    Without ``capture``, gradients are accumulated into ``.grad`` of leaves and of values that
    called ``retain_grad``. With ``capture``, nothing is written on values: the total gradient
    of each captured value is returned instead (values that received none are absent).
    ``on_gradient`` sees every gradient the loop passes; ``released_ok`` lets it walk a graph
    that an earlier backward released; ``who`` names the caller in errors.
    """
    # The graph holds no reference cycles, so Python's cyclic collector has nothing to find
    # here; left on, it would rescan the whole graph again and again as gradients are allocated.
    with (
        gc_paused(),
        set_grad_enabled(create_graph),
        anomaly.backward_checks(on_gradient) as on_gradient,
    ):
        order = topological_order(roots)
        _check_graph(order, who, released_ok)
        raw = not create_graph and on_gradient is None
        grads: dict[Value, Any] = {}
        for root, seed in zip(roots, seeds):
            if raw:
                seed = seed._data
            grads[root] = seed if root not in grads else grads[root] + seed
        wanted = frozenset(capture or ())
        owned: set[int] = set()  # gradients handed out must not share memory with each other
        # Only when some value has a hook: which non-leaves have gradient hooks, and which
        # leaves are final after which value.
        gradient_hooks = grad_hooks.gradient_hooks_registered()
        hooked = (_gradient_hooked(order, None if capture is None else wanted)
                  if gradient_hooks else frozenset())
        finished = ({} if capture is not None
                    or not (gradient_hooks or grad_hooks.registered())
                    else _final_after(order, grads, raw, owned, create_graph))
        kept = _backpropagate(order, grads, wanted, not retain_graph, on_gradient, raw, finished,
                              hooked)
        if raw:  # hand out graph values, as the node-by-node loop would have
            grads = {node: node._wrap(g) for node, g in grads.items()}
            kept = [(node, node._wrap(g)) for node, g in kept]
        if capture is None:
            _store_grads(grads, kept, create_graph, owned)
            return {}
        return _captured(grads, kept, wanted, create_graph, gradient_hooks)


def _backpropagate(
    order: list[Value],
    grads: dict[Value, Value],
    wanted: frozenset[Value],
    release: bool,
    on_gradient: OnGradient | None,
    raw: bool = False,
    finished: dict[Value, Callable[[], None]] | None = None,
    hooked: frozenset[Value] = frozenset(),
) -> list[tuple[Value, Any]]:
    """The backward loop: pass each value's gradient on to its inputs, in ``order``.

    ``grads`` holds the roots' gradients on entry and the leaves' on return, as graph values, or
    as raw data when ``raw``. Returns the gradients of the non-leaves that are wanted or asked
    for them with ``retain_grad``. ``finished[node]``, where present, runs once ``node`` has
    passed its gradient on (it stores the leaves that nothing later feeds; ``_final_after``).
    The gradient of a value in ``hooked`` first goes through its ``register_hook`` hooks.
    """
    kept = []
    # Raw gradients that no one but this loop refers to, by the value they are the gradient
    # of; kept only for values made by an op with ``reuses_gradient`` (relu), whose rule may
    # then write its own result into that memory instead of a new array (W1b).
    unshared: dict[Value, bool] = {}
    for node in order:
        op = node._op
        if op is None:  # a leaf: its gradient is complete, handed out after the loop
            continue
        g = grads.pop(node, None)
        if g is None:  # no root depends on this value through a differentiable path
            continue
        if hooked and node in hooked:
            g = _hooked_gradient(node, g, raw)
            # A hook may keep the gradient it saw or return one it holds: relu must not
            # write its own gradient into that memory.
            unshared.pop(node, None)
        keep = node._retains_grad or node in wanted
        if keep:
            kept.append((node, g))
        reuse = raw and not keep and unshared.pop(node, False)
        inputs, params = node._inputs(), node._params
        for i, x in enumerate(inputs):
            if not x.requires_grad:
                continue
            if raw:
                grad_x = x._fit_raw_gradient(op.raw_vjp(i, g, node, inputs, params, reuse), op, i)
            else:
                grad_x = x._fit_gradient(op.vjp(i, g, node, inputs, params), op, i)
            previous = grads.get(x)
            grads[x] = grad_x if previous is None else previous + grad_x
            if raw and x._op is not None and x._op.reuses_gradient:
                unshared[x] = _unshared(x, grads[x], previous is not None, g, node, op)
            if on_gradient is not None:
                on_gradient(node, g, i, grad_x, grads[x])
        if release:
            node._release(inputs)
        if finished:
            store = finished.get(node)
            if store is not None:
                store()
    return kept


def _gradient_hooked(order: list[Value], wanted: frozenset[Value] | None) -> frozenset[Value]:
    """The non-leaves in ``order`` whose ``register_hook`` hooks this backward runs: all that
    have some, or, for ``grad()`` (``wanted``), those on a path to a wanted value: PyTorch
    computes no other gradient then, so it calls no other hook."""
    every = [node for node in order if grad_hooks.has_gradient_hooks(node)]
    if every:
        from autograd.capture.state import CaptureError, is_compiling

        if is_compiling():  # a replay runs a program built from the graph, without hooks
            raise CaptureError(
                f"autograd.compile: {every[0]._describe()} has a hook (register_hook), which "
                f"a replayed step would not call; remove it or run this step eagerly")
    hooked = {node for node in every if node._op is not None}
    if hooked and wanted is not None:
        leading = set(wanted)
        for node in reversed(order):  # inputs before the values made from them
            if node._op is not None and any(x in leading for x in node._inputs()):
                leading.add(node)
        hooked &= leading
    return frozenset(hooked)


def _hooked_gradient(node: Value, g: Any, raw: bool) -> Any:
    """``g``, the gradient of ``node`` (raw data when ``raw``), through its gradient hooks.
    Without ``create_graph`` (grad mode off in the loop) what a hook returns is detached, as
    PyTorch detaches it: a gradient computed then is never part of a graph."""
    result = grad_hooks.run_gradient_hooks(node, node._wrap(g) if raw else g)
    if raw:
        return result._data
    if result.requires_grad and not is_grad_enabled():
        return node._wrap(result._data)
    return result


def _unshared(x: Value, grad: Any, summed: bool, g: Any, node: Value, op: Any) -> bool:
    """Whether ``grad``, just stored as the raw gradient of ``x``, is memory that nothing else
    refers to: memory of its own that can be written (``x._writable_raw``), made by the loop's
    own sum (``summed``) or by a built-in rule (``raw_rules``) as something other than what
    that rule was given or the record holds (``g``, the output, the inputs, parameters). Rules
    of other ops may return anything."""
    if not x._writable_raw(grad):
        return False
    if summed:
        return True
    if not op.raw_rules or grad is g or grad is node._data:
        return False
    for held in node._inputs():
        if grad is held._data:
            return False
    for value in node._params.values():
        if grad is value:
            return False
    return True


def topological_order(roots: Sequence[Value]) -> list[Value]:
    """Values reachable from ``roots`` through inputs that require grad, consumers first.

    A depth-first walk lists each recorded value once all of its inputs are listed (post-order);
    reversed, every value comes before its inputs. Leaves, which pass nothing on, come last. The
    walk keeps its own stack, so graphs of any depth work without touching Python's recursion
    limit: a value's inputs go on the stack above a ``None``, which, popped, says that the value
    last entered (``entered``) has all its inputs listed.
    """
    post_order: list[Value] = []
    leaves: list[Value] = []
    entered: list[Value] = []
    visited: set[Value] = set()  # values hash by identity
    stack: list[Value | None] = list(reversed(roots))
    while stack:
        node = stack.pop()
        if node is None:
            post_order.append(entered.pop())
            continue
        if node in visited:
            continue
        visited.add(node)
        if node._op is None:
            leaves.append(node)
            continue
        entered.append(node)
        stack.append(None)
        for x in node._inputs():
            if x.requires_grad and x not in visited:
                stack.append(x)
    post_order.reverse()
    return post_order + leaves


def walk_backward(root: Value, gradient: Any, on_gradient: OnGradient, who: str) -> Value:
    """Run the backward loop from ``root`` for ``on_gradient`` alone, changing nothing.

    No ``.grad`` is written and the graph is not released; a graph that an earlier backward
    released can be walked too (its saved data is still there; changes in place are refused,
    as by backward). The step-throughs and drawings read gradients this way.

    Args:
        root: The value to differentiate; it must require grad.
        gradient: d result / d root, needed when ``root`` has more than one element.
        on_gradient: Called for every gradient the loop passes (see ``OnGradient``).
        who: The caller's name, for error messages.

    Returns:
        The gradient the walk started from at ``root`` (``gradient`` checked, or 1).

    Raises:
        RuntimeError: ``root`` does not require grad, or needs a ``gradient``.
        InPlaceChangeError: Data saved for backward was changed in place since.
    """
    _require_grad(root, who)
    seed = root._seed_gradient(gradient, who)
    run_backward([root], [seed], retain_graph=True, create_graph=False, capture=(),
                 on_gradient=on_gradient, released_ok=True, who=who)
    return seed


def changed_since_recorded(node: Value) -> str | None:
    """What the operation that made ``node`` saved and was modified in place since, or None.

    The clock counts in-place changes (``op.last_change``): a saved value whose last change
    (``_changed``) is later than the recording (``_seq``) was changed after it was saved.
    """
    seq = node._seq
    for i, x in enumerate(node._inputs()):
        if (x if x._base is None else x._base)._changed > seq:
            return f"input {i} ({x._describe()})"
    if node._owner()._changed > seq:
        return f"its output ({node._describe()})"
    return None


def _require_grad(root: Value, who: str) -> None:
    if not root.requires_grad:
        raise RuntimeError(
            f"{who}: {root._describe()} does not require grad and was not produced by a "
            f"recorded operation, so there is nothing to differentiate. Create the inputs with "
            f"requires_grad=True (and outside no_grad())."
        )


def _check_graph(order: list[Value], who: str, released_ok: bool) -> None:
    oldest = None  # the clock's reading at the graph's earliest recording
    for node in order:
        if node._op is None:
            continue
        if node._released and not released_ok:
            raise RuntimeError(
                f"{who}: trying to backward through the graph a second time: the graph of "
                f"'{node._op.name}' was released by an earlier backward call. Pass "
                f"retain_graph=True to the first backward if you need to run it again."
            )
        if oldest is None or node._seq < oldest:
            oldest = node._seq
    # In-place changes are rare: when none happened anywhere since the graph's earliest
    # recording, no value it saved can have changed, and no input needs a look.
    if oldest is None or op_module.last_change == oldest:
        return
    for node in order:
        if node._op is None:
            continue
        changed = changed_since_recorded(node)
        if changed is not None:
            raise InPlaceChangeError(
                f"{who}: {node._op.name} saved {changed} for backward, but it was modified "
                f"in place after that, so its gradient would be wrong. Change a copy instead, "
                f"or run backward before changing it."
            )


def _store_grads(
    grads: dict[Value, Value], kept: list[tuple[Value, Value]], create_graph: bool,
    owned: set[int],
) -> None:
    """Add each leaf's gradient, and each retained non-leaf's, to its ``.grad`` (``owned``: the
    ids of the arrays already handed out), and run the leaves' hooks."""
    hooked = grad_hooks.registered()
    gradient_hooked = grad_hooks.gradient_hooks_registered()
    for node, g in kept:
        node._accumulate_grad(g._owned_copy(owned, create_graph))
    for node, g in grads.items():
        if node._op is None:
            if gradient_hooked:
                g = _leaf_hooked(node, g, create_graph)
            node._accumulate_grad(g._owned_copy(owned, create_graph))
            if hooked:
                grad_hooks.run(node)


def _leaf_hooked(leaf: Value, g: Value, create_graph: bool) -> Value:
    """A leaf's gradient through its gradient hooks. A tensor a hook returned may be one the
    caller holds: ``.grad`` gets a copy of it (PyTorch's ``.grad`` shares memory with no
    tensor of the caller's either)."""
    result: Value = _hooked_gradient(leaf, g, False)
    if result is g or create_graph or not isinstance(result._data, np.ndarray):
        return result
    return leaf._wrap(result._data.copy())


def _final_after(
    order: list[Value], grads: dict[Value, Any], raw: bool, owned: set[int], create_graph: bool
) -> dict[Value, Callable[[], None]]:
    """For each value after which some hooked leaf receives nothing more (its last consumer in
    ``order``), what stores those leaves' gradients then and runs their hooks."""
    hooked = set()
    for node in reversed(order):  # the leaves come last
        if node._op is not None:
            break
        if grad_hooks.has_hooks(node) or grad_hooks.has_gradient_hooks(node):
            hooked.add(node)
    last: dict[Value, Value] = {}
    if hooked:
        for node in order:
            if node._op is not None:
                for x in node._inputs():
                    if x in hooked:
                        last[x] = node
    leaves_after: dict[Value, list[Value]] = {}
    for leaf, node in last.items():
        leaves_after.setdefault(node, []).append(leaf)
    return {node: functools.partial(_store_final, leaves, grads, raw, owned, create_graph)
            for node, leaves in leaves_after.items()}


def _store_final(
    leaves: list[Value], grads: dict[Value, Any], raw: bool, owned: set[int], create_graph: bool
) -> None:
    """Store the gradients of ``leaves``, final before the loop ends, and run their hooks:
    gradient hooks, then accumulation, then post-accumulate-grad hooks, as in PyTorch.

    A hook may change the gradient or ``.grad`` in place, so a gradient that is also the data
    of one the loop still carries (a rule that passes its gradient through, such as ``add``) is
    copied first.
    """
    done = [(leaf, grads.pop(leaf)) for leaf in leaves if leaf in grads]
    carried = {id(g if raw else g._data) for g in grads.values()}
    for leaf, g in done:
        data = g if raw else g._data
        if not create_graph and id(data) in carried and isinstance(data, np.ndarray):
            g = leaf._wrap(data.copy())
        elif raw:
            g = leaf._wrap(g)
        g = _leaf_hooked(leaf, g, create_graph)
        leaf._accumulate_grad(g._owned_copy(owned, create_graph))
        grad_hooks.run(leaf)


def _captured(
    grads: dict[Value, Value],
    kept: list[tuple[Value, Value]],
    wanted: frozenset[Value],
    create_graph: bool,
    gradient_hooks: bool = False,
) -> dict[Value, Value]:
    """The gradients of the ``wanted`` values, for ``grad()``; ``.grad`` is left alone. A wanted
    leaf's gradient goes through its gradient hooks first (PyTorch runs them for ``grad()``
    too); a wanted non-leaf's went through them in the loop."""
    found = {node: g for node, g in kept if node in wanted}
    for node in wanted:
        if node._op is None and node in grads:
            g = grads[node]
            found[node] = _leaf_hooked(node, g, create_graph) if gradient_hooks else g
    owned: set[int] = set()
    return {node: g._owned_copy(owned, create_graph) for node, g in found.items()}


def grad(
    outputs: Value | Sequence[Value],
    inputs: Value | Sequence[Value],
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    only_inputs: bool = True,
    allow_unused: bool | None = None,
    is_grads_batched: bool = False,
    materialize_grads: bool = False,
) -> tuple[Value | None, ...]:
    """Gradients of ``outputs`` with respect to ``inputs``, returned rather than stored.

    Args:
        outputs: A value or a sequence of values to differentiate.
        inputs: The values to differentiate with respect to.
        grad_outputs: The gradient of each output; optional for single-element outputs.
        retain_graph: Keep the graph for another backward (defaults to ``create_graph``).
        create_graph: Record the gradient computation, for higher-order derivatives.
        only_inputs: Deprecated in PyTorch and ignored there (with a FutureWarning), as here.
        allow_unused: Return None for an input the outputs do not depend on, instead of raising
            (None: False, or True with ``materialize_grads``).
        is_grads_batched: PyTorch's vmap over ``grad_outputs``; only False is supported.
        materialize_grads: Return zeros instead of None for unused inputs.

    Returns:
        A tuple with one gradient per input, of the input's kind and shape.

    Examples:
        >>> import autograd as ag
        >>> x = ag.tensor(3.0, requires_grad=True)
        >>> (dx,) = ag.grad(x ** 3, [x], create_graph=True)
        >>> (d2x,) = ag.grad(dx, [x])
        >>> float(dx.item()), float(d2x.item())
        (27.0, 18.0)
    """
    if not only_inputs:
        warnings.warn("only_inputs argument is deprecated and is ignored now (defaults to "
                      "True). To accumulate gradient for other parts of the graph, please use "
                      "backward.", FutureWarning, stacklevel=2)
    if is_grads_batched:
        raise ValueError("grad: is_grads_batched=True is not supported; call grad once per "
                         "row of grad_outputs")
    if materialize_grads and allow_unused is False:
        raise ValueError("Expected allow_unused to be True or not passed when "
                         "materialize_grads=True, but got: allow_unused=False.")
    allow_unused = bool(allow_unused) or materialize_grads
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
        if g is None and materialize_grads:  # a zero of the input's kind, shape and dtype
            g = x._constant(0.0 if isinstance(x._data, float) else np.zeros_like(x._data))
        if g is None and not allow_unused:
            raise RuntimeError(
                f"grad: input {i} ({x._describe()}) was not used to compute the outputs; "
                f"pass allow_unused=True to get None for it"
            )
        result.append(g)
    return tuple(result)


def _as_sequence(values: Any) -> list[Any]:
    if isinstance(values, (list, tuple)):
        return list(values)
    return [values]
