"""The op table: every differentiable primitive, grouped by family.

Each module holds ``Op`` entries (forward and vjp side by side); ``autograd.op.op_table`` lists
them by family. Composite operations, written with these primitives and needing no gradient
code, are in ``autograd.functions``.
"""

from autograd.ops import conv, elementwise, linalg, loss, reduce, shape

__all__ = ["conv", "elementwise", "linalg", "loss", "reduce", "shape"]
