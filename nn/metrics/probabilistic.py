"""Keras 3's metrics that average a loss over samples: the cross-entropies, the hinges, the
KL divergence and the Poisson loss, each the ``nn.losses`` function of the same name in a
``MeanMetricWrapper`` (what ``compile(metrics=['binary_crossentropy'])`` reports)."""

from __future__ import annotations

from typing import Any

import numpy as np

from nn import losses
from nn.metrics.base import MeanMetricWrapper, as_array


class BinaryCrossentropy(MeanMetricWrapper):
    """The mean over samples of ``binary_crossentropy``."""

    def __init__(self, name: str = "binary_crossentropy", dtype: Any = None,
                 from_logits: bool = False, label_smoothing: float = 0) -> None:
        super().__init__(losses.binary_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing)


class CategoricalCrossentropy(MeanMetricWrapper):
    """The mean over samples of ``categorical_crossentropy``."""

    def __init__(self, name: str = "categorical_crossentropy", dtype: Any = None,
                 from_logits: bool = False, label_smoothing: float = 0, axis: int = -1) -> None:
        super().__init__(losses.categorical_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """The mean over samples of ``sparse_categorical_crossentropy``. Rows of ``ignore_class``
    count as 0 without sample weights, and weigh 0 with them, as in Keras' metric."""

    def __init__(self, name: str = "sparse_categorical_crossentropy", dtype: Any = None,
                 from_logits: bool = False, ignore_class: int | None = None,
                 axis: int = -1) -> None:
        super().__init__(losses.sparse_categorical_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, ignore_class=ignore_class, axis=axis)
        self.ignore_class = ignore_class

    # (Keras' signature: y_true and y_pred, where Mean takes the values)
    def update_state(  # type: ignore[override]
            self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Add one batch; with weights, the ignored rows' weights become 0."""
        if self.ignore_class is not None and sample_weight is not None:
            labels = as_array(y_true)
            rows = as_array(y_pred).shape[:-1]
            kept = (labels != self.ignore_class).reshape(rows)
            weights = np.asarray(as_array(sample_weight), dtype=np.float64)
            sample_weight = weights.reshape(weights.shape + (1,) * (kept.ndim - weights.ndim)) \
                * kept
        super().update_state(y_true, y_pred, sample_weight)


class Hinge(MeanMetricWrapper):
    """The mean over samples of ``hinge``."""

    def __init__(self, name: str = "hinge", dtype: Any = None) -> None:
        super().__init__(losses.hinge, name=name, dtype=dtype)


class SquaredHinge(MeanMetricWrapper):
    """The mean over samples of ``squared_hinge``."""

    def __init__(self, name: str = "squared_hinge", dtype: Any = None) -> None:
        super().__init__(losses.squared_hinge, name=name, dtype=dtype)


class CategoricalHinge(MeanMetricWrapper):
    """The mean over samples of ``categorical_hinge``."""

    def __init__(self, name: str = "categorical_hinge", dtype: Any = None) -> None:
        super().__init__(losses.categorical_hinge, name=name, dtype=dtype)


class KLDivergence(MeanMetricWrapper):
    """The mean over samples of ``kl_divergence``."""

    def __init__(self, name: str = "kl_divergence", dtype: Any = None) -> None:
        super().__init__(losses.kl_divergence, name=name, dtype=dtype)


class Poisson(MeanMetricWrapper):
    """The mean over samples of ``poisson``."""

    def __init__(self, name: str = "poisson", dtype: Any = None) -> None:
        super().__init__(losses.poisson, name=name, dtype=dtype)
