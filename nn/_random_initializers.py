"""The random initializers of ``nn.initializers``, with Keras' formulas: normal, truncated
normal and uniform draws, the variance-scaling family (Glorot, He, LeCun) and orthogonal
matrices. Their draws come from numpy generators (see ``Initializer``)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from nn import _checks
from nn._initializer_base import Initializer, no_axes


def compute_fans(shape: tuple[int, ...]) -> tuple[int, int]:
    """``(fan_in, fan_out)`` of a kernel: ``(in, out)`` for a Dense kernel; for a convolution
    kernel ``(kh, kw, in, out)`` each is multiplied by the receptive field ``kh * kw``."""
    shape = tuple(shape)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive_field = math.prod(shape[:-2])
    return shape[-2] * receptive_field, shape[-1] * receptive_field


def _truncated_normal(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """Standard normal samples, those beyond two standard deviations drawn again."""
    values = rng.standard_normal(shape)
    outside = np.abs(values) > 2
    while outside.any():
        values[outside] = rng.standard_normal(int(outside.sum()))
        outside = np.abs(values) > 2
    return values


class RandomNormal(Initializer):
    """Normal samples with the given ``mean`` and ``stddev``."""

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: Any = None) -> None:
        self._set_seed(seed)
        self.mean, self.stddev = float(mean), float(stddev)

    def sample(self, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        return rng.normal(self.mean, self.stddev, shape)


class TruncatedNormal(Initializer):
    """Normal samples, redrawn when more than two ``stddev`` away from ``mean``."""

    def __init__(self, mean: float = 0.0, stddev: float = 0.05, seed: Any = None) -> None:
        self._set_seed(seed)
        self.mean, self.stddev = float(mean), float(stddev)

    def sample(self, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        return self.mean + self.stddev * _truncated_normal(rng, shape)


class RandomUniform(Initializer):
    """Uniform samples in ``[minval, maxval)``."""

    def __init__(self, minval: float = -0.05, maxval: float = 0.05, seed: Any = None) -> None:
        self._set_seed(seed)
        if not minval < maxval:
            raise ValueError(f"RandomUniform expects minval < maxval. "
                             f"Received: minval={minval}, maxval={maxval}")
        self.minval, self.maxval = float(minval), float(maxval)

    def sample(self, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
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

    Examples:
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
        no_axes(type(self).__name__, input_axes, output_axes)
        self._set_seed(seed)
        if not scale > 0:
            raise ValueError(f"VarianceScaling expects scale > 0. Received: scale={scale}")
        self.scale = float(scale)
        self.mode = _checks.choice(mode, ("fan_in", "fan_out", "fan_avg"), "VarianceScaling",
                                   "mode")
        self.distribution = _checks.choice(
            distribution, ("truncated_normal", "untruncated_normal", "uniform"),
            "VarianceScaling", "distribution")

    def sample(self, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        fan_in, fan_out = compute_fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        variance = self.scale / max(1.0, n)
        if self.distribution == "uniform":
            limit = math.sqrt(3.0 * variance)
            return rng.uniform(-limit, limit, shape)
        if self.distribution == "untruncated_normal":
            return math.sqrt(variance) * rng.standard_normal(shape)
        return math.sqrt(variance) / self._TRUNCATED_STD * _truncated_normal(rng, shape)

    def get_config(self) -> dict[str, Any]:
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

    def sample(self, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
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
