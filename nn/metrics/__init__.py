"""nn.metrics: Keras 3's metrics, ``update_state(y_true, y_pred, sample_weight=None)``,
``result()``, ``reset_state()``; reported by ``fit`` and ``evaluate`` when given to
``compile(metrics=[...])``."""

from nn.metrics.accuracy import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
)
from nn.metrics.auc import AUC
from nn.metrics.base import Mean, MeanMetricWrapper, Metric
from nn.metrics.confusion import Precision, Recall
from nn.metrics.counts import FalseNegatives, FalsePositives, TrueNegatives, TruePositives
from nn.metrics.f_score import F1Score, FBetaScore
from nn.metrics.probabilistic import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    CategoricalHinge,
    Hinge,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
    SquaredHinge,
)
from nn.metrics.r2 import R2Score
from nn.metrics.registry import get
from nn.metrics.regression import (
    CosineSimilarity,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    RootMeanSquaredError,
)
from nn.metrics.top_k import (
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)

__all__ = [
    "AUC", "Accuracy", "BinaryAccuracy", "BinaryCrossentropy", "CategoricalAccuracy",
    "CategoricalCrossentropy", "CategoricalHinge", "CosineSimilarity", "F1Score", "FBetaScore",
    "FalseNegatives", "FalsePositives", "Hinge", "KLDivergence",
    "LogCoshError", "Mean", "MeanAbsoluteError", "MeanAbsolutePercentageError",
    "MeanMetricWrapper", "MeanSquaredError", "MeanSquaredLogarithmicError", "Metric", "Poisson",
    "Precision", "R2Score", "Recall", "RootMeanSquaredError", "SparseCategoricalAccuracy",
    "SparseCategoricalCrossentropy", "SparseTopKCategoricalAccuracy", "SquaredHinge",
    "TopKCategoricalAccuracy", "TrueNegatives", "TruePositives", "binary_accuracy",
    "categorical_accuracy", "get",
    "sparse_categorical_accuracy", "sparse_top_k_categorical_accuracy",
    "top_k_categorical_accuracy",
]
