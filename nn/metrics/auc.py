"""Keras 3's ``AUC``: the area under the ROC or precision-recall curve, from weighted counts of
true and false positives and negatives at ``num_thresholds`` thresholds.

The thresholds are evenly spaced in [0, 1] (or given), with one just below 0 and one just above
1 so that the curve reaches its ends. A value is predicted positive where ``y_pred > threshold``
and a label is positive where ``y_true`` is nonzero. The area is a Riemann sum over the
thresholds (``'interpolation'``: trapezoids; ``'minoring'``/``'majoring'``: the lower or higher
side); the precision-recall curve under ``'interpolation'`` uses the Davis-Goadrich
interpolation, as Keras does. ``multi_label=True`` keeps one curve per label (column) and
averages their areas (weighted by ``label_weights``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nn.metrics.base import Metric, as_array, squeeze_or_expand_to_same_rank

EPSILON = 1e-7  # keras.backend.epsilon(): the outer thresholds sit this far outside [0, 1]
_COUNTS = ("true_positives", "false_positives", "true_negatives", "false_negatives")
_CURVES = {"roc": "ROC", "ROC": "ROC", "pr": "PR", "PR": "PR", "prgain": "PRGAIN",
           "PRGAIN": "PRGAIN"}
_SUMS = {"interpolation": "interpolation", "Interpolation": "interpolation",
         "majoring": "majoring", "Majoring": "majoring", "minoring": "minoring",
         "Minoring": "minoring"}


def _divide_no_nan(a: np.ndarray | np.floating[Any],
                   b: np.ndarray | np.floating[Any]) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b != 0, a / np.where(b != 0, b, 1.0), 0.0)


class AUC(Metric):
    """The area under the ROC (``curve='ROC'``) or precision-recall (``'PR'``) curve.

    Examples:
        >>> import nn
        >>> m = nn.metrics.AUC(num_thresholds=3)
        >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
        >>> round(m.result(), 4)
        0.75
    """

    # the confusion counts per threshold, set by reset_state and update_state (_COUNTS)
    true_positives: np.ndarray
    false_positives: np.ndarray
    true_negatives: np.ndarray
    false_negatives: np.ndarray

    def __init__(self, num_thresholds: int = 200, curve: str = "ROC",
                 summation_method: str = "interpolation", name: str | None = None,
                 dtype: Any = None, thresholds: Any = None, multi_label: bool = False,
                 num_labels: int | None = None, label_weights: Any = None,
                 from_logits: bool = False) -> None:
        if curve not in _CURVES:
            raise ValueError(f'Invalid AUC curve value: "{curve}". Expected values are '
                             f'["PR", "ROC", "PRGAIN"]')
        if summation_method not in _SUMS:
            raise ValueError(f'Invalid AUC summation method value: "{summation_method}". '
                             f'Expected values are ["interpolation", "majoring", "minoring"]')
        if thresholds is not None:
            inner = sorted(float(v) for v in thresholds)
            self.num_thresholds = len(inner) + 2
        else:
            if num_thresholds <= 1:
                raise ValueError(f"Argument `num_thresholds` must be an integer > 1. "
                                 f"Received: num_thresholds={num_thresholds}")
            self.num_thresholds = num_thresholds
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        if num_labels and not multi_label:
            raise ValueError("`num_labels` is needed only when `multi_label` is True.")
        super().__init__(name=name, dtype=dtype)
        self._thresholds = np.array([0.0 - EPSILON, *inner, 1.0 + EPSILON])
        self.curve, self.summation_method = _CURVES[curve], _SUMS[summation_method]
        self.multi_label, self.num_labels = multi_label, num_labels
        self.label_weights = (None if label_weights is None
                              else np.asarray(label_weights, dtype=np.float64))
        self._from_logits = from_logits
        self._labels = num_labels if multi_label else None
        if not multi_label or num_labels:
            self.reset_state()

    @property
    def thresholds(self) -> list[float]:
        """The thresholds, the two outer ones included."""
        return list(self._thresholds)

    def reset_state(self) -> None:
        """All counts back to 0 (a multi-label AUC learns its labels at the first batch)."""
        if self.multi_label and not self._labels:
            return
        shape = (self.num_thresholds, self._labels) if self.multi_label else (
            self.num_thresholds,)
        for name in _COUNTS:
            setattr(self, name, np.zeros(shape))

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add one batch's (weighted) counts at every threshold."""
        t = np.asarray(as_array(y_true), dtype=np.float64)
        p = np.asarray(as_array(y_pred), dtype=np.float64)
        if self._from_logits:
            p = 1.0 / (1.0 + np.exp(-p))
        if self.multi_label and not self._labels:
            if p.ndim != 2:
                raise ValueError(f"`y_pred` must have rank 2 when `multi_label=True`. Found "
                                 f"rank {p.ndim}. Full shape received for `y_pred`: {p.shape}")
            self._labels = p.shape[1]
            self.reset_state()
        p, t = squeeze_or_expand_to_same_rank(p, t)
        weights: np.ndarray = np.ones(p.shape)
        if sample_weight is not None:
            w = np.asarray(as_array(sample_weight), dtype=np.float64)[..., None]
            _, w = squeeze_or_expand_to_same_rank(t, w, expand_rank_1=False)
            weights = np.broadcast_to(w, p.shape)
        if self.label_weights is not None and not self.multi_label:
            weights = weights * np.broadcast_to(self.label_weights[None], p.shape)
        actual = np.broadcast_to(t != 0, p.shape)
        if not self.multi_label:
            p, actual, weights = p.reshape(-1), actual.reshape(-1), weights.reshape(-1)
        predicted = p[None] > self._thresholds.reshape((-1,) + (1,) * p.ndim)
        for name, label, guess in (("true_positives", actual, predicted),
                                   ("false_positives", ~actual, predicted),
                                   ("true_negatives", ~actual, ~predicted),
                                   ("false_negatives", actual, ~predicted)):
            counts = np.where(label[None] & guess, weights[None], 0.0).sum(axis=1)
            setattr(self, name, getattr(self, name) + counts)

    def _by_label(self, terms: np.ndarray) -> float:
        if not self.multi_label:
            return float(terms.sum())
        by_label = terms.sum(axis=0)
        if self.label_weights is None:
            return float(by_label.mean())
        return float(_divide_no_nan(np.sum(by_label * self.label_weights),
                                    np.sum(self.label_weights)))

    def _interpolate_pr_auc(self) -> float:
        tp, fp, fn = self.true_positives, self.false_positives, self.false_negatives
        dtp = tp[:-1] - tp[1:]
        positives = tp + fp
        dp = positives[:-1] - positives[1:]
        slope = _divide_no_nan(dtp, np.maximum(dp, 0))
        intercept = tp[1:] - slope * positives[1:]
        both = (positives[:-1] > 0) & (positives[1:] > 0)
        ratio = np.where(both, _divide_no_nan(positives[:-1], np.maximum(positives[1:], 0)), 1.0)
        terms = _divide_no_nan(slope * (dtp + intercept * np.log(np.where(ratio > 0, ratio, 1.0))),
                               np.maximum(tp[1:] + fn[1:], 0))
        return self._by_label(terms)

    def result(self) -> float:
        """The area under the curve (0.0 before any batch)."""
        if self.multi_label and not self._labels:
            return 0.0
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._interpolate_pr_auc()
        tp, fp = self.true_positives, self.false_positives
        tn, fn = self.true_negatives, self.false_negatives
        recall = _divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = _divide_no_nan(fp, fp + tn), recall
        elif self.curve == "PR":
            x, y = recall, _divide_no_nan(tp, tp + fp)
        else:  # PRGAIN
            scale = _divide_no_nan(tp + fn, tn + fp)
            x = np.maximum(np.where(tp == 0, 0.0, 1.0 - scale * _divide_no_nan(fn, tp)), 0.0)
            y = np.where(tp == 0, 1.0, 1.0 - scale * _divide_no_nan(fp, tp))
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = np.minimum(y[:-1], y[1:])
        else:
            heights = np.maximum(y[:-1], y[1:])
        return self._by_label((x[:-1] - x[1:]) * heights)
