"""Metrics reported during training: running values over the batches of an epoch.

A metric is not differentiated: it reads numpy predictions and targets, accumulates, and reports
``result()``. Names follow Keras; ``'accuracy'`` picks binary, categorical or sparse accuracy
from the shapes it sees, as Keras does.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nn.training.data import align_target


class Metric:
    """Base class: ``update_state`` per batch, ``result`` for the epoch, ``reset_state`` between.

    Subclasses keep a weighted total, so that an epoch's value is the mean over samples whatever
    the batch sizes.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.reset_state()

    def reset_state(self) -> None:
        """Forget everything accumulated."""
        self._total = 0.0
        self._count = 0.0

    def values(self, prediction: np.ndarray, target: np.ndarray) -> np.ndarray:
        """One value per sample; the epoch's result is their mean."""
        raise NotImplementedError

    def update_state(self, prediction: Any, target: Any) -> None:
        """Add one batch."""
        per_sample = np.asarray(self.values(np.asarray(prediction), np.asarray(target)),
                                dtype=np.float64)
        self._total += float(per_sample.sum())
        self._count += per_sample.size

    def result(self) -> float:
        """The mean over every sample seen since the last reset (0.0 before any)."""
        return self._total / self._count if self._count else 0.0

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"


class BinaryAccuracy(Metric):
    """Share of predictions on the right side of ``threshold`` (probabilities vs 0/1 targets)."""

    def __init__(self, name: str = "binary_accuracy", threshold: float = 0.5) -> None:
        self.threshold = threshold
        super().__init__(name)

    def values(self, prediction: np.ndarray, target: np.ndarray) -> np.ndarray:
        target = align_target(prediction, target)
        return (prediction > self.threshold) == (target > 0.5)


class CategoricalAccuracy(Metric):
    """Share of samples whose highest score is the class marked in a one-hot target."""

    def __init__(self, name: str = "categorical_accuracy") -> None:
        super().__init__(name)

    def values(self, prediction: np.ndarray, target: np.ndarray) -> np.ndarray:
        return np.argmax(prediction, axis=-1) == np.argmax(target, axis=-1)


class SparseCategoricalAccuracy(Metric):
    """Share of samples whose highest score is the integer class in the target."""

    def __init__(self, name: str = "sparse_categorical_accuracy") -> None:
        super().__init__(name)

    def values(self, prediction: np.ndarray, target: np.ndarray) -> np.ndarray:
        target = target.reshape(prediction.shape[:-1])
        return np.argmax(prediction, axis=-1) == target.astype(np.int64)


class Accuracy(Metric):
    """Keras' ``'accuracy'``: binary for one output column, categorical for one-hot targets,
    sparse for integer targets."""

    def __init__(self, name: str = "accuracy") -> None:
        self._binary = BinaryAccuracy()
        self._categorical = CategoricalAccuracy()
        self._sparse = SparseCategoricalAccuracy()
        super().__init__(name)

    def values(self, prediction: np.ndarray, target: np.ndarray) -> np.ndarray:
        if prediction.ndim == 1 or prediction.shape[-1] == 1:
            return self._binary.values(prediction, target)
        if target.shape == prediction.shape:
            return self._categorical.values(prediction, target)
        return self._sparse.values(prediction, target)


class MeanAbsoluteError(Metric):
    """Mean of ``|prediction - target|``."""

    def __init__(self, name: str = "mean_absolute_error") -> None:
        super().__init__(name)

    def values(self, prediction: np.ndarray, target: np.ndarray) -> np.ndarray:
        return np.abs(prediction - align_target(prediction, target))


class MeanSquaredError(Metric):
    """Mean of ``(prediction - target)²``."""

    def __init__(self, name: str = "mean_squared_error") -> None:
        super().__init__(name)

    def values(self, prediction: np.ndarray, target: np.ndarray) -> np.ndarray:
        return (prediction - align_target(prediction, target)) ** 2


class _Counts(Metric):
    """Binary (or multi-label) true/false positive counts at a threshold."""

    def __init__(self, name: str, threshold: float) -> None:
        self.threshold = threshold
        super().__init__(name)

    def reset_state(self) -> None:
        self.true_positives = 0
        self.false_positives = 0
        self.false_negatives = 0

    def update_state(self, prediction: Any, target: Any) -> None:
        prediction, target = np.asarray(prediction), np.asarray(target)
        predicted = prediction > self.threshold
        actual = align_target(prediction, target) > 0.5
        self.true_positives += int(np.sum(predicted & actual))
        self.false_positives += int(np.sum(predicted & ~actual))
        self.false_negatives += int(np.sum(~predicted & actual))


class Precision(_Counts):
    """Of the samples predicted positive, the share that are positive."""

    def __init__(self, name: str = "precision", threshold: float = 0.5) -> None:
        super().__init__(name, threshold)

    def result(self) -> float:
        predicted = self.true_positives + self.false_positives
        return self.true_positives / predicted if predicted else 0.0


class Recall(_Counts):
    """Of the positive samples, the share predicted positive."""

    def __init__(self, name: str = "recall", threshold: float = 0.5) -> None:
        super().__init__(name, threshold)

    def result(self) -> float:
        actual = self.true_positives + self.false_negatives
        return self.true_positives / actual if actual else 0.0


_BY_NAME = {
    "accuracy": Accuracy, "acc": Accuracy,
    "binary_accuracy": BinaryAccuracy,
    "categorical_accuracy": CategoricalAccuracy,
    "sparse_categorical_accuracy": SparseCategoricalAccuracy,
    "mean_absolute_error": MeanAbsoluteError, "mae": MeanAbsoluteError,
    "mean_squared_error": MeanSquaredError, "mse": MeanSquaredError,
    "precision": Precision,
    "recall": Recall,
}


def get(identifier: Any) -> Metric:
    """A metric from a Keras name (``'accuracy'``, ``'mae'``, ...) or a ``Metric`` instance.

    The metric keeps the name it was asked by, so ``metrics=['mae']`` reports ``'mae'``.
    """
    if isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, str) and identifier in _BY_NAME:
        return _BY_NAME[identifier](name=identifier)
    if isinstance(identifier, type) and issubclass(identifier, Metric):
        return identifier()
    raise ValueError(
        f"Unknown metric: {identifier!r}. Use a Metric instance or one of "
        f"{sorted(_BY_NAME)}."
    )
