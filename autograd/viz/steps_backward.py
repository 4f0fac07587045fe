"""Backpropagation one step at a time: the engine's own loop, watched.

``backward_steps`` runs the engine's backward loop (``engine.walk_backward``) and records every
gradient it passes, grouped by the operation that passed it: the same order, the same rules,
the same running totals as ``backward()``. Nothing is written to ``.grad`` and the graph is not
released, so one graph can be stepped through, drawn and then backpropagated for real, in any
order, as often as wanted.

Gradients in the records are raw data: floats for a Scalar graph, numpy arrays for a Tensor
graph.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from autograd.engine import walk_backward
from autograd.grad_mode import no_grad
from autograd.scalar import Scalar
from autograd.viz import labels

if TYPE_CHECKING:
    from autograd.node import Node
    from autograd.op import Op


@dataclass(repr=False)
class _Trace:
    """Every change of a running total during one walk, in order, shared by its steps."""

    events: list[Any] = field(default_factory=list)  # (node, raw total after the change)


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
    inputs: tuple[Any, ...]
    local: tuple[Any, ...]
    passed: tuple[Any, ...]
    totals: tuple[Any, ...]
    root: Node
    _trace: _Trace = field(compare=False)
    _end: int = field(compare=False)

    def known_gradients(self) -> dict[Node, Any]:
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

    The steps come from one run of the engine's backward loop, made when the first step is
    asked for. Nothing is written to ``.grad`` and the graph is not released: ``root.backward()``
    afterwards (or before) works as usual, and the running totals of the last step equal the
    ``.grad`` that one backward call leaves on fresh leaves.

    Args:
        root: The value to differentiate; it must require grad.
        gradient: d result / d root, needed when ``root`` has more than one element.

    Yields:
        One ``BackwardStep`` per operation, consumers before their inputs.

    Raises:
        RuntimeError: ``root`` does not require grad, or has several elements and no
            ``gradient`` was given. ``InPlaceChangeError`` (a RuntimeError) when data saved for
            backward was changed in place after it was recorded.

    Examples:
        >>> from autograd import Scalar, backward_steps
        >>> a = Scalar(3.0, name="a")
        >>> b = a + a
        >>> c = b * b
        >>> [(s.op.label, s.upstream, s.totals) for s in backward_steps(c)]
        [('*', 1.0, (6.0, 12.0)), ('+', 12.0, (12.0, 24.0))]
        >>> c.backward(); a.grad
        24.0
    """
    walked, trace = _walk(root, gradient, "backward_steps")
    one = Scalar(1.0) if isinstance(root, Scalar) else None
    for index, step in enumerate(walked):
        record = step.node.record
        assert record is not None  # the walk passes recorded values only
        yield BackwardStep(
            index=index, total=len(walked), node=step.node, op=record.op, upstream=step.upstream,
            inputs=record.inputs, local=_local_derivatives(step, one),
            passed=tuple(step.passed), totals=tuple(step.totals),
            root=root, _trace=trace, _end=step.end,
        )


def all_gradients(root: Node, gradient: Any = None) -> dict[Node, Any]:
    """d root / d node for every node backward reaches, as raw data; ``.grad`` is left alone.

    Non-leaf values get a gradient too, which ``backward()`` does not store. Drawings use this.

    Examples:
        >>> from autograd import Scalar
        >>> from autograd.viz import all_gradients
        >>> a = Scalar(2.0)
        >>> b = a * 3
        >>> g = all_gradients(b * b)
        >>> g[b], g[a]
        (12.0, 36.0)
    """
    return dict(_walk(root, gradient, "all_gradients")[1].events)


@dataclass(repr=False)
class _Walked:
    """What one operation passed during the walk (raw data), and where its trace ends."""

    node: Node
    upstream: Any
    passed: list[Any]
    totals: list[Any]
    end: int = 0


def _walk(root: Node, gradient: Any, who: str) -> tuple[list[_Walked], _Trace]:
    """Every gradient the engine's backward loop passes from ``root``, by operation, in order."""
    walked: list[_Walked] = []
    trace = _Trace([(root, None)])  # the root's seed, known once the walk starts

    # (the values are the graph's kind: Scalars or Tensors)
    def on_gradient(node: Any, g: Any, index: int, grad: Any, total: Any) -> None:
        if not walked or walked[-1].node is not node:
            n = len(node.record.inputs)
            walked.append(_Walked(node, labels.raw(g), [None] * n, [None] * n))
        step = walked[-1]
        step.passed[index], step.totals[index] = labels.raw(grad), labels.raw(total)
        trace.events.append((node.record.inputs[index], labels.raw(total)))
        step.end = len(trace.events)

    seed = walk_backward(root, gradient, on_gradient, who)
    trace.events[0] = (root, labels.raw(seed))
    return walked, trace


def _local_derivatives(step: _Walked, one: Node | None) -> tuple[Any, ...]:
    """d node / d input for each input of a Scalar operation (its rule applied to 1)."""
    record = step.node.record
    assert record is not None  # the walk passes recorded values only
    if one is None:  # a Tensor's local derivative is a whole Jacobian: not shown
        return (None,) * len(record.inputs)
    with no_grad():
        return tuple(
            None if passed is None
            else labels.raw(record.op.vjp(i, one, step.node, record.inputs, record.params))
            for i, passed in enumerate(step.passed)
        )
