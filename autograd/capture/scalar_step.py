"""``ScalarStep``: the forward and backward of a recorded ``Scalar`` graph, replayed as vectors.

A graph of Scalars has one node per number: replaying it node by node would cost what the eager
step costs. ``ScalarProgram`` instead runs it level by level, one numpy call per kind of
operation per level. This module connects it to a captured step: which Scalars are read anew at
each replay (the leaves that existed before the step: its parameters, and any other Scalar made
outside it, whose value may change between calls), and how the parameters' ``.grad`` is written
afterwards, as the eager backward would have. Every other leaf, made inside the step from a
number (each call's data), is a constant of the program: two recordings are compared
(``difference``), so that a step whose constants change is recorded anew, never replayed with
one call's data.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.capture.scalar_program import ScalarProgram
from autograd.constants import is_shared_number


class ScalarStep:
    """A recorded backward from the Scalar ``root`` (see the module docstring).

    Attributes:
        root: The Scalar the step ran backward from (its loss).
        leaves: The Scalars made before the step, read at each replay.
        program: The vectorized graph.
        value: The root's value at the last replay.
    """

    def __init__(self, root: Any, leaves: list[Any], program: ScalarProgram,
                 assign: list[bool]) -> None:
        self.root = root
        self.leaves = leaves
        self.program = program
        self.assign = assign
        self.value = root._data
        # Backward writes .grad on the leaves that require grad, not on the others.
        self.trainable = self.requires_grad()

    @classmethod
    def build(cls, root: Any, created: dict[Any, Any]) -> ScalarStep:
        """The step of ``root.backward()``; ``created``: ids of Scalars the step made."""
        from autograd import engine

        # The leaves that do not require grad are not in the engine's order: met as inputs.
        found: dict[int, Any] = {}
        order: list[Any] = engine.topological_order([root])
        for node in order:
            for x in (node,) if node._op is None else node._inputs():
                if x._op is None and id(x) not in created and not is_shared_number(x):
                    found.setdefault(id(x), x)
        leaves = list(found.values())
        program = ScalarProgram.from_graph(root, leaves)
        # The step cleared .grad itself (micrograd's zero_grad sets 0) when it was recorded:
        # a replay writes the new gradient instead of adding to the one left by the last step.
        assign = [leaf.grad is None or leaf.grad == 0 for leaf in leaves]
        return cls(root, leaves, program, assign)

    def difference(self, other: ScalarStep) -> str | None:
        """Where ``other``, the same step's next recording, differs from this one, in words;
        None when a replay of either gives what the step computes (see
        ``ScalarProgram.difference``: the constants are compared too)."""
        if len(self.leaves) != len(other.leaves) or any(
                a is not b for a, b in zip(self.leaves, other.leaves)):
            return "its Scalar graph read other parameters on two calls"
        if self.assign != other.assign:
            return ("it cleared the parameters' .grad before backward on one call and not on "
                    "the other")
        return self.program.difference(other.program)

    def requires_grad(self) -> tuple[bool, ...]:
        """Which leaves require grad now: the program differentiates those it was built for
        (a guard of the capture, so that a parameter frozen later is recorded anew)."""
        return tuple(leaf.requires_grad for leaf in self.leaves)

    def run(self) -> None:
        """Forward and backward on the leaves' current values; the ``.grad`` of those that
        require grad is written."""
        leaves = self.leaves
        values = np.fromiter((leaf._data for leaf in leaves), np.float64, len(leaves))
        self.value, grads = self.program.run(values)
        for leaf, g, assign, trainable in zip(leaves, grads.tolist(), self.assign,
                                              self.trainable):
            if trainable:
                leaf.grad = g if assign or leaf.grad is None else leaf.grad + g
