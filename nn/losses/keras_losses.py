"""Losses with Keras' names and formulas, called as ``loss(prediction, target)``.

Each loss first computes one value per sample: the mean (or, for cross-entropies, the sum) over
the last axis. ``reduction`` then gives their mean (``'mean'``, the default, Keras'
``sum_over_batch_size``), their sum (``'sum'``) or the per-sample values (``'none'``).

Shapes must match. The one exception, as in Keras: when one shape is the other plus a trailing
axis of size 1, the shorter value gains that axis if it is 1-D (``(N,)`` against ``(N, 1)``
compares as ``(N, 1)``, giving N per-sample losses) and otherwise the longer value loses it.
Two 1-D values of shape ``(N,)`` are, as in Keras, one sample of N values: ``'none'`` then
returns a 0-d tensor, and ``'mean'`` is the same either way. Targets may be tensors, numpy
arrays or lists; they take the prediction's dtype.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import numpy as np

import autograd as ag
from autograd import Node, Tensor
from autograd import fused_losses as fused

EPSILON = 1e-7  # Keras' fuzz factor: probabilities are clipped to [EPSILON, 1 - EPSILON]
_REDUCTIONS = ("mean", "sum", "none")


def as_prediction(prediction: Any, who: str) -> Tensor:
    """The prediction as a floating-point Tensor (arrays and lists are wrapped)."""
    if isinstance(prediction, Node) and not isinstance(prediction, Tensor):
        raise TypeError(f"{who}: expected the prediction as a Tensor, received "
                        f"{prediction.describe()}")
    p = prediction if isinstance(prediction, Tensor) else Tensor(prediction)
    return p if p.dtype.kind == "f" else p.astype(ag.get_default_dtype())


def _target(target: Any, like: Tensor, who: str) -> Tensor:
    if isinstance(target, Tensor):
        return target.astype(like.dtype) if target.dtype.kind == "f" else Tensor(
            target.numpy(), dtype=like.dtype)
    values = np.asarray(target)
    if values.dtype.kind not in "biuf":
        raise TypeError(f"{who}: expected numeric targets, received an array of dtype "
                        f"{values.dtype}")
    return Tensor(values, dtype=like.dtype)


def _check_reduction(reduction: Any, who: str) -> None:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{who}: reduction must be 'mean', 'sum' or 'none'; received "
                         f"reduction={reduction!r}")


def _inputs(prediction: Any, target: Any, reduction: str, who: str) -> tuple[Tensor, Tensor]:
    """Prediction and target as tensors of the same shape (see the module docstring)."""
    _check_reduction(reduction, who)
    p = as_prediction(prediction, who)
    t = _target(target, p, who)
    if p.ndim == t.ndim + 1 and p.shape[:-1] == t.shape and p.shape[-1:] == (1,):
        t = t.unsqueeze(-1) if t.ndim == 1 else t
        p = p if t.ndim == p.ndim else p.squeeze(-1)
    elif t.ndim == p.ndim + 1 and t.shape[:-1] == p.shape and t.shape[-1:] == (1,):
        p = p.unsqueeze(-1) if p.ndim == 1 else p
        t = t if t.ndim == p.ndim else t.squeeze(-1)
    if p.shape != t.shape:
        raise ValueError(f"{who}: the prediction has shape {p.shape} but the target has shape "
                         f"{t.shape}; they must match (reshape one of them)")
    return p, t


def _per_sample_mean(values: Tensor) -> Tensor:
    return values.mean(axis=-1) if values.ndim else values


def _reduce_means(values: Tensor, reduction: str) -> Tensor:
    """Per-sample means over the last axis, then reduced. With ``'mean'`` that is the mean of
    all values (every sample averages as many): one recorded operation instead of two."""
    if reduction == "mean":
        return values.mean()
    return _reduce(_per_sample_mean(values), reduction)


def _reduce(per_sample: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return per_sample.mean()
    return per_sample.sum() if reduction == "sum" else per_sample


def _check_class_axis(p: Tensor, who: str) -> None:
    if p.ndim == 0:
        raise ValueError(f"{who}: the prediction needs a class axis (the last); received a "
                         f"prediction of shape {p.shape}")


def _cross_entropy(p: Tensor, t: Tensor, from_logits: bool) -> Tensor:
    """``-sum(t * log q)`` over the last axis, from logits or from probabilities ``q``."""
    if from_logits:
        return fused.softmax_cross_entropy(p, t, axis=-1)  # one primitive, finite at any logit
    # As Keras: rescale so each row sums to 1, then clip away from 0 and 1 before the log.
    q = (p / p.sum(axis=-1, keepdims=True)).clip(EPSILON, 1 - EPSILON)
    return -(t * q.log()).sum(axis=-1)


def mean_squared_error(prediction: Any, target: Any, reduction: str = "mean") -> Tensor:
    """Mean of ``(prediction - target)**2`` over the last axis, then reduced.

    Example:
        >>> from nn import losses
        >>> float(losses.mean_squared_error([[1.0, 2.0]], [[1.0, 4.0]]).item())
        2.0
    """
    p, t = _inputs(prediction, target, reduction, "mean_squared_error")
    if reduction == "mean" and p.size:
        return fused.mean_squared_error(p, t)  # one recorded operation instead of four
    diff = p - t
    return _reduce_means(diff * diff, reduction)


def mean_absolute_error(prediction: Any, target: Any, reduction: str = "mean") -> Tensor:
    """Mean of ``|prediction - target|`` over the last axis, then reduced."""
    p, t = _inputs(prediction, target, reduction, "mean_absolute_error")
    return _reduce_means((p - t).abs(), reduction)


def huber(prediction: Any, target: Any, delta: float = 1.0, reduction: str = "mean") -> Tensor:
    """Huber loss: ``e**2 / 2`` where ``|e| <= delta``, else ``delta * (|e| - delta / 2)``.

    ``e = prediction - target``; quadratic near 0 and linear beyond ``delta``, so outliers
    pull less than with the squared error. Averaged over the last axis, then reduced.
    """
    who = "huber"
    if not delta > 0:
        raise ValueError(f"{who}: delta must be positive; received delta={delta!r}")
    p, t = _inputs(prediction, target, reduction, who)
    error = p - t
    size = error.abs()
    values = ag.where(size <= delta, 0.5 * error * error, delta * size - 0.5 * delta * delta)
    return _reduce_means(values, reduction)


def binary_crossentropy(prediction: Any, target: Any, from_logits: bool = False,
                        reduction: str = "mean") -> Tensor:
    """``-(y log q + (1 - y) log(1 - q))`` averaged over the last axis, then reduced.

    With ``from_logits=False`` the prediction ``q`` holds probabilities, clipped to
    ``[1e-7, 1 - 1e-7]`` as Keras does. With ``from_logits=True`` it holds logits ``z`` and the
    loss is computed as ``softplus(z) - y z``, exact and finite for any ``z``.
    """
    p, t = _inputs(prediction, target, reduction, "binary_crossentropy")
    if from_logits:
        values = fused.sigmoid_cross_entropy(p, t)
    else:
        q = p.clip(EPSILON, 1 - EPSILON)
        values = -(t * q.log() + (1 - t) * (1 - q).log())
    return _reduce_means(values, reduction)


def categorical_crossentropy(prediction: Any, target: Any, from_logits: bool = False,
                             reduction: str = "mean") -> Tensor:
    """``-sum(target * log q)`` over the classes (last axis), then reduced.

    ``target`` holds one-hot rows or probabilities. Logits go through ``log_softmax`` (finite
    for any logits); probabilities are rescaled to sum to 1 and clipped, as in Keras.

    Example:
        >>> from nn import losses
        >>> loss = losses.categorical_crossentropy([[0.0, 0.0]], [[0.0, 1.0]], from_logits=True)
        >>> round(float(loss.item()), 4)
        0.6931
    """
    who = "categorical_crossentropy"
    p, t = _inputs(prediction, target, reduction, who)
    _check_class_axis(p, who)
    return _reduce(_cross_entropy(p, t, from_logits), reduction)


def _class_indices(target: Any, p: Tensor, who: str) -> np.ndarray:
    values = np.asarray(target.numpy() if isinstance(target, Node) else target)
    batch = p.shape[:-1]
    if values.shape == batch + (1,):
        values = values.reshape(batch)  # Keras also accepts one column of indices
    if values.shape != batch:
        raise ValueError(f"{who}: expected targets of shape {batch} (one class index per "
                         f"prediction row) for a prediction of shape {p.shape}; received "
                         f"targets of shape {values.shape}")
    if values.dtype.kind == "f" and values.size and not np.all(values == np.round(values)):
        raise ValueError(f"{who}: targets must be whole class indices; received non-integer "
                         f"values such as {values[values != np.round(values)].flat[0]!r}")
    if values.dtype.kind not in "iuf":
        raise TypeError(f"{who}: targets must be integer class indices; received dtype "
                        f"{values.dtype}")
    classes = p.shape[-1]
    if values.size and (values.min() < 0 or values.max() >= classes):
        raise ValueError(f"{who}: targets must be class indices in [0, {classes - 1}] for "
                         f"{classes} classes; received values from {values.min()} to "
                         f"{values.max()}")
    return values.astype(np.intp)


def sparse_categorical_crossentropy(prediction: Any, target: Any, from_logits: bool = False,
                                    reduction: str = "mean") -> Tensor:
    """Categorical cross-entropy with integer class indices as targets.

    ``prediction`` is (..., classes) and ``target`` holds one index per row, shaped like the
    prediction without its last axis (a trailing axis of size 1 is accepted too). Indices
    outside ``[0, classes - 1]`` raise a ValueError.

    Example:
        >>> from nn import losses
        >>> loss = losses.sparse_categorical_crossentropy([[0.0, 0.0]], [1], from_logits=True)
        >>> round(float(loss.item()), 4)
        0.6931
    """
    who = "sparse_categorical_crossentropy"
    _check_reduction(reduction, who)
    p = as_prediction(prediction, who)
    _check_class_axis(p, who)
    indices = _class_indices(target, p, who)
    if from_logits:  # one primitive on the indices themselves, no one-hot target
        return _reduce(fused.sparse_softmax_cross_entropy(p, classes=indices), reduction)
    one_hot = Tensor(indices[..., None] == np.arange(p.shape[-1]), dtype=p.dtype)
    return _reduce(_cross_entropy(p, one_hot, from_logits), reduction)


def hinge(prediction: Any, target: Any, reduction: str = "mean") -> Tensor:
    """Mean of ``max(1 - target * prediction, 0)`` over the last axis, then reduced.

    Targets are -1 or 1; targets made only of 0s and 1s are first mapped to -1 and 1, as in
    Keras.
    """
    p, t = _inputs(prediction, target, reduction, "hinge")
    if np.isin(t.numpy(), (0, 1)).all():
        t = 2 * t - 1
    return _reduce_means((1 - t * p).relu(), reduction)


class Loss:
    """A loss function with its options bound, called as ``loss(prediction, target)``.

    Args:
        fn: The loss function, ``fn(prediction, target, reduction=..., **options)``.
        reduction: ``'mean'``, ``'sum'`` or ``'none'``.
        name: The name reported in logs.
        **options: Further keyword arguments for ``fn`` (``from_logits``, ``delta``).
    """

    def __init__(self, fn: Callable[..., Tensor], reduction: str = "mean",
                 name: str | None = None, **options: Any) -> None:
        _check_reduction(reduction, type(self).__name__)
        self.fn, self.reduction, self.options = fn, reduction, options
        self.name = name or fn.__name__

    def __call__(self, prediction: Any, target: Any) -> Tensor:
        return self.fn(prediction, target, reduction=self.reduction, **self.options)

    def __repr__(self) -> str:
        options = "".join(f", {key}={value!r}" for key, value in self.options.items())
        return f"{type(self).__name__}(reduction={self.reduction!r}{options})"


class MeanSquaredError(Loss):
    """``mean_squared_error`` as an object."""

    def __init__(self, reduction: str = "mean", name: str = "mean_squared_error") -> None:
        super().__init__(mean_squared_error, reduction, name)


class MeanAbsoluteError(Loss):
    """``mean_absolute_error`` as an object."""

    def __init__(self, reduction: str = "mean", name: str = "mean_absolute_error") -> None:
        super().__init__(mean_absolute_error, reduction, name)


class Huber(Loss):
    """``huber`` as an object."""

    def __init__(self, delta: float = 1.0, reduction: str = "mean",
                 name: str = "huber_loss") -> None:
        if not delta > 0:
            raise ValueError(f"Huber: delta must be positive; received delta={delta!r}")
        super().__init__(huber, reduction, name, delta=delta)


class BinaryCrossentropy(Loss):
    """``binary_crossentropy`` as an object."""

    def __init__(self, from_logits: bool = False, reduction: str = "mean",
                 name: str = "binary_crossentropy") -> None:
        super().__init__(binary_crossentropy, reduction, name, from_logits=from_logits)


class CategoricalCrossentropy(Loss):
    """``categorical_crossentropy`` as an object."""

    def __init__(self, from_logits: bool = False, reduction: str = "mean",
                 name: str = "categorical_crossentropy") -> None:
        super().__init__(categorical_crossentropy, reduction, name, from_logits=from_logits)


class SparseCategoricalCrossentropy(Loss):
    """``sparse_categorical_crossentropy`` as an object."""

    def __init__(self, from_logits: bool = False, reduction: str = "mean",
                 name: str = "sparse_categorical_crossentropy") -> None:
        super().__init__(sparse_categorical_crossentropy, reduction, name,
                         from_logits=from_logits)


class Hinge(Loss):
    """``hinge`` as an object."""

    def __init__(self, reduction: str = "mean", name: str = "hinge") -> None:
        super().__init__(hinge, reduction, name)


def weighted(loss: Callable[..., Tensor], prediction: Any, target: Any,
             sample_weight: np.ndarray) -> Tensor:
    """``loss`` with one weight per sample, as Keras applies ``sample_weight``: the per-sample
    losses times their weights, summed, then divided by the number of losses (reduction
    ``'mean'``, Keras' ``sum_over_batch_size``) or not (``'sum'``).

    ``loss`` must be able to give one value per sample: a function of this module (or any
    function with a ``reduction`` argument) or a ``Loss`` object.

    Example:
        >>> import numpy as np
        >>> from nn import losses
        >>> loss = losses.weighted(losses.mean_squared_error, [[1.0], [3.0]], [[0.0], [0.0]],
        ...                        np.array([1.0, 0.0]))
        >>> float(loss.item())   # (1 * 1 + 0 * 9) / 2
        0.5
    """
    if isinstance(loss, Loss):
        values = loss.fn(prediction, target, reduction="none", **loss.options)
        reduction = loss.reduction
    elif callable(loss) and "reduction" in _parameters(loss):
        values, reduction = loss(prediction, target, reduction="none"), "mean"
    else:
        raise TypeError(f"sample_weight needs a loss that gives one value per sample (a Keras "
                        f"loss name such as 'mse', or an nn.losses function or object). "
                        f"Received: {loss!r:.80}, which takes no reduction argument")
    weights = Tensor(sample_weight.reshape(sample_weight.shape + (1,) * (values.ndim - 1)),
                     dtype=values.dtype)
    total = (values * weights).sum()
    return total / max(values.size, 1) if reduction == "mean" else total


def _parameters(fn: Callable[..., Any]) -> Any:
    try:
        return inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return {}


_BY_NAME: dict[str, Callable[..., Tensor]] = {
    "mean_squared_error": mean_squared_error, "mse": mean_squared_error,
    "mean_absolute_error": mean_absolute_error, "mae": mean_absolute_error,
    "huber": huber, "huber_loss": huber,
    "binary_crossentropy": binary_crossentropy,
    "categorical_crossentropy": categorical_crossentropy,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
    "hinge": hinge,
}
_CLASSES = (MeanSquaredError, MeanAbsoluteError, Huber, BinaryCrossentropy,
            CategoricalCrossentropy, SparseCategoricalCrossentropy, Hinge)


def get(identifier: Any) -> Callable[..., Tensor]:
    """The loss for a Keras name (``'mse'``), a class name, a ``Loss`` object or a callable.

    Names are case-insensitive; a name gives the function (``get('mse')`` is
    ``mean_squared_error``), a class name or class gives a new object with default options.

    Example:
        >>> from nn import losses
        >>> losses.get("mse") is losses.mean_squared_error
        True
    """
    if isinstance(identifier, type) and issubclass(identifier, Loss):
        return identifier()
    if isinstance(identifier, str):
        key = identifier.lower()
        classes = {cls.__name__.lower(): cls for cls in _CLASSES}
        if key in _BY_NAME:
            return _BY_NAME[key]
        if key in classes:
            return classes[key]()
        raise ValueError(f"Unknown loss {identifier!r}. Valid names: "
                         f"{', '.join(sorted(_BY_NAME))}, or a class name such as "
                         f"'MeanSquaredError'")
    if callable(identifier):
        return identifier
    raise TypeError(f"get: expected a loss name, a Loss object or a callable; received "
                    f"{type(identifier).__name__} ({identifier!r:.60})")
