"""Keras 3's ``FBetaScore`` and ``F1Score``: the harmonic mean of precision and recall, with
recall weighted ``beta`` times as much, per class or averaged.

Inputs are 2D, ``(samples, classes)``. A prediction is positive where it exceeds ``threshold``,
or, when ``threshold`` is None, where it is its row's highest (and nonzero) value. Counts are
kept per class (or summed over classes for ``average='micro'``), each sample weighted by its
``sample_weight``; ``result()`` follows Keras' formula with its epsilon (1e-7) in each ratio.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nn.metrics.base import Metric, as_array

EPSILON = 1e-7  # Keras' backend.epsilon(), added to each denominator as Keras adds it


class FBetaScore(Metric):
    """``(1 + beta^2) * precision * recall / (beta^2 * precision + recall)``.

    Args:
        average: None (one score per class, an array), ``'micro'`` (counts summed over
            classes first), ``'macro'`` (the mean of the classes' scores) or ``'weighted'``
            (their mean weighted by each class's weighted number of positive labels).
        beta: How much more recall counts than precision: a Python float > 0, as Keras asks.
        threshold: A float in (0, 1], or None for each row's highest prediction.
        name: The name reported in logs.
        dtype: The dtype of the result.

    Examples:
        >>> import nn
        >>> m = nn.metrics.FBetaScore(beta=2.0, average="macro", threshold=0.5)
        >>> m.update_state([[1, 0], [0, 1], [1, 1]], [[0.9, 0.2], [0.3, 0.8], [0.4, 0.6]])
        >>> round(m.result(), 4)
        0.7778
    """

    def __init__(self, average: str | None = None, beta: float = 1.0,
                 threshold: float | None = None, name: str | None = "fbeta_score",
                 dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)
        if average not in (None, "micro", "macro", "weighted"):
            raise ValueError(f"Invalid `average` argument value. Expected one of: {{None, "
                             f"'micro', 'macro', 'weighted'}}. Received: average={average}")
        if not isinstance(beta, float):
            raise ValueError(f"Invalid `beta` argument value. It should be a Python float. "
                             f"Received: beta={beta} of type '{type(beta)}'")
        if beta <= 0.0:
            raise ValueError(f"Invalid `beta` argument value. It should be > 0. Received: "
                             f"beta={beta}")
        if threshold is not None:
            if not isinstance(threshold, float):
                raise ValueError(f"Invalid `threshold` argument value. It should be a Python "
                                 f"float. Received: threshold={threshold} of type "
                                 f"'{type(threshold)}'")
            if threshold > 1.0 or threshold <= 0.0:
                raise ValueError(f"Invalid `threshold` argument value. It should verify "
                                 f"0 < threshold <= 1. Received: threshold={threshold}")
        self.average, self.beta, self.threshold = average, beta, threshold
        self.axis = None if average == "micro" else 0
        self._counts: dict[str, np.ndarray] | None = None  # made at the first batch

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add one batch's (weighted) true and false positives and false negatives."""
        t = np.asarray(as_array(y_true), dtype=np.float64)
        p = np.asarray(as_array(y_pred), dtype=np.float64)
        if p.ndim != 2 or t.ndim != 2:
            raise ValueError(f"{type(self).__name__} expects 2D inputs with shape (batch_size, "
                             f"output_dim). Received input shapes: y_pred.shape={p.shape} and "
                             f"y_true.shape={t.shape}.")
        if self.threshold is None:
            # The row's highest value; a row of zeros has no positive.
            predicted = (p >= p.max(axis=-1, keepdims=True)) & (np.abs(p) > 1e-9)
        else:
            predicted = p > self.threshold
        p = predicted.astype(np.float64)
        weights = (None if sample_weight is None else
                   np.expand_dims(np.asarray(as_array(sample_weight), dtype=np.float64), 1))

        def weighted_sum(values: np.ndarray) -> np.ndarray:
            return np.asarray(np.sum(values if weights is None else values * weights,
                                     axis=self.axis))

        batch = {"true_positives": weighted_sum(p * t),
                 "false_positives": weighted_sum(p * (1 - t)),
                 "false_negatives": weighted_sum((1 - p) * t),
                 "intermediate_weights": weighted_sum(t)}
        if self._counts is None:
            self._counts = batch
        else:
            for key, value in batch.items():
                self._counts[key] = self._counts[key] + value

    def result(self) -> Any:
        """The score: one per class (an array) when ``average`` is None, else a float (0.0
        before any batch)."""
        if self._counts is None:
            return 0.0
        tp, fp, fn = (self._counts[key] for key in
                      ("true_positives", "false_positives", "false_negatives"))
        precision = tp / (tp + fp + EPSILON)
        recall = tp / (tp + fn + EPSILON)
        beta2 = self.beta ** 2
        score = precision * recall / (beta2 * precision + recall + EPSILON) * (1 + beta2)
        if self.average == "weighted":
            positives = self._counts["intermediate_weights"]
            return float(np.sum(score * positives / (np.sum(positives) + EPSILON)))
        if self.average is not None:
            return float(np.mean(score))
        return np.asarray(score, dtype=np.float64)

    def reset_state(self) -> None:
        """All counts back to 0 (their shape, once known, is kept, as Keras keeps it)."""
        if self._counts is not None:
            self._counts = {key: np.zeros_like(value) for key, value in self._counts.items()}

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments."""
        return {"name": self.name, "dtype": self.dtype, "average": self.average,
                "beta": self.beta, "threshold": self.threshold}


class F1Score(FBetaScore):
    """``FBetaScore`` with ``beta=1.0``: ``2 * precision * recall / (precision + recall)``.

    Examples:
        >>> import nn
        >>> m = nn.metrics.F1Score(threshold=0.5)
        >>> m.update_state([[1, 0], [0, 1], [1, 1]], [[0.9, 0.2], [0.3, 0.8], [0.4, 0.6]])
        >>> [round(float(v), 4) for v in m.result()]
        [0.6667, 1.0]
    """

    def __init__(self, average: str | None = None, threshold: float | None = None,
                 name: str | None = "f1_score", dtype: Any = None) -> None:
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments (no ``beta``)."""
        config = super().get_config()
        del config["beta"]
        return config
