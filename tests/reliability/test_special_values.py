"""Special values through the stable operations and losses, and the conventions at kinks.

Every value of ``VALUES`` goes through every entry of ``OPS`` (as one element of the input, next
to ordinary numbers) in float64 and in float32 (where 1e300 is stored as inf), with numpy's
floating-point warnings raised as errors (underflow to zero is not one: numpy ignores it by
default). Finite inputs must give finite outputs and gradients of the input's dtype; NaN in must
give NaN out without a crash; infinite inputs must not crash (their result may be the limit or
NaN). Exact values are checked where they exist.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import autograd as ag
import nn

F = nn.losses
VALUES = [0.0, -0.0, 1e-300, -1e-300, 1.0, -1.0, 30.0, -30.0, 100.0, -100.0, 700.0, -700.0,
          1000.0, -1000.0, 1e300, -1e300, math.inf, -math.inf, math.nan]
_REST = np.array([0.0, -1.0])


def _row(x):
    """The special value next to two ordinary logits: ``[v, 0, -1]``, in ``x``'s dtype."""
    return ag.concatenate([x, ag.tensor(_REST.astype(x.dtype))])


OPS = {
    "sigmoid": lambda x: x.sigmoid(),
    "tanh": lambda x: x.tanh(),
    "softplus": lambda x: x.softplus(),
    "softmax": lambda x: _row(x).softmax(axis=0),
    "log_softmax": lambda x: _row(x).log_softmax(axis=0),
    "logsumexp": lambda x: _row(x).logsumexp(axis=0),
    "bce_logits_target1": lambda x: F.binary_crossentropy(np.ones(1), x, from_logits=True),
    "bce_logits_target0": lambda x: F.binary_crossentropy(np.zeros(1), x, from_logits=True),
    "cce_logits": lambda x: F.categorical_crossentropy(
        np.array([[0.0, 1.0, 0.0]]), _row(x)[None], from_logits=True),
    "sparse_cce_logits": lambda x: F.sparse_categorical_crossentropy(
        np.array([0]), _row(x)[None], from_logits=True),
}

def _as(value, dtype):
    with np.errstate(over="ignore"):  # 1e300 becomes inf in float32, as it should
        return np.array([value], dtype=dtype)


def _run(op, value, dtype=np.float64):
    x = ag.tensor(_as(value, dtype), requires_grad=True)
    with np.errstate(divide="raise", over="raise", invalid="raise", under="ignore"):
        y = OPS[op](x)
        y.sum().backward()
    return y.numpy(), x.grad.numpy()


def _params():
    for dtype in (np.float64, np.float32):
        for op in OPS:
            for v in VALUES:
                name = np.dtype(dtype).name
                yield pytest.param(op, v, dtype, id=f"{op}[{v!r}]-{name}")


def test_the_table_size():
    assert len(list(_params())) >= 300


@pytest.mark.parametrize("op, value, dtype", list(_params()))
def test_special_value(op, value, dtype):
    y, g = _run(op, value, dtype)
    stored = float(_as(value, dtype)[0])
    if math.isnan(stored):
        assert np.isnan(y).any(), f"{op}(nan) gave {y}, hiding the NaN"
    elif math.isfinite(stored):
        assert np.isfinite(y).all() and np.isfinite(g).all(), \
            f"{op}({value!r}) in {dtype.__name__} gave output {y} and gradient {g}; both must " \
            f"be finite"
    assert y.dtype == dtype and g.dtype == dtype, \
        f"{op} turned {dtype.__name__} into output {y.dtype}, gradient {g.dtype}"


# (op, input, expected output, expected gradient of the sum): exact equality, no tolerance.
EXACT = [
    ("sigmoid", 1000.0, 1.0, 0.0),
    ("sigmoid", -1000.0, 0.0, 0.0),
    ("sigmoid", 0.0, 0.5, 0.25),
    ("sigmoid", math.inf, 1.0, 0.0),
    ("sigmoid", -math.inf, 0.0, 0.0),
    ("tanh", 1000.0, 1.0, 0.0),
    ("tanh", -1000.0, -1.0, 0.0),
    ("tanh", 0.0, 0.0, 1.0),
    ("softplus", -1000.0, 0.0, 0.0),
    ("softplus", 1000.0, 1000.0, 1.0),
    ("softplus", 0.0, math.log(2.0), 0.5),
    ("logsumexp", 1000.0, 1000.0, 1.0),
    ("log_softmax", 1000.0, [0.0, -1000.0, -1001.0], -2.0),
    ("softmax", 1000.0, [1.0, 0.0, 0.0], 0.0),
    ("bce_logits_target1", 1000.0, 0.0, 0.0),
    ("bce_logits_target1", -1000.0, 1000.0, -1.0),
    ("bce_logits_target0", -1000.0, 0.0, 0.0),
    ("bce_logits_target0", 1000.0, 1000.0, 1.0),
    ("sparse_cce_logits", 1000.0, 0.0, 0.0),
    ("cce_logits", -1000.0, math.log1p(math.exp(-1.0)), 0.0),
    # Infinite logits give the limits: the infinite entry takes all the probability.
    ("softmax", math.inf, [1.0, 0.0, 0.0], 0.0),
    ("log_softmax", math.inf, [0.0, -math.inf, -math.inf], -2.0),
    ("logsumexp", math.inf, math.inf, 1.0),
    ("logsumexp", -math.inf, math.log1p(math.exp(-1.0)), 0.0),
    ("bce_logits_target1", math.inf, 0.0, 0.0),
    ("bce_logits_target1", -math.inf, math.inf, -1.0),
    ("bce_logits_target0", -math.inf, 0.0, 0.0),
    ("bce_logits_target0", math.inf, math.inf, 1.0),
    ("sparse_cce_logits", math.inf, 0.0, 0.0),
    ("cce_logits", math.inf, math.inf, 1.0),
    ("cce_logits", -math.inf, math.log1p(math.exp(-1.0)), 0.0),
]


@pytest.mark.parametrize("op, value, output, gradient", EXACT,
                         ids=[f"{e[0]}[{e[1]!r}]" for e in EXACT])
def test_exact_values(op, value, output, gradient):
    y, g = _run(op, value)
    assert np.array_equal(y.ravel(), np.ravel(output)), f"{op}({value!r}) = {y}, not {output}"
    assert np.array_equal(g.ravel(), np.ravel(gradient)), \
        f"d/dx {op}({value!r}) = {g}, not {gradient}"


def test_signed_zero_survives_odd_functions():
    x = ag.tensor(np.array([-0.0]), requires_grad=True)
    for name, y in [("tanh", x.tanh()), ("neg of neg", -(-x))]:
        assert np.signbit(y.numpy()[0]), f"{name}(-0.0) lost the sign of zero"


def _grad(fn, values):
    x = ag.tensor(np.array(values, dtype=np.float64), requires_grad=True)
    fn(x).sum().backward()
    return x.grad.numpy()


# Documented conventions at kinks (README, "Gradients at kinks").
KINKS = [
    ("relu'(0) = 0", lambda x: x.relu(), [0.0, -0.0], [0.0, 0.0]),
    ("abs'(0) = 0", lambda x: x.abs(), [0.0, -0.0], [0.0, 0.0]),
    ("tied max shares equally", lambda x: x.max(), [1.0, 3.0, 3.0], [0.0, 0.5, 0.5]),
    ("three-way tie in max", lambda x: x.max(), [2.0, 2.0, 2.0], [1 / 3, 1 / 3, 1 / 3]),
    ("tied min shares equally", lambda x: x.min(), [1.0, 1.0, 3.0], [0.5, 0.5, 0.0]),
    ("tied amax along an axis", lambda x: x.reshape(2, 2).amax(1), [5.0, 5.0, 1.0, 2.0],
     [0.5, 0.5, 0.0, 1.0]),
    # PyTorch's max(dim): the gradient goes to the index it returns, the first maximum
    ("tied max(dim) picks the first", lambda x: x.reshape(2, 2).max(1).values,
     [5.0, 5.0, 1.0, 2.0], [1.0, 0.0, 0.0, 1.0]),
    ("maximum tie shares equally", lambda x: x[:2].maximum(x[2:]), [1.0, 4.0, 1.0, 0.0],
     [0.5, 1.0, 0.5, 0.0]),
]


@pytest.mark.parametrize("label, fn, values, expected", KINKS, ids=[k[0] for k in KINKS])
def test_kink_convention(label, fn, values, expected):
    got = _grad(fn, values)
    assert np.array_equal(got, np.array(expected)), f"{label}: the gradient is {got}"


def test_max_pool2d_tie_goes_to_the_first_element():
    x = ag.tensor(np.full((1, 2, 2, 1), 7.0), requires_grad=True)
    ag.max_pool2d_nhwc(x, 2).sum().backward()
    got = x.grad.numpy().ravel()
    assert np.array_equal(got, [1.0, 0.0, 0.0, 0.0]), \
        f"max_pool2d over a window of equal values sent the gradient to {got}, not the first"


def test_masked_gradients_neither_warn_on_huge_values_nor_leak_non_finite_ones():
    # relu's backward multiplies by its mask when the upstream gradient is finite, and falls
    # back to where() otherwise: 0 * inf must not turn a masked element into NaN.
    x = ag.tensor(np.array([1.0, -1.0, 2.0], np.float32), requires_grad=True)
    with np.errstate(all="raise"):
        x.relu().backward(ag.tensor(np.full(3, 3e38, np.float32)))  # its total overflows
    np.testing.assert_array_equal(x.grad.numpy(), np.array([3e38, 0, 3e38], np.float32))
    x.grad = None
    x.relu().backward(ag.tensor(np.array([np.nan, np.inf, 1.0], np.float32)))
    np.testing.assert_array_equal(x.grad.numpy(), np.array([np.nan, 0, 1.0], np.float32))
