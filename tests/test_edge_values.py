"""Values at the edges of an operation's domain, against PyTorch: the gradients PyTorch defines
where the formula alone gives 0 * inf (NaN), and small conveniences PyTorch programs rely on."""

import warnings

import numpy as np
import pytest

import autograd as ag
from autograd import Scalar

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("base,exponent", [
    ([0.0, 1.0, 2.0], [0.0, 0.0, 0.0]),        # x**0 is the constant 1: slope 0, even at 0
    ([0.0, 0.0, 0.0, 2.0], [0.0, 1.0, 2.0, -1.0]),
    ([0.0, 3.0], [0.5, 2.0]),                  # 0**0.5: an infinite slope, as in PyTorch
    ([0.0, 0.0], [-1.0, -2.0]),
    ([0.0, 2.0, 0.0], [3.0, 0.0, 0.0]),
])
def test_pow_gradients_at_zero_are_pytorchs(base, exponent):
    a = ag.tensor(np.array(base), requires_grad=True)
    b = ag.tensor(np.array(exponent), requires_grad=True)
    ta = torch.tensor(base, dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(exponent, dtype=torch.float64, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # 0**-1 is inf in both
        (a ** b).sum().backward()
    (ta ** tb).sum().backward()
    np.testing.assert_array_equal(a.grad.numpy(), ta.grad.numpy())
    np.testing.assert_array_equal(b.grad.numpy(), tb.grad.numpy())


def test_a_polynomial_has_a_finite_slope_at_zero():
    # sum(c_k x**k) has the term x**0: its slope at 0 used to be NaN
    x = ag.tensor(np.array([0.0, 1.0, 2.0]), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # and no warning from the masked points
        sum(c * x ** k for k, c in enumerate([2.0, 3.0, 4.0])).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 11.0, 19.0])


def test_pow_at_zero_on_scalars_and_second_order():
    w = Scalar(0.5)
    ((w * 0.0) ** 0 + w).backward()
    assert w.grad == 1.0
    s, t = Scalar(0.0), Scalar(0.0)
    (s ** t).backward()
    assert (s.grad, t.grad) == (0.0, 0.0)
    x = ag.tensor(np.array([0.0, 1.0]), requires_grad=True)
    tx = torch.tensor([0.0, 1.0], dtype=torch.float64, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        (g,) = ag.grad((x ** x).sum(), [x], create_graph=True)
        (gg,) = ag.grad(g.sum(), [x])
    (tg,) = torch.autograd.grad((tx ** tx).sum(), [tx], create_graph=True)
    (tgg,) = torch.autograd.grad(tg.sum(), [tx])
    np.testing.assert_array_equal(g.numpy(), tg.detach().numpy())
    np.testing.assert_array_equal(gg.numpy(), tgg.numpy())  # NaN at 0 in both


def test_a_zero_dim_tensor_formats_as_its_number():
    for ours, theirs in ((ag.tensor(2.5), torch.tensor(2.5)),
                         (ag.tensor(7, dtype=ag.long), torch.tensor(7))):
        for spec in (".4f", "", ">8", "e"):
            assert format(ours, spec) == format(theirs, spec)
    assert f"{ag.tensor([1.0, 2.0])}" == "tensor([1., 2.])"
    with pytest.raises(TypeError):
        f"{ag.tensor([1.0, 2.0]):.2f}"  # as in PyTorch: only a 0-d tensor is a number
    assert f"{Scalar(1.23456):.3f}" == "1.235"
