"""The forward pass one operation at a time, each after the values it needs.

The graph does not record when each operation ran, so the order is rebuilt from its structure:
a depth-first walk that takes inputs in order. For an expression written left to right this is
the order Python evaluated it in.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from autograd.viz import labels

if TYPE_CHECKING:
    from autograd.node import Node
    from autograd.op import Op


@dataclass(frozen=True, repr=False)
class ForwardStep:
    """One operation of the forward pass: its inputs, and the value it computed.

    Attributes:
        index: Position of this step, from 0.
        total: Number of operations in the forward pass.
        node: The value computed at this step.
        op: The operation that computed it.
        inputs: The operation's inputs, in order.
        value: The computed value (a float or a numpy array).
        root: The final value of the forward pass.
    """

    index: int
    total: int
    node: Node
    op: Op
    inputs: tuple[Any, ...]
    value: Any
    root: Node
    _order: tuple[Any, ...] = field(compare=False)

    def computed(self) -> set[Any]:
        """The values computed by operations up to and including this step (leaves excluded)."""
        return set(self._order[: self.index + 1])

    def describe(self) -> str:
        """This step in words."""
        names = ", ".join(labels.who(x) for x in self.inputs)
        return (f"forward step {self.index + 1} of {self.total}: {self.op.label} of {names} "
                f"gives {labels.short(self.value)}")

    def __str__(self) -> str:
        return self.describe()

    def __repr__(self) -> str:
        return f"ForwardStep({self.index + 1} of {self.total}: {self.op.name})"


def forward_steps(root: Node) -> Iterator[ForwardStep]:
    """The operations that computed ``root``, each after its inputs (earlier inputs first).

    The graph does not remember when each operation ran; this is the order a program evaluating
    the expression left to right would follow. Constants and other leaves are not steps: their
    values exist from the start.

    Args:
        root: The final value.

    Yields:
        One ``ForwardStep`` per recorded operation.

    Examples:
        >>> from autograd import Scalar, forward_steps
        >>> a, b = Scalar(2.0, name="a"), Scalar(-3.0, name="b")
        >>> [(s.op.label, s.value) for s in forward_steps(a * b + a)]
        [('*', -6.0), ('+', -4.0)]
    """
    order = tuple(evaluation_order(root))
    for index, node in enumerate(order):
        yield ForwardStep(index=index, total=len(order), node=node, op=node.record.op,
                          inputs=node.record.inputs, value=labels.raw(node), root=root,
                          _order=order)


def evaluation_order(root: Node) -> list[Any]:
    """Non-leaf nodes under ``root``, each after its inputs; iterative, so any depth works."""
    order: list[Any] = []
    seen: set[Any] = set()
    stack = [(root, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:
            order.append(node)
            continue
        if node in seen or node.is_leaf:
            continue
        seen.add(node)
        stack.append((node, True))
        # Pushed last to first, so that input 0 and everything it needs come first.
        record = node.record
        assert record is not None  # not a leaf
        for x in reversed(record.inputs):
            if x not in seen:
                stack.append((x, False))
    return order
