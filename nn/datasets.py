"""Small data sets for the examples, generated with numpy from a seed.

Each generator takes ``rng`` (an int seed or a ``numpy.random.Generator``; the same seed gives
the same data; None draws from the root that ``autograd.manual_seed`` and ``nn.set_random_seed``
restart) and returns numpy arrays: features as float32 (``dtype``), class labels as int64,
targets of regression as 1-D arrays.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import autograd as ag
from nn import _checks

# The pairs of the course's first lesson: Celsius in, Fahrenheit out (F = 1.8 C + 32).
_CELSIUS = (-40.0, -10.0, 0.0, 8.0, 15.0, 22.0, 38.0)
_FAHRENHEIT = (-40.0, 14.0, 32.0, 46.0, 59.0, 72.0, 100.0)


def celsius_fahrenheit(n_extra: int = 0, noise: float = 0.0, rng: Any = None,
                       dtype: Any = np.float32) -> tuple[np.ndarray, np.ndarray]:
    """The course's seven temperature pairs, optionally followed by generated ones.

    Args:
        n_extra: How many more pairs to generate, Celsius uniform in ``[-50, 50)``.
        noise: The standard deviation of noise added to the generated Fahrenheit values.
        rng: A seed or Generator for the generated pairs.
        dtype: The arrays' dtype.

    Returns:
        ``(celsius, fahrenheit)``, two 1-D arrays.

    Examples:
        >>> import nn
        >>> celsius, fahrenheit = nn.datasets.celsius_fahrenheit()
        >>> celsius.tolist(), fahrenheit.tolist()
        ([-40.0, -10.0, 0.0, 8.0, 15.0, 22.0, 38.0], [-40.0, 14.0, 32.0, 46.0, 59.0, 72.0, 100.0])
    """
    if n_extra < 0:
        raise ValueError(f"celsius_fahrenheit expects n_extra >= 0. Received: n_extra={n_extra}")
    generator = ag.as_generator(rng)
    extra_c = generator.uniform(-50.0, 50.0, n_extra)
    extra_f = 1.8 * extra_c + 32.0 + noise * generator.standard_normal(n_extra)
    celsius = np.concatenate([_CELSIUS, extra_c]).astype(dtype)
    return celsius, np.concatenate([_FAHRENHEIT, extra_f]).astype(dtype)


def _finish(x: np.ndarray, y: np.ndarray, noise: float, shuffle: bool,
            generator: np.random.Generator, dtype: Any, who: str
            ) -> tuple[np.ndarray, np.ndarray]:
    """Add Gaussian noise to the points, shuffle them with their labels, set the dtypes."""
    if not noise >= 0:
        raise ValueError(f"{who} expects noise >= 0. Received: noise={noise}")
    x = x + noise * generator.standard_normal(x.shape)
    order = generator.permutation(len(x)) if shuffle else np.arange(len(x))
    return x[order].astype(dtype), y[order].astype(np.int64)


def make_moons(n_samples: int = 100, noise: float = 0.0, shuffle: bool = True,
               rng: Any = None, dtype: Any = np.float32) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half circles in the plane: class 0 the upper one, class 1 the lower.

    Returns:
        ``(x, y)``: points of shape ``(n_samples, 2)`` and labels of shape ``(n_samples,)``.

    Examples:
        >>> import nn
        >>> x, y = nn.datasets.make_moons(100, noise=0.1, rng=0)
        >>> x.shape, y.shape, int(y.sum())
        ((100, 2), (100,), 50)
    """
    n_samples = _checks.positive_int(n_samples, "make_moons", "n_samples")
    n_upper = n_samples // 2
    t_upper = np.linspace(0.0, np.pi, n_upper)
    t_lower = np.linspace(0.0, np.pi, n_samples - n_upper)
    upper = np.stack([np.cos(t_upper), np.sin(t_upper)], axis=1)
    lower = np.stack([1.0 - np.cos(t_lower), 0.5 - np.sin(t_lower)], axis=1)
    labels = np.repeat([0, 1], [n_upper, n_samples - n_upper])
    return _finish(np.concatenate([upper, lower]), labels, noise, shuffle,
                   ag.as_generator(rng), dtype,
                   "make_moons")


def make_circles(n_samples: int = 100, noise: float = 0.0, factor: float = 0.8,
                 shuffle: bool = True, rng: Any = None,
                 dtype: Any = np.float32) -> tuple[np.ndarray, np.ndarray]:
    """Two concentric circles: class 0 of radius 1, class 1 of radius ``factor`` (in (0, 1)).

    Examples:
        >>> import numpy as np, nn
        >>> x, y = nn.datasets.make_circles(8, rng=0, shuffle=False)
        >>> np.hypot(x[:, 0], x[:, 1]).astype(float).round(2).tolist()
        [1.0, 1.0, 1.0, 1.0, 0.8, 0.8, 0.8, 0.8]
    """
    n_samples = _checks.positive_int(n_samples, "make_circles", "n_samples")
    if not 0 < factor < 1:
        raise ValueError(f"make_circles expects factor in (0, 1). Received: factor={factor}")
    n_outer = n_samples // 2
    points = []
    for count, radius in ((n_outer, 1.0), (n_samples - n_outer, factor)):
        t = np.linspace(0.0, 2.0 * np.pi, count, endpoint=False)
        points.append(radius * np.stack([np.cos(t), np.sin(t)], axis=1))
    labels = np.repeat([0, 1], [n_outer, n_samples - n_outer])
    return _finish(np.concatenate(points), labels, noise, shuffle, ag.as_generator(rng), dtype,
                   "make_circles")


def make_spirals(n_samples: int = 100, n_classes: int = 2, noise: float = 0.0,
                 shuffle: bool = True, rng: Any = None,
                 dtype: Any = np.float32) -> tuple[np.ndarray, np.ndarray]:
    """``n_classes`` spiral arms winding out from the origin, one class per arm.

    Each arm turns through 4 radians while its radius grows from 0 to 1; ``noise`` is added to
    the points. A linear model cannot separate the arms: a network with hidden layers can.

    Examples:
        >>> import numpy as np, nn
        >>> x, y = nn.datasets.make_spirals(300, n_classes=3, noise=0.05, rng=0)
        >>> x.shape, np.bincount(y).tolist()
        ((300, 2), [100, 100, 100])
    """
    n_samples = _checks.positive_int(n_samples, "make_spirals", "n_samples")
    n_classes = _checks.positive_int(n_classes, "make_spirals", "n_classes")
    counts = [n_samples // n_classes + (k < n_samples % n_classes) for k in range(n_classes)]
    points = []
    for k, count in enumerate(counts):
        radius = np.linspace(0.0, 1.0, count)
        angle = np.linspace(4.0 * k, 4.0 * (k + 1), count)
        points.append(radius[:, None] * np.stack([np.sin(angle), np.cos(angle)], axis=1))
    labels = np.repeat(np.arange(n_classes), counts)
    return _finish(np.concatenate(points), labels, noise, shuffle, ag.as_generator(rng), dtype,
                   "make_spirals")


def make_xor(n_samples: int = 100, noise: float = 0.0, shuffle: bool = True, rng: Any = None,
             dtype: Any = np.float32) -> tuple[np.ndarray, np.ndarray]:
    """Points around the corners of the unit square, labelled with the XOR of the corner's
    coordinates: 1 at ``(0, 1)`` and ``(1, 0)``, 0 at ``(0, 0)`` and ``(1, 1)``.

    Sample ``i`` sits at corner ``i % 4``, so ``make_xor(4, shuffle=False)`` is the truth table.

    Examples:
        >>> import nn
        >>> x, y = nn.datasets.make_xor(4, shuffle=False)
        >>> x.tolist(), y.tolist()
        ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])
    """
    n_samples = _checks.positive_int(n_samples, "make_xor", "n_samples")
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    which = np.arange(n_samples) % 4
    labels = np.array([0, 1, 1, 0])[which]
    return _finish(corners[which], labels, noise, shuffle, ag.as_generator(rng), dtype,
                   "make_xor")


def make_regression(n_samples: int = 100, n_features: int = 1, noise: float = 0.0,
                    weights: Any = None, bias: float = 0.0, coef: bool = False,
                    rng: Any = None, dtype: Any = np.float32) -> tuple[np.ndarray, ...]:
    """A linear relation with noise: ``y = x @ weights + bias + noise * N(0, 1)``.

    Args:
        n_samples, n_features: The shape of ``x``, drawn from the standard normal.
        noise: The standard deviation of the noise on ``y``.
        weights: The true weights (``n_features`` numbers); drawn uniform in ``[-3, 3)`` when
            None.
        bias: The true intercept.
        coef: Also return the true weights.
        rng: A seed or Generator.
        dtype: The arrays' dtype.

    Returns:
        ``(x, y)`` with ``x`` of shape ``(n_samples, n_features)`` and ``y`` of
        ``(n_samples,)``; ``(x, y, weights)`` when ``coef``.

    Examples:
        >>> import numpy as np, nn
        >>> x, y = nn.datasets.make_regression(50, weights=[2.0], bias=1.0, rng=0)
        >>> bool(np.allclose(y, 2 * x[:, 0] + 1, atol=1e-5))
        True
    """
    n_samples = _checks.positive_int(n_samples, "make_regression", "n_samples")
    n_features = _checks.positive_int(n_features, "make_regression", "n_features")
    generator = ag.as_generator(rng)
    if weights is None:
        weights = generator.uniform(-3.0, 3.0, n_features)
    weights = np.asarray(weights, dtype=np.float64).reshape(-1)
    if weights.shape != (n_features,):
        raise ValueError(f"make_regression expects {n_features} weights (one per feature). "
                         f"Received: {weights.size}")
    x = generator.standard_normal((n_samples, n_features))
    y = x @ weights + bias + noise * generator.standard_normal(n_samples)
    result = (x.astype(dtype), y.astype(dtype))
    return (*result, weights.astype(dtype)) if coef else result
