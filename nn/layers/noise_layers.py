"""Keras' other random regularization layers: ``GaussianNoise``, ``GaussianDropout`` and
``SpatialDropout2D``. Like ``Dropout``, each is random in training only (Keras' ``training=``:
given at the call, else the enclosing call's, else inference) and the identity in inference."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd import Tensor
from nn import _checks, _random_draws
from nn.layers.dropout import Dropout
from nn.layers.layer import KerasShape, Layer


def _fraction(value: Any, arg: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)) \
            or not 0 <= value <= 1:
        raise ValueError(f"Invalid value received for argument `{arg}`. Expected a float value "
                         f"between 0 and 1. Received: {arg}={value!r}")
    return float(value)


class GaussianNoise(Layer):
    """Add normal noise of standard deviation ``stddev`` in training; identity in inference.

    Args:
        stddev: The noise's standard deviation, in ``[0, 1]``.
        seed: An int or a ``numpy.random.Generator`` for the noise.
        **kwargs: ``input_shape``, ``name``, ``dtype``, ``trainable``: see ``Layer``.

    Examples:
        >>> import numpy as np
        >>> from nn import layers
        >>> layers.GaussianNoise(0.1, seed=0)(np.zeros((1, 3))).numpy()
        array([[0., 0., 0.]], dtype=float32)
    """

    def __init__(self, stddev: float, seed: Any = None, **kwargs: Any) -> None:
        super().__init__(seed=seed, **kwargs)
        self.stddev = _fraction(stddev, "stddev")
        self._build_if_declared()

    def forward(self, x: Tensor, training: bool = False) -> Tensor:
        """``x + noise`` in training, ``x`` in inference."""
        if not training or self.stddev == 0.0:
            return x
        noisy: Tensor = x + _random_draws.normal(self._rng, 0.0, self.stddev, tuple(x.shape),
                                                 x.dtype)
        return noisy

    def compute_output_shape(self, input_shape: KerasShape) -> KerasShape:
        """The input shape."""
        return tuple(input_shape)


class GaussianDropout(Layer):
    """Multiply by normal noise of mean 1 and variance ``rate / (1 - rate)`` in training (the
    variance of inverted dropout at that rate); identity in inference.

    Args:
        rate: The dropout rate the noise imitates, in ``[0, 1)`` when training (Keras accepts
            1 but cannot train with it: the variance is infinite).
        seed: An int or a ``numpy.random.Generator`` for the noise.
        **kwargs: ``input_shape``, ``name``, ``dtype``, ``trainable``: see ``Layer``.
    """

    def __init__(self, rate: float, seed: Any = None, **kwargs: Any) -> None:
        super().__init__(seed=seed, **kwargs)
        self.rate = _fraction(rate, "rate")
        self._build_if_declared()

    def forward(self, x: Tensor, training: bool = False) -> Tensor:
        """``x * noise`` in training, ``x`` in inference."""
        if not training or self.rate == 0.0:
            return x
        if self.rate == 1.0:
            raise ValueError(f"GaussianDropout '{self.name}' with rate=1 has noise of infinite "
                             f"variance and cannot train. Use a rate below 1.")
        stddev = math.sqrt(self.rate / (1.0 - self.rate))
        result: Tensor = x * _random_draws.normal(self._rng, 1.0, stddev, tuple(x.shape), x.dtype)
        return result

    def compute_output_shape(self, input_shape: KerasShape) -> KerasShape:
        """The input shape."""
        return tuple(input_shape)


class SpatialDropout2D(Dropout):
    """Drop whole channels of each image in training (one draw per example and channel), the
    kept ones scaled by ``1 / (1 - rate)``; identity in inference.

    Args:
        rate: The fraction of channels to drop, in ``[0, 1]``.
        data_format: ``"channels_last"`` (None means it) or ``"channels_first"``.
        seed: An int or a ``numpy.random.Generator`` for the masks.
        name, dtype: See ``Layer`` (Keras' ``SpatialDropout2D`` takes no other keyword).
    """

    ndim = 4

    def __init__(self, rate: float, data_format: str | None = None, seed: Any = None,
                 name: str | None = None, dtype: Any = None) -> None:
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.data_format = _checks.choice(data_format or "channels_last",
                                          ("channels_last", "channels_first"),
                                          "SpatialDropout2D", "data_format")

    def _mask_shape(self, shape: KerasShape) -> KerasShape:
        n, a, b, c = shape
        return (n, a, 1, 1) if self.data_format == "channels_first" else (n, 1, 1, c)
