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

import inspect
import math
from collections.abc import Callable
from typing import Any

import numpy as np

import autograd as ag
from nn import _checks

__all__ = [
    "Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "Identity",
    "IdentityInitializer", "Initializer", "LecunNormal", "LecunUniform", "Ones", "Orthogonal",
    "OrthogonalInitializer", "RandomNormal", "RandomUniform", "TruncatedNormal",
    "VarianceScaling", "Zeros", "constant", "deserialize", "get", "glorot_normal",
    "glorot_uniform", "he_normal", "he_uniform", "identity", "lecun_normal", "lecun_uniform",
    "ones", "orthogonal", "random_normal", "random_uniform", "serialize", "truncated_normal",
    "variance_scaling", "zeros",
]


def compute_fans(shape: tuple) -> tuple[int, int]:
    """``(fan_in, fan_out)`` of a kernel: ``(in, out)`` for a Dense kernel; for a convolution
    kernel ``(kh, kw, in, out)`` each is multiplied by the receptive field ``kh * kw``."""
    shape = tuple(shape)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive_field = math.prod(shape[:-2])
    return shape[-2] * receptive_field, shape[-1] * receptive_field


def _truncated_normal(rng: np.random.Generator, shape: tuple) -> np.ndarray:
    """Standard normal samples, those beyond two standard deviations drawn again."""
    values = rng.standard_normal(shape)
    outside = np.abs(values) > 2
    while outside.any():
        values[outside] = rng.standard_normal(int(outside.sum()))
        outside = np.abs(values) > 2
    return values


class Initializer:
    """Base class: ``initializer(shape, dtype=None)`` returns a numpy array, as in Keras.

    Subclasses write ``sample(shape, rng)``; those that draw at random take a ``seed`` (an int:
    the same values at every call, as in Keras; a Generator: its stream continues; None: the
    ``rng`` given at the call, a layer's generator, or else the next generator of autograd's
    root).
    """

    seed: Any = None

    def _set_seed(self, seed: Any) -> None:
        if seed is not None and not isinstance(seed, (int, np.integer, np.random.Generator)):
            raise TypeError(f"{type(self).__name__} expects seed to be an int, a "
                            f"numpy.random.Generator or None. Received: seed={seed!r}")
        self.seed = seed

    def __call__(self, shape: Any, dtype: Any = None, rng: Any = None) -> np.ndarray:
        shape = _checks.shape_tuple(shape, type(self).__name__, "shape")
        dtype = ag.get_default_dtype() if dtype is None else np.dtype(dtype)
        generator = ag.as_generator(self.seed if self.seed is not None else rng)
        return np.asarray(self.sample(shape, generator), dtype=dtype)

    def sample(self, shape: tuple, rng: np.random.Generator) -> np.ndarray:
        """The values, as float64; ``__call__`` converts them to the dtype asked for."""
        raise NotImplementedError(f"{type(self).__name__} must define sample(shape, rng)")

    def get_config(self) -> dict:
        """The constructor's arguments, as Keras' ``get_config`` gives them."""
        names = [n for n in inspect.signature(type(self).__init__).parameters if n != "self"]
        config = {n: getattr(self, n) for n in names if hasattr(self, n)}
        if isinstance(config.get("seed"), np.random.Generator):
            config["seed"] = None  # a Generator's position is not a setting
        return config

    @classmethod
    def from_config(cls, config: dict) -> Initializer:
        """A new initializer from ``get_config()`` data."""
        return cls(**config)

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items() if k != "seed")
        return f"{type(self).__name__}({settings})"


def _no_axes(who: str, input_axes: Any, output_axes: Any) -> None:
    """Keras' ``input_axes``/``output_axes`` (fans of einsum kernels) are not supported."""
    for name, value in (("input_axes", input_axes), ("output_axes", output_axes)):
        if value is not None:
            raise ValueError(f"{who}: {name}={value!r} is not supported by this library; only "
                             f"the Keras default {name}=None is (fans from the last two axes). "
                             f"Remove the argument.")


class Zeros(Initializer):
    """All zeros (the default for biases)."""

    def sample(self, shape: tuple, rng: np.random.Generator) -> np.ndarray:
        return np.zeros(shape)


class Ones(Initializer):
    """All ones (the default for batch normalization's scale)."""

    def sample(self, shape: tuple, rng: np.random.Generator) -> np.ndarray:
        return np.ones(shape)


class Constant(Initializer):
    """Every value equal to ``value`` (a number, or an array broadcast to the shape)."""

    def __init__(self, value: Any = 0.0) -> None:
        array = np.asarray(value, dtype=np.float64)
        self.value = float(array) if array.ndim == 0 else array.tolist()

    def sample(self, shape: tuple, rng: np.random.Generator) -> np.ndarray:
        return np.broadcast_to(np.asarray(self.value, dtype=np.float64), shape).copy()


class Identity(Initializer):
    """``gain`` times the identity matrix, for 2-D shapes (rectangular ones included)."""

    def __init__(self, gain: float = 1.0) -> None:
        self.gain = float(gain)

    def sample(self, shape: tuple, rng: np.random.Generator) -> np.ndarray:
        if len(shape) != 2:
            raise ValueError(f"Identity matrix initializer can only be used for 2D matrices. "
                             f"Received: shape={shape} of rank {len(shape)}.")
        return self.gain * np.eye(*shape)


class RandomNormal(Initializer):
    """Normal samples with the given ``mean`` and ``stddev``."""

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: Any = None) -> None:
        self._set_seed(seed)
        self.mean, self.stddev = float(mean), float(stddev)

    def sample(self, shape: tuple, rng: np.random.Generator) -> np.ndarray:
        return rng.normal(self.mean, self.stddev, shape)


class TruncatedNormal(Initializer):
    """Normal samples, redrawn when more than two ``stddev`` away from ``mean``."""

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: Any = None) -> None:
        self._set_seed(seed)
        self.mean, self.stddev = float(mean), float(stddev)

    def sample(self, shape: tuple, rng: np.random.Generator) -> np.ndarray:
        return self.mean + self.stddev * _truncated_normal(rng, shape)


class RandomUniform(Initializer):
    """Uniform samples in ``[minval, maxval)``."""

    def __init__(self, minval: float = -0.05, maxval: float = 0.05, seed: Any = None) -> None:
        self._set_seed(seed)
        if not minval < maxval:
            raise ValueError(f"RandomUniform expects minval < maxval. "
                             f"Received: minval={minval}, maxval={maxval}")
        self.minval, self.maxval = float(minval), float(maxval)

    def sample(self, shape: tuple, rng: np.random.Generator) -> np.ndarray:
        return rng.uniform(self.minval, self.maxval, shape)


class VarianceScaling(Initializer):
    """Samples of variance ``scale / n``, ``n`` being the fan-in, fan-out or their average.

    Args:
        scale: The variance numerator, > 0.
        mode: ``"fan_in"``, ``"fan_out"`` or ``"fan_avg"``.
        distribution: ``"truncated_normal"`` (cut at two standard deviations, the standard
            deviation enlarged so the variance stays ``scale / n``), ``"untruncated_normal"``
            or ``"uniform"`` (on ``[-limit, limit]`` with ``limit = sqrt(3 scale / n)``).
        seed: An int or a Generator.
        input_axes, output_axes: Only None (Keras' default) is supported.

    Example:
        >>> import nn
        >>> w = nn.initializers.VarianceScaling(2.0, "fan_in", "uniform", seed=0)((100, 10))
        >>> bool(abs(w.var() - 2.0 / 100) < 0.002)
        True
    """

    # The standard deviation of a standard normal cut at +-2: dividing by it restores variance 1.
    _TRUNCATED_STD = 0.87962566103423978

    def __init__(self, scale: float = 1.0, mode: str = "fan_in",
                 distribution: str = "truncated_normal", seed: Any = None,
                 input_axes: Any = None, output_axes: Any = None) -> None:
        _no_axes(type(self).__name__, input_axes, output_axes)
        self._set_seed(seed)
        if not scale > 0:
            raise ValueError(f"VarianceScaling expects scale > 0. Received: scale={scale}")
        self.scale = float(scale)
        self.mode = _checks.choice(mode, ("fan_in", "fan_out", "fan_avg"), "VarianceScaling",
                                   "mode")
        self.distribution = _checks.choice(
            distribution, ("truncated_normal", "untruncated_normal", "uniform"),
            "VarianceScaling", "distribution")

    def sample(self, shape: tuple, rng: np.random.Generator) -> np.ndarray:
        fan_in, fan_out = compute_fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        variance = self.scale / max(1.0, n)
        if self.distribution == "uniform":
            limit = math.sqrt(3.0 * variance)
            return rng.uniform(-limit, limit, shape)
        if self.distribution == "untruncated_normal":
            return math.sqrt(variance) * rng.standard_normal(shape)
        return math.sqrt(variance) / self._TRUNCATED_STD * _truncated_normal(rng, shape)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(input_axes=None, output_axes=None)
        return config

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(scale={self.scale}, mode={self.mode!r}, "
                f"distribution={self.distribution!r})")


class GlorotUniform(VarianceScaling):
    """Glorot (Xavier) uniform: limit ``sqrt(6 / (fan_in + fan_out))``; Dense's default."""

    def __init__(self, seed: Any = None, input_axes: Any = None,
                 output_axes: Any = None) -> None:
        super().__init__(1.0, "fan_avg", "uniform", seed, input_axes, output_axes)


class GlorotNormal(VarianceScaling):
    """Glorot (Xavier) normal: truncated, variance ``2 / (fan_in + fan_out)``."""

    def __init__(self, seed: Any = None, input_axes: Any = None,
                 output_axes: Any = None) -> None:
        super().__init__(1.0, "fan_avg", "truncated_normal", seed, input_axes, output_axes)


class HeUniform(VarianceScaling):
    """He uniform: limit ``sqrt(6 / fan_in)``, for layers followed by ReLU."""

    def __init__(self, seed: Any = None, input_axes: Any = None,
                 output_axes: Any = None) -> None:
        super().__init__(2.0, "fan_in", "uniform", seed, input_axes, output_axes)


class HeNormal(VarianceScaling):
    """He normal: truncated, variance ``2 / fan_in``, for layers followed by ReLU."""

    def __init__(self, seed: Any = None, input_axes: Any = None,
                 output_axes: Any = None) -> None:
        super().__init__(2.0, "fan_in", "truncated_normal", seed, input_axes, output_axes)


class LecunUniform(VarianceScaling):
    """LeCun uniform: limit ``sqrt(3 / fan_in)``."""

    def __init__(self, seed: Any = None, input_axes: Any = None,
                 output_axes: Any = None) -> None:
        super().__init__(1.0, "fan_in", "uniform", seed, input_axes, output_axes)


class LecunNormal(VarianceScaling):
    """LeCun normal: truncated, variance ``1 / fan_in``."""

    def __init__(self, seed: Any = None, input_axes: Any = None,
                 output_axes: Any = None) -> None:
        super().__init__(1.0, "fan_in", "truncated_normal", seed, input_axes, output_axes)


class Orthogonal(Initializer):
    """A matrix with orthonormal rows or columns (times ``gain``), from the QR decomposition of
    a normal sample; a kernel of more than two axes is treated as ``(prod(shape[:-1]), out)``."""

    def __init__(self, gain: float = 1.0, seed: Any = None) -> None:
        self._set_seed(seed)
        self.gain = float(gain)

    def sample(self, shape: tuple, rng: np.random.Generator) -> np.ndarray:
        if len(shape) < 2:
            raise ValueError(f"Orthogonal expects a shape of at least two axes. "
                             f"Received: shape={shape}")
        rows, cols = math.prod(shape[:-1]), shape[-1]
        q, r = np.linalg.qr(rng.standard_normal((max(rows, cols), min(rows, cols))))
        # Multiplying by the signs of r's diagonal makes the result uniformly distributed.
        q = q * np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        return self.gain * q.reshape(shape)


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


def serialize(initializer: Initializer) -> dict:
    """The initializer as Keras' serialized form: its class name and ``get_config()``.

    Example:
        >>> import nn
        >>> nn.initializers.serialize(nn.initializers.Constant(2.0))["config"]
        {'value': 2.0}
    """
    if not isinstance(initializer, Initializer):
        raise TypeError(f"serialize expects an nn.initializers.Initializer. Received: "
                        f"{initializer!r}")
    return {"module": "keras.initializers", "class_name": type(initializer).__name__,
            "config": initializer.get_config(), "registered_name": None}


def deserialize(config: Any, custom_objects: dict | None = None) -> Initializer:
    """An initializer from ``serialize``'s dict or a name (``custom_objects`` maps extra
    class names to classes)."""
    if isinstance(config, str):
        return get(config)
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Could not interpret initializer identifier: {config!r}")
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _BY_NAME.get(_checks.snake_case(name))
    if cls is None:
        raise ValueError(f"Could not interpret initializer identifier: {name!r}. Known names: "
                         f"{', '.join(sorted(_BY_NAME))}")
    return cls(**config.get("config", {}))


def get(identifier: Any) -> Initializer | Callable | None:
    """An initializer from a name (``"he_normal"`` or ``"HeNormal"``), a ``serialize`` dict, an
    object or a callable.

    Example:
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
        return identifier
    raise ValueError(f"Could not interpret initializer identifier: {identifier!r}. Use a "
                     f"name, an Initializer or a function(shape, dtype)")
