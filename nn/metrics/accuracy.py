"""Keras 3's accuracy metrics: functions ``fn(y_true, y_pred)`` giving 1.0 or 0.0 per value,
and the classes that average them over samples (weighted by ``sample_weight``).

``Accuracy`` is exact equality of ``y_true`` and ``y_pred``, as in Keras; the string
``'accuracy'`` in ``compile`` picks binary, categorical or sparse accuracy from the shapes,
as Keras' ``compile`` does.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nn.metrics.base import MeanMetricWrapper, as_array, squeeze_or_expand_to_same_rank


def _pair(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    return as_array(y_true), as_array(y_pred)


def accuracy(y_true: Any, y_pred: Any) -> np.ndarray:
    """1.0 where ``y_true == y_pred``, else 0.0 (a trailing axis of size 1 aligned)."""
    t, p = _pair(y_true, y_pred)
    t, p = squeeze_or_expand_to_same_rank(t, p)
    matches: np.ndarray = (t == p).astype(np.float32)
    return matches


def binary_accuracy(y_true: Any, y_pred: Any, threshold: float = 0.5) -> np.ndarray:
    """1.0 where ``y_pred > threshold`` agrees with the 0/1 label ``y_true``."""
    t, p = _pair(y_true, y_pred)
    t, p = squeeze_or_expand_to_same_rank(t, p)
    matches: np.ndarray = (t == (p > threshold).astype(t.dtype)).astype(np.float32)
    return matches


def categorical_accuracy(y_true: Any, y_pred: Any) -> np.ndarray:
    """1.0 where the largest score of ``y_pred`` is at the class marked in one-hot ``y_true``."""
    t, p = _pair(y_true, y_pred)
    return sparse_categorical_accuracy(np.argmax(t, axis=-1), p)


def sparse_categorical_accuracy(y_true: Any, y_pred: Any) -> np.ndarray:
    """1.0 where the largest score of ``y_pred`` is at the integer class ``y_true``."""
    t, p = _pair(y_true, y_pred)
    shape = t.shape
    reshaped = t.ndim == p.ndim and t.shape[-1:] == (1,)
    if reshaped:
        t = t[..., 0]
    matches = (t == np.argmax(p, axis=-1).astype(t.dtype)).astype(np.float32)
    if reshaped:
        matches = matches.reshape(shape)
    if matches.ndim > 1 and matches.shape[-1] == 1:
        matches = matches[..., 0]
    value: np.ndarray = matches
    return value


class Accuracy(MeanMetricWrapper):
    """How often ``y_pred`` equals ``y_true`` exactly (Keras' ``Accuracy``; for classifiers,
    ``BinaryAccuracy``, ``CategoricalAccuracy`` or the string ``'accuracy'`` in ``compile``).

    Examples:
        >>> import nn
        >>> m = nn.metrics.Accuracy()
        >>> m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
        >>> m.result()
        0.75
    """

    def __init__(self, name: str = "accuracy", dtype: Any = None) -> None:
        super().__init__(accuracy, name=name, dtype=dtype)


class BinaryAccuracy(MeanMetricWrapper):
    """How often ``y_pred > threshold`` matches the binary label ``y_true``."""

    def __init__(self, name: str = "binary_accuracy", dtype: Any = None,
                 threshold: float = 0.5) -> None:
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold


class CategoricalAccuracy(MeanMetricWrapper):
    """How often the highest score is the class marked in a one-hot ``y_true``."""

    def __init__(self, name: str = "categorical_accuracy", dtype: Any = None) -> None:
        super().__init__(categorical_accuracy, name=name, dtype=dtype)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often the highest score is the integer class ``y_true``."""

    def __init__(self, name: str = "sparse_categorical_accuracy", dtype: Any = None) -> None:
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)
