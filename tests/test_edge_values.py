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


def test_rounded_division_and_remainders_are_pytorchs():
    a, b = [7, -7, 5, -5], [2, 2, -3, -3]
    for name, ours, theirs in (
            ("//", lambda m: m.tensor(a) // m.tensor(b), None),
            ("%", lambda m: m.tensor(a) % m.tensor(b), None),
            ("fmod", lambda m: m.fmod(m.tensor(a), m.tensor(b)), None),
            ("trunc", lambda m: m.tensor(a).div(m.tensor(b), rounding_mode="trunc"), None),
            ("floor", lambda m: m.tensor(a).div(m.tensor(b), rounding_mode="floor"), None),
            ("float //", lambda m: m.tensor([7.5, -7.5]) // 2, None),
            ("float %", lambda m: m.tensor([7.5, -7.5]) % -2, None)):
        mine, real = ours(ag), ours(torch)
        assert mine.dtype == np.dtype(str(real.dtype).removeprefix("torch.")), name
        assert mine.tolist() == real.tolist(), name
    with pytest.raises(ZeroDivisionError, match="floor_divide: integer division by zero"):
        ag.tensor([1, 2]) // 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # x/0 is inf or NaN, as in PyTorch, without a warning
        assert (ag.tensor([7.0, -7.0]) // 0).tolist() == [float("inf"), float("-inf")]
    with pytest.raises(ValueError, match="rounding_mode to be one of None, 'trunc', or 'floor'"):
        ag.tensor([1.0]).div(2, rounding_mode="round")


def test_rounding_works_on_scalars_with_slope_zero():
    x = Scalar(2.6)
    y = x.floor() + x.ceil() + x.trunc() + x.round() + x.sign() + x
    y.backward()
    assert y.data == pytest.approx(2 + 3 + 2 + 3 + 1 + 2.6) and x.grad == 1.0


@pytest.mark.parametrize("name", ["sum", "mean", "logsumexp", "prod", "amax", "amin", "norm"])
@pytest.mark.parametrize("dim", [0, -1, [0], (-1,)])
def test_a_0d_tensor_reduced_over_dim_0_or_minus_1_is_its_element(name, dim):
    # torch takes dim 0 and -1 of a 0-d tensor as its one element; backward failed here, and
    # a list or tuple of them, or amax/amin/norm, failed in the forward
    if name == "prod" and not isinstance(dim, int):
        pytest.skip("prod takes one dim, as in torch")
    x = ag.tensor(2.0, dtype=ag.float64, requires_grad=True)
    y = x.norm(dim=dim) if name == "norm" else getattr(x, name)(dim)
    y.backward()
    assert y.shape == () and y.item() == 2.0 and x.grad.item() == 1.0


def test_a_0d_tensor_refuses_other_dims_as_torch_does():
    x = ag.tensor(2.0)
    with pytest.raises(IndexError, match=r"expected to be in range of \[-1, 0\], but got 1"):
        x.sum(1)
    with pytest.raises(RuntimeError, match="names a dimension twice"):
        x.mean([0, 0])
