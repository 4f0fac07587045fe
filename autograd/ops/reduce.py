"""Reductions and the softmax family, with numpy's ``axis`` (int, tuple, negative, None) and
``keepdims``. Rules first restore the reduced axes of ``g`` (``_expand``), then apply the math."""

from __future__ import annotations

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from autograd.op import Op


def _kept_shape(shape, axis):
    """``shape`` with the reduced axes kept as size 1."""
    axes = range(len(shape)) if axis is None else normalize_axis_tuple(axis, len(shape))
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def _expand(g, x, axis, keepdims):
    """Broadcast the gradient of a reduction back over the reduced axes of ``x``."""
    if not keepdims:
        g = g.reshape(_kept_shape(x.shape, axis))
    return g.broadcast_to(x.shape)


def _kept(raw, x, axis, keepdims):
    """A raw reduction result reshaped so it broadcasts against ``x``."""
    return raw if keepdims else np.reshape(raw, _kept_shape(x.shape, axis))


def _extreme_vjp(g, y, x, axis, keepdims):
    # The gradient goes to the elements equal to the extreme value, split equally among ties.
    winners = x.data == _kept(y.data, x, axis, keepdims)
    with np.errstate(invalid="ignore", divide="ignore"):  # a NaN slice has no winner: NaN grad
        share = winners / np.sum(winners, axis=axis, keepdims=True)
    return _expand(g, x, axis, keepdims) * x._constant(share)


def _logsumexp(x, axis, keepdims):
    # Shift by the maximum so exp never overflows; a non-finite maximum is not a usable shift.
    shift = np.max(x, axis=axis, keepdims=True, initial=-np.inf)
    shift = np.where(np.isfinite(shift), shift, 0)
    with np.errstate(divide="ignore"):  # log(0) = -inf is the right answer for all -inf input
        out = np.log(np.sum(np.exp(x - shift), axis=axis, keepdims=True)) + shift
    return out if keepdims else np.squeeze(out, axis=axis)


def _softmax(x, axis):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


# d sum = 1 for every element
sum = Op("sum", lambda x, axis, keepdims: np.sum(x, axis=axis, keepdims=keepdims),
         (lambda g, y, x, axis, keepdims: _expand(g, x, axis, keepdims),),
         rule="d sum(x) = 1")

# d max = 1 for the maximal elements (shared at ties)
max = Op("max", lambda x, axis, keepdims: np.max(x, axis=axis, keepdims=keepdims),
         (_extreme_vjp,), rule="d max(x) = 1 at the maximum (shared at ties)")

# d min = 1 for the minimal elements (shared at ties)
min = Op("min", lambda x, axis, keepdims: np.min(x, axis=axis, keepdims=keepdims),
         (_extreme_vjp,), rule="d min(x) = 1 at the minimum (shared at ties)")

# d logsumexp = softmax(x) = exp(x - y); a primitive for stability
logsumexp = Op("logsumexp", _logsumexp,
               (lambda g, y, x, axis, keepdims:
                _expand(g, x, axis, keepdims) * (x - _expand(y, x, axis, keepdims)).exp(),),
               rule="d logsumexp(x) = softmax(x)")

# d softmax: y * (g - sum(g * y)); a primitive for stability and a readable drawing
softmax = Op("softmax", lambda x, axis: _softmax(x, axis),
             (lambda g, y, x, axis: y * (g - (g * y).sum(axis=axis, keepdims=True)),),
             rule="d softmax: y (g - Σ g y)")

# d log_softmax: g - softmax(x) * sum(g); a primitive for stability
log_softmax = Op("log_softmax", lambda x, axis: x - _logsumexp(x, axis, True),
                 (lambda g, y, x, axis: g - y.exp() * g.sum(axis=axis, keepdims=True),),
                 rule="d log_softmax: g - softmax(x) Σ g")
