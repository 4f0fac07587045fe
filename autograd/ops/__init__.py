"""The op table: every differentiable primitive, grouped by family.

Each module holds ``Op`` entries (forward and vjp side by side). Composite operations, written
with these primitives and needing no gradient code, are in ``autograd.functions``.
"""

from autograd.ops import crossentropy, elementwise, linalg, reduce, shape

__all__ = ["crossentropy", "elementwise", "linalg", "reduce", "shape"]
