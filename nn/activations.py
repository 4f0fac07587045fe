"""Activation functions, by name (``activation="relu"``) or called directly.

Most are autograd operations already (``relu``, ``sigmoid``, ``tanh``, ``softplus``,
``softmax``); ``elu`` and ``gelu`` are composed here from primitives. GELU's exact form needs the
normal distribution function Phi, which numpy lacks: ``normal_cdf`` is a primitive defined here
with ``math.erfc``, and its derivative, the normal density, is written with graph operations so
that higher-order gradients work too.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

import autograd as ag
from autograd import Node
from nn._checks import as_node

_SQRT_HALF = math.sqrt(0.5)
# sqrt(1/2) - _SQRT_HALF, the rounding error of the float above: 40-digit decimal arithmetic
# gives it (tests/test_nn_layers.py recomputes it); a literal spares every import of nn the
# decimal module, whose memory would count against the import's budget (M1).
_SQRT_HALF_LOW = -4.833646656726457e-17
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
_erfc = np.vectorize(math.erfc, otypes=[np.float64])


def _rounding_error_of_product(a: np.ndarray, b: float) -> np.ndarray:
    """``a * b - fl(a * b)`` exactly (Dekker's two-product, splitting each factor in halves)."""
    split = 134217729.0  # 2**27 + 1
    product = a * b
    with np.errstate(over="ignore", invalid="ignore"):  # huge or infinite a: no correction
        a_big = split * a
        a_high = a_big - (a_big - a)
        b_big = split * b
        b_high = b_big - (b_big - b)
        a_low, b_low = a - a_high, b - b_high
        error = ((a_high * b_high - product) + a_high * b_low + a_low * b_high) + a_low * b_low
    return error


def _phi(x: Any) -> Any:
    # Phi(x) = erfc(-x / sqrt 2) / 2: erfc keeps full relative precision in the far left tail,
    # where 1 + erf(x / sqrt 2) would cancel to 0. There erfc is so steep that the rounding of
    # its argument alone would cost hundreds of ulps, so the argument's rounding error is
    # computed exactly and corrected for to first order (erfc' = -2/sqrt(pi) exp(-z^2)).
    values = np.asarray(x, dtype=np.float64)
    z = -values * _SQRT_HALF
    dz = -(_rounding_error_of_product(values, _SQRT_HALF) + values * _SQRT_HALF_LOW)
    dz = np.where(np.isfinite(dz), dz, 0.0)
    with np.errstate(over="ignore", under="ignore"):  # exp(-z^2) is 0 far out: no correction
        phi = 0.5 * (_erfc(z) - _TWO_OVER_SQRT_PI * np.exp(-z * z) * dz)
    return float(phi) if isinstance(x, float) else phi.astype(x.dtype)


# d Phi(x) = phi(x) = exp(-x^2 / 2) / sqrt(2 pi), the standard normal density
normal_cdf = ag.Op(
    "normal_cdf", _phi,
    (lambda g, y, x: g * (x * x * -0.5).exp() * _INV_SQRT_2PI,),
    label="Φ", rule="d Φ(x) = exp(-x²/2) / √(2π)")


def linear(x: Any) -> Any:
    """The identity: ``activation=None`` and ``"linear"`` mean no activation."""
    return as_node(x)


def relu(x: Any) -> Any:
    """``max(x, 0)``."""
    return as_node(x).relu()


def sigmoid(x: Any) -> Any:
    """``1 / (1 + exp(-x))``, between 0 and 1, computed without overflow."""
    return as_node(x).sigmoid()


def tanh(x: Any) -> Any:
    """The hyperbolic tangent, between -1 and 1."""
    return as_node(x).tanh()


def softplus(x: Any) -> Any:
    """``log(1 + exp(x))``, a smooth ReLU, computed without overflow."""
    return as_node(x).softplus()


def softmax(x: Any, axis: int = -1, *, dim: int | None = None) -> Any:
    """``exp(x) / sum(exp(x))`` along ``axis`` (or PyTorch's ``dim``): positive values summing
    to 1 (probabilities)."""
    return ag.softmax(as_node(x), axis=axis, dim=dim)


def log_softmax(x: Any, axis: int = -1, *, dim: int | None = None) -> Any:
    """The logarithm of ``softmax`` along ``axis`` (or ``dim``), computed stably."""
    return ag.log_softmax(as_node(x), axis=axis, dim=dim)


def leaky_relu(x: Any, negative_slope: float = 0.2) -> Any:
    """``x`` where positive, ``negative_slope * x`` elsewhere. The default, 0.2, is that of
    Keras' activation function; the ``LeakyReLU`` layer's default is 0.3, also as in Keras."""
    return as_node(x).leaky_relu(negative_slope)


def elu(x: Any, alpha: float = 1.0) -> Any:
    """``x`` where positive, ``alpha * (exp(x) - 1)`` elsewhere.

    Example:
        >>> import nn
        >>> nn.activations.elu([-1.0, 2.0]).numpy().round(4)
        array([-0.6321,  2.    ], dtype=float32)
    """
    x = as_node(x)
    # exp of the clipped value: large positive x never reaches exp (no overflow), and the
    # where() sends it no gradient through that branch either.
    negative_part = ((x.clip(max=0.0)).exp() - 1.0) * float(alpha)
    return ag.where(x > 0, x, negative_part)


def gelu(x: Any, approximate: bool = False) -> Any:
    """Gaussian error linear unit: ``x * Phi(x)``, Phi the standard normal distribution.

    Args:
        x: A tensor (or array-like data).
        approximate: Use the tanh approximation
            ``x / 2 * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 x^3)))`` instead of the exact form.

    Example:
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
    "linear": linear, "relu": relu, "sigmoid": sigmoid, "tanh": tanh, "softmax": softmax,
    "log_softmax": log_softmax, "gelu": gelu, "elu": elu, "leaky_relu": leaky_relu,
    "softplus": softplus,
}


def get(identifier: Any) -> Callable[..., Node]:
    """An activation function from a name, a callable, or None (the identity).

    Example:
        >>> import nn
        >>> nn.activations.get("relu")([-1.0, 2.0]).numpy()
        array([0., 2.], dtype=float32)
    """
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        function = _BY_NAME.get(identifier.lower())
        if function is None:
            raise ValueError(f"Unknown activation function: {identifier!r}. Known names: "
                             f"{', '.join(_BY_NAME)}")
        return function
    if callable(identifier):
        return identifier
    raise TypeError(f"Could not interpret activation function identifier: {identifier!r}. "
                    f"Use a name such as 'relu', a function, or None")


def name_of(activation: Callable) -> str:
    """The name an activation is shown with in a layer's ``repr``."""
    return getattr(activation, "__name__", None) or type(activation).__name__
