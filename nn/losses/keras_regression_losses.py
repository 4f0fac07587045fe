"""Keras 3's regression, hinge and distribution losses as functions, ``fn(y_true, y_pred)``.

Each returns one value per sample (the last axis reduced), as ``keras.losses.<name>`` does;
the loss classes (``nn.losses.MeanSquaredError``, ...) weight and reduce those values. The
functions Keras aligns first (``(N,)`` against ``(N, 1)``: mean squared, absolute, percentage
and logarithmic errors, Huber, log-cosh, cosine similarity) are aligned the same way. Shapes
that still differ are refused, where Keras would broadcast the two against each other (a target
of width 1 against two outputs, or ``(N,)`` against ``(N, 1)`` for the hinge: silently wrong).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import autograd as ag
from autograd import Tensor
from autograd import fused_losses as fused
from nn.losses.keras_loss_base import (
    EPSILON,
    check_axis,
    pair,
    same_shape,
    squeeze_or_expand_to_same_rank,
)


def _aligned(y_true: Any, y_pred: Any, who: str) -> tuple[Tensor, Tensor]:
    t, p = squeeze_or_expand_to_same_rank(*pair(y_true, y_pred, who))
    same_shape(t, p, who)
    return t, p


def _equal(y_true: Any, y_pred: Any, who: str) -> tuple[Tensor, Tensor]:
    t, p = pair(y_true, y_pred, who)
    same_shape(t, p, who)
    return t, p


def mean_squared_error(y_true: Any, y_pred: Any) -> Tensor:
    """``mean((y_true - y_pred)**2, axis=-1)``: one value per sample.

    Examples:
        >>> from nn import losses
        >>> losses.mean_squared_error([[1.0, 4.0]], [[1.0, 2.0]]).numpy()
        array([2.], dtype=float32)
    """
    t, p = _aligned(y_true, y_pred, "mean_squared_error")
    if p.ndim == 1 and p.numel():  # one sample: one recorded operation instead of four
        return fused.mean_squared_error(p, t)
    diff = t - p
    return (diff * diff).mean(axis=-1)


# The mean over every value is the mean of the per-sample means (each sample averages as many
# values): what the loss classes use, unweighted, instead of the five operations above.
# (an attribute of the function object)
mean_squared_error.fused_mean = fused.mean_squared_error  # type: ignore[attr-defined]


def mean_absolute_error(y_true: Any, y_pred: Any) -> Tensor:
    """``mean(|y_true - y_pred|, axis=-1)``: one value per sample."""
    t, p = _aligned(y_true, y_pred, "mean_absolute_error")
    return (t - p).abs().mean(axis=-1)


def mean_absolute_percentage_error(y_true: Any, y_pred: Any) -> Tensor:
    """``100 * mean(|(y_true - y_pred) / max(|y_true|, 1e-7)|, axis=-1)``."""
    t, p = _aligned(y_true, y_pred, "mean_absolute_percentage_error")
    return 100.0 * ((t - p) / ag.maximum(t.abs(), EPSILON)).abs().mean(axis=-1)


def mean_squared_logarithmic_error(y_true: Any, y_pred: Any) -> Tensor:
    """``mean((log(max(y_pred, 1e-7) + 1) - log(max(y_true, 1e-7) + 1))**2, axis=-1)``."""
    t, p = _aligned(y_true, y_pred, "mean_squared_logarithmic_error")
    diff = (ag.maximum(p, EPSILON) + 1.0).log() - (ag.maximum(t, EPSILON) + 1.0).log()
    return (diff * diff).mean(axis=-1)


def huber(y_true: Any, y_pred: Any, delta: float = 1.0) -> Tensor:
    """Huber loss, averaged over the last axis: ``e**2 / 2`` where ``|e| <= delta``, else
    ``delta * |e| - delta**2 / 2``, with ``e = y_pred - y_true``.

    Quadratic near 0 and linear beyond ``delta``, so outliers pull less than with the squared
    error. ``delta`` must be positive.
    """
    who = "huber"
    if not delta > 0:
        raise ValueError(f"{who}: delta must be positive; received delta={delta!r}")
    t, p = _aligned(y_true, y_pred, who)
    error = p - t
    size = error.abs()
    values = ag.where(size <= delta, 0.5 * error * error, delta * size - 0.5 * delta * delta)
    return values.mean(axis=-1)


def log_cosh(y_true: Any, y_pred: Any) -> Tensor:
    """``mean(log(cosh(y_pred - y_true)), axis=-1)``, computed as ``x + softplus(-2x) - log 2``
    (finite for any error)."""
    t, p = _aligned(y_true, y_pred, "log_cosh")
    x = p - t
    return (x + ag.softplus(x * -2.0) - math.log(2.0)).mean(axis=-1)


def _normalize(x: Tensor, axis: int) -> Tensor:
    """``x / ||x||`` along ``axis``, a zero vector staying zero (Keras' l2 normalization)."""
    with np.errstate(divide="ignore"):  # a zero norm: its inverse is capped just below
        inverse = 1.0 / (x * x).sum(axis=axis, keepdims=True).sqrt()
    return x * ag.minimum(inverse, 1.0 / EPSILON)


def cosine_similarity(y_true: Any, y_pred: Any, axis: int = -1) -> Tensor:
    """``-sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)``: -1 for the same direction,
    0 for orthogonal vectors (or a zero vector)."""
    who = "cosine_similarity"
    check_axis(axis, who)
    t, p = _aligned(y_true, y_pred, who)
    return -(_normalize(t, axis) * _normalize(p, axis)).sum(axis=axis)


def _hinge_labels(t: Tensor) -> Tensor:
    """Labels made only of 0s and 1s become -1 and 1, as Keras converts them."""
    values = t.numpy()
    return 2.0 * t - 1.0 if np.all((values == 0) | (values == 1)) else t


def hinge(y_true: Any, y_pred: Any) -> Tensor:
    """``mean(max(1 - y_true * y_pred, 0), axis=-1)``; labels -1 or 1 (0/1 labels are mapped
    to -1/1 first)."""
    t, p = _equal(y_true, y_pred, "hinge")
    return ag.maximum(1.0 - _hinge_labels(t) * p, 0.0).mean(axis=-1)


def squared_hinge(y_true: Any, y_pred: Any) -> Tensor:
    """``mean(max(1 - y_true * y_pred, 0)**2, axis=-1)``; labels as for ``hinge``."""
    t, p = _equal(y_true, y_pred, "squared_hinge")
    margin = ag.maximum(1.0 - _hinge_labels(t) * p, 0.0)
    return (margin * margin).mean(axis=-1)


def categorical_hinge(y_true: Any, y_pred: Any) -> Tensor:
    """``max(neg - pos + 1, 0)`` with ``pos = sum(y_true * y_pred)`` and
    ``neg = max((1 - y_true) * y_pred)`` over the last axis (one-hot ``y_true``)."""
    who = "categorical_hinge"
    t, p = _equal(y_true, y_pred, who)
    if p.ndim == 0 or p.shape[-1] == 0:
        raise ValueError(f"{who}: y_pred needs a non-empty class axis (the last); received "
                         f"shape {p.shape}")
    pos = (t * p).sum(axis=-1)
    others = (1.0 - t) * p
    neg = others[..., 0]
    for column in range(1, p.shape[-1]):  # a running maximum: ties share the gradient
        neg = ag.maximum(neg, others[..., column])
    return ag.maximum(neg - pos + 1.0, 0.0)


def kl_divergence(y_true: Any, y_pred: Any) -> Tensor:
    """``sum(y_true * log(y_true / y_pred), axis=-1)``, both clipped to ``[1e-7, 1]``."""
    t, p = _equal(y_true, y_pred, "kl_divergence")
    t = t.clip(EPSILON, 1.0)
    return (t * (t / p.clip(EPSILON, 1.0)).log()).sum(axis=-1)


def poisson(y_true: Any, y_pred: Any) -> Tensor:
    """``mean(y_pred - y_true * log(y_pred + 1e-7), axis=-1)``."""
    t, p = _equal(y_true, y_pred, "poisson")
    return (p - t * (p + EPSILON).log()).mean(axis=-1)
