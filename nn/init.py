"""nn.init: PyTorch's ``torch.nn.init``, functions that fill a weight tensor in place.

Each function changes the tensor's values in place, outside the graph (as under ``no_grad``),
and returns the tensor, as torch's do. Fans are computed as torch computes them: for a weight
of shape ``(out, in, *kernel)`` (``nn.Linear``'s ``(out_features, in_features)``, ``Conv2d``'s
``(out, in, kh, kw)``), ``fan_in = in * prod(kernel)`` and ``fan_out = out * prod(kernel)``.

``generator`` is a ``numpy.random.Generator`` (this library's stand-in for
``torch.Generator``); None draws from the sequence ``autograd.manual_seed`` restarts. The random
numbers are not torch's (another generator), their distributions are.

Examples:
    >>> import autograd as ag, nn
    >>> w = ag.zeros(3, 5, requires_grad=True)
    >>> nn.init.xavier_uniform_(w) is w
    True
    >>> bound = (6 / (5 + 3)) ** 0.5
    >>> bool((abs(w.numpy()) <= bound).all())
    True
"""

from __future__ import annotations

import math
import numbers
import warnings
from typing import Any

import numpy as np

import autograd as ag
from autograd import Tensor

__all__ = [
    "calculate_gain", "constant_", "dirac_", "eye_", "kaiming_normal_", "kaiming_uniform_",
    "normal_", "ones_", "orthogonal_", "sparse_", "trunc_normal_", "uniform_",
    "xavier_normal_", "xavier_uniform_", "zeros_",
]

_LINEAR = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
           "conv_transpose3d")


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain for a nonlinearity, as torch computes it.

    ``linear``, the convolutions and ``sigmoid``: 1; ``tanh``: 5/3; ``relu``: sqrt(2);
    ``leaky_relu``: sqrt(2 / (1 + negative_slope**2)) with ``param`` the slope (default 0.01);
    ``selu``: 3/4.

    Args:
        nonlinearity: The name of the nonlinearity (torch's names).
        param: The negative slope, for ``leaky_relu`` only.

    Examples:
        >>> import nn
        >>> nn.init.calculate_gain("leaky_relu", 0.2)
        1.3867504905630728
    """
    if nonlinearity in _LINEAR or nonlinearity == "sigmoid":
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, numbers.Real) and not isinstance(param, bool):
            slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number: calculate_gain"
                             f"('leaky_relu', param) expects a number or None")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}: calculate_gain knows "
                     f"{', '.join(_LINEAR)}, sigmoid, tanh, relu, leaky_relu and selu")


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0,
             generator: np.random.Generator | None = None) -> Tensor:
    """Fill ``tensor`` with draws from the uniform distribution on ``[a, b)``; returns it."""
    return _fill(tensor, _generator(generator).uniform(a, b, _shape(tensor, "uniform_")))


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0,
            generator: np.random.Generator | None = None) -> Tensor:
    """Fill ``tensor`` with draws from N(mean, std**2); returns it."""
    return _fill(tensor, _generator(generator).normal(mean, std, _shape(tensor, "normal_")))


def trunc_normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, a: float = -2.0,
                  b: float = 2.0, generator: np.random.Generator | None = None) -> Tensor:
    """Fill ``tensor`` with N(mean, std**2) truncated to ``[a, b]`` (absolute bounds, as in
    torch, not numbers of standard deviations); returns it.

    Draws outside the bounds are drawn again (rejection), which gives the exact truncated
    distribution; bounds holding almost none of the mass are refused, since torch's inverse-CDF
    method is inaccurate there too (it warns).
    """
    shape = _shape(tensor, "trunc_normal_")
    if not (std > 0 and a < b):
        raise ValueError(f"trunc_normal_ needs std > 0 and a < b. Received: std={std!r}, "
                         f"a={a!r}, b={b!r}")
    mass = _normal_cdf((b - mean) / std) - _normal_cdf((a - mean) / std)
    if mass < 1e-6:
        raise ValueError(f"trunc_normal_: [a, b] = [{a}, {b}] holds {mass:.3g} of the mass of "
                         f"N({mean}, {std}**2); bring mean within a few std of [a, b]")
    rng, count = _generator(generator), int(np.prod(shape))
    kept = np.empty(0)
    while kept.size < count:
        draws = rng.normal(mean, std, int((count - kept.size) / mass) + 16)
        kept = np.concatenate([kept, draws[(draws >= a) & (draws <= b)]])
    return _fill(tensor, kept[:count].reshape(shape))


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fill ``tensor`` with ``val``; returns it."""
    return _fill(tensor, np.full(_shape(tensor, "constant_"), val))


def ones_(tensor: Tensor) -> Tensor:
    """Fill ``tensor`` with ones; returns it."""
    return constant_(tensor, 1.0)


def zeros_(tensor: Tensor) -> Tensor:
    """Fill ``tensor`` with zeros; returns it."""
    return constant_(tensor, 0.0)


def eye_(tensor: Tensor) -> Tensor:
    """Fill a 2-D ``tensor`` with the identity matrix (ones on the diagonal); returns it."""
    shape = _shape(tensor, "eye_")
    if len(shape) != 2:
        raise ValueError(f"Only tensors with 2 dimensions are supported by eye_. Received a "
                         f"tensor of shape {shape}")
    return _fill(tensor, np.eye(*shape))


def dirac_(tensor: Tensor, groups: int = 1) -> Tensor:
    """Fill a 3-, 4- or 5-D convolution weight with the Dirac delta, so that the convolution
    keeps its input (each of ``groups`` groups keeps its channels); returns it."""
    shape = _shape(tensor, "dirac_")
    if len(shape) not in (3, 4, 5):
        raise ValueError(f"Only tensors with 3, 4, or 5 dimensions are supported by dirac_. "
                         f"Received a tensor of shape {shape}")
    if isinstance(groups, bool) or not isinstance(groups, int) or groups < 1 \
            or shape[0] % groups != 0:
        raise ValueError(f"dim 0 must be divisible by groups: dirac_ received groups={groups!r} "
                         f"for a tensor of shape {shape}")
    out_per_group = shape[0] // groups
    values = np.zeros(shape)
    centre = tuple(k // 2 for k in shape[2:])
    for g in range(groups):
        for d in range(min(out_per_group, shape[1])):
            # the index made first: in brackets, a tuple with * is Python 3.11's syntax to the
            # type checker, which targets 3.10
            index = (g * out_per_group + d, d, *centre)
            values[index] = 1
    return _fill(tensor, values)


def xavier_uniform_(tensor: Tensor, gain: float = 1.0,
                    generator: np.random.Generator | None = None) -> Tensor:
    """Glorot's uniform fill: U(-a, a) with ``a = gain * sqrt(6 / (fan_in + fan_out))``."""
    fan_in, fan_out = _fans(tensor)
    bound = math.sqrt(3.0) * gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0,
                   generator: np.random.Generator | None = None) -> Tensor:
    """Glorot's normal fill: N(0, std**2) with ``std = gain * sqrt(2 / (fan_in + fan_out))``."""
    fan_in, fan_out = _fans(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / float(fan_in + fan_out)), generator)


def kaiming_uniform_(tensor: Tensor, a: float = 0, mode: str = "fan_in",
                     nonlinearity: str = "leaky_relu",
                     generator: np.random.Generator | None = None) -> Tensor:
    """He's uniform fill: U(-bound, bound), ``bound = gain * sqrt(3 / fan)``.

    ``gain = calculate_gain(nonlinearity, a)`` and ``fan`` is ``fan_in`` or ``fan_out`` by
    ``mode``. With the defaults (``a=0``, ``'leaky_relu'``), the gain is sqrt(2): ReLU's.
    ``nn.Linear`` uses ``a=sqrt(5)``, which gives ``bound = 1 / sqrt(fan_in)``.

    Examples:
        >>> import autograd as ag, nn
        >>> w = nn.init.kaiming_uniform_(ag.empty(4, 3), a=5 ** 0.5)
        >>> bool((abs(w.numpy()) <= 1 / 3 ** 0.5).all())
        True
    """
    if 0 in _shape(tensor, "kaiming_uniform_"):
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=2)
        return tensor
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor: Tensor, a: float = 0, mode: str = "fan_in",
                    nonlinearity: str = "leaky_relu",
                    generator: np.random.Generator | None = None) -> Tensor:
    """He's normal fill: N(0, std**2), ``std = gain / sqrt(fan)`` (see ``kaiming_uniform_``)."""
    if 0 in _shape(tensor, "kaiming_normal_"):
        warnings.warn("Initializing zero-element tensors is a no-op", stacklevel=2)
        return tensor
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(tensor, mode))
    return normal_(tensor, 0.0, std, generator)


def orthogonal_(tensor: Tensor, gain: float = 1,
                generator: np.random.Generator | None = None) -> Tensor:
    """Fill ``tensor`` (2-D or more, flattened to ``(shape[0], -1)``) with a (semi-)orthogonal
    matrix times ``gain``: the Q of a normal matrix's QR, signs fixed by R's diagonal."""
    shape = _shape(tensor, "orthogonal_")
    if len(shape) < 2:
        raise ValueError(f"Only tensors with 2 or more dimensions are supported by "
                         f"orthogonal_. Received a tensor of shape {shape}")
    if 0 in shape:
        return tensor
    rows = shape[0]
    cols = int(np.prod(shape)) // rows
    flat = _generator(generator).normal(0.0, 1.0, (rows, cols))
    if rows < cols:
        flat = flat.T
    q, r = np.linalg.qr(flat)
    q *= np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    return _fill(tensor, gain * q.reshape(shape))


def sparse_(tensor: Tensor, sparsity: float, std: float = 0.01,
            generator: np.random.Generator | None = None) -> Tensor:
    """Fill a 2-D ``tensor`` with N(0, std**2) draws, then zero ``ceil(sparsity * rows)``
    elements of each column, chosen at random; returns it."""
    shape = _shape(tensor, "sparse_")
    if len(shape) != 2:
        raise ValueError(f"Only tensors with 2 dimensions are supported by sparse_. Received a "
                         f"tensor of shape {shape}")
    rows, cols = shape
    rng = _generator(generator)
    values = rng.normal(0.0, std, shape)
    zeros = int(math.ceil(sparsity * rows))
    for c in range(cols):
        values[rng.permutation(rows)[:zeros], c] = 0
    return _fill(tensor, values)


# --- helpers ---


def _shape(tensor: Any, who: str) -> tuple[int, ...]:
    if not isinstance(tensor, Tensor):
        raise TypeError(f"nn.init.{who} expects a Tensor (a weight such as layer.weight). "
                        f"Received: {type(tensor).__name__}")
    return tuple(tensor.shape)


def _generator(generator: Any) -> np.random.Generator:
    if generator is not None and not isinstance(generator, np.random.Generator):
        raise TypeError(f"generator must be a numpy.random.Generator or None (the sequence "
                        f"autograd.manual_seed restarts). Received: {type(generator).__name__}")
    return ag.as_generator(generator)


def _fill(tensor: Tensor, values: np.ndarray) -> Tensor:
    """Write ``values`` into ``tensor``'s own array, as an in-place change outside the graph."""
    with ag.no_grad():
        current = np.asarray(tensor.data)
        if current.flags.writeable:
            current[...] = values  # views of the tensor see the new values, as in torch
            tensor.data = current  # counts the change: graphs that saved the old values refuse
        else:
            tensor.data = np.asarray(values, dtype=current.dtype)
    return tensor


def _fans(tensor: Tensor) -> tuple[int, int]:
    shape = tuple(tensor.shape)
    if len(shape) < 2:
        raise ValueError(f"Fan in and fan out can not be computed for tensor with fewer than 2 "
                         f"dimensions (received shape {shape}): these initializers are for "
                         f"weights, e.g. Linear's (out, in) or Conv2d's (out, in, kh, kw)")
    receptive = int(np.prod(shape[2:])) if len(shape) > 2 else 1
    return shape[1] * receptive, shape[0] * receptive


def _fan(tensor: Tensor, mode: str) -> int:
    mode = mode.lower() if isinstance(mode, str) else mode
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of ['fan_in', 'fan_out']")
    fan_in, fan_out = _fans(tensor)
    return fan_in if mode == "fan_in" else fan_out


def _normal_cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))
