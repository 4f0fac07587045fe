"""Cross-entropies from logits, fused: one primitive each, exact and finite at any logit.

Written as compositions (``-(t * log_softmax(z)).sum()``, ``softplus(z) - z * t``) these hit
``0 * inf`` and ``inf - inf`` once a logit is infinite, and the softmax version records four
operations where one will do. Here a target weight of exactly 0 makes its term 0 even where the
log-probability is -inf, the convention of information theory (0 log 0 = 0). Both ops are
differentiable in the logits ``z`` and in the targets ``t``.
"""

from __future__ import annotations

import numpy as np

from autograd.op import Op
from autograd.ops.elementwise import _softplus
from autograd.ops.reduce import _log_softmax, softmax


def _weighted(t, values):
    """``t * values`` with the terms of zero weight exactly 0 (even where ``values`` is -inf)."""
    with np.errstate(invalid="ignore"):  # 0 * inf, replaced just below
        product = t * values
    return np.where(t == 0, product.dtype.type(0), product)


def _softmax_cross_entropy(z, t, axis):
    return -np.sum(_weighted(t, _log_softmax(z, axis)), axis=axis)


def _sigmoid_cross_entropy(z, t):
    # t * softplus(-z) + (1 - t) * softplus(z) is softplus(z) - z t without the cancellation.
    return _weighted(t, _softplus(-z)) + _weighted(1 - t, _softplus(z))


# d/dz = (softmax(z) * sum(t) - t) g;  d/dt = -log_softmax(z) g
softmax_cross_entropy = Op(
    "softmax_cross_entropy", _softmax_cross_entropy,
    (lambda g, y, z, t, axis:
     g.unsqueeze(axis) * (softmax(z, axis=axis) * t.sum(axis=axis, keepdims=True) - t),
     lambda g, y, z, t, axis: -g.unsqueeze(axis) * z.log_softmax(axis=axis)),
    label="softmax CE", rule="d CE / dz = softmax(z) Σt - t")

# d/dz = (sigmoid(z) - t) g;  d/dt = -z g
sigmoid_cross_entropy = Op(
    "sigmoid_cross_entropy", _sigmoid_cross_entropy,
    (lambda g, y, z, t: g * (z.sigmoid() - t),
     lambda g, y, z, t: -g * z),
    label="sigmoid CE", rule="d CE / dz = sigmoid(z) - t")
