"""Matrix multiplication with numpy's ``matmul`` semantics: 1-D operands and batch broadcasting.

For 2-D operands the rules are the familiar ``dA = G Bᵀ`` and ``dB = Aᵀ G``; a 1-D operand is a
row (on the left) or a column (on the right) that numpy removes from the result, so the rules add
that axis back to ``g`` first. Gradients of broadcast batch axes are summed by the engine.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.op import Op


def _matmul(a: Any, b: Any) -> Any:
    # The shapes are examined only when numpy refuses them: on small operands (W4) the checks
    # would cost more than the product itself.
    try:
        return np.matmul(a, b)
    except ValueError:
        raise ValueError(_mismatch(np.shape(a), np.shape(b))) from None


def _mismatch(a_shape: tuple[int, ...], b_shape: tuple[int, ...]) -> str:
    """Why numpy refused ``a @ b``, in words."""
    if not a_shape or not b_shape:
        return "0-d operands have no matrix dimensions; use * to multiply by a number"
    inner_a = a_shape[-1]
    inner_b = b_shape[-2] if len(b_shape) > 1 else b_shape[0]
    if inner_a != inner_b:
        return (f"the inner dimensions differ: {a_shape} @ {b_shape} needs the last axis of the "
                f"first ({inner_a}) to equal the "
                f"{'second-to-last' if len(b_shape) > 1 else 'only'} axis of the second "
                f"({inner_b})")
    return (f"the batch dimensions of {a_shape} @ {b_shape} do not broadcast: "
            f"{a_shape[:-2]} vs {b_shape[:-2]}")


def _column(g: Any) -> Any:
    """``g`` with a new last axis of size 1 (``unsqueeze(-1)``, in words numpy arrays share)."""
    return g.reshape(g.shape + (1,))


def _row(g: Any) -> Any:
    """``g`` with a new second-to-last axis of size 1 (``unsqueeze(-2)``)."""
    return g.reshape(g.shape[:-1] + (1,) + g.shape[-1:])


# The rules are written with what graph values and numpy arrays share (``raw_rules``): their
# arguments are either.
def _grad_a(g: Any, y: Any, a: Any, b: Any) -> Any:
    if b.ndim == 1:                       # y[..., i] = a[..., i, :] · b
        return _column(g) * b
    if a.ndim == 1:                       # y[..., j] = a · b[..., :, j]
        return (_row(g) @ b.mT).squeeze(-2)
    return g @ b.mT


def _grad_b(g: Any, y: Any, a: Any, b: Any) -> Any:
    if a.ndim == 1 and b.ndim == 1:       # y = a · b
        return g * a
    if b.ndim == 1:                       # gradient of the column b: Aᵀ g, summed over batches
        return (a.mT @ _column(g)).squeeze(-1)
    if a.ndim == 1:                       # outer product of the row a with g
        return _column(a) * _row(g)
    return a.mT @ g


matmul = Op("matmul", _matmul, (_grad_a, _grad_b), label="@",
            rule="d(A@B)/dA = G Bᵀ, d(A@B)/dB = Aᵀ G", raw_rules=True, dtypes="same")


def _linear(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> Any:  # a numpy scalar from 1-D x
    out = _matmul(x, w)
    if type(out) is np.ndarray and out.dtype == b.dtype and b.ndim <= 1:
        out += b  # in place: the product is never needed on its own, so it is not kept
        return out
    return out + b


# A Dense layer's forward as one primitive, as PyTorch's addmm: a recorded op and a
# product-sized array fewer.
linear = Op("linear", _linear,
            (lambda g, y, x, w, b: _grad_a(g, y, x, w),
             lambda g, y, x, w, b: _grad_b(g, y, x, w),
             lambda g, y, x, w, b: g),
            label="x@W+b", rule="d/dx = G Wᵀ, d/dW = xᵀ G, d/db = G summed over the batch",
            raw_rules=True, dtypes="same")


_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def explicit_equation(equation: str, ndims: list[int]) -> str:
    """``equation`` with its ellipses spelled out in unused letters and its output written
    (``'ij,jk'`` becomes ``'ij,jk->ik'``: the letters used once, in order, as torch and numpy
    read an equation without ``->``), so the rules can read every operand's axes."""
    equation = equation.replace(" ", "")
    left, arrow, right = equation.partition("->")
    terms = left.split(",")
    if len(terms) != len(ndims):
        raise ValueError(f"einsum(): the equation {equation!r} names {len(terms)} operands, "
                         f"but {len(ndims)} were given")
    free = [c for c in _LETTERS if c not in equation]
    spans = [n - (len(t) - 3) for t, n in zip(terms, ndims) if "..." in t]
    span = max(spans, default=0)
    ellipsis = "".join(free[:span])
    terms = [t.replace("...", ellipsis[span - (n - (len(t) - 3)):]) if "..." in t else t
             for t, n in zip(terms, ndims)]
    if arrow:
        right = right.replace("...", ellipsis)
    else:
        counts = "".join(terms)
        right = ellipsis + "".join(sorted(c for c in set(counts) if counts.count(c) == 1
                                          and c not in ellipsis))
    return ",".join(terms) + "->" + right


def _einsum_vjp(index: int, g: Any, y: Any, *xs: Any, equation: str) -> Any:
    # The gradient of one operand is the einsum of g with the others, onto its own letters. A
    # letter only it has gets a vector of ones, and a repeated letter (a diagonal, 'ii') a fresh
    # letter tied to the first by an identity matrix: every output letter is then an input's,
    # and the rule is an einsum too, so higher orders come the same way.
    left, right = equation.split("->")
    terms = left.split(",")
    own, x = terms[index], xs[index]
    others = [t for j, t in enumerate(terms) if j != index]
    present = set(right).union(*others)
    fresh = iter(c for c in _LETTERS if c not in equation)
    target, extra_terms, extras = "", [], []
    for axis, letter in enumerate(own):
        n = x.shape[axis]
        if letter in target:
            tied = next(fresh)
            target += tied
            extra_terms.append(letter + tied)
            extras.append(x._constant(np.eye(n, dtype=x.dtype)))
        else:
            target += letter
            if letter not in present:
                extra_terms.append(letter)
                extras.append(x._constant(np.ones(n, dtype=x.dtype)))
    rule = ",".join([right, *others, *extra_terms]) + "->" + target
    return einsum(g, *[v for j, v in enumerate(xs) if j != index], *extras, equation=rule)


einsum: Op = Op("einsum", lambda *xs, equation: np.einsum(equation, *xs, optimize=len(xs) > 2),
                _einsum_vjp, rule="d einsum/dx_i = einsum of g with the other operands",
                dtypes="same")
