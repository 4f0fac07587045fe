"""Matrix multiplication with numpy's ``matmul`` semantics: 1-D operands and batch broadcasting.

For 2-D operands the rules are the familiar ``dA = G Bᵀ`` and ``dB = Aᵀ G``; a 1-D operand is a
row (on the left) or a column (on the right) that numpy removes from the result, so the rules add
that axis back to ``g`` first. Gradients of broadcast batch axes are summed by the engine.
"""

from __future__ import annotations

import numpy as np

from autograd.op import Op


def _matmul(a, b):
    a_shape, b_shape = np.shape(a), np.shape(b)
    if not a_shape or not b_shape:
        raise ValueError("0-d operands have no matrix dimensions; use * to multiply by a number")
    inner_a = a_shape[-1]
    inner_b = b_shape[-2] if len(b_shape) > 1 else b_shape[0]
    if inner_a != inner_b:
        raise ValueError(f"the inner dimensions differ: {a_shape} @ {b_shape} needs the last "
                         f"axis of the first ({inner_a}) to equal the "
                         f"{'second-to-last' if len(b_shape) > 1 else 'only'} axis of the "
                         f"second ({inner_b})")
    try:
        np.broadcast_shapes(a_shape[:-2], b_shape[:-2])
    except ValueError:
        raise ValueError(f"the batch dimensions of {a_shape} @ {b_shape} do not broadcast: "
                         f"{a_shape[:-2]} vs {b_shape[:-2]}") from None
    return np.matmul(a, b)


def _grad_a(g, y, a, b):
    if b.ndim == 1:                       # y[..., i] = a[..., i, :] · b
        return g.unsqueeze(-1) * b
    if a.ndim == 1:                       # y[..., j] = a · b[..., :, j]
        return (g.unsqueeze(-2) @ b.mT).squeeze(-2)
    return g @ b.mT


def _grad_b(g, y, a, b):
    if a.ndim == 1 and b.ndim == 1:       # y = a · b
        return g * a
    if b.ndim == 1:                       # gradient of the column b: Aᵀ g, summed over batches
        return (a.mT @ g.unsqueeze(-1)).squeeze(-1)
    if a.ndim == 1:                       # outer product of the row a with g
        return a.unsqueeze(-1) * g.unsqueeze(-2)
    return a.mT @ g


# d(A @ B) = G Bᵀ for A, Aᵀ G for B
matmul = Op("matmul", _matmul, (_grad_a, _grad_b), label="@",
            rule="d(A@B)/dA = G Bᵀ, d(A@B)/dB = Aᵀ G")
