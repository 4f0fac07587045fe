"""Reductions and the softmax family, with numpy's ``axis`` (int, tuple, negative, None) and
``keepdims``. Rules first restore the reduced axes of ``g`` (``_expand``), then apply the math."""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from autograd.op import RAW, Op, call
from autograd.ops import elementwise


# Tuples built on every step come from lists. ``tuple(generator)`` allocates a tuple of a guessed
# length and shrinks it: the result never came from CPython's free list of its size, yet joins
# it when freed. A training step that did so once per loss grew those lists by a tuple per step,
# up to 2,000 per size: fresh memory, and page faults, for its first thousands of steps (W1b).
def normalized_axes(axis: Any, ndim: int) -> tuple[int, ...]:
    """numpy's ``normalize_axis_tuple``: ``axis`` (an int or a sequence) as a tuple of axes
    in ``[0, ndim)``; an AxisError names an axis out of range, a ValueError a repeated one."""
    try:
        given = [operator.index(axis)]
    except TypeError:  # a sequence of axes
        given = list(axis)
    axes = tuple([normalize_axis_index(a, ndim) for a in given])
    if len(set(axes)) != len(axes):
        raise ValueError("repeated axis")
    return axes


def kept_shape(shape: Sequence[int], axis: Any) -> tuple[int, ...]:
    """``shape`` with the reduced axes kept as size 1."""
    if axis is None:
        return (1,) * len(shape)
    axes = normalized_axes(axis, len(shape))
    return tuple([1 if i in axes else n for i, n in enumerate(shape)])


def _expand(g: Any, x: Any, axis: Any, keepdims: bool) -> Any:
    """Broadcast the gradient of a reduction back over the reduced axes of ``x``."""
    if not keepdims and axis is not None:  # a 0-d total broadcasts as it is
        g = g.reshape(kept_shape(x.shape, axis))
    if not isinstance(g, RAW):
        return g.broadcast_to(x.shape)
    # numpy's broadcast view costs 2 us to make; a copy is cheaper while small (W3t)
    return np.full(x.shape, g) if x.size <= 4096 else np.broadcast_to(g, x.shape)


def reduced_count(shape: Sequence[int], axis: Any) -> int:
    """How many elements a reduction over ``axis`` (None: all) combines into each result."""
    if axis is None:
        return math.prod(shape)
    return math.prod([shape[i] for i in normalized_axes(axis, len(shape))])


def _kept(raw: Any, x: Any, axis: Any, keepdims: bool) -> Any:
    """A raw reduction result reshaped so it broadcasts against ``x``."""
    return raw if keepdims else np.reshape(raw, kept_shape(x.shape, axis))


def _extreme_vjp(g: Any, y: Any, x: Any, axis: Any, keepdims: bool) -> Any:
    # The gradient goes to the elements equal to the extreme value, split equally among ties.
    winners = x._data == _kept(y._data, x, axis, keepdims)
    with np.errstate(invalid="ignore", divide="ignore"):  # a NaN slice has no winner: NaN grad
        share = winners / np.sum(winners, axis=axis, keepdims=True)
    return _expand(g, x, axis, keepdims) * x._constant(share)


def along(ufunc: np.ufunc, x: np.ndarray, axis: Any, keepdims: bool = True,
          **options: Any) -> Any:
    """``ufunc.reduce`` over ``axis``, for the softmax family's reductions over classes.

    numpy reduces a short last axis one row at a time: for a batch of 1024 logits over 10
    classes, ``max`` takes 45 us, against 6 us down the columns of a column-major copy (one
    vectorised pass per class). The values are the same; a sum's may differ in the last bit,
    since the additions come in another order.
    """
    if x.ndim == 2 and axis in (1, -1) and x.shape[1] <= 16 and x.shape[0] >= 64:
        x = np.asfortranarray(x)
    return ufunc.reduce(x, axis=axis, keepdims=keepdims, **options)


def _shifted(x: np.ndarray, axis: Any) -> tuple[np.ndarray, np.ndarray]:
    """``x - max(x)`` along ``axis``: never above 0, so ``exp`` cannot overflow.

    Where the maximum is infinite, the entries equal to it get 0 instead of ``inf - inf``: an
    infinite logit takes all the probability (shared among ties), which is the limit; a slice of
    only -inf is treated as all ties. NaN stays NaN.
    """
    top = along(np.maximum, x, axis, initial=-np.inf)
    if np.isfinite(top).all():
        return x - top, top
    with np.errstate(invalid="ignore"):
        return np.where(x == top, x.dtype.type(0), x - top), top


def _logsumexp(x: np.ndarray, axis: Any, keepdims: bool) -> Any:
    shifted, top = _shifted(x, axis)
    with np.errstate(divide="ignore"):  # an empty slice: log(0) = -inf, the right answer
        out = np.log(along(np.add, np.exp(shifted), axis)) + top
    return out if keepdims else np.squeeze(out, axis=axis)


def _softmax(x: np.ndarray, axis: Any) -> Any:
    e = np.exp(_shifted(x, axis)[0])
    return e / along(np.add, e, axis)


def _log_softmax(x: np.ndarray, axis: Any) -> Any:
    shifted = _shifted(x, axis)[0]
    return shifted - np.log(along(np.add, np.exp(shifted), axis))


# np.add.reduce is np.sum without its Python wrapper, whose cost shows on small arrays
sum = Op("sum", lambda x, axis, keepdims: np.add.reduce(x, axis=axis, keepdims=keepdims),
         (lambda g, y, x, axis, keepdims: _expand(g, x, axis, keepdims),),
         rule="d sum(x) = 1", raw_rules=True)

# One op rather than a sum and a division: a node fewer in every loss (W3t), drawn as "mean".
mean = Op("mean",
          lambda x, axis, keepdims:
          np.add.reduce(x, axis=axis, keepdims=keepdims) / reduced_count(x.shape, axis),
          (lambda g, y, x, axis, keepdims:
           _expand(g / reduced_count(x.shape, axis), x, axis, keepdims),),
          rule="d mean(x) = 1/n", raw_rules=True)

max = Op("max", lambda x, axis, keepdims: np.max(x, axis=axis, keepdims=keepdims),
         (_extreme_vjp,), rule="d max(x) = 1 at the maximum (shared at ties)")

min = Op("min", lambda x, axis, keepdims: np.min(x, axis=axis, keepdims=keepdims),
         (_extreme_vjp,), rule="d min(x) = 1 at the minimum (shared at ties)")

# A primitive for stability and a readable drawing.
softmax: Op = Op("softmax", lambda x, axis: _softmax(x, axis),
                 (lambda g, y, x, axis: y * (g - (g * y).sum(axis=axis, keepdims=True)),),
                 rule="d softmax: y (g - Σ g y)", raw_rules=True)

# A primitive for stability.
logsumexp = Op("logsumexp", _logsumexp,
               (lambda g, y, x, axis, keepdims:
                _expand(g, x, axis, keepdims) * call(softmax, x, axis=axis),),
               rule="d logsumexp(x) = softmax(x) over the reduced axes", raw_rules=True)

# A primitive for stability.
log_softmax = Op("log_softmax", _log_softmax,
                 (lambda g, y, x, axis: g - call(elementwise.exp, y) * g.sum(axis=axis, keepdims=True),),
                 rule="d log_softmax: g - softmax(x) Σ g", raw_rules=True)


def _reversed(v: Any, axis: int) -> Any:
    """``v`` in reverse order along ``axis`` (a view: slicing means the same on both kinds)."""
    return v[(slice(None),) * axis + (slice(None, None, -1),)]


# y_i = Σ_{k<=i} x_k, so dx_k = Σ_{i>=k} g_i: the cumulative sum of g taken from the end, in
# x's dtype where ``dtype`` summed in another (as PyTorch rounds it).
def _cumsum(x: Any, axis: int, dtype: Any) -> Any:
    # PyTorch's CPU kernel accumulates float32 and float16 in float64, rounding each sum once:
    # numpy's float32 running sums would drift from its values by a few units in the last place
    result = np.result_type(x) if dtype is None else np.dtype(dtype)
    if result.kind == "f" and result.itemsize < 8:
        return np.cumsum(x, axis=axis, dtype=np.float64).astype(result)
    return np.cumsum(x, axis=axis, dtype=dtype)


cumsum: Op = Op("cumsum", _cumsum,
                (lambda g, y, x, axis, dtype: _reversed(call(
                    cumsum, _reversed(g if dtype is None else g.astype(x.dtype), axis),
                    axis=axis, dtype=None), axis),),
                rule="d cumsum = cumulative sum of g from the end", raw_rules=True)


def _prod_others(x: np.ndarray, axis: int) -> np.ndarray:
    """Each element replaced by the product of the others along ``axis``: the products before
    it times those after it, with no division, so exact where some elements are 0."""
    moved = np.moveaxis(x, axis, -1)
    if moved.shape[-1] == 0:
        return x.copy()
    ones = np.ones(moved.shape[:-1] + (1,), dtype=moved.dtype)
    before = np.concatenate([ones, np.cumprod(moved[..., :-1], axis=-1)], axis=-1)
    after = np.concatenate([ones, np.cumprod(moved[..., :0:-1], axis=-1)], axis=-1)[..., ::-1]
    return np.moveaxis(before * after, -1, axis)


def _prod_others_vjp(g: Any, y: Any, x: Any, axis: int) -> Any:
    # dy_i/dx_j = Π_{k≠i,j} x_k for j ≠ i (0 for j = i): the products of the others of x with
    # x_j set to 1, along a new axis j inserted before ``axis``; i runs along axis + 1.
    n, shape = x.shape[axis], x.shape
    inserted = shape[:axis] + (1,) + shape[axis:]
    diagonal = np.eye(n, dtype=bool).reshape((n, n) + (1,) * (len(shape) - axis - 1))
    x_j_set_to_1 = elementwise.where(x._constant(np.ones((), x.dtype)), x.reshape(inserted),
                                     cond=diagonal)
    others = prod_others(x_j_set_to_1, axis=axis + 1)
    off_diagonal = x._constant(np.logical_not(diagonal).astype(x.dtype))
    return (others * (g.reshape(inserted) * off_diagonal)).sum(axis=axis + 1)


# The rule behind prod's gradient (and its own, for higher orders).
prod_others: Op = Op("prod_others", _prod_others, (_prod_others_vjp,),
                     rule="d Π_{k≠i} x_k / dx_j = Π_{k≠i,j} x_k (j ≠ i)")

# dy/dx_i = Π_{k≠i} x_k, computed without dividing by x_i, so exact where x_i is 0 (as PyTorch).
prod = Op("prod", lambda x, axis, keepdims: np.prod(x, axis=axis, keepdims=keepdims),
          (lambda g, y, x, axis, keepdims:
           _expand(g, x, axis, keepdims) * prod_others(x, axis=axis),),
          rule="d prod(x)/dx_i = product of the other elements")


def _norm(x: np.ndarray, ord: float, axis: Any, keepdims: Any) -> Any:
    if ord == 2:
        return np.sqrt(np.add.reduce(x * x, axis=axis, keepdims=keepdims))
    magnitudes = np.abs(x)
    if ord == 1:
        return np.add.reduce(magnitudes, axis=axis, keepdims=keepdims)
    with np.errstate(divide="ignore"):  # 0 ** -p for p < 0 is inf, as in PyTorch
        return np.add.reduce(magnitudes ** ord, axis=axis, keepdims=keepdims) ** (1 / ord)


def _norm_vjp(g: Any, y: Any, x: Any, ord: float, axis: Any, keepdims: bool) -> Any:
    # PyTorch's rule: sign(x) |x|^(p-1) g / y^(p-1), with 0 where y = 0 (and |x|^(p-1) 0 where
    # x = 0): the slope a norm has nowhere else is 0 at the origin. 0 stands in for x and y
    # where they are 0 under where (not a mask), so no inf or NaN enters, at any order.
    zero_norm = y._data.reshape(kept_shape(x.shape, axis)) == 0
    one = x._constant(np.ones((), x.dtype))
    y_safe = elementwise.where(one, y.reshape(kept_shape(x.shape, axis)), cond=zero_norm)
    scale = _expand(g, x, axis, keepdims)
    if ord == 2:  # x is 0 wherever its norm is
        return x * (scale / y_safe)
    if ord != 1:
        x_safe = elementwise.where(one, elementwise.abs(x), cond=x._data == 0)
        scale = scale * x_safe ** (ord - 1) / y_safe ** (ord - 1)
    return elementwise.where(x._constant(np.zeros((), x.dtype)),
                             elementwise.sign(x) * scale, cond=np.broadcast_to(zero_norm, x.shape))


# A primitive so that the gradient at a zero vector is PyTorch's 0 (sqrt's slope there is inf).
norm = Op("norm", _norm, (_norm_vjp,), rule="d ‖x‖_p = sign(x) |x|^(p-1) / ‖x‖^(p-1) (0 at 0)")
