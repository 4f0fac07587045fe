"""The primitives that ``nn.activations`` needs beyond autograd's: the normal distribution
function (for the exact GELU) and sparsemax.

GELU's exact form needs the normal distribution function Phi, which numpy lacks: ``normal_cdf``
is a primitive computed with ``math.erfc``, and its derivative, the normal density, is written
with graph operations so that higher-order gradients work too. Sparsemax needs a sort, which
autograd has no rule for; its vjp is short on the support it selects.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import autograd as ag

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
    value: np.ndarray = error
    return value


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



def _sparsemax(x: np.ndarray, axis: int) -> np.ndarray:
    # The projection onto the simplex (Martins & Astudillo, 2016): sort each slice in
    # decreasing order, keep the k largest where 1 + k z_(k) > sum of the k largest, and shift
    # by tau = (that sum - 1) / k.
    z = np.moveaxis(np.asarray(x, dtype=np.float64), axis, -1)
    ordered = -np.sort(-z, axis=-1)
    ks = np.arange(1, z.shape[-1] + 1)
    sums = np.cumsum(ordered, axis=-1)
    support = 1 + ks * ordered > sums
    k = support.sum(axis=-1, keepdims=True)
    tau = (np.take_along_axis(sums, k - 1, axis=-1) - 1) / k
    result: np.ndarray = np.moveaxis(np.maximum(z - tau, 0.0), -1, axis).astype(np.asarray(x).dtype)
    return result


def _sparsemax_vjp(g: Any, y: Any, x: Any, axis: int) -> Any:
    # On the support S (y > 0) the Jacobian is I - 1 1^T / |S|, and 0 elsewhere: the gradient
    # is g minus its mean over S, on S. The support is constant where the function is linear.
    mask = ag.tensor((np.asarray(y.data) > 0).astype(np.asarray(y.data).dtype))
    kept = g * mask
    return mask * (kept - kept.sum(axis=axis, keepdims=True) / mask.sum(axis=axis, keepdims=True))


sparsemax_op = ag.Op("sparsemax", _sparsemax, (_sparsemax_vjp,), label="sparsemax",
                      rule="d sparsemax: on the support, g minus its mean there")
