"""Keras 3's ``R2Score``: the coefficient of determination, ``1 - SS_res / SS_tot``, per
output column, then aggregated; optionally adjusted for the number of regressors."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from nn.metrics.base import Metric, as_array, squeeze_or_expand_to_same_rank


class R2Score(Metric):
    """``1 - sum(w * (y_true - y_pred)^2) / sum(w * (y_true - mean(y_true))^2)`` per column,
    over every batch since the last reset (weighted sums, so the batches may differ in size).

    A column whose targets do not vary scores 0 (Keras replaces the infinite score by 0).

    Args:
        class_aggregation: ``'uniform_average'`` (the mean of the columns' scores),
            ``'variance_weighted_average'`` (weighted by each column's total sum of squares)
            or None (one score per column, an array).
        num_regressors: The number of independent variables, for the adjusted score
            ``1 - (1 - r2) * (n - 1) / (n - p - 1)``, where n counts every value seen (Keras'
            count); 0 gives the plain score, and so does an n too small, with Keras' warning.
        name: The name reported in logs.
        dtype: The dtype of the result.

    Examples:
        >>> import nn
        >>> m = nn.metrics.R2Score()
        >>> m.update_state([[1.0], [4.0], [3.0]], [[2.0], [4.0], [4.0]])
        >>> round(m.result(), 4)
        0.5714
    """

    def __init__(self, class_aggregation: str | None = "uniform_average",
                 num_regressors: int = 0, name: str | None = "r2_score",
                 dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)
        valid = (None, "uniform_average", "variance_weighted_average")
        if class_aggregation not in valid:
            raise ValueError(f"Invalid value for argument `class_aggregation`. Expected one of "
                             f"{valid}. Received: class_aggregation={class_aggregation}")
        if num_regressors < 0:
            raise ValueError(f"Invalid value for argument `num_regressors`. Expected a value "
                             f">= 0. Received: num_regressors={num_regressors}")
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = 0.0
        self._sums: dict[str, np.ndarray] | None = None  # per column, made at the first batch

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add one batch's weighted sums of the targets, their squares and the residuals."""
        t = np.asarray(as_array(y_true), dtype=np.float64)
        p = np.asarray(as_array(y_pred), dtype=np.float64)
        t, p = squeeze_or_expand_to_same_rank(t, p)
        if p.ndim != 2 or t.ndim != 2:
            raise ValueError(f"R2Score expects 2D inputs with shape (batch_size, output_dim). "
                             f"Received input shapes: y_pred.shape={p.shape} and "
                             f"y_true.shape={t.shape}.")
        weights = np.asarray(1.0 if sample_weight is None else as_array(sample_weight),
                             dtype=np.float64)
        if weights.ndim == 1:  # one weight per sample, for every column
            weights = weights[:, None]
        weights = np.broadcast_to(weights, t.shape)
        batch = {"sum": np.sum(t * weights, axis=0),
                 "squared_sum": np.sum(t * t * weights, axis=0),
                 "residual": np.sum((t - p) ** 2 * weights, axis=0),
                 "count": np.sum(weights, axis=0)}
        if self._sums is None:
            self._sums = batch
        else:
            for key, value in batch.items():
                self._sums[key] = self._sums[key] + value
        self.num_samples += t.size

    def result(self) -> Any:
        """The score: a float, or one per column (an array) when ``class_aggregation`` is
        None (0.0 before any batch)."""
        if self._sums is None:
            return 0.0
        sums = self._sums
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = sums["sum"] / sums["count"]
            total = sums["squared_sum"] - sums["sum"] * mean
            raw = 1 - sums["residual"] / total
        raw = np.where(np.isinf(raw), 0.0, raw)
        if self.class_aggregation == "uniform_average":
            score: Any = float(np.mean(raw))
        elif self.class_aggregation == "variance_weighted_average":
            with np.errstate(divide="ignore", invalid="ignore"):
                score = float(np.sum(total * raw) / np.sum(total))
        else:
            score = raw
        if self.num_regressors != 0:
            n, k = self.num_samples, self.num_regressors
            if k > n - 1:
                warnings.warn("More independent predictors than datapoints in adjusted R2 "
                              "score. Falling back to standard R2 score.", stacklevel=2)
            elif k == n - 1:
                warnings.warn("Division by zero in Adjusted R2 score. Falling back to standard "
                              "R2 score.", stacklevel=2)
            else:
                score = 1.0 - (1.0 - score) * (n - 1.0) / (n - k - 1.0)
        return score

    def reset_state(self) -> None:
        """All sums back to 0 (their shape, once known, is kept, as Keras keeps it)."""
        self.num_samples = 0.0
        if self._sums is not None:
            self._sums = {key: np.zeros_like(value) for key, value in self._sums.items()}

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments."""
        return {"name": self.name, "dtype": self.dtype,
                "class_aggregation": self.class_aggregation,
                "num_regressors": self.num_regressors}
