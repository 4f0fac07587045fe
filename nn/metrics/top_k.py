"""Keras 3's top-k accuracies: how often the true class is among the ``k`` highest scores.

A class ranks ``1 + (the number of scores above its own)``, so ties count in its favour, as in
Keras (``ops.in_top_k``); a NaN score never counts as high.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nn.metrics.base import MeanMetricWrapper, as_array


def _in_top_k(labels: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    at_label = np.take_along_axis(scores, labels[:, None], axis=-1)
    at_label = np.where(np.isnan(at_label), -np.inf, at_label)
    value: np.ndarray = 1 + np.sum(scores > at_label, axis=-1) <= k
    return value


def _sparse_top_k(labels: np.ndarray, scores: np.ndarray, k: int,
                  from_sorted_ids: bool) -> np.ndarray:
    shape = labels.shape
    if scores.ndim > 2:
        scores = scores.reshape(-1, scores.shape[-1])
    labels = labels.reshape(-1)
    if from_sorted_ids:  # y_pred holds each row's class ids, best first
        matches = np.any(labels[:, None] == scores[:, :k], axis=1)
    else:
        matches = _in_top_k(labels.astype(np.intp), scores, k)
    result: np.ndarray = matches.astype(np.float32).reshape(shape)
    return result


def top_k_categorical_accuracy(y_true: Any, y_pred: Any, k: int = 5) -> np.ndarray:
    """1.0 where the class marked in one-hot ``y_true`` is among the ``k`` highest scores."""
    labels = np.argmax(as_array(y_true), axis=-1)
    return _sparse_top_k(labels, np.asarray(as_array(y_pred), dtype=np.float64), k, False)


def sparse_top_k_categorical_accuracy(y_true: Any, y_pred: Any, k: int = 5,
                                      from_sorted_ids: bool = False) -> np.ndarray:
    """1.0 where the integer class ``y_true`` is among the ``k`` highest scores (or, with
    ``from_sorted_ids=True``, among the first ``k`` ids of each row of ``y_pred``)."""
    labels = np.asarray(as_array(y_true))
    return _sparse_top_k(labels, np.asarray(as_array(y_pred)), k, from_sorted_ids)


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot class is among the ``k`` highest scores."""

    def __init__(self, k: int = 5, name: str = "top_k_categorical_accuracy",
                 dtype: Any = None) -> None:
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer class is among the ``k`` highest scores."""

    def __init__(self, k: int = 5, name: str = "sparse_top_k_categorical_accuracy",
                 dtype: Any = None, from_sorted_ids: bool = False) -> None:
        super().__init__(sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k,
                         from_sorted_ids=from_sorted_ids)
        self.k = k
