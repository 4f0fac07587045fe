"""Keras 3's metric machinery: ``Metric``, ``Mean`` and ``MeanMetricWrapper``.

A metric is not differentiated: it reads ``y_true`` and ``y_pred`` as numpy arrays, keeps
running totals, and reports ``result()``. ``update_state(y_true, y_pred, sample_weight=None)``
takes Keras' argument order. ``Mean`` averages per-sample values, each weighted by its
``sample_weight`` (the count grows by the weights' sum), as ``keras.metrics.Mean`` does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np

import autograd as ag
from autograd import Node


def as_array(values: Any) -> np.ndarray:
    """A tensor's values, or an array-like as a numpy array."""
    return (values.numpy()  # type: ignore[attr-defined]  # (a Tensor, not a Scalar)
            if isinstance(values, Node) else np.asarray(values))


def _tensor(values: Any) -> Node:
    return values if isinstance(values, Node) else ag.as_tensor(np.asarray(values))


def squeeze_or_expand_to_same_rank(x1: np.ndarray, x2: np.ndarray, expand_rank_1: bool = True
                                   ) -> tuple[np.ndarray, np.ndarray]:
    """Keras' alignment of a trailing axis of size 1 (see ``nn.losses``), on arrays."""
    if x1.ndim == x2.ndim + 1 and x1.shape[-1:] == (1,):
        if x2.ndim == 1 and expand_rank_1:
            x2 = x2[..., None]
        else:
            x1 = x1[..., 0]
    if x2.ndim == x1.ndim + 1 and x2.shape[-1:] == (1,):
        if x1.ndim == 1 and expand_rank_1:
            x1 = x1[..., None]
        else:
            x2 = x2[..., 0]
    return x1, x2


def _dtype_name(dtype: Any, who: str) -> str:
    name: str
    if dtype is None:
        name = np.dtype(ag.get_default_dtype()).name
        return name
    try:
        name = np.dtype(dtype).name
        return name
    except TypeError:
        raise ValueError(f"{who}: dtype must be a dtype name such as 'float32'. Received: "
                         f"dtype={dtype!r}") from None


class Metric:
    """Keras' metric base class: ``update_state`` per batch, ``result`` for the epoch,
    ``reset_state`` between. Subclasses create their state in ``__init__`` and write the three.

    Args:
        dtype: The dtype of the result (the default float dtype when None).
        name: The name reported in logs (the class name in snake case by default).
    """

    def __init__(self, dtype: Any = None, name: str | None = None) -> None:
        self.name = name or re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", type(self).__name__).lower()
        self._dtype = _dtype_name(dtype, type(self).__name__)

    @property
    def dtype(self) -> str:
        """The dtype of the result, by name."""
        return self._dtype

    def update_state(self, *args: Any, **kwargs: Any) -> None:
        """Add one batch."""
        raise NotImplementedError(f"{type(self).__name__} must define update_state")

    def result(self) -> Any:
        """The value over every batch since the last reset."""
        raise NotImplementedError(f"{type(self).__name__} must define result")

    def reset_state(self) -> None:
        """Forget everything accumulated."""
        raise NotImplementedError(f"{type(self).__name__} must define reset_state")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """``update_state(...)``, then the ``result()``, as Keras' ``Metric.__call__``."""
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments, as Keras' ``get_config``."""
        return {"name": self.name, "dtype": self.dtype}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"


def reduce_to_samplewise_values(values: np.ndarray, sample_weight: Any,
                                reduce_fn: Callable[..., np.ndarray]
                                ) -> tuple[np.ndarray, np.ndarray | None]:
    """One value per sample (axes past the first reduced by ``reduce_fn``), weighted."""
    values = np.asarray(values, dtype=np.float64)
    weights = None
    if sample_weight is not None:
        weights = np.asarray(as_array(sample_weight), dtype=np.float64)
        values, weights = squeeze_or_expand_to_same_rank(values, weights)
        if values.ndim > weights.ndim:
            values = reduce_fn(values, axis=tuple(range(weights.ndim, values.ndim)))
        weights = np.broadcast_to(weights, values.shape)
        values = values * weights
        if weights.ndim > 1:
            weights = reduce_fn(weights, axis=tuple(range(1, weights.ndim)))
    if values.ndim > 1:
        values = reduce_fn(values, axis=tuple(range(1, values.ndim)))
    return values, weights


class Mean(Metric):
    """The (weighted) mean of the values given to ``update_state(values, sample_weight)``.

    Examples:
        >>> import nn
        >>> mean = nn.metrics.Mean()
        >>> mean.update_state([1.0, 3.0, 5.0, 7.0], sample_weight=[1, 1, 0, 0])
        >>> mean.result()
        2.0
    """

    def __init__(self, name: str | None = "mean", dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)
        self.total = 0.0
        self.count = 0.0

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        """Add the values (per-sample means where they have more axes), weighted."""
        values, weights = reduce_to_samplewise_values(as_array(values), sample_weight, np.mean)
        self.total += float(values.sum())
        if weights is not None:
            self.count += float(weights.sum())
        else:
            self.count += float(values.shape[0]) if values.ndim else 1.0

    def reset_state(self) -> None:
        """Back to no values."""
        self.total = 0.0
        self.count = 0.0

    def result(self) -> float:
        """``total / count``, 0.0 before any value (Keras' divide_no_nan)."""
        return self.total / self.count if self.count else 0.0


class MeanMetricWrapper(Mean):
    """A function ``fn(y_true, y_pred, **kwargs)`` of per-sample values, averaged over samples:
    what ``compile(metrics=[fn])`` makes of a plain function.

    Args:
        fn: The function; a loss function of ``nn.losses`` works, or any function returning
            one value per sample (a Tensor or an array).
        name: The name reported in logs (``'mean_metric_wrapper'`` when None, as in Keras;
            ``compile`` names it after the function).
        dtype: The dtype of the result.
        **kwargs: Keyword arguments passed to ``fn``.
    """

    def __init__(self, fn: Callable[..., Any], name: str | None = None, dtype: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    # (Keras' signature: a wrapper of a function of y_true and y_pred takes both, where Mean
    # takes the values)
    def update_state(  # type: ignore[override]
            self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add ``fn(y_true, y_pred)``'s per-sample values, weighted by ``sample_weight``."""
        with ag.no_grad():  # a metric is read, never differentiated
            # As Tensors, as Keras gives its functions tensors: a function written like a loss
            # (with Tensor operations) works as a metric.
            values = self._fn(_tensor(y_true), _tensor(y_pred), **self._fn_kwargs)
        super().update_state(as_array(values), sample_weight=sample_weight)

    def get_config(self) -> dict[str, Any]:
        """The name, dtype and the function's keyword arguments."""
        return {**super().get_config(), **self._fn_kwargs}
