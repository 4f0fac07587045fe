"""Keras 3's cross-entropies as functions, ``fn(y_true, y_pred, from_logits=False, ...)``.

One value per sample (the class axis, or for the binary ones the last axis, reduced), as
``keras.losses.<name>`` returns. From logits they are computed by fused primitives, finite for
any logit; from probabilities, as Keras does, by clipping to ``[1e-7, 1 - 1e-7]`` before the
log. Labels a binary cross-entropy cannot use (outside [0, 1], such as -1/+1 hinge labels) are
refused rather than turned into a meaningless number.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

import autograd as ag
from autograd import Node, Tensor
from autograd import fused_losses as fused
from nn.losses.keras_loss_base import EPSILON, as_prediction, check_axis, pair, same_shape


def _binary_labels(t: Tensor, who: str) -> None:
    values = t.numpy()
    if values.size and not (values.min() >= 0 and values.max() <= 1):
        raise ValueError(f"{who}: y_true must hold labels (or probabilities) in [0, 1]; "
                         f"received values from {values.min()} to {values.max()}. Map -1/+1 "
                         f"labels to 0/1 first, e.g. (y + 1) / 2")


def _binary_values(t: Tensor, p: Tensor, from_logits: bool) -> Tensor:
    if from_logits:
        return fused.sigmoid_cross_entropy(p, t)  # softplus(z) - t z, finite for any z
    q = p.clip(EPSILON, 1 - EPSILON)
    return -(t * q.log() + (1 - t) * (1 - q).log())


def _smoothed(t: Tensor, label_smoothing: float) -> Tensor:
    return t * (1.0 - label_smoothing) + 0.5 * label_smoothing if label_smoothing else t


def binary_crossentropy(y_true: Any, y_pred: Any, from_logits: bool = False,
                        label_smoothing: float = 0.0, axis: int = -1) -> Tensor:
    """``-(y log q + (1 - y) log(1 - q))`` averaged over ``axis``.

    With ``from_logits=False`` ``y_pred`` holds probabilities ``q``, clipped to
    ``[1e-7, 1 - 1e-7]``; with ``from_logits=True`` logits ``z``, and the loss is
    ``softplus(z) - y z``, exact for any ``z``. ``label_smoothing`` moves the labels towards
    0.5: ``y (1 - s) + s / 2``. ``y_true`` must lie in [0, 1].

    Examples:
        >>> from nn import losses
        >>> losses.binary_crossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]).numpy()
        array([0.91629076, 0.7135582 ], dtype=float32)
    """
    who = "binary_crossentropy"
    check_axis(axis, who)
    t, p = pair(y_true, y_pred, who)
    same_shape(t, p, who)
    _binary_labels(t, who)
    return _binary_values(_smoothed(t, label_smoothing), p, from_logits).mean(axis=axis)


def binary_focal_crossentropy(y_true: Any, y_pred: Any, apply_class_balancing: bool = False,
                              alpha: float = 0.25, gamma: float = 2.0,
                              from_logits: bool = False, label_smoothing: float = 0.0,
                              axis: int = -1) -> Tensor:
    """Binary cross-entropy scaled by ``(1 - p_t)**gamma`` (and, with class balancing, by
    ``alpha`` for the positive class and ``1 - alpha`` for the negative), averaged over
    ``axis``: easy examples count less. ``p_t`` is the probability given to the true label."""
    who = "binary_focal_crossentropy"
    check_axis(axis, who)
    t, p = pair(y_true, y_pred, who)
    same_shape(t, p, who)
    _binary_labels(t, who)
    t = _smoothed(t, label_smoothing)
    q = p.sigmoid() if from_logits else p
    bce = _binary_values(t, q, False)  # as Keras: the probabilities, clipped, even from logits
    p_t = t * q + (1 - t) * (1 - q)
    focal = (1.0 - p_t) ** gamma * bce
    if apply_class_balancing:
        focal = (t * alpha + (1 - t) * (1 - alpha)) * focal
    return focal.mean(axis=axis)


def _log_probabilities(p: Tensor, from_logits: bool, axis: int) -> Tensor:
    if from_logits:
        return ag.log_softmax(p, axis=axis)
    # As Keras: rescale so each row sums to 1, then clip away from 0 and 1 before the log.
    return (p / p.sum(axis=axis, keepdims=True)).clip(EPSILON, 1 - EPSILON).log()


def _warn_one_class(p: Tensor, who: str) -> None:
    if p.ndim and p.shape[-1] == 1:
        warnings.warn(f"In loss {who}, expected y_pred.shape to be (batch_size, num_classes) "
                      f"with num_classes > 1. Received: y_pred.shape={p.shape}. Consider "
                      f"using 'binary_crossentropy' if you only have 2 classes.",
                      SyntaxWarning, stacklevel=3)


def categorical_crossentropy(y_true: Any, y_pred: Any, from_logits: bool = False,
                             label_smoothing: float = 0.0, axis: int = -1) -> Tensor:
    """``-sum(y_true * log q)`` over the class axis: one value per sample.

    ``y_true`` holds one-hot rows or probabilities. Logits go through ``log_softmax`` (finite
    for any logits); probabilities are rescaled to sum to 1 and clipped, as in Keras.
    ``label_smoothing`` mixes the labels with the uniform distribution.

    Examples:
        >>> from nn import losses
        >>> y_true = [[0, 1, 0], [0, 0, 1]]
        >>> y_pred = [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]
        >>> losses.categorical_crossentropy(y_true, y_pred).numpy()
        array([0.05129331, 2.3025851 ], dtype=float32)
    """
    who = "categorical_crossentropy"
    check_axis(axis, who)
    t, p = pair(y_true, y_pred, who)
    same_shape(t, p, who)
    if p.ndim == 0:
        raise ValueError(f"{who}: y_true and y_pred must be at least rank 1. Received: "
                         f"y_pred.shape={p.shape}")
    _warn_one_class(p, who)
    if label_smoothing:
        t = t * (1.0 - label_smoothing) + label_smoothing / t.shape[-1]
    if from_logits and axis in (-1, p.ndim - 1):
        return fused.softmax_cross_entropy(p, t, axis=-1)  # one primitive, finite at any logit
    return -(t * _log_probabilities(p, from_logits, axis)).sum(axis=axis)


def categorical_focal_crossentropy(y_true: Any, y_pred: Any, alpha: float = 0.25,
                                   gamma: float = 2.0, from_logits: bool = False,
                                   label_smoothing: float = 0.0, axis: int = -1) -> Tensor:
    """Categorical cross-entropy with each class's term scaled by ``alpha * (1 - q)**gamma``
    (``q`` the rescaled, clipped probability): confident right answers count less."""
    who = "categorical_focal_crossentropy"
    check_axis(axis, who)
    t, p = pair(y_true, y_pred, who)
    same_shape(t, p, who)
    _warn_one_class(p, who)
    if label_smoothing:
        t = t * (1.0 - label_smoothing) + label_smoothing / t.shape[-1]
    if from_logits:
        p = ag.softmax(p, axis=axis)
    q = (p / p.sum(axis=axis, keepdims=True)).clip(EPSILON, 1 - EPSILON)
    return (alpha * (1.0 - q) ** gamma * -(t * q.log())).sum(axis=axis)


def _class_indices(y_true: Any, p: Tensor, who: str) -> np.ndarray:
    values = np.asarray(y_true.numpy()  # type: ignore[attr-defined]  # (a Tensor, not a Scalar)
                        if isinstance(y_true, Node) else y_true)
    batch = p.shape[:-1]
    if values.ndim == p.ndim and values.shape[-1:] == (1,):
        values = values.reshape(values.shape[:-1])  # Keras also takes one column of indices
    if values.shape != batch:
        raise ValueError(f"{who}: expected y_true of shape {batch} (one class index per "
                         f"y_pred row) for y_pred of shape {p.shape}; received y_true of "
                         f"shape {values.shape}")
    if values.dtype.kind not in "biuf":
        raise TypeError(f"{who}: y_true must hold integer class indices; received dtype "
                        f"{values.dtype}")
    if values.dtype.kind == "f" and values.size and not np.all(values == np.round(values)):
        raise ValueError(f"{who}: y_true must hold whole class indices; received non-integer "
                         f"values such as {values[values != np.round(values)].flat[0]!r}")
    return values.astype(np.intp, copy=False)


def _check_range(indices: np.ndarray, classes: int, who: str) -> None:
    if indices.size and (indices.min() < 0 or indices.max() >= classes):
        raise ValueError(f"{who}: y_true must hold class indices in [0, {classes - 1}] for "
                         f"{classes} classes; received values from {indices.min()} to "
                         f"{indices.max()}")


def sparse_categorical_crossentropy(y_true: Any, y_pred: Any, from_logits: bool = False,
                                    ignore_class: int | None = None, axis: int = -1
                                    ) -> Tensor:
    """Categorical cross-entropy with integer class indices as ``y_true``.

    ``y_pred`` is (..., classes) and ``y_true`` holds one index per row (a trailing axis of
    size 1 is accepted too). With ``ignore_class``, the rows of that label give 0 (and the
    loss classes leave them out of the mean). Indices outside ``[0, classes - 1]`` raise a
    ValueError.

    Examples:
        >>> from nn import losses
        >>> losses.sparse_categorical_crossentropy([1], [[0.0, 0.0]], from_logits=True).numpy()
        array([0.6931472], dtype=float32)
    """
    who = "sparse_categorical_crossentropy"
    check_axis(axis, who)
    p = as_prediction(y_pred, who)
    if p.ndim == 0:
        raise ValueError(f"{who}: Argument `output` must be at least rank 1. Received: "
                         f"y_pred.shape={p.shape}")
    if axis not in (-1, p.ndim - 1):
        raise ValueError(f"{who}: only the last axis can be the class axis, as in Keras' "
                         f"backends; received axis={axis} for y_pred of shape {p.shape}")
    indices, valid, valid_rows, one_hot = _sparse_targets(y_true, p, ignore_class, from_logits,
                                                          who)
    if valid is not None:
        p = ag.where(valid_rows, p, 0.0)
    if from_logits:  # one primitive on the indices themselves, no one-hot target
        values = fused.sparse_softmax_cross_entropy(p, classes=indices)
    else:
        values = -(one_hot * _log_probabilities(p, False, -1)).sum(axis=-1)
    return values if valid is None else ag.where(valid, values, 0.0)


@ag.compiler.disable
def _sparse_targets(y_true: Any, p: Tensor, ignore_class: int | None, from_logits: bool,
                    who: str) -> tuple[np.ndarray, Any, Any, Any]:
    """The class indices of ``y_true`` (checked; ignored rows as 0), with ``ignore_class`` the
    mask of the rows that count (as is, and with a trailing axis), and without
    ``from_logits`` the one-hot targets.

    Computed from the labels' values, so marked ``compiler.disable``: a captured step
    (``autograd.compile``) computes them anew from each call's labels.
    """
    indices = _class_indices(y_true, p, who)
    valid = valid_rows = one_hot = None
    if ignore_class is not None:
        kept = indices != ignore_class
        indices = np.where(kept, indices, 0)
        valid, valid_rows = Tensor(kept), Tensor(kept[..., None])
    _check_range(indices, p.shape[-1], who)
    if not from_logits:
        one_hot = Tensor(indices[..., None] == np.arange(p.shape[-1]), dtype=p.dtype)
    return indices, valid, valid_rows, one_hot


def ignored(y_true: Any, ignore_class: int | None) -> np.ndarray | None:
    """Which rows count for a sparse cross-entropy with ``ignore_class`` (None: all)."""
    if ignore_class is None:
        return None
    values = np.asarray(y_true.numpy()  # type: ignore[attr-defined]  # (a Tensor, not a Scalar)
                        if isinstance(y_true, Node) else y_true)
    result: np.ndarray = values != ignore_class
    return result
