"""Keras 3's regression metrics: the regression losses averaged over samples.

Each wraps the loss function of ``nn.losses`` of the same name (one value per sample) in a
``MeanMetricWrapper``; ``RootMeanSquaredError`` is the square root of the mean squared error
over every value seen, as Keras computes it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nn.losses import (
    cosine_similarity,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from nn.metrics.base import Mean, MeanMetricWrapper, as_array, squeeze_or_expand_to_same_rank


class MeanSquaredError(MeanMetricWrapper):
    """The mean over samples of ``mean((y_true - y_pred)**2, axis=-1)``.

    Examples:
        >>> import nn
        >>> m = nn.metrics.MeanSquaredError()
        >>> m.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])
        >>> m.result()
        0.25
    """

    def __init__(self, name: str = "mean_squared_error", dtype: Any = None) -> None:
        super().__init__(mean_squared_error, name=name, dtype=dtype)


class MeanAbsoluteError(MeanMetricWrapper):
    """The mean over samples of ``mean(|y_true - y_pred|, axis=-1)``."""

    def __init__(self, name: str = "mean_absolute_error", dtype: Any = None) -> None:
        super().__init__(mean_absolute_error, name=name, dtype=dtype)


class MeanAbsolutePercentageError(MeanMetricWrapper):
    """The mean over samples of ``mean_absolute_percentage_error``."""

    def __init__(self, name: str = "mean_absolute_percentage_error", dtype: Any = None) -> None:
        super().__init__(mean_absolute_percentage_error, name=name, dtype=dtype)


class MeanSquaredLogarithmicError(MeanMetricWrapper):
    """The mean over samples of ``mean_squared_logarithmic_error``."""

    def __init__(self, name: str = "mean_squared_logarithmic_error", dtype: Any = None) -> None:
        super().__init__(mean_squared_logarithmic_error, name=name, dtype=dtype)


class LogCoshError(MeanMetricWrapper):
    """The mean over samples of ``log_cosh``."""

    def __init__(self, name: str = "logcosh", dtype: Any = None) -> None:
        super().__init__(log_cosh, name=name, dtype=dtype)


class CosineSimilarity(MeanMetricWrapper):
    """The mean over samples of the cosine similarity (positive: 1 for the same direction;
    the loss ``nn.losses.cosine_similarity`` is its negative)."""

    def __init__(self, name: str = "cosine_similarity", dtype: Any = None,
                 axis: int = -1) -> None:
        super().__init__(_similarity, name=name, dtype=dtype, axis=axis)


def _similarity(y_true: Any, y_pred: Any, axis: int = -1) -> np.ndarray:
    return -as_array(cosine_similarity(y_true, y_pred, axis=axis))


class RootMeanSquaredError(Mean):
    """``sqrt`` of the (weighted) mean of ``(y_true - y_pred)**2`` over every value seen."""

    def __init__(self, name: str = "root_mean_squared_error", dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)

    # (Keras' signature: y_true and y_pred, where Mean takes the values)
    def update_state(  # type: ignore[override]
            self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add the squared errors of one batch."""
        t = np.asarray(as_array(y_true), dtype=np.float64)
        p = np.asarray(as_array(y_pred), dtype=np.float64)
        t, p = squeeze_or_expand_to_same_rank(t, p)
        super().update_state((p - t) ** 2, sample_weight=sample_weight)

    def result(self) -> float:
        """The root of the mean so far."""
        return float(np.sqrt(super().result()))
