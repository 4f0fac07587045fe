"""Layers that reshape or look up rather than compute: ``Flatten`` and ``Embedding``."""

from __future__ import annotations

import math
from typing import Any

from autograd import Tensor
from nn import _checks, initializers, regularizers
from nn import _keras_ops as F
from nn.layers.layer import Layer


class Flatten(Layer):
    """Turn each example into a vector: ``(batch, d1, d2, ...)`` -> ``(batch, d1 * d2 * ...)``.

    Example:
        >>> import autograd as ag, nn
        >>> nn.Flatten()(ag.zeros((8, 28, 28, 1))).shape
        (8, 784)
    """

    min_ndim = 1

    def __init__(self, *, input_shape: Any = None, name: str | None = None) -> None:
        super().__init__(input_shape=input_shape, name=name)
        self._build_if_declared()

    def forward(self, x: Tensor) -> Tensor:
        """The examples of ``x`` as rows."""
        return x.reshape(x.shape[0], -1)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        """``(batch, product of the other sizes)``; None when one of them is unknown."""
        rest = tuple(input_shape)[1:]
        size = None if None in rest else math.prod(rest)
        return (input_shape[0], size)


class Embedding(Layer):
    """A learned vector for each integer id: row ``i`` of ``embeddings`` stands for id ``i``.

    Args:
        input_dim: The number of ids (the vocabulary size); ids run from 0 to ``input_dim - 1``.
        output_dim: The length of each vector.
        embeddings_initializer: Keras' default ``"uniform"``, in ``[-0.05, 0.05)``.
        embeddings_regularizer: A regularizer or None.
        input_shape, seed, dtype, name: See ``Layer``.

    Example:
        >>> import nn
        >>> layer = nn.Embedding(input_dim=10, output_dim=3, seed=0)
        >>> layer([[1, 2, 2]]).shape
        (1, 3, 3)
    """

    min_ndim = 1
    float_inputs = False

    def __init__(self, input_dim: int, output_dim: int,
                 embeddings_initializer: Any = "uniform", embeddings_regularizer: Any = None,
                 input_shape: Any = None, *, seed: Any = None, dtype: Any = None,
                 name: str | None = None) -> None:
        super().__init__(input_shape=input_shape, seed=seed, dtype=dtype, name=name)
        self.input_dim = _checks.positive_int(input_dim, "Embedding", "input_dim")
        self.output_dim = _checks.positive_int(output_dim, "Embedding", "output_dim")
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self._build_if_declared()

    def build(self, input_shape: tuple) -> None:
        """Create ``embeddings`` of shape ``(input_dim, output_dim)``."""
        self.add_weight("embeddings", (self.input_dim, self.output_dim),
                        self.embeddings_initializer, self.embeddings_regularizer)
        super().build(input_shape)

    def forward(self, ids: Tensor) -> Tensor:
        """The vectors of ``ids``: shape ``ids.shape + (output_dim,)``."""
        rows = F.embedding_indices(ids, self.input_dim, f"Embedding '{self.name}'")
        return self.embeddings[rows]

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        """The input shape with ``output_dim`` appended."""
        return (*tuple(input_shape), self.output_dim)

    def extra_repr(self) -> str:
        return f"input_dim={self.input_dim}, output_dim={self.output_dim}"
