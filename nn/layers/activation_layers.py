"""Activations as layers, for models written as a list of layers.

Each computes the function of the same name in ``nn.activations`` and has no weights, so its
output has the shape of its input.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from autograd import Tensor
from nn import activations
from nn.layers.layer import Layer


class Activation(Layer):
    """Apply an activation given by name or function: ``Activation("relu")``.

    Example:
        >>> import nn
        >>> nn.Activation("relu")([[-1.0, 2.0]]).numpy()
        array([[0., 2.]], dtype=float32)
    """

    def __init__(self, activation: Any, *, input_shape: Any = None,
                 name: str | None = None) -> None:
        super().__init__(input_shape=input_shape, name=name)
        self.activation = activations.get(activation)
        self._build_if_declared()

    def forward(self, x: Tensor) -> Tensor:
        """The activation of ``x``, element by element (or along an axis for softmax)."""
        return self.activation(x)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        """The input shape: activations keep it."""
        return tuple(input_shape)

    def extra_repr(self) -> str:
        # The named subclasses show their settings instead of the function.
        return activations.name_of(self.activation) if type(self) is Activation else ""


class _FixedActivation(Activation):
    """An activation layer for one function, its class's ``function``."""

    function: Callable[[Tensor], Tensor]

    def __init__(self, *, input_shape: Any = None, name: str | None = None) -> None:
        super().__init__(type(self).function, input_shape=input_shape, name=name)


class ReLU(_FixedActivation):
    """``max(x, 0)``."""

    function = staticmethod(activations.relu)


class Sigmoid(_FixedActivation):
    """``1 / (1 + exp(-x))``."""

    function = staticmethod(activations.sigmoid)


class Tanh(_FixedActivation):
    """The hyperbolic tangent."""

    function = staticmethod(activations.tanh)


class Softplus(_FixedActivation):
    """``log(1 + exp(x))``."""

    function = staticmethod(activations.softplus)


class LeakyReLU(Activation):
    """``x`` where positive, ``negative_slope * x`` elsewhere (Keras' default slope, 0.3)."""

    def __init__(self, negative_slope: float = 0.3, *, input_shape: Any = None,
                 name: str | None = None) -> None:
        if isinstance(negative_slope, bool) or not isinstance(negative_slope, (int, float)) \
                or negative_slope < 0:
            raise ValueError(f"LeakyReLU expects negative_slope to be a number >= 0. "
                             f"Received: negative_slope={negative_slope!r}")
        slope = float(negative_slope)
        super().__init__(lambda x: activations.leaky_relu(x, slope), input_shape=input_shape,
                         name=name)
        self.negative_slope = slope

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class ELU(Activation):
    """``x`` where positive, ``alpha * (exp(x) - 1)`` elsewhere."""

    def __init__(self, alpha: float = 1.0, *, input_shape: Any = None,
                 name: str | None = None) -> None:
        alpha = float(alpha)
        super().__init__(lambda x: activations.elu(x, alpha), input_shape=input_shape,
                         name=name)
        self.alpha = alpha

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"


class Softmax(Activation):
    """``exp(x) / sum(exp(x))`` along ``axis``: each slice becomes probabilities."""

    def __init__(self, axis: int = -1, *, input_shape: Any = None,
                 name: str | None = None) -> None:
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise TypeError(f"Softmax expects axis to be an int. Received: axis={axis!r}")
        super().__init__(lambda x: activations.softmax(x, axis), input_shape=input_shape,
                         name=name)
        self.axis = axis

    def extra_repr(self) -> str:
        return f"axis={self.axis}"


class GELU(Activation):
    """``x * Phi(x)``, exact by default; ``approximate=True`` uses the tanh formula."""

    def __init__(self, approximate: bool = False, *, input_shape: Any = None,
                 name: str | None = None) -> None:
        approximate = bool(approximate)
        super().__init__(lambda x: activations.gelu(x, approximate), input_shape=input_shape,
                         name=name)
        self.approximate = approximate

    def extra_repr(self) -> str:
        return f"approximate={self.approximate}"
