"""``Dropout``: during training, switch off a random part of the activations at each step."""

from __future__ import annotations

from typing import Any

import numpy as np

import autograd as ag
from autograd import Tensor
from nn import _random_draws
from nn.layers.layer import KerasShape, Layer


class Dropout(Layer):
    """Zero each input element with probability ``rate`` in training; identity in inference
    (``keras.layers.Dropout``).

    The kept elements are scaled by ``1 / (1 - rate)`` (inverted dropout), so the expected
    output equals the input and inference needs no correction. Each call in training draws a
    new mask; backward uses the mask of its own forward. Training is Keras' ``training=``: the
    value given at the call, else that of the enclosing call (``fit``, a model called with
    ``training=True``), else inference.

    Args:
        rate: The fraction of elements to drop, in ``[0, 1]`` (1 drops everything).
        noise_shape: A mask shape to share one draw along some axes: one entry per input axis,
            1 to share the draw along that axis, None for the input's size.
        seed: An int or a ``numpy.random.Generator``: the masks of successive calls follow
            from it, so a seeded layer repeats the same sequence of masks. None takes a
            Generator from the root that ``nn.set_random_seed`` restarts, when the layer is made.
        **kwargs: ``input_shape``, ``name``, ``dtype``, ``trainable``: see ``Layer``.

    Examples:
        >>> import autograd as ag
        >>> from nn import layers
        >>> layer = layers.Dropout(0.5, seed=0)
        >>> layer(ag.ones((1, 4)), training=True).numpy()
        array([[2., 0., 0., 0.]], dtype=float32)
        >>> layer(ag.ones((1, 4))).numpy()
        array([[1., 1., 1., 1.]], dtype=float32)
    """

    def __init__(self, rate: float, noise_shape: Any = None, seed: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(seed=seed, **kwargs)
        if isinstance(rate, bool) or not isinstance(rate, (int, float, np.floating)) \
                or not 0 <= rate <= 1:
            raise ValueError(f"Invalid value received for argument `rate`. Expected a float "
                             f"value between 0 and 1. Received: rate={rate!r}")
        self.rate = float(rate)
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self._build_if_declared()

    def _mask_shape(self, shape: KerasShape) -> KerasShape:
        if self.noise_shape is None:
            return shape
        if len(self.noise_shape) != len(shape) or any(
                n is not None and n not in (1, size) for n, size in zip(self.noise_shape, shape)):
            raise ValueError(f"Dropout '{self.name}' expects noise_shape to have one entry per "
                             f"input axis, each 1, None or the input's size. Received: "
                             f"noise_shape={self.noise_shape} for an input of shape {shape}")
        return tuple(size if n is None else n for n, size in zip(self.noise_shape, shape))

    def forward(self, x: Tensor, training: bool = False) -> Tensor:
        """Drop and rescale in training; return ``x`` unchanged in inference."""
        if not training or self.rate == 0.0:
            return x
        if self.rate == 1.0:
            return x * ag.zeros(x.shape, dtype=x.dtype)  # as Keras: zeros, and zero gradients
        dropped: Tensor = x * _random_draws.dropout_scale(
            self._rng, self._mask_shape(tuple(x.shape)), self.rate, x.dtype)
        return dropped

    def compute_output_shape(self, input_shape: KerasShape) -> KerasShape:
        """The input shape."""
        return tuple(input_shape)

    def extra_repr(self) -> str:
        return f"rate={self.rate}"
