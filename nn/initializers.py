"""Initializers: the starting values of weights, by name (``"glorot_uniform"``) or as objects:
``keras.initializers``, with Keras 3's names, arguments and defaults.

The formulas are Keras'; the random draws come from numpy, so seeded values differ from Keras'
(whose streams are JAX's) while their distributions are the same. The variance-scaling family
draws with variance ``scale / n``, where ``n`` is the kernel's fan-in, fan-out or their average
(``compute_fans``): Glorot uses the average, He and LeCun the fan-in, with ``scale`` 1 (Glorot,
LeCun) or 2 (He, suited to ReLU).

Randomness comes from a seed or a ``numpy.random.Generator``, never from numpy's global state.
An int seed gives the same values at every call (as in Keras); a Generator continues its stream.
Without a seed, the initializer draws from the ``rng`` its caller passes (a layer's
generator), or else from the next generator of autograd's root, which ``autograd.manual_seed`` and
``nn.set_random_seed`` restart.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nn import _checks
from nn._initializer_base import Initializer
from nn._random_initializers import (
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    Orthogonal,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    VarianceScaling,
    compute_fans,  # noqa: F401  (the fans, for readers)
)

__all__ = [
    "Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "Identity",
    "IdentityInitializer", "Initializer", "LecunNormal", "LecunUniform", "Ones", "Orthogonal",
    "OrthogonalInitializer", "RandomNormal", "RandomUniform", "TruncatedNormal",
    "VarianceScaling", "Zeros", "constant", "deserialize", "get", "glorot_normal",
    "glorot_uniform", "he_normal", "he_uniform", "identity", "lecun_normal", "lecun_uniform",
    "ones", "orthogonal", "random_normal", "random_uniform", "serialize", "truncated_normal",
    "variance_scaling", "zeros",
]


class Zeros(Initializer):
    """All zeros (the default for biases)."""

    def sample(self, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        return np.zeros(shape)


class Ones(Initializer):
    """All ones (the default for batch normalization's scale)."""

    def sample(self, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        return np.ones(shape)


class Constant(Initializer):
    """Every value equal to ``value`` (a number, or an array broadcast to the shape)."""

    def __init__(self, value: Any = 0.0) -> None:
        array = np.asarray(value, dtype=np.float64)
        self.value = float(array) if array.ndim == 0 else array.tolist()

    def sample(self, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        result: np.ndarray = np.broadcast_to(np.asarray(self.value, dtype=np.float64), shape).copy()
        return result


class Identity(Initializer):
    """``gain`` times the identity matrix, for 2-D shapes (rectangular ones included)."""

    def __init__(self, gain: float = 1.0) -> None:
        self.gain = float(gain)

    def sample(self, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        if len(shape) != 2:
            raise ValueError(f"Identity matrix initializer can only be used for 2D matrices. "
                             f"Received: shape={shape} of rank {len(shape)}.")
        return self.gain * np.eye(*shape)


# Keras' other names for the same classes.
IdentityInitializer = Identity
OrthogonalInitializer = Orthogonal
constant, identity, ones, zeros, orthogonal = Constant, Identity, Ones, Zeros, Orthogonal
random_normal, random_uniform, truncated_normal = RandomNormal, RandomUniform, TruncatedNormal
variance_scaling, glorot_uniform, glorot_normal = VarianceScaling, GlorotUniform, GlorotNormal
he_uniform, he_normal, lecun_uniform, lecun_normal = HeUniform, HeNormal, LecunUniform, LecunNormal

_BY_NAME: dict[str, type[Initializer]] = {
    "zeros": Zeros, "ones": Ones, "constant": Constant, "identity": Identity,
    "random_normal": RandomNormal, "normal": RandomNormal,
    "random_uniform": RandomUniform, "uniform": RandomUniform,
    "truncated_normal": TruncatedNormal, "variance_scaling": VarianceScaling,
    "glorot_uniform": GlorotUniform, "glorot_normal": GlorotNormal,
    "he_uniform": HeUniform, "he_normal": HeNormal,
    "lecun_uniform": LecunUniform, "lecun_normal": LecunNormal,
    "orthogonal": Orthogonal,
}


def serialize(initializer: Initializer) -> dict[str, Any]:
    """The initializer as Keras' serialized form: its class name and ``get_config()``.

    Examples:
        >>> import nn
        >>> nn.initializers.serialize(nn.initializers.Constant(2.0))["config"]
        {'value': 2.0}
    """
    if not isinstance(initializer, Initializer):
        raise TypeError(f"serialize expects an nn.initializers.Initializer. Received: "
                        f"{initializer!r}")
    return {"module": "keras.initializers", "class_name": type(initializer).__name__,
            "config": initializer.get_config(), "registered_name": None}


def deserialize(config: Any, custom_objects: dict[str, Any] | None = None) -> Initializer:
    """An initializer from ``serialize``'s dict or a name (``custom_objects`` maps extra
    class names to classes)."""
    if isinstance(config, str):
        return get(config)  # type: ignore[return-value]  # (a name gives an Initializer)
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Could not interpret initializer identifier: {config!r}")
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _BY_NAME.get(_checks.snake_case(name))
    if cls is None:
        raise ValueError(f"Could not interpret initializer identifier: {name!r}. Known names: "
                         f"{', '.join(sorted(_BY_NAME))}")
    return cls(**config.get("config", {}))


def get(identifier: Any) -> Initializer | Callable[..., Any] | None:
    """An initializer from a name (``"he_normal"`` or ``"HeNormal"``), a ``serialize`` dict, an
    object or a callable.

    Examples:
        >>> import nn
        >>> nn.initializers.get("glorot_uniform")
        GlorotUniform(scale=1.0, mode='fan_avg', distribution='uniform')
    """
    if identifier is None or isinstance(identifier, Initializer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        cls = _BY_NAME.get(_checks.snake_case(identifier))
        if cls is None:
            raise ValueError(f"Could not interpret initializer identifier: {identifier!r}. "
                             f"Known names: {', '.join(sorted(_BY_NAME))}")
        return cls()
    if callable(identifier):
        result: Initializer | Callable[..., Any] | None = identifier
        return result
    raise ValueError(f"Could not interpret initializer identifier: {identifier!r}. Use a "
                     f"name, an Initializer or a function(shape, dtype)")
