"""nn.models: Keras' ``keras.models`` (``Sequential``, ``Model``, ``load_model``,
``clone_model``), the same objects as ``nn.Sequential``, ``nn.Model`` and ``nn.load_model``.

Examples:
    >>> import nn as keras
    >>> model = keras.models.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
    >>> model is not None and keras.models.Model is keras.Model
    True
"""

from nn.saving import load_model
from nn.training.cloning import clone_model
from nn.training.model import Model
from nn.training.sequential import Sequential

__all__ = ["Model", "Sequential", "clone_model", "load_model"]
