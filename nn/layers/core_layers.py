"""Layers that reshape or look up rather than compute: ``Flatten`` and ``Embedding``."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd import Tensor
from nn import _checks, initializers, regularizers
from nn import _keras_ops as F
from nn.layers.layer import KerasShape, Layer, refuse_unsupported


class Flatten(Layer):
    """Turn each example into a vector: ``(batch, d1, d2, ...)`` -> ``(batch, d1 * d2 * ...)``
    (``keras.layers.Flatten``).

    Args:
        data_format: ``"channels_last"`` (None means it) keeps the order of the elements;
            ``"channels_first"`` moves axis 1 last first, as Keras does, so that the result is
            the one a channels-last copy of the input would give.
        **kwargs: ``input_shape``, ``name``, ``dtype``, ``trainable``: see ``Layer``.

    Examples:
        >>> import autograd as ag
        >>> from nn import layers
        >>> layers.Flatten()(ag.zeros((8, 28, 28, 1))).shape
        (8, 784)
    """

    min_ndim = 1

    def __init__(self, data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = _checks.choice(data_format or "channels_last",
                                          ("channels_last", "channels_first"), "Flatten",
                                          "data_format")
        self._build_if_declared()

    def forward(self, x: Tensor) -> Tensor:
        """The examples of ``x`` as rows."""
        if self.data_format == "channels_first" and x.ndim > 2:
            x = x.permute(0, *range(2, x.ndim), 1)
        return x.reshape(x.shape[0], -1)

    def compute_output_shape(self, input_shape: KerasShape) -> KerasShape:
        """``(batch, product of the other sizes)``; None when one of them is unknown."""
        rest = tuple(input_shape)[1:]
        size = None if None in rest else math.prod(rest)  # type: ignore[arg-type]  # (no None)
        return (input_shape[0], size)


class Embedding(Layer):
    """A learned vector for each integer id: row ``i`` of ``embeddings`` stands for id ``i``
    (``keras.layers.Embedding``).

    Args:
        input_dim: The number of ids (the vocabulary size); ids run from 0 to ``input_dim - 1``.
        output_dim: The length of each vector.
        embeddings_initializer: Keras' default ``"uniform"``, in ``[-0.05, 0.05)``.
        embeddings_regularizer: A regularizer or None.
        weights: The starting table, of shape ``(input_dim, output_dim)``, instead of the
            initializer's values.
        embeddings_constraint, mask_zero, lora_rank, lora_alpha, quantization_config: Only
            Keras' defaults are supported.
        **kwargs: ``input_shape``, ``name``, ``dtype``, ``trainable``, ``seed``: see ``Layer``.

    Examples:
        >>> from nn import layers
        >>> layer = layers.Embedding(input_dim=10, output_dim=3, seed=0)
        >>> layer([[1, 2, 2]]).shape
        (1, 3, 3)
    """

    min_ndim = 1
    float_inputs = False

    def __init__(self, input_dim: int, output_dim: int,
                 embeddings_initializer: Any = "uniform", embeddings_regularizer: Any = None,
                 embeddings_constraint: Any = None, mask_zero: bool = False, weights: Any = None,
                 lora_rank: Any = None, lora_alpha: Any = None, quantization_config: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        refuse_unsupported("Embedding", embeddings_constraint=(embeddings_constraint, None),
                           mask_zero=(mask_zero, False), lora_rank=(lora_rank, None),
                           lora_alpha=(lora_alpha, None),
                           quantization_config=(quantization_config, None))
        self.input_dim = _checks.positive_int(input_dim, "Embedding", "input_dim")
        self.output_dim = _checks.positive_int(output_dim, "Embedding", "output_dim")
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self._initial_weights = None
        if weights is not None:
            table = np.asarray(weights[0] if isinstance(weights, (list, tuple)) else weights)
            if table.shape != (self.input_dim, self.output_dim):
                raise ValueError(f"Embedding expects weights of shape (input_dim, output_dim) = "
                                 f"{(self.input_dim, self.output_dim)}. Received: weights of "
                                 f"shape {table.shape}")
            self._initial_weights = table
            self._build_once((None,))
        self._build_if_declared()

    def build(self, input_shape: KerasShape) -> None:
        """Create ``embeddings`` of shape ``(input_dim, output_dim)``."""
        if self.built:
            return
        initial = self._initial_weights
        self.embeddings = self.add_weight(
            shape=(self.input_dim, self.output_dim),
            initializer=(self.embeddings_initializer if initial is None
                         else lambda shape, dtype: initial.astype(dtype)),
            regularizer=self.embeddings_regularizer, name="embeddings")
        super().build(input_shape)

    def forward(self, ids: Tensor) -> Tensor:
        """The vectors of ``ids``: shape ``ids.shape + (output_dim,)``."""
        rows = F.embedding_indices(ids, self.input_dim, f"Embedding '{self.name}'")
        return self.embeddings[rows]

    def compute_output_shape(self, input_shape: KerasShape) -> KerasShape:
        """The input shape with ``output_dim`` appended."""
        return (*tuple(input_shape), self.output_dim)

    def extra_repr(self) -> str:
        return f"input_dim={self.input_dim}, output_dim={self.output_dim}"
