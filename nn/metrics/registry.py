"""``nn.metrics.get``: a metric from a Keras name, a class, an object or a function."""

from __future__ import annotations

from typing import Any

from nn.metrics.accuracy import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
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
from nn.metrics.regression import (
    CosineSimilarity,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    RootMeanSquaredError,
)
from nn.metrics.top_k import SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy

_CLASSES = (Metric, Mean, MeanMetricWrapper, Accuracy, BinaryAccuracy, CategoricalAccuracy,
            SparseCategoricalAccuracy, MeanSquaredError, MeanAbsoluteError,
            MeanAbsolutePercentageError, MeanSquaredLogarithmicError, LogCoshError,
            CosineSimilarity, RootMeanSquaredError, Precision, Recall, BinaryCrossentropy,
            CategoricalCrossentropy, SparseCategoricalCrossentropy, Hinge, SquaredHinge,
            CategoricalHinge, KLDivergence, Poisson, AUC, TopKCategoricalAccuracy,
            SparseTopKCategoricalAccuracy, TruePositives, TrueNegatives, FalsePositives,
            FalseNegatives, F1Score, FBetaScore, R2Score)
# Keras' names (keras.metrics.get): snake-case class names and the short aliases.
_BY_NAME: dict[str, type] = {
    **{cls.__name__: cls for cls in _CLASSES},
    "accuracy": Accuracy, "binary_accuracy": BinaryAccuracy,
    "categorical_accuracy": CategoricalAccuracy,
    "sparse_categorical_accuracy": SparseCategoricalAccuracy,
    "mean_squared_error": MeanSquaredError, "mse": MeanSquaredError, "MSE": MeanSquaredError,
    "mean_absolute_error": MeanAbsoluteError, "mae": MeanAbsoluteError,
    "MAE": MeanAbsoluteError,
    "mean_absolute_percentage_error": MeanAbsolutePercentageError,
    "mape": MeanAbsolutePercentageError, "MAPE": MeanAbsolutePercentageError,
    "mean_squared_logarithmic_error": MeanSquaredLogarithmicError,
    "msle": MeanSquaredLogarithmicError, "MSLE": MeanSquaredLogarithmicError,
    "log_cosh_error": LogCoshError, "cosine_similarity": CosineSimilarity,
    "root_mean_squared_error": RootMeanSquaredError, "mean": Mean,
    "precision": Precision, "recall": Recall,
    "binary_crossentropy": BinaryCrossentropy, "bce": BinaryCrossentropy,
    "BCE": BinaryCrossentropy, "categorical_crossentropy": CategoricalCrossentropy,
    "sparse_categorical_crossentropy": SparseCategoricalCrossentropy, "hinge": Hinge,
    "squared_hinge": SquaredHinge, "categorical_hinge": CategoricalHinge,
    "kl_divergence": KLDivergence, "poisson": Poisson, "auc": AUC,
    "top_k_categorical_accuracy": TopKCategoricalAccuracy,
    "sparse_top_k_categorical_accuracy": SparseTopKCategoricalAccuracy,
    "true_positives": TruePositives, "true_negatives": TrueNegatives,
    "false_positives": FalsePositives, "false_negatives": FalseNegatives,
    # Keras' snake case of FBetaScore is f_beta_score ('fbeta_score', its default name, is
    # not a name Keras resolves)
    "f1_score": F1Score, "f_beta_score": FBetaScore, "r2_score": R2Score,
}


def get(identifier: Any) -> Any:
    """The metric for a Keras name, a class, a metric object or a function, as
    ``keras.metrics.get``: a name or a class gives a new object, an object or a function is
    returned as it is, None gives None. Names are case-sensitive, as in Keras.

    Examples:
        >>> from nn import metrics
        >>> metrics.get("mae")
        <MeanAbsoluteError name=mean_absolute_error>
    """
    if identifier is None:
        return None
    obj = _BY_NAME.get(identifier) if isinstance(identifier, str) else identifier
    if isinstance(obj, type):
        return obj()
    if obj is None or not callable(obj) and not isinstance(obj, Metric):
        raise ValueError(f"Could not interpret metric identifier: {identifier!r}. Use a "
                         f"Metric object, a function fn(y_true, y_pred) or one of "
                         f"{sorted(_BY_NAME)}")
    return obj
