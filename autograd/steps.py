"""Backpropagation one step at a time, in the engine's real order.

``backward_steps`` replays what ``backward()`` does: the engine's own order
(``engine.topological_order``) and the engine's own calls for each input (the op's ``vjp``, then
the input's ``_fit_gradient``), with gradients added out of place in a table local to the walk.
Nothing is written to ``.grad`` and the graph is not released, so one graph can be stepped
through, drawn and then backpropagated for real, in any order, as often as wanted.

Gradients in the records are raw data: floats for a Scalar graph, numpy arrays for a Tensor
graph.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from autograd import draw_labels as labels
from autograd.engine import changed_since_recorded, topological_order
from autograd.grad_mode import no_grad
from autograd.scalar import Scalar

if TYPE_CHECKING:
    from autograd.node import Node
    from autograd.op import Op


class InPlaceChangeError(RuntimeError):
    """Data saved for backward changed in place since it was recorded: gradients would be wrong."""


@dataclass(repr=False)
class _Trace:
    """Every change of a running total during one walk, in order, shared by its steps."""

    events: list = field(default_factory=list)  # (node, raw total after the change)


@dataclass(frozen=True, repr=False)
class BackwardStep:
    """What one operation does during backward: it receives a gradient and passes one to each input.

    The node's gradient is complete when its step comes: every use of the node was processed
    before it. That is why a value used twice shows both contributions added up.

    Attributes:
        index: Position of this step, from 0.
        total: Number of steps in this backward pass.
        node: The value whose operation runs now.
        op: The operation that produced ``node``; ``op.label`` and ``op.rule`` describe it.
        upstream: The gradient ``node`` received (d root / d node).
        inputs: The operation's inputs, in order.
        local: For a Scalar graph, the local derivative d node / d input of each input; None for
            inputs that need no gradient and for Tensor graphs (where it is a whole Jacobian).
        passed: The gradient sent to each input (``upstream * local`` for scalars), or None for
            an input that needs no gradient.
        totals: Each input's running total right after ``passed`` was added to it, or None.
        root: The value the backward pass started from.
    """

    index: int
    total: int
    node: Node
    op: Op
    upstream: Any
    inputs: tuple
    local: tuple
    passed: tuple
    totals: tuple
    root: Node
    _trace: _Trace = field(compare=False)
    _end: int = field(compare=False)

    def known_gradients(self) -> dict:
        """Every gradient known after this step: final for processed nodes, running totals else.

        Returns:
            A dict from node to raw gradient; nodes not reached yet are absent.
        """
        return dict(self._trace.events[: self._end])

    def describe(self) -> str:
        """This step in words, one line for the node and one per input."""
        rule = f"; rule {self.op.rule}" if self.op.rule else ""
        lines = [
            f"backward step {self.index + 1} of {self.total}: op {self.op.label} "
            f"(made {labels.who(self.node)}){rule}",
            f"  received grad {labels.short(self.upstream)}",
        ]
        for i, x in enumerate(self.inputs):
            if self.passed[i] is None:
                lines.append(f"  input {i} {labels.who(x)}: needs no gradient")
                continue
            local = "" if self.local[i] is None else f"local {labels.number(self.local[i])}, "
            lines.append(f"  input {i} {labels.who(x)}: {local}passes "
                         f"{labels.short(self.passed[i])}, total {labels.short(self.totals[i])}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.describe()

    def __repr__(self) -> str:
        return f"BackwardStep({self.index + 1} of {self.total}: {self.op.name})"


def backward_steps(root: Node, gradient: Any = None) -> Iterator[BackwardStep]:
    """Walk backward from ``root`` one operation at a time, in the engine's real order.

    Each step is computed when it is asked for. Nothing is written to ``.grad`` and the graph is
    not released: ``root.backward()`` afterwards (or before) works as usual, and the running
    totals of the last step equal the ``.grad`` that one backward call leaves on fresh leaves.

    Args:
        root: The value to differentiate; it must require grad.
        gradient: d result / d root, needed when ``root`` has more than one element.

    Yields:
        One ``BackwardStep`` per operation, consumers before their inputs.

    Raises:
        RuntimeError: ``root`` does not require grad, or has several elements and no
            ``gradient`` was given. ``InPlaceChangeError`` (a RuntimeError) when data saved for
            backward was changed in place after it was recorded.

    Example:
        >>> from autograd import Scalar, backward_steps
        >>> a = Scalar(3.0, name="a")
        >>> b = a + a
        >>> c = b * b
        >>> [(s.op.label, s.upstream, s.totals) for s in backward_steps(c)]
        [('*', 1.0, (6.0, 12.0)), ('+', 12.0, (12.0, 24.0))]
        >>> c.backward(); a.grad
        24.0
    """
    is_scalar = isinstance(root, Scalar)
    one = Scalar._wrap(1.0)
    for index, total, node, g, passed, trace in _walk(root, gradient, "backward_steps"):
        op, inputs = node._op, node._inputs()
        local = [None] * len(inputs)
        if is_scalar:
            with no_grad():
                for i, x in enumerate(inputs):
                    if x.requires_grad:
                        local[i] = op.vjp(i, one, node, inputs, node._params)._data
        yield BackwardStep(
            index=index, total=total, node=node, op=op, upstream=g._data,
            inputs=inputs, local=tuple(local),
            passed=tuple(None if p is None else p[0]._data for p in passed),
            totals=tuple(None if p is None else p[1]._data for p in passed),
            root=root, _trace=trace, _end=len(trace.events),
        )


def all_gradients(root: Node, gradient: Any = None) -> dict:
    """d root / d node for every node backward reaches, as raw data; ``.grad`` is left alone.

    Non-leaf values get a gradient too, which ``backward()`` does not store. Drawings use this.

    Example:
        >>> from autograd import Scalar
        >>> from autograd.steps import all_gradients
        >>> a = Scalar(2.0)
        >>> b = a * 3
        >>> g = all_gradients(b * b)
        >>> g[b], g[a]
        (12.0, 36.0)
    """
    last = None
    for last in _walk(root, gradient, "all_gradients"):  # noqa: B007 (the last step is wanted)
        pass
    if last is None:  # the root is a leaf: only its own seed
        return {root: root._seed_gradient(gradient, "all_gradients")._data}
    return dict(last[-1].events)


def _walk(root: Node, gradient: Any, who: str) -> Iterator[tuple]:
    """The engine's backward loop, keeping every total and yielding after each operation."""
    if not root.requires_grad:
        raise RuntimeError(
            f"{who}: {root._describe()} does not require grad, so backward has no steps. "
            f"Create the inputs with requires_grad=True (and outside no_grad())."
        )
    order = topological_order([root])
    _check_unchanged(order, who)
    seed = root._seed_gradient(gradient, who)
    totals = {root: seed}
    trace = _Trace([(root, seed._data)])
    total = sum(1 for node in order if node._op is not None)
    index = 0
    for node in order:
        op = node._op
        if op is None:  # a leaf: its gradient is complete, nothing to pass on
            continue
        g = totals.get(node)
        if g is None:
            continue
        passed: list = []
        # Grad mode is switched off per step, never across a yield: code running between two
        # steps records as usual.
        inputs = node._inputs()
        with no_grad():
            for i, x in enumerate(inputs):
                if not x.requires_grad:
                    passed.append(None)
                    continue
                grad_x = x._fit_gradient(op.vjp(i, g, node, inputs, node._params), op, i)
                previous = totals.get(x)
                totals[x] = grad_x if previous is None else previous + grad_x
                trace.events.append((x, totals[x]._data))
                passed.append((grad_x, totals[x]))
        yield index, total, node, g, passed, trace
        index += 1


def _check_unchanged(order: list, who: str) -> None:
    for node in order:
        if node._op is None:
            continue
        changed = changed_since_recorded(node)
        if changed is not None:
            raise InPlaceChangeError(
                f"{who}: {node._op.name} saved {changed} for backward, but it was modified in "
                f"place after that, so its gradients would be wrong. Record the graph again "
                f"after changing the data."
            )
