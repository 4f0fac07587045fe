"""Activation functions, by name (``activation="relu"``) or called directly: ``keras.activations``.

Names, arguments and defaults are Keras 3's (``relu(x, negative_slope=0.0, max_value=None,
threshold=0.0)``, ``leaky_relu(x, negative_slope=0.2)``, ``softmax(x, axis=-1)``, ...), and so
are the formulas. Most are autograd operations or short compositions of them; the exact GELU's
normal distribution function and sparsemax are primitives of their own, in
``nn._activation_primitives``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import autograd as ag
from autograd import Node
from nn._activation_primitives import normal_cdf, sparsemax_op
from nn._checks import as_node

__all__ = [
    "celu", "deserialize", "elu", "exponential", "gelu", "get", "glu", "hard_shrink",
    "hard_sigmoid", "hard_silu", "hard_swish", "hard_tanh", "leaky_relu", "linear",
    "log_sigmoid", "log_softmax", "mish", "relu", "relu6", "selu", "serialize", "sigmoid", "silu",
    "soft_shrink", "softmax", "softplus", "softsign", "sparse_plus", "sparse_sigmoid",
    "sparsemax", "squareplus", "swish", "tanh", "tanh_shrink", "threshold",
]

def linear(x: Any) -> Any:
    """The identity: ``activation=None`` and ``"linear"`` mean no activation."""
    return as_node(x)


def relu(x: Any, negative_slope: float = 0.0, max_value: float | None = None,
         threshold: float = 0.0) -> Any:
    """Keras' rectified linear unit: ``max(x, 0)`` with the default settings.

    With settings: ``x`` where ``x > threshold`` (else 0), at most ``max_value``, minus
    ``negative_slope * relu(threshold - x)`` (Keras' formula, so below the threshold the
    output is ``negative_slope * (x - threshold)``).

    Examples:
        >>> import nn
        >>> nn.activations.relu([-10.0, -5.0, 0.0, 5.0, 10.0], max_value=5.0).numpy()
        array([0., 0., 0., 5., 5.], dtype=float32)
    """
    x = as_node(x)
    negative_slope, threshold = float(negative_slope), float(threshold)
    if negative_slope != 0.0 and max_value is None and threshold == 0.0:
        return x.leaky_relu(negative_slope)
    negative_part = (threshold - x).relu() if negative_slope != 0.0 else None
    y = ag.where(x > threshold, x, 0.0) if threshold != 0.0 else x.relu()
    if max_value is not None:
        y = y.clip(min=0.0, max=float(max_value))
    if negative_part is not None:
        y = y - negative_part * negative_slope
    return y


def relu6(x: Any) -> Any:
    """``min(max(x, 0), 6)``."""
    return as_node(x).clip(min=0.0, max=6.0)


def sigmoid(x: Any) -> Any:
    """``1 / (1 + exp(-x))``, between 0 and 1, computed without overflow."""
    return as_node(x).sigmoid()


def hard_sigmoid(x: Any) -> Any:
    """A piecewise-linear sigmoid: ``relu6(x + 3) / 6``."""
    return (as_node(x) + 3.0).clip(min=0.0, max=6.0) / 6.0


def log_sigmoid(x: Any) -> Any:
    """``log(sigmoid(x)) = -softplus(-x)``, computed without overflow."""
    return -((-as_node(x)).softplus())


def silu(x: Any) -> Any:
    """Swish: ``x * sigmoid(x)``."""
    x = as_node(x)
    return x * x.sigmoid()


def hard_silu(x: Any) -> Any:
    """``x * hard_sigmoid(x)``."""
    x = as_node(x)
    return x * hard_sigmoid(x)


# Other names of the same functions, as in Keras (``serialize`` gives "silu", "hard_silu").
swish = silu
hard_swish = hard_silu


def tanh(x: Any) -> Any:
    """The hyperbolic tangent, between -1 and 1."""
    return as_node(x).tanh()


def hard_tanh(x: Any) -> Any:
    """``x`` clipped to ``[-1, 1]``."""
    return as_node(x).clip(min=-1.0, max=1.0)


def tanh_shrink(x: Any) -> Any:
    """``x - tanh(x)``."""
    x = as_node(x)
    return x - x.tanh()


def softplus(x: Any) -> Any:
    """``log(1 + exp(x))``, a smooth ReLU, computed without overflow."""
    return as_node(x).softplus()


def softsign(x: Any) -> Any:
    """``x / (1 + |x|)``."""
    x = as_node(x)
    return x / (x.abs() + 1.0)


def mish(x: Any) -> Any:
    """``x * tanh(softplus(x))``."""
    x = as_node(x)
    return x * x.softplus().tanh()


def exponential(x: Any) -> Any:
    """``exp(x)``."""
    return as_node(x).exp()


def squareplus(x: Any, b: float = 4) -> Any:
    """``(x + sqrt(x^2 + b)) / 2``, a smooth ReLU made of square roots."""
    x = as_node(x)
    return (x + (x * x + float(b)).sqrt()) / 2.0


def sparse_plus(x: Any) -> Any:
    """0 below -1, ``x`` above 1, ``(x + 1)^2 / 4`` between."""
    x = as_node(x)
    middle = (x + 1.0) * (x + 1.0) / 4.0
    return ag.where(x <= -1.0, 0.0, ag.where(x >= 1.0, x, middle))


def sparse_sigmoid(x: Any) -> Any:
    """0 below -1, 1 above 1, ``(x + 1) / 2`` between."""
    return ((as_node(x) + 1.0) / 2.0).clip(min=0.0, max=1.0)


def hard_shrink(x: Any, threshold: float = 0.5) -> Any:
    """``x`` where ``|x| > threshold``, else 0."""
    x = as_node(x)
    return ag.where(x.abs() > float(threshold), x, 0.0)


def soft_shrink(x: Any, threshold: float = 0.5) -> Any:
    """``x - threshold`` above ``threshold``, ``x + threshold`` below ``-threshold``, else 0."""
    x = as_node(x)
    t = float(threshold)
    return ag.where(x > t, x - t, ag.where(x < -t, x + t, 0.0))


def threshold(x: Any, threshold: float, default_value: float) -> Any:
    """``x`` where ``x > threshold``, else ``default_value``."""
    x = as_node(x)
    return ag.where(x > float(threshold), x, float(default_value))


def softmax(x: Any, axis: int = -1) -> Any:
    """``exp(x) / sum(exp(x))`` along ``axis``: positive values summing to 1 (probabilities)."""
    return ag.softmax(as_node(x), axis=axis)


def log_softmax(x: Any, axis: int = -1) -> Any:
    """The logarithm of ``softmax`` along ``axis``, computed stably."""
    return ag.log_softmax(as_node(x), axis=axis)


def glu(x: Any, axis: int = -1) -> Any:
    """Gated linear unit: the two halves ``a, b`` of ``x`` along ``axis`` give
    ``a * sigmoid(b)``."""
    x = as_node(x)
    size = x.shape[axis]
    if size % 2:
        raise ValueError(f"glu expects an even size along axis {axis}. Received: input of "
                         f"shape {tuple(x.shape)}")
    axis = axis % x.ndim
    first = tuple(slice(0, size // 2) if i == axis else slice(None) for i in range(x.ndim))
    second = tuple(slice(size // 2, size) if i == axis else slice(None) for i in range(x.ndim))
    return x[first] * x[second].sigmoid()


def sparsemax(x: Any, axis: int = -1) -> Any:
    """Sparsemax along ``axis``: the Euclidean projection onto the probability simplex, like
    softmax but with exact zeros.

    Examples:
        >>> import nn
        >>> nn.activations.sparsemax([[0.0, 1.0, 3.0]]).numpy()
        array([[0., 0., 1.]], dtype=float32)
    """
    return sparsemax_op(as_node(x), axis=axis)


def leaky_relu(x: Any, negative_slope: float = 0.2) -> Any:
    """``x`` where positive, ``negative_slope * x`` elsewhere. The default, 0.2, is that of
    Keras' activation function; the ``LeakyReLU`` layer's default is 0.3, also as in Keras."""
    return as_node(x).leaky_relu(float(negative_slope))


def elu(x: Any, alpha: float = 1.0) -> Any:
    """``x`` where positive, ``alpha * (exp(x) - 1)`` elsewhere.

    Examples:
        >>> import nn
        >>> nn.activations.elu([-1.0, 2.0]).numpy().round(4)
        array([-0.6321,  2.    ], dtype=float32)
    """
    x = as_node(x)
    # exp of the clipped value: large positive x never reaches exp (no overflow), and the
    # where() sends it no gradient through that branch either.
    negative_part = ((x.clip(max=0.0)).exp() - 1.0) * float(alpha)
    return ag.where(x > 0, x, negative_part)


def celu(x: Any, alpha: float = 1.0) -> Any:
    """``x`` where positive, ``alpha * (exp(x / alpha) - 1)`` elsewhere."""
    x = as_node(x)
    alpha = float(alpha)
    negative_part = ((x.clip(max=0.0) / alpha).exp() - 1.0) * alpha
    return ag.where(x > 0, x, negative_part)


# SELU's constants, as Keras (and the paper) give them.
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(x: Any) -> Any:
    """Scaled ELU: ``scale * elu(x, alpha)`` with the self-normalizing constants."""
    return elu(x, _SELU_ALPHA) * _SELU_SCALE


def gelu(x: Any, approximate: bool = False) -> Any:
    """Gaussian error linear unit: ``x * Phi(x)``, Phi the standard normal distribution.

    Args:
        x: A tensor (or array-like data).
        approximate: Use the tanh approximation
            ``x / 2 * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 x^3)))`` instead of the exact form.

    Examples:
        >>> import nn
        >>> nn.activations.gelu([-1.0, 0.0, 1.0]).numpy().round(4)
        array([-0.1587,  0.    ,  0.8413], dtype=float32)
    """
    x = as_node(x)
    if approximate:
        # (1 + tanh(u)) / 2 = sigmoid(2u): the sigmoid form has no cancellation for large -u.
        inner = (x + x * x * x * 0.044715) * (2.0 * math.sqrt(2.0 / math.pi))
        return x * inner.sigmoid()
    return x * normal_cdf(x)


_BY_NAME: dict[str, Callable[..., Node]] = {
    "swish": swish, "hard_swish": hard_swish, **{f.__name__: f for f in (
        celu, elu, exponential, gelu, glu, hard_shrink, hard_sigmoid, hard_silu,
        hard_tanh, leaky_relu, linear, log_sigmoid, log_softmax, mish, relu, relu6, selu,
        sigmoid, silu, soft_shrink, softmax, softplus, softsign, sparse_plus, sparse_sigmoid,
        sparsemax, squareplus, tanh, tanh_shrink, threshold)},
}


def get(identifier: Any) -> Callable[..., Any]:
    """An activation function from a name, a callable, or None (the identity).

    Examples:
        >>> import nn
        >>> nn.activations.get("relu")([-1.0, 2.0]).numpy()
        array([0., 2.], dtype=float32)
    """
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        function = _BY_NAME.get(identifier)
        if function is None:
            raise ValueError(f"Could not interpret activation function identifier: "
                             f"{identifier!r}. Known names: {', '.join(sorted(_BY_NAME))}")
        return function
    if callable(identifier):
        activation: Callable[..., Any] = identifier
        return activation
    raise ValueError(f"Could not interpret activation function identifier: {identifier!r}. "
                     f"Use a name such as 'relu', a function, or None")


def serialize(activation: Callable[..., Any]) -> str:
    """The name under which ``get``/``deserialize`` find a built-in activation again.

    Examples:
        >>> import nn
        >>> nn.activations.serialize(nn.activations.relu)
        'relu'
    """
    name = getattr(activation, "__name__", None)
    if name is None or _BY_NAME.get(name) is not activation:
        raise ValueError(f"serialize: {activation!r} is not one of nn.activations' functions, "
                         f"so it has no name to store. Pass a built-in activation")
    value: str = name
    return value


def deserialize(config: Any,
                custom_objects: dict[str, Any] | None = None) -> Callable[..., Any]:
    """The activation a ``serialize`` name stands for (``custom_objects`` maps extra names)."""
    if isinstance(config, str) and custom_objects and config in custom_objects:
        custom: Callable[..., Any] = custom_objects[config]
        return custom
    if not isinstance(config, str):
        raise ValueError(f"deserialize expects an activation's name. Received: {config!r}")
    return get(config)


def name_of(activation: Callable[..., Any]) -> str:
    """The name an activation is shown with in a layer's ``repr``."""
    return getattr(activation, "__name__", None) or type(activation).__name__
