"""Keras 3's ``Precision`` and ``Recall``: weighted counts of true and false positives and
false negatives at one or more thresholds.

A value is predicted positive where ``y_pred > threshold`` (0.5 by default); a label is
positive where ``y_true`` is nonzero. ``top_k`` keeps only each row's k highest scores as
candidates (the threshold then defaults to minus infinity: the top k are the positives), and
``class_id`` looks at one column of multi-label data. With a list of thresholds, ``result()``
gives one value per threshold.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nn.metrics.base import Metric, as_array, squeeze_or_expand_to_same_rank

NEG_INF = -1e10  # Keras' stand-in for minus infinity in its top-k filter


def _thresholds(thresholds: Any, default: float, who: str) -> list[float]:
    if thresholds is None:
        return [default]
    values = list(thresholds) if isinstance(thresholds, (list, tuple)) else [thresholds]
    if not all(isinstance(v, (int, float)) and 0 <= v <= 1 for v in values):
        raise ValueError(f"{who}: threshold values must be in [0, 1]. Received: "
                         f"thresholds={thresholds!r}")
    return [float(v) for v in values]


def _filter_top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Each row's k highest scores kept, the others set to NEG_INF."""
    order = np.argsort(-scores, axis=-1, kind="stable")[..., :k]
    keep = np.zeros(scores.shape, dtype=bool)
    np.put_along_axis(keep, order, True, axis=-1)
    return np.where(keep, scores, NEG_INF)


class _ConfusionCounts(Metric):
    """The counts Precision, Recall and the count metrics (``nn.metrics.counts``) share, one
    entry per threshold."""

    def __init__(self, thresholds: Any, top_k: int | None, class_id: int | None,
                 name: str | None, dtype: Any) -> None:
        super().__init__(name=name, dtype=dtype)
        who = type(self).__name__
        if top_k is not None and (isinstance(top_k, bool) or not isinstance(top_k, int)
                                  or top_k < 1):
            raise ValueError(f"{who}: top_k must be a positive int or None. Received: "
                             f"top_k={top_k!r}")
        self.init_thresholds = thresholds
        self.top_k, self.class_id = top_k, class_id
        self.thresholds = _thresholds(thresholds, 0.5 if top_k is None else NEG_INF, who)
        self.reset_state()

    def reset_state(self) -> None:
        """All counts back to 0."""
        size = len(self.thresholds)
        self.true_positives = np.zeros(size)
        self.false_positives = np.zeros(size)
        self.false_negatives = np.zeros(size)
        self.true_negatives = np.zeros(size)

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add one batch's (weighted) counts."""
        t = np.asarray(as_array(y_true), dtype=np.float64)
        p = np.asarray(as_array(y_pred), dtype=np.float64)
        p, t = squeeze_or_expand_to_same_rank(p, t)
        weights = None
        if sample_weight is not None:
            weights = np.asarray(as_array(sample_weight), dtype=np.float64)[..., None]
            _, weights = squeeze_or_expand_to_same_rank(t, weights, expand_rank_1=False)
        if self.top_k is not None:
            p = _filter_top_k(p, self.top_k)
        if self.class_id is not None:
            if p.ndim == 1:
                raise ValueError(f"{type(self).__name__}: When class_id is provided, y_pred "
                                 f"must be a 2D array with shape (num_samples, num_classes), "
                                 f"found shape: {p.shape}")
            t, p = t[..., self.class_id, None], p[..., self.class_id, None]
            if weights is not None and weights.ndim == t.ndim and weights.shape[-1] != 1:
                weights = weights[..., self.class_id, None]
        weights = np.ones(p.shape) if weights is None else np.broadcast_to(weights, p.shape)
        actual = np.broadcast_to(t != 0, p.shape)
        for i, threshold in enumerate(self.thresholds):
            predicted = p > threshold
            self.true_positives[i] += weights[predicted & actual].sum()
            self.false_positives[i] += weights[predicted & ~actual].sum()
            self.false_negatives[i] += weights[~predicted & actual].sum()
            self.true_negatives[i] += weights[~predicted & ~actual].sum()

    def _ratio(self, numerator: np.ndarray, denominator: np.ndarray) -> Any:
        with np.errstate(invalid="ignore", divide="ignore"):
            values = np.where(denominator > 0, numerator / denominator, 0.0)
        return float(values[0]) if len(self.thresholds) == 1 else values

    def get_config(self) -> dict[str, Any]:
        """The constructor arguments."""
        return {**super().get_config(), "thresholds": self.init_thresholds,
                "top_k": self.top_k, "class_id": self.class_id}


class Precision(_ConfusionCounts):
    """Of the values predicted positive, the (weighted) share that are positive.

    Examples:
        >>> import nn
        >>> m = nn.metrics.Precision()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> round(m.result(), 4)
        0.6667
    """

    def __init__(self, thresholds: Any = None, top_k: int | None = None,
                 class_id: int | None = None, name: str | None = None,
                 dtype: Any = None) -> None:
        super().__init__(thresholds, top_k, class_id, name, dtype)

    def result(self) -> Any:
        """``tp / (tp + fp)`` (0 where nothing was predicted positive)."""
        return self._ratio(self.true_positives, self.true_positives + self.false_positives)


class Recall(_ConfusionCounts):
    """Of the positive values, the (weighted) share predicted positive."""

    def __init__(self, thresholds: Any = None, top_k: int | None = None,
                 class_id: int | None = None, name: str | None = None,
                 dtype: Any = None) -> None:
        super().__init__(thresholds, top_k, class_id, name, dtype)

    def result(self) -> Any:
        """``tp / (tp + fn)`` (0 where there was no positive)."""
        return self._ratio(self.true_positives, self.true_positives + self.false_negatives)
