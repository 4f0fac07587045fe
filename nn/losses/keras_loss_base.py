"""Keras 3's loss machinery: ``Loss`` (``loss(y_true, y_pred, sample_weight=None)``), its
reductions and its sample weighting, as ``keras.losses.Loss`` does them.

A loss object computes one value per sample with ``call(y_true, y_pred)``, multiplies by
``sample_weight`` where given, then reduces: ``'sum_over_batch_size'`` (the default) and
``'mean'`` divide the weighted sum by the number of values, ``'mean_with_sample_weight'`` by
the sum of the weights, ``'sum'`` keeps the sum, and ``'none'`` (or None) the values.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import numpy as np

import autograd as ag
from autograd import Node, Tensor

EPSILON = 1e-7  # keras.backend.epsilon(): the fuzz factor of clipping and divisions
REDUCTIONS = ("sum_over_batch_size", "sum", None, "none", "mean", "mean_with_sample_weight")


def as_prediction(prediction: Any, who: str) -> Tensor:
    """The prediction as a floating-point Tensor (arrays and lists are wrapped)."""
    if isinstance(prediction, Node) and not isinstance(prediction, Tensor):
        raise TypeError(f"{who}: expected the prediction as a Tensor, received "
                        f"{prediction.describe()}")
    p = prediction if isinstance(prediction, Tensor) else Tensor(prediction)
    return p if p.dtype.kind == "f" else p.astype(ag.get_default_dtype())


def as_target(target: Any, like: Tensor, who: str) -> Tensor:
    """``target`` as a Tensor of ``like``'s dtype (Keras casts ``y_true`` to ``y_pred``'s)."""
    if isinstance(target, Tensor):
        if target.dtype.kind == "f":
            return target if target.dtype == like.dtype else target.astype(like.dtype)
        return target.astype(like.dtype)
    values = np.asarray(target)
    if values.dtype.kind not in "biuf":
        raise TypeError(f"{who}: expected numeric y_true, received an array of dtype "
                        f"{values.dtype}")
    return Tensor(values, dtype=like.dtype)


def pair(y_true: Any, y_pred: Any, who: str) -> tuple[Tensor, Tensor]:
    """``(y_true, y_pred)`` as Tensors of ``y_pred``'s floating dtype."""
    p = as_prediction(y_pred, who)
    return as_target(y_true, p, who), p


def squeeze_or_expand_to_same_rank(x1: Tensor, x2: Tensor, expand_rank_1: bool = True
                                   ) -> tuple[Tensor, Tensor]:
    """Keras' alignment of two values whose ranks differ by one with a trailing axis of size 1:
    a 1-D value gains that axis, otherwise the longer one loses it."""
    rank1, rank2 = len(x1.shape), len(x2.shape)
    if rank1 == rank2:  # the common case, every step of training: nothing to do
        return x1, x2
    if rank1 == rank2 + 1 and x1.shape[-1] == 1:
        if rank2 == 1 and expand_rank_1:
            x2 = x2.unsqueeze(-1)
        else:
            x1 = x1.squeeze(-1)
    if rank2 == rank1 + 1 and x2.shape[-1] == 1:
        if rank1 == 1 and expand_rank_1:
            x1 = x1.unsqueeze(-1)
        else:
            x2 = x2.squeeze(-1)
    return x1, x2


def same_shape(y_true: Tensor, y_pred: Tensor, who: str) -> None:
    """Refuse shapes that Keras would broadcast against each other (``(N,)`` against
    ``(N, 1)`` gives an (N, N) loss there): the numbers would be silently wrong."""
    if y_true.shape != y_pred.shape:
        raise ValueError(f"{who}: y_true has shape {y_true.shape} but y_pred has shape "
                         f"{y_pred.shape}; they must match. Reshape one of them (the loss "
                         f"objects, e.g. nn.losses.Hinge(), align a trailing axis of size 1)")


def check_axis(axis: Any, who: str) -> None:
    """Keras refuses a boolean axis (``True`` is not axis 1)."""
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise ValueError(f"{who}: `axis` must be of type `int`. Received: axis={axis!r} of "
                         f"type {type(axis)}")


def standardize_reduction(reduction: Any) -> Any:
    """``reduction`` if Keras knows it, else the ValueError Keras raises."""
    if not (reduction is None or isinstance(reduction, str)) or reduction not in REDUCTIONS:
        raise ValueError(f"Invalid value for argument `reduction`. Expected one of "
                         f"{REDUCTIONS}. Received: reduction={reduction!r}")
    return reduction


def _divide_no_nan(total: Tensor, divisor: Any) -> Tensor:
    """``total / divisor``, or 0 where the divisor is 0 (Keras' ``divide_no_nan``)."""
    if not isinstance(divisor, Tensor):
        return total * 0.0 if float(divisor) == 0 else total / divisor
    # With tensor operations, not a Python test of the value: a captured step repeats them.
    zero = divisor == 0
    return ag.where(zero, total * 0.0, total / ag.where(zero, 1.0, divisor))


def reduce_weighted_values(values: Tensor, sample_weight: Any = None, mask: Any = None,
                           reduction: Any = "sum_over_batch_size") -> Tensor:
    """Per-sample ``values`` weighted by ``sample_weight`` (and a mask), then reduced."""
    reduction = standardize_reduction(reduction)
    weights = None if sample_weight is None else as_target(sample_weight, values,
                                                           "sample_weight")
    if mask is not None:
        mask = np.asarray(mask, dtype=bool)
        if reduction in ("mean", "sum_over_batch_size"):
            # A masked value counts 0 and the others total/valid, so that the mean divides
            # the weighted sum by the number of valid values.
            valid = mask.sum()
            mask = np.where(mask, mask.size / valid if valid else 0.0, 0.0)
        float_mask = Tensor(mask, dtype=values.dtype)
        if weights is None:
            weights = float_mask
        else:
            float_mask, weights = squeeze_or_expand_to_same_rank(float_mask, weights)
            weights = weights * float_mask
    if weights is not None:
        values, weights = squeeze_or_expand_to_same_rank(values, weights)
        values = values * weights
    if reduction in (None, "none") or values.shape in ((), (0,)):
        return values
    if weights is None and reduction != "sum" and 0 not in values.shape:
        return values.mean()  # the sum over the count, in one recorded operation
    total = values.sum()
    if reduction == "sum":
        return total
    if reduction == "mean_with_sample_weight" and weights is not None:
        return _divide_no_nan(total, weights.sum())
    return _divide_no_nan(total, math.prod(values.shape))


def _snake_case(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def _dtype_name(dtype: Any, who: str) -> str:
    if dtype is None:
        default: str = np.dtype(ag.get_default_dtype()).name
        return default
    try:
        name: str = np.dtype(dtype).name
    except TypeError:
        name = ""
    if not name.startswith("float"):
        raise ValueError(f"{who}: dtype must be a floating dtype such as 'float32' or "
                         f"'float64'. Received: dtype={dtype!r}")
    return name


class Loss:
    """Keras' loss base class: subclasses write ``call(y_true, y_pred)``, one value per sample.

    Args:
        name: The name reported in logs (the class name in snake case by default).
        reduction: ``'sum_over_batch_size'`` (default), ``'sum'``, ``'mean'``,
            ``'mean_with_sample_weight'``, ``'none'`` or None.
        dtype: The dtype the loss computes in: both ``y_true`` and ``y_pred`` are cast to it.
            None (the default) computes in ``y_pred``'s float dtype (float32 unless the model
            was built in another), where Keras casts to its default float32.

    Examples:
        >>> import nn
        >>> class Squares(nn.losses.Loss):
        ...     def call(self, y_true, y_pred):
        ...         return ((y_pred - y_true) ** 2).mean(axis=-1)
        >>> float(Squares()([[0.0, 0.0]], [[1.0, 3.0]]).item())
        5.0
    """

    def __init__(self, name: str | None = None, reduction: Any = "sum_over_batch_size",
                 dtype: Any = None) -> None:
        self.name = name or _snake_case(type(self).__name__)
        self.reduction = standardize_reduction(reduction)
        self._cast = None if dtype is None else _dtype_name(dtype, type(self).__name__)

    @property
    def dtype(self) -> str:
        """The dtype the loss computes in, by name (``'float32'``; with ``dtype=None``, the
        default float dtype's name, though a prediction of another float dtype keeps it)."""
        return self._cast or _dtype_name(None, type(self).__name__)

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Tensor:
        """The loss of ``y_pred`` against ``y_true``, weighted and reduced."""
        y_pred = as_prediction(y_pred, self.name)
        if self._cast is not None and y_pred.dtype != self._cast:
            y_pred = y_pred.astype(self._cast)
        y_true = as_target(y_true, y_pred, self.name)
        if sample_weight is None and self.reduction in ("sum_over_batch_size", "mean"):
            mean = self.fused_mean(y_true, y_pred)
            if mean is not None:
                return mean
        values = self.call(y_true, y_pred)
        if not isinstance(values, Tensor):
            values = as_prediction(values, self.name)
        return reduce_weighted_values(values, sample_weight, self.mask(y_true, y_pred),
                                      self.reduction)

    def call(self, y_true: Tensor, y_pred: Tensor) -> Tensor:
        """The per-sample losses; what a subclass writes."""
        raise NotImplementedError(f"{type(self).__name__} must define call(y_true, y_pred), "
                                  f"returning one loss per sample")

    def fused_mean(self, y_true: Tensor, y_pred: Tensor) -> Tensor | None:
        """The unweighted mean of the per-sample values in one recorded operation, where the
        loss has one (None: computed from ``call``)."""
        return None

    def mask(self, y_true: Tensor, y_pred: Tensor) -> np.ndarray | None:
        """Which per-sample values count (None: all); Keras' mask on the loss values."""
        return None

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, as Keras' ``get_config``."""
        return {"name": self.name, "reduction": self.reduction}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"


class LossFunctionWrapper(Loss):
    """A loss function ``fn(y_true, y_pred, **kwargs)`` as a ``Loss``; what ``compile`` makes
    of a plain function. ``y_true`` and ``y_pred`` are first aligned (a trailing axis of size
    1), as Keras' wrapper does."""

    def __init__(self, fn: Callable[..., Any], reduction: Any = "sum_over_batch_size",
                 name: str | None = None, dtype: Any = None, **kwargs: Any) -> None:
        super().__init__(name=name or getattr(fn, "__name__", None), reduction=reduction,
                         dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true: Tensor, y_pred: Tensor) -> Tensor:
        """``fn`` on the aligned pair."""
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        value: Tensor = self.fn(y_true, y_pred, **self._fn_kwargs)
        return value

    def fused_mean(self, y_true: Tensor, y_pred: Tensor) -> Tensor | None:
        """``fn.fused_mean`` where the function has one (the mean squared error: one
        operation instead of five for the loss of every regression step)."""
        fused = getattr(self.fn, "fused_mean", None)
        if fused is None or self._fn_kwargs:
            return None
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        shape = y_pred.shape
        if y_true.shape != shape or not shape or 0 in shape:
            return None
        result: Tensor | None = fused(y_pred, y_true)
        return result

    def get_config(self) -> dict[str, Any]:
        """The name, reduction and the function's keyword arguments."""
        return {**super().get_config(), **self._fn_kwargs}

    def __repr__(self) -> str:
        return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"
