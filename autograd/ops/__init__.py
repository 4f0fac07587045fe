"""The op table: every differentiable primitive, grouped by family.

Each module holds ``Op`` entries (forward and vjp side by side). Composite operations, written
with these primitives and needing no gradient code, are in ``autograd.functions``.
"""

from autograd.ops import elementwise, linalg, loss, reduce, shape

__all__ = ["elementwise", "linalg", "loss", "reduce", "shape"]
