"""Activations as layers (``keras.layers.Activation``, ``ReLU``, ``LeakyReLU``, ``ELU``,
``Softmax``), for models written as a list of layers.

Each computes the function of the same name in ``nn.activations`` and has no weights, so its
output has the shape of its input. Keras has no ``Sigmoid`` or ``Tanh`` layer: it writes
``Activation("sigmoid")``.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any, overload

from autograd import Tensor
from nn import activations
from nn.layers.layer import KerasShape, Layer


class Activation(Layer):
    """Apply an activation given by name or function: ``Activation("relu")``.

    Args:
        activation: A name from ``nn.activations`` or a function.
        **kwargs: ``input_shape``, ``name``, ``dtype``, ``trainable``: see ``Layer``.

    Examples:
        >>> from nn import layers
        >>> layers.Activation("relu")([[-1.0, 2.0]]).numpy()
        array([[0., 2.]], dtype=float32)
    """

    def __init__(self, activation: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.activation: Callable[[Tensor], Tensor] = activations.get(activation)
        self._build_if_declared()

    def forward(self, x: Tensor) -> Tensor:
        """The activation of ``x``, element by element (or along an axis for softmax)."""
        return self.activation(x)

    def compute_output_shape(self, input_shape: KerasShape) -> KerasShape:
        """The input shape: activations keep it."""
        return tuple(input_shape)

    def extra_repr(self) -> str:
        # The named subclasses show their settings instead of the function.
        return activations.name_of(self.activation) if type(self) is Activation else ""


@overload
def _number(value: Any, who: str, arg: str) -> float: ...
@overload
def _number(value: Any, who: str, arg: str, allow_none: bool) -> float | None: ...
def _number(value: Any, who: str, arg: str, allow_none: bool = False) -> float | None:
    """``value`` as a float >= 0 (or None where allowed), else Keras' ValueError."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or value < 0:
        raise ValueError(f"{arg} of a {who} layer cannot be None or a negative value. "
                         f"Received: {arg}={value!r}")
    return float(value)


class ReLU(Activation):
    """Keras' rectified linear unit: ``max(x, 0)`` by default.

    With its settings, ``x`` above ``threshold``, ``negative_slope * (x - threshold)`` below
    it, and at most ``max_value``: the formula of ``nn.activations.relu``.

    Args:
        max_value: The largest output, >= 0, or None for no limit.
        negative_slope: The slope below the threshold, >= 0.
        threshold: Where the function turns, >= 0.
        **kwargs: ``input_shape``, ``name``, ``dtype``, ``trainable``: see ``Layer``.

    Examples:
        >>> from nn import layers
        >>> layers.ReLU(max_value=1.0)([[-1.0, 0.5, 2.0]]).numpy()
        array([[0. , 0.5, 1. ]], dtype=float32)
    """

    def __init__(self, max_value: float | None = None, negative_slope: float = 0.0,
                 threshold: float = 0.0, **kwargs: Any) -> None:
        settings = (_number(max_value, "ReLU", "max_value", allow_none=True),
                    _number(negative_slope, "ReLU", "negative_slope"),
                    _number(threshold, "ReLU", "threshold"))
        super().__init__(self._relu, **kwargs)
        self.max_value, self.negative_slope, self.threshold = settings

    def _relu(self, x: Tensor) -> Tensor:
        result: Tensor = activations.relu(x, self.negative_slope, self.max_value, self.threshold)
        return result

    def extra_repr(self) -> str:
        return (f"max_value={self.max_value}, negative_slope={self.negative_slope}, "
                f"threshold={self.threshold}")


class LeakyReLU(Activation):
    """``x`` where positive, ``negative_slope * x`` elsewhere (Keras' default slope, 0.3).

    Args:
        negative_slope: The slope for negative inputs, >= 0.
        **kwargs: ``input_shape``, ``name``, ``dtype``, ``trainable``: see ``Layer``.

    Examples:
        >>> from nn import layers
        >>> layers.LeakyReLU()([[-1.0, 2.0]]).numpy()
        array([[-0.3,  2. ]], dtype=float32)
    """

    def __init__(self, negative_slope: float = 0.3, **kwargs: Any) -> None:
        slope = _number(negative_slope, "LeakyReLU", "negative_slope")
        super().__init__(lambda x: activations.leaky_relu(x, slope), **kwargs)
        self.negative_slope = slope

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class ELU(Activation):
    """``x`` where positive, ``alpha * (exp(x) - 1)`` elsewhere.

    Args:
        alpha: The scale of the negative part.
        **kwargs: ``input_shape``, ``name``, ``dtype``, ``trainable``: see ``Layer``.
    """

    def __init__(self, alpha: float = 1.0, **kwargs: Any) -> None:
        alpha = float(alpha)
        super().__init__(lambda x: activations.elu(x, alpha), **kwargs)
        self.alpha = alpha

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"


class Softmax(Activation):
    """``exp(x) / sum(exp(x))`` along ``axis``: each slice becomes probabilities.

    Args:
        axis: The axis that sums to 1.
        **kwargs: ``input_shape``, ``name``, ``dtype``, ``trainable``: see ``Layer``.
    """

    def __init__(self, axis: int = -1, **kwargs: Any) -> None:
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise TypeError(f"Softmax expects axis to be an int. Received: axis={axis!r}")
        super().__init__(lambda x: activations.softmax(x, axis), **kwargs)
        self.axis = axis

    def extra_repr(self) -> str:
        return f"axis={self.axis}"
