"""nn.losses: the Keras losses by function and class (``nn.losses.mean_squared_error``,
``nn.losses.Huber``, ``nn.losses.get("mse")``); the PyTorch-named losses live beside them
(``torch_losses``, ``torch_class_losses``, ``torch_loss_modules``) and are reached through
``nn.functional`` and ``nn``."""

from nn.losses.keras_losses import (
    EPSILON,
    BinaryCrossentropy,
    CategoricalCrossentropy,
    Hinge,
    Huber,
    Loss,
    MeanAbsoluteError,
    MeanSquaredError,
    SparseCategoricalCrossentropy,
    binary_crossentropy,
    categorical_crossentropy,
    get,
    hinge,
    huber,
    mean_absolute_error,
    mean_squared_error,
    sparse_categorical_crossentropy,
    weighted,
)

__all__ = [
    "EPSILON", "BinaryCrossentropy", "CategoricalCrossentropy", "Hinge", "Huber", "Loss",
    "MeanAbsoluteError", "MeanSquaredError", "SparseCategoricalCrossentropy",
    "binary_crossentropy", "categorical_crossentropy", "get", "hinge", "huber",
    "mean_absolute_error", "mean_squared_error", "sparse_categorical_crossentropy", "weighted",
]
