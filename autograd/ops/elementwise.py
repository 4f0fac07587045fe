"""Elementwise primitives. Each entry: the forward on raw data, one vjp rule per input, and the
rule in words (``rule=``), the one statement of its math; comments say why, not what.

The forwards work on Python floats (``Scalar``) and numpy arrays (``Tensor``) alike. In a rule,
``g`` is the gradient of the output, ``y`` the output and the remaining arguments the inputs, all
graph values; gradients of broadcast inputs are summed back to their shapes by the engine.
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from autograd.op import RAW, Op, call, raw_data


def _mask(g: Any, keep: Any, into: np.ndarray | None = None) -> Any:
    """``g`` where ``keep`` (raw booleans) is true, 0 elsewhere, with no NaN leaking from g * 0.

    Multiplying by the mask is a plain product, many times cheaper than ``where``'s selection on
    a large gradient (relu's backward in the MLP step, W1a), and gives the same numbers whenever
    ``g`` is finite, which its extremes tell cheaply; a non-finite gradient goes through
    ``where``.
    A Scalar's gradient, one float, is passed on as it is or replaced by a 0. ``g`` is a graph
    value, or raw data in a backward that records nothing: the same numbers either way. The
    product goes into ``into`` when given (raw data only: see ``Op``'s ``reuses_gradient``).
    """
    raw = isinstance(g, RAW)
    data = g if raw else g._data
    if isinstance(data, float):  # a Scalar's gradient passes whole or not at all (W3s)
        return g if keep else (0.0 if raw else g._constant(0.0))
    # Both extremes finite: no NaN or infinity anywhere (max and min propagate NaN). Half the
    # cost of a total, which would tell too, and cannot overflow (a total of huge values would
    # raise under np.errstate(over="raise")).
    finite = data.size == 0 or (np.isfinite(np.maximum.reduce(data, axis=None))
                                and np.isfinite(np.minimum.reduce(data, axis=None)))
    if raw:
        if finite:  # an operator is cheaper than a call with out= on small arrays (W3t)
            return data * keep if into is None else np.multiply(data, keep, out=into)
        return np.where(keep, data, data.dtype.type(0))
    if finite:
        return g * g._wrap(keep)  # numpy multiplies by booleans without a float copy
    return where(g, g._constant(0.0), cond=keep)


def _share_of_max(a: Any, b: Any) -> Any:
    """Raw weights: 1 where ``a`` wins, 0.5 at ties (the gradient is split), 0 where ``b`` wins."""
    return (a > b) + 0.5 * (a == b)


def _sigmoid(x: Any) -> Any:
    # exp(-|x|) never overflows; each branch divides by a number in [1, 2].
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def _softplus(x: Any) -> Any:
    # logaddexp(0, x) is log(1 + e^x) without overflow.
    with np.errstate(invalid="ignore"):  # logaddexp warns on NaN, whose answer is NaN
        return np.logaddexp(0, x)


# The four arithmetic forwards are Python's operators, not the numpy ufuncs: the same call for
# arrays, and on a Scalar's floats they skip the ufunc machinery, which costs far more than the
# arithmetic itself (a Scalar network makes one such call per number per step: W3s).

add = Op("add", operator.add, (lambda g, y, a, b: g, lambda g, y, a, b: g),
         label="+", rule="d(a+b)/da = d(a+b)/db = 1", raw_rules=True, dtypes="promote")

sub = Op("sub", operator.sub, (lambda g, y, a, b: g, lambda g, y, a, b: -g),
         label="-", rule="d(a-b)/da = 1, d(a-b)/db = -1", raw_rules=True, dtypes="promote")

mul = Op("mul", operator.mul, (lambda g, y, a, b: g * b, lambda g, y, a, b: g * a),
         label="*", rule="d(a*b)/da = b, d(a*b)/db = a", raw_rules=True, dtypes="promote")

div = Op("div", np.true_divide, (lambda g, y, a, b: g / b, lambda g, y, a, b: -g * y / b),
         label="/", rule="d(a/b)/da = 1/b, d(a/b)/db = -y/b", domain=("real", "nonzero"),
         dtypes="float")

def _pow_base_grad(g: Any, y: Any, a: Any, b: Any) -> Any:
    # b a^(b-1) is 0 * inf = NaN at a = 0 where b = 0; a^0 is the constant 1 there, so its
    # slope is 0 (PyTorch's rule too)
    nonzero_exponent = raw_data(b) != 0
    if np.all(nonzero_exponent):
        return g * b * a ** (b - 1)
    with np.errstate(divide="ignore", invalid="ignore"):  # 0^-1 where the mask clears it
        return _mask(g * b * a ** (b - 1), nonzero_exponent)


def _pow_exponent_grad(g: Any, y: Any, a: Any, b: Any) -> Any:
    # y log a is 0 * -inf = NaN at a = 0 where b >= 0, while 0^b is flat there in b (0, or 1 at
    # b = 0) on the side where it is defined: the slope is 0 (PyTorch's rule too). The base is
    # read as 1 at those points, so the log neither warns nor leaks NaN into higher orders.
    with np.errstate(invalid="ignore"):  # a NaN base compares false: it keeps its NaN slope
        flat = (raw_data(a) == 0) & (raw_data(b) >= 0)
    if not np.any(flat):
        return g * y * a.log()
    return _mask(g * y * where(a._constant(1.0), a, cond=flat).log(), np.logical_not(flat))


pow = Op("pow", np.power, (_pow_base_grad, _pow_exponent_grad),
         label="**", rule="d(a**b)/da = b a^(b-1) (0 where b = 0), "
                          "d(a**b)/db = y log a (0 where a = 0 and b >= 0)",
         domain=("positive", "real"), dtypes="promote")

neg = Op("neg", operator.neg, (lambda g, y, x: -g,), label="-x", rule="d(-x) = -1",
         raw_rules=True)

exp = Op("exp", np.exp, (lambda g, y, x: g * y,), rule="d exp(x) = y", raw_rules=True,
         dtypes="float")

log = Op("log", np.log, (lambda g, y, x: g / x,), rule="d log(x) = 1/x", domain="positive",
         dtypes="float")

sqrt = Op("sqrt", np.sqrt, (lambda g, y, x: g / (y * 2),), rule="d sqrt(x) = 1/(2y)",
          domain="positive", dtypes="float")

abs = Op("abs", np.abs, (lambda g, y, x: g * x._constant(np.sign(x._data)),),
         rule="d|x| = sign(x) (0 at 0)", domain="nonzero")

sin = Op("sin", np.sin, (lambda g, y, x: g * call(cos, x),), rule="d sin(x) = cos(x)",
         raw_rules=True, dtypes="float")

cos: Op = Op("cos", np.cos, (lambda g, y, x: -g * call(sin, x),), rule="d cos(x) = -sin(x)",
             raw_rules=True, dtypes="float")

tanh = Op("tanh", np.tanh, (lambda g, y, x: g * (1 - y * y),), rule="d tanh(x) = 1 - y²",
          raw_rules=True, dtypes="float")

# A primitive so that large |x| neither overflows nor loses the gradient.
sigmoid = Op("sigmoid", _sigmoid, (lambda g, y, x: g * y * (1 - y),),
             rule="d sigmoid(x) = y(1 - y)", raw_rules=True, dtypes="float")

relu = Op("relu", lambda x: np.maximum(x, 0),
          (lambda g, y, x, into=None: _mask(g, raw_data(x) > 0, into),),
          rule="d relu(x) = 1 if x > 0 else 0", domain="nonzero", raw_rules=True,
          reuses_gradient=True)

leaky_relu = Op(
    "leaky_relu",
    lambda x, negative_slope: np.where(x > 0, x, x * negative_slope),
    (lambda g, y, x, negative_slope: g * x._constant(np.where(x._data > 0, 1.0, negative_slope)),),
    rule="d leaky_relu(x) = 1 if x > 0 else slope", domain="nonzero")

softplus = Op("softplus", _softplus, (lambda g, y, x: g * call(sigmoid, x),),
              rule="d softplus(x) = sigmoid(x)", raw_rules=True, dtypes="float")

# Primitives for accuracy near 0, where 1 + x and exp(x) - 1 lose the digits of a small x.
log1p = Op("log1p", np.log1p, (lambda g, y, x: g / (x + 1),), rule="d log1p(x) = 1/(1 + x)",
           domain="positive", dtypes="float")

expm1 = Op("expm1", np.expm1, (lambda g, y, x: g * (y + 1),), rule="d expm1(x) = y + 1",
           raw_rules=True, dtypes="float")

maximum = Op("maximum", np.maximum,
             (lambda g, y, a, b: g * a._constant(_share_of_max(a._data, b._data)),
              lambda g, y, a, b: g * b._constant(_share_of_max(b._data, a._data))),
             rule="d max(a,b) = 1 for the larger (½ each at a tie)", dtypes="promote")

minimum = Op("minimum", np.minimum,
             (lambda g, y, a, b: g * a._constant(_share_of_max(b._data, a._data)),
              lambda g, y, a, b: g * b._constant(_share_of_max(a._data, b._data))),
             rule="d min(a,b) = 1 for the smaller (½ each at a tie)", dtypes="promote")

clip = Op("clip", lambda x, a_min, a_max: np.clip(x, a_min, a_max),
          (lambda g, y, x, a_min, a_max: _mask(g, raw_data(x) == raw_data(y)),),
          rule="d clip(x) = 1 inside [a_min, a_max] (bounds included), 0 outside", raw_rules=True)

# Rounding: piecewise constant, so the slope is 0 wherever it is defined (PyTorch's rule for
# floor, ceil, trunc, round, sign and the rounded divisions). Integers are already whole: they
# keep their dtype, as in PyTorch (numpy's floor and trunc would make floats of them).

def _zeros(g: Any) -> Any:
    return g._constant(np.zeros_like(g._data))


_FLAT = (lambda g, y, x: _zeros(g),)  # one input
_FLAT2 = (lambda g, y, a, b: _zeros(g), lambda g, y, a, b: _zeros(g))  # two inputs


def _whole(rounding: Any) -> Any:
    """``rounding`` for floats; integers (and booleans) as they are."""
    def forward(x: Any, **params: Any) -> Any:
        if isinstance(x, np.ndarray) and x.dtype.kind in "biu":
            return x.copy()
        return rounding(x, **params)
    return forward


def _integer_divisor_checked(divide: Any, name: str) -> Any:
    """``divide``, refusing an integer division by zero (numpy gives 0 with a warning; PyTorch
    raises)."""
    def forward(a: Any, b: Any) -> Any:
        integers = all(np.asarray(v).dtype.kind in "biu" for v in (a, b))
        if integers and np.any(np.asarray(b) == 0):
            raise ZeroDivisionError(f"{name}: integer division by zero")
        with np.errstate(divide="ignore", invalid="ignore"):  # x/0 is ±inf or NaN, as in torch
            return divide(a, b)
    return forward


def _trunc_divide(a: Any, b: Any) -> Any:
    if all(np.asarray(v).dtype.kind in "biu" for v in (a, b)):
        quotient = np.floor_divide(a, b)  # exact for integers, unlike a float division
        return quotient + ((quotient < 0) & (quotient * b != a))
    with np.errstate(divide="ignore", invalid="ignore"):  # x/0 is ±inf or NaN, as in PyTorch
        return np.trunc(np.true_divide(a, b))


floor = Op("floor", _whole(np.floor), _FLAT, rule="d floor(x) = 0")

ceil = Op("ceil", _whole(np.ceil), _FLAT, rule="d ceil(x) = 0")

trunc = Op("trunc", _whole(np.trunc), _FLAT, rule="d trunc(x) = 0")

# numpy's round is PyTorch's: halves go to the even neighbour, decimals scale first
round = Op("round", _whole(lambda x, decimals: np.round(x, decimals)),
           (lambda g, y, x, decimals: _zeros(g),),
           rule="d round(x) = 0")

sign = Op("sign", np.sign, _FLAT, rule="d sign(x) = 0")

floor_divide = Op("floor_divide", _integer_divisor_checked(np.floor_divide, "floor_divide"),
                  _FLAT2, label="//", rule="d floor(a/b) = 0", dtypes="promote",
                  domain=("real", "nonzero"))

div_trunc = Op("div_trunc", _integer_divisor_checked(_trunc_divide, "div"), _FLAT2,
               rule="d trunc(a/b) = 0", dtypes="promote", domain=("real", "nonzero"))

# a - b floor(a/b): the sign of b (Python's %); fmod is a - b trunc(a/b): the sign of a
remainder = Op("remainder", _integer_divisor_checked(np.remainder, "remainder"),
               (lambda g, y, a, b: g,
                lambda g, y, a, b: -g * b._constant(np.floor_divide(a._data, b._data))),
               label="%", rule="d(a % b)/da = 1, d(a % b)/db = -floor(a/b)", dtypes="promote",
               domain=("real", "nonzero"))

fmod = Op("fmod", _integer_divisor_checked(np.fmod, "fmod"),
          (lambda g, y, a, b: g, lambda g, y, a, b: -g * b._constant(_trunc_divide(a._data,
                                                                                   b._data))),
          rule="d fmod(a, b)/da = 1, d fmod(a, b)/db = -trunc(a/b)", dtypes="promote",
          domain=("real", "nonzero"))

# The condition is a raw boolean array, a parameter: it has no gradient.
where = Op("where", lambda a, b, cond: np.where(cond, a, b),
           (lambda g, y, a, b, cond: _mask(g, cond),
            lambda g, y, a, b, cond: _mask(g, np.logical_not(cond))),
           rule="d where(c, a, b) = c for a, (not c) for b", raw_rules=True, dtypes="promote")
