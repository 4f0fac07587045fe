"""Losses as fused primitives: one recorded operation each where a composition needs several.

Cross-entropies from logits: written as compositions (``-(t * log_softmax(z)).sum()``,
``softplus(z) - z * t``) these hit ``0 * inf`` and ``inf - inf`` once a logit is infinite, and
record four operations where one will do. Here a target weight of exactly 0 makes its term 0
even where the log-probability is -inf, the convention of information theory (0 log 0 = 0).

Mean squared error: the loss of regression (the course's Celsius model) as one operation
instead of four (subtract, square, sum, divide), as PyTorch's ``mse_loss`` is one node.

Each is differentiable in both the prediction and the target.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd.op import RAW, Op, call
from autograd.ops import elementwise, reduce
from autograd.ops.elementwise import _softplus


def _weighted(t: Any, values: np.ndarray) -> np.ndarray:
    """``t * values`` with the terms of zero weight exactly 0 (even where ``values`` is -inf)."""
    with np.errstate(invalid="ignore"):  # 0 * inf, replaced just below
        product = t * values
    return np.where(t == 0, product.dtype.type(0), product)


def _per_class(g: Any, z: Any, axis: int) -> Any:
    """The gradient of a per-row loss with the class axis put back, to broadcast over classes."""
    return g.reshape(reduce.kept_shape(z.shape, axis))


def _softmax_cross_entropy(z: np.ndarray, t: np.ndarray, axis: int) -> Any:
    return -reduce.along(np.add, _weighted(t, reduce._log_softmax(z, axis)), axis, keepdims=False)


def _sigmoid_cross_entropy(z: np.ndarray, t: np.ndarray) -> np.ndarray:
    # t * softplus(-z) + (1 - t) * softplus(z) is softplus(z) - z t without the cancellation.
    return _weighted(t, _softplus(-z)) + _weighted(1 - t, _softplus(z))


softmax_cross_entropy = Op(
    "softmax_cross_entropy", _softmax_cross_entropy,
    (lambda g, y, z, t, axis: _per_class(g, z, axis)
     * (call(reduce.softmax, z, axis=axis) * t.sum(axis=axis, keepdims=True) - t),
     lambda g, y, z, t, axis: -_per_class(g, z, axis) * call(reduce.log_softmax, z, axis=axis)),
    label="softmax CE", rule="d CE/dz = softmax(z) Σt - t, d CE/dt = -log_softmax(z)",
    raw_rules=True)


def _rows_and_classes(values: np.ndarray,
                      classes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``values`` as one row per prediction (the class axis last) with the matching row numbers
    and class indices: what picks each row's class by fancy indexing, the cheapest way numpy
    has (``take_along_axis`` costs twice as much)."""
    flat = classes.reshape(-1)
    return values.reshape(-1, values.shape[-1]), np.arange(flat.size), flat


def _sparse_softmax_cross_entropy(z: np.ndarray, classes: np.ndarray) -> np.ndarray:
    rows, numbers, picked = _rows_and_classes(reduce._log_softmax(z, -1), classes)
    return -rows[numbers, picked].reshape(classes.shape)


def _minus_one_hot(p: Any, z: Any, classes: np.ndarray) -> Any:
    """``p - one_hot(classes)`` over the last axis. On raw data ``p`` is the softmax this rule
    just computed, a new array: its entries at the classes are lowered in place."""
    if isinstance(p, RAW):
        p = np.ascontiguousarray(p)  # (it is): so that the rows below are a view of p
        rows, numbers, picked = _rows_and_classes(p, classes)
        rows[numbers, picked] -= 1
        return p
    hot = np.zeros(z.shape, z.dtype)
    rows, numbers, picked = _rows_and_classes(hot, classes)
    rows[numbers, picked] = 1
    return p - z._wrap(hot)


# Class indices instead of a target distribution (Keras' sparse categorical cross-entropy from
# logits): no one-hot target to build, weigh and sum. The same numbers as softmax_cross_entropy
# with the one-hot target, bit for bit.
sparse_softmax_cross_entropy = Op(
    "sparse_softmax_cross_entropy", _sparse_softmax_cross_entropy,
    (lambda g, y, z, classes: _per_class(g, z, -1)
     * _minus_one_hot(call(reduce.softmax, z, axis=-1), z, classes),),
    label="sparse softmax CE", rule="d CE/dz = softmax(z) - one_hot(class), over the last axis",
    raw_rules=True)

sigmoid_cross_entropy = Op(
    "sigmoid_cross_entropy", _sigmoid_cross_entropy,
    (lambda g, y, z, t: g * (call(elementwise.sigmoid, z) - t),
     lambda g, y, z, t: -g * z),
    label="sigmoid CE", rule="d CE/dz = sigmoid(z) - t, d CE/dt = -z", raw_rules=True)


def _mean_squared_error(p: Any, t: Any) -> Any:
    diff = p - t
    squares = diff * diff
    # np.mean is this sum and division behind a Python wrapper, felt on small batches (W4)
    return np.add.reduce(squares, axis=None) / np.size(squares)


def _mse_vjp(g: Any, difference: Any) -> Any:
    """``2 (a - b) g / n``, for the input ``a`` of ``difference = a - b`` (n: its broadcast size)."""
    return g * difference * (2.0 / math.prod(difference.shape))


mean_squared_error = Op(
    "mean_squared_error", _mean_squared_error,
    (lambda g, y, p, t: _mse_vjp(g, p - t),
     lambda g, y, p, t: _mse_vjp(g, t - p)),
    label="MSE", rule="d MSE/dp = 2 (p - t) / n, d MSE/dt = -2 (p - t) / n",
    raw_rules=True)
