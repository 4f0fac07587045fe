"""Keras 3's loss classes, ``Cls(...)(y_true, y_pred, sample_weight=None)``, and ``get``.

Each class binds the options of its function (``nn.losses.Huber(delta=2.0)``) and reduces the
per-sample values as ``keras.losses.Loss`` does (``reduction='sum_over_batch_size'`` by
default). The functions live in ``keras_regression_losses`` and ``keras_crossentropy_losses``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from autograd import Tensor
from nn.losses import keras_crossentropy_losses as ce
from nn.losses import keras_regression_losses as rl
from nn.losses.keras_crossentropy_losses import (  # noqa: F401  (nn.functional's names too)
    binary_crossentropy,
    categorical_crossentropy,
    sparse_categorical_crossentropy,
)
from nn.losses.keras_loss_base import (  # noqa: F401  (as_prediction: the torch losses' too)
    Loss,
    LossFunctionWrapper,
    as_prediction,
)
from nn.losses.keras_regression_losses import (  # noqa: F401  (nn.functional's names too)
    hinge,
    huber,
    mean_absolute_error,
    mean_squared_error,
)

_DEFAULT = "sum_over_batch_size"


class MeanSquaredError(LossFunctionWrapper):
    """``mean_squared_error`` as a loss object.

    Examples:
        >>> import nn
        >>> float(nn.losses.MeanSquaredError()([[0.0], [0.0]], [[1.0], [3.0]]).item())
        5.0
    """

    def __init__(self, reduction: Any = _DEFAULT, name: str = "mean_squared_error",
                 dtype: Any = None) -> None:
        super().__init__(rl.mean_squared_error, reduction=reduction, name=name, dtype=dtype)


class MeanAbsoluteError(LossFunctionWrapper):
    """``mean_absolute_error`` as a loss object."""

    def __init__(self, reduction: Any = _DEFAULT, name: str = "mean_absolute_error",
                 dtype: Any = None) -> None:
        super().__init__(rl.mean_absolute_error, reduction=reduction, name=name, dtype=dtype)


class MeanAbsolutePercentageError(LossFunctionWrapper):
    """``mean_absolute_percentage_error`` as a loss object."""

    def __init__(self, reduction: Any = _DEFAULT,
                 name: str = "mean_absolute_percentage_error", dtype: Any = None) -> None:
        super().__init__(rl.mean_absolute_percentage_error, reduction=reduction, name=name,
                         dtype=dtype)


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """``mean_squared_logarithmic_error`` as a loss object."""

    def __init__(self, reduction: Any = _DEFAULT,
                 name: str = "mean_squared_logarithmic_error", dtype: Any = None) -> None:
        super().__init__(rl.mean_squared_logarithmic_error, reduction=reduction, name=name,
                         dtype=dtype)


class CosineSimilarity(LossFunctionWrapper):
    """``cosine_similarity`` as a loss object."""

    def __init__(self, axis: int = -1, reduction: Any = _DEFAULT,
                 name: str = "cosine_similarity", dtype: Any = None) -> None:
        super().__init__(rl.cosine_similarity, reduction=reduction, name=name, dtype=dtype,
                         axis=axis)


class Huber(LossFunctionWrapper):
    """``huber`` as a loss object."""

    def __init__(self, delta: float = 1.0, reduction: Any = _DEFAULT, name: str = "huber_loss",
                 dtype: Any = None) -> None:
        if not delta > 0:
            raise ValueError(f"Huber: delta must be positive; received delta={delta!r}")
        super().__init__(rl.huber, reduction=reduction, name=name, dtype=dtype, delta=delta)


class LogCosh(LossFunctionWrapper):
    """``log_cosh`` as a loss object."""

    def __init__(self, reduction: Any = _DEFAULT, name: str = "log_cosh",
                 dtype: Any = None) -> None:
        super().__init__(rl.log_cosh, reduction=reduction, name=name, dtype=dtype)


class Hinge(LossFunctionWrapper):
    """``hinge`` as a loss object."""

    def __init__(self, reduction: Any = _DEFAULT, name: str = "hinge",
                 dtype: Any = None) -> None:
        super().__init__(rl.hinge, reduction=reduction, name=name, dtype=dtype)


class SquaredHinge(LossFunctionWrapper):
    """``squared_hinge`` as a loss object."""

    def __init__(self, reduction: Any = _DEFAULT, name: str = "squared_hinge",
                 dtype: Any = None) -> None:
        super().__init__(rl.squared_hinge, reduction=reduction, name=name, dtype=dtype)


class CategoricalHinge(LossFunctionWrapper):
    """``categorical_hinge`` as a loss object."""

    def __init__(self, reduction: Any = _DEFAULT, name: str = "categorical_hinge",
                 dtype: Any = None) -> None:
        super().__init__(rl.categorical_hinge, reduction=reduction, name=name, dtype=dtype)


class KLDivergence(LossFunctionWrapper):
    """``kl_divergence`` as a loss object."""

    def __init__(self, reduction: Any = _DEFAULT, name: str = "kl_divergence",
                 dtype: Any = None) -> None:
        super().__init__(rl.kl_divergence, reduction=reduction, name=name, dtype=dtype)


class Poisson(LossFunctionWrapper):
    """``poisson`` as a loss object."""

    def __init__(self, reduction: Any = _DEFAULT, name: str = "poisson",
                 dtype: Any = None) -> None:
        super().__init__(rl.poisson, reduction=reduction, name=name, dtype=dtype)


class BinaryCrossentropy(LossFunctionWrapper):
    """``binary_crossentropy`` as a loss object.

    Examples:
        >>> import nn
        >>> bce = nn.losses.BinaryCrossentropy(from_logits=True)
        >>> round(float(bce([[0.0], [1.0]], [[0.0], [0.0]]).item()), 4)
        0.6931
    """

    def __init__(self, from_logits: bool = False, label_smoothing: float = 0.0,
                 axis: int = -1, reduction: Any = _DEFAULT, name: str = "binary_crossentropy",
                 dtype: Any = None) -> None:
        super().__init__(ce.binary_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class BinaryFocalCrossentropy(LossFunctionWrapper):
    """``binary_focal_crossentropy`` as a loss object."""

    def __init__(self, apply_class_balancing: bool = False, alpha: float = 0.25,
                 gamma: float = 2.0, from_logits: bool = False, label_smoothing: float = 0.0,
                 axis: int = -1, reduction: Any = _DEFAULT,
                 name: str = "binary_focal_crossentropy", dtype: Any = None) -> None:
        super().__init__(ce.binary_focal_crossentropy, reduction=reduction, name=name,
                         dtype=dtype, apply_class_balancing=apply_class_balancing, alpha=alpha,
                         gamma=gamma, from_logits=from_logits, label_smoothing=label_smoothing,
                         axis=axis)


class CategoricalCrossentropy(LossFunctionWrapper):
    """``categorical_crossentropy`` as a loss object."""

    def __init__(self, from_logits: bool = False, label_smoothing: float = 0.0,
                 axis: int = -1, reduction: Any = _DEFAULT,
                 name: str = "categorical_crossentropy", dtype: Any = None) -> None:
        super().__init__(ce.categorical_crossentropy, reduction=reduction, name=name,
                         dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)


class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """``categorical_focal_crossentropy`` as a loss object."""

    def __init__(self, alpha: float = 0.25, gamma: float = 2.0, from_logits: bool = False,
                 label_smoothing: float = 0.0, axis: int = -1, reduction: Any = _DEFAULT,
                 name: str = "categorical_focal_crossentropy", dtype: Any = None) -> None:
        super().__init__(ce.categorical_focal_crossentropy, reduction=reduction, name=name,
                         dtype=dtype, alpha=alpha, gamma=gamma, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """``sparse_categorical_crossentropy`` as a loss object; rows labelled ``ignore_class``
    are left out of the mean."""

    def __init__(self, from_logits: bool = False, ignore_class: int | None = None,
                 reduction: Any = _DEFAULT, axis: int = -1,
                 name: str = "sparse_categorical_crossentropy", dtype: Any = None) -> None:
        super().__init__(ce.sparse_categorical_crossentropy, reduction=reduction, name=name,
                         dtype=dtype, from_logits=from_logits, ignore_class=ignore_class,
                         axis=axis)

    def mask(self, y_true: Tensor, y_pred: Tensor) -> np.ndarray | None:
        """The rows not labelled ``ignore_class``."""
        ignore_class = self._fn_kwargs["ignore_class"]
        if ignore_class is None:
            return None
        result: np.ndarray | None = (y_true.numpy() != ignore_class).reshape(y_pred.shape[:-1])
        return result


_FUNCTIONS: dict[str, Callable[..., Tensor]] = {
    "mean_squared_error": rl.mean_squared_error, "mse": rl.mean_squared_error,
    "MSE": rl.mean_squared_error,
    "mean_absolute_error": rl.mean_absolute_error, "mae": rl.mean_absolute_error,
    "MAE": rl.mean_absolute_error,
    "mean_absolute_percentage_error": rl.mean_absolute_percentage_error,
    "mape": rl.mean_absolute_percentage_error, "MAPE": rl.mean_absolute_percentage_error,
    "mean_squared_logarithmic_error": rl.mean_squared_logarithmic_error,
    "msle": rl.mean_squared_logarithmic_error, "MSLE": rl.mean_squared_logarithmic_error,
    "cosine_similarity": rl.cosine_similarity, "huber": rl.huber, "log_cosh": rl.log_cosh,
    "hinge": rl.hinge, "squared_hinge": rl.squared_hinge,
    "categorical_hinge": rl.categorical_hinge,
    "kl_divergence": rl.kl_divergence, "kld": rl.kl_divergence, "KLD": rl.kl_divergence,
    "poisson": rl.poisson,
    "binary_crossentropy": ce.binary_crossentropy, "bce": ce.binary_crossentropy,
    "BCE": ce.binary_crossentropy,
    "binary_focal_crossentropy": ce.binary_focal_crossentropy,
    "categorical_crossentropy": ce.categorical_crossentropy,
    "categorical_focal_crossentropy": ce.categorical_focal_crossentropy,
    "sparse_categorical_crossentropy": ce.sparse_categorical_crossentropy,
}
_CLASSES = (Loss, MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
            MeanSquaredLogarithmicError, CosineSimilarity, Huber, LogCosh, Hinge, SquaredHinge,
            CategoricalHinge, KLDivergence, Poisson, BinaryCrossentropy,
            BinaryFocalCrossentropy, CategoricalCrossentropy, CategoricalFocalCrossentropy,
            SparseCategoricalCrossentropy)
_BY_NAME: dict[str, Any] = {**_FUNCTIONS, **{cls.__name__: cls for cls in _CLASSES}}


def get(identifier: Any) -> Any:
    """The loss for a Keras name, a class, a loss object or a function, as ``keras.losses.get``.

    A function name (``'mse'``, ``'binary_crossentropy'``) gives the function; a class name
    (``'MeanSquaredError'``) or a class gives a new object with default options; an object or
    a function is returned as it is; None gives None. Names are case-sensitive, as in Keras.

    Examples:
        >>> from nn import losses
        >>> losses.get("mse") is losses.mean_squared_error
        True
    """
    if identifier is None:
        return None
    obj = _BY_NAME.get(identifier) if isinstance(identifier, str) else identifier
    if isinstance(obj, type):
        return obj()
    if obj is None or not callable(obj):
        raise ValueError(f"Could not interpret loss identifier: {identifier!r}. Use a loss "
                         f"function, a Loss object or one of {sorted(_BY_NAME)}")
    return obj
