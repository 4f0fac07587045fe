"""``Dropout``: during training, switch off a random part of the activations at each step."""

from __future__ import annotations

from typing import Any

from autograd import Tensor
from nn import _keras_ops as F
from nn.layers.layer import Layer


class Dropout(Layer):
    """Zero each input element with probability ``rate`` in training; identity in evaluation.

    The kept elements are scaled by ``1 / (1 - rate)`` (inverted dropout), so the expected
    output equals the input and evaluation needs no correction. Each call in training draws a
    new mask; backward uses the mask of its own forward.

    Args:
        rate: The fraction of elements to drop, in ``[0, 1)``.
        noise_shape: A mask shape to share one draw along some axes (see
            ``nn._keras_ops.dropout``); None for one draw per element.
        seed: An int or a ``numpy.random.Generator``: the masks of successive calls follow
            from it, so a seeded layer repeats the same sequence of masks. None takes a
            Generator from the root that ``nn.set_random_seed`` restarts, when the layer is made.
        input_shape, name: See ``Layer``.

    Example:
        >>> import autograd as ag, nn
        >>> layer = nn.Dropout(0.5, seed=0)
        >>> layer(ag.ones((1, 4))).numpy()
        array([[2., 0., 0., 0.]], dtype=float32)
        >>> layer.eval()(ag.ones((1, 4))).numpy()
        array([[1., 1., 1., 1.]], dtype=float32)
    """

    def __init__(self, rate: float, noise_shape: Any = None, seed: Any = None, *,
                 input_shape: Any = None, name: str | None = None) -> None:
        super().__init__(input_shape=input_shape, seed=seed, name=name)
        self.rate = F.check_rate(rate, "Dropout")
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self._build_if_declared()

    def forward(self, x: Tensor, training: bool | None = None) -> Tensor:
        """Drop and rescale when training (``training`` overrides the module's mode)."""
        training = self.training if training is None else bool(training)
        return F.dropout(x, self.rate, training, self._rng, self.noise_shape)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        """The input shape."""
        return tuple(input_shape)

    def extra_repr(self) -> str:
        return f"rate={self.rate}"
