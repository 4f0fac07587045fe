"""``ScalarStep``: the forward and backward of a recorded ``Scalar`` graph, replayed as vectors.

A graph of Scalars has one node per number: replaying it node by node would cost what the eager
step costs. ``ScalarProgram`` instead runs it level by level, one numpy call per kind of
operation per level. This module connects it to a captured step: which Scalars are read anew at
each replay (the parameters: leaves that require grad and existed before the step), and how
their ``.grad`` is written afterwards, as the eager backward would have.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.capture.scalar_program import ScalarProgram


class ScalarStep:
    """A recorded backward from the Scalar ``root`` (see the module docstring).

    Attributes:
        root: The Scalar the step ran backward from (its loss).
        leaves: The parameters, read at each replay.
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

    @classmethod
    def build(cls, root: Any, created: dict[Any, Any]) -> ScalarStep:
        """The step of ``root.backward()``; ``created``: ids of Scalars the step made."""
        from autograd import engine

        leaves: list[Any] = [node for node in engine.topological_order([root])
                             if node._op is None and node.requires_grad
                             and id(node) not in created]
        program = ScalarProgram.from_graph(root, leaves)
        # The step cleared .grad itself (micrograd's zero_grad sets 0) when it was recorded:
        # a replay writes the new gradient instead of adding to the one left by the last step.
        assign = [leaf.grad is None or leaf.grad == 0 for leaf in leaves]
        return cls(root, leaves, program, assign)

    def run(self) -> None:
        """Forward and backward on the leaves' current values; their ``.grad`` is written."""
        leaves = self.leaves
        values = np.fromiter((leaf._data for leaf in leaves), np.float64, len(leaves))
        self.value, grads = self.program.run(values)
        for leaf, g, assign in zip(leaves, grads.tolist(), self.assign):
            leaf.grad = g if assign or leaf.grad is None else leaf.grad + g
