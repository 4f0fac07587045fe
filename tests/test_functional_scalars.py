"""``jacobian``, ``hessian``, ``vjp`` and ``jvp`` on functions of Scalars: the analytic values,
the same numbers as on 0-d float64 Tensors, PyTorch's result structure, and a clear refusal to
mix Scalars with Tensors."""

import math

import numpy as np
import pytest

import autograd as ag
from autograd import Scalar, Tensor

A, B = 0.7, -1.3


def f(a, b):
    return a * a * b + ag.sin(a)


def g(a, b):
    """Two outputs, so that Jacobians have rows and columns."""
    return a * b, ag.tanh(a) + b * b * b


def scalars():
    return Scalar(A), Scalar(B)


def tensors():
    return ag.tensor(np.float64(A)), ag.tensor(np.float64(B))


def numbers(result):
    """Nested tuples of Scalars or 0-d Tensors as nested tuples of floats."""
    if isinstance(result, (tuple, list)):
        return tuple(numbers(r) for r in result)
    assert isinstance(result, (Scalar, Tensor))
    return float(result)


def assert_scalars(result):
    if isinstance(result, (tuple, list)):
        for r in result:
            assert_scalars(r)
    else:
        assert isinstance(result, Scalar)


def test_hessian_of_scalars_is_the_analytic_one():
    H = ag.hessian(f, scalars())
    assert_scalars(H)
    expected = ((2 * B - math.sin(A), 2 * A), (2 * A, 0.0))
    np.testing.assert_allclose(numbers(H), expected, rtol=1e-15, atol=0)


def test_hessian_of_one_scalar_input_is_one_scalar():
    H = ag.hessian(lambda a: a * a * a + ag.sin(a), Scalar(A))
    assert isinstance(H, Scalar)
    assert float(H) == pytest.approx(6 * A - math.sin(A), rel=1e-15)


def test_hessian_agrees_with_tensors():
    np.testing.assert_allclose(numbers(ag.hessian(f, scalars())),
                               numbers(ag.hessian(f, tensors())), rtol=1e-15)


@pytest.mark.parametrize("func", [f, g])
def test_jacobian_agrees_with_tensors(func):
    J = ag.jacobian(func, scalars())
    assert_scalars(J)
    np.testing.assert_allclose(numbers(J), numbers(ag.jacobian(func, tensors())), rtol=1e-15)


def test_jacobian_structure_follows_pytorch():
    J = ag.jacobian(lambda a: a * a, Scalar(3.0))  # one input, one output: one Scalar
    assert isinstance(J, Scalar) and float(J) == 6.0
    rows = ag.jacobian(lambda a: (a * 2.0, a * a), Scalar(3.0))  # a tuple over outputs
    assert numbers(rows) == (2.0, 6.0)
    cols = ag.jacobian(f, scalars())  # a tuple over inputs
    assert len(cols) == 2 and isinstance(cols[0], Scalar)
    table = ag.jacobian(g, scalars())  # J[i][j] = d output i / d input j
    assert numbers(table)[1] == pytest.approx((1 - math.tanh(A) ** 2, 3 * B * B), rel=1e-15)


def test_unused_inputs_and_constant_outputs_get_zero():
    J = ag.jacobian(lambda a, b: (a * 2.0, Scalar(5.0)), scalars())
    assert numbers(J) == ((2.0, 0.0), (0.0, 0.0))
    assert_scalars(J)


@pytest.mark.parametrize("func, v", [(f, 2.5), (g, (2.5, -0.5)), (g, (Scalar(2.5), 1.0))])
def test_vjp_agrees_with_tensors(func, v):
    out_s, vjp_s = ag.vjp(func, scalars(), v)
    v_t = tuple(float(x) for x in v) if isinstance(v, tuple) else v
    out_t, vjp_t = ag.vjp(func, tensors(), v_t)
    assert_scalars(out_s)
    assert_scalars(vjp_s)
    np.testing.assert_allclose(numbers(out_s), numbers(out_t), rtol=1e-15)
    np.testing.assert_allclose(numbers(vjp_s), numbers(vjp_t), rtol=1e-15)


def test_vjp_of_a_single_output_needs_no_v():
    out, grads = ag.vjp(f, scalars())
    assert float(out) == pytest.approx(A * A * B + math.sin(A), rel=1e-15)
    assert numbers(grads) == pytest.approx((2 * A * B + math.cos(A), A * A), rel=1e-15)


@pytest.mark.parametrize("func, v", [(f, (1.0, 0.0)), (f, (0.3, -2.0)), (g, (0.3, -2.0))])
def test_jvp_agrees_with_tensors(func, v):
    out_s, jvp_s = ag.jvp(func, scalars(), v)
    out_t, jvp_t = ag.jvp(func, tensors(), v)
    assert_scalars(jvp_s)
    np.testing.assert_allclose(numbers(out_s), numbers(out_t), rtol=1e-15)
    np.testing.assert_allclose(numbers(jvp_s), numbers(jvp_t), rtol=1e-15)


def test_jvp_of_scalars_defaults_to_ones_and_handles_identity():
    _, jv = ag.jvp(f, scalars())
    assert float(jv) == pytest.approx(2 * A * B + math.cos(A) + A * A, rel=1e-15)
    out, jv = ag.jvp(lambda a: a, Scalar(2.0), Scalar(3.0))
    assert float(out) == 2.0 and float(jv) == 3.0


def test_the_inputs_are_not_touched():
    a, b = scalars()
    ag.hessian(f, (a, b))
    ag.vjp(f, (a, b))
    assert a.grad is None and b.grad is None and a.is_leaf


@pytest.mark.parametrize("name", ["jacobian", "hessian", "vjp", "jvp"])
def test_mixed_inputs_are_refused_naming_both(name):
    with pytest.raises(TypeError, match=rf"{name}: input 1 is a Tensor .* inputs are Scalars.*"
                                        r"ag\.tensor\(s\.data, requires_grad=True\)"):
        getattr(ag, name)(f, (Scalar(A), ag.tensor(B)))


@pytest.mark.parametrize("name", ["jacobian", "vjp", "jvp"])
def test_outputs_of_the_other_kind_are_refused(name):
    with pytest.raises(TypeError, match=rf"{name}: output 0 of func is a Tensor .* Scalars"):
        getattr(ag, name)(lambda a: ag.tensor(a.data), Scalar(A))
    with pytest.raises(TypeError, match=rf"{name}: output 0 of func is a Scalar.* Tensors"):
        getattr(ag, name)(lambda a: Scalar(1.0), ag.tensor([A]), *([[1.0]] * (name == "jvp")))


def test_hessian_refuses_an_output_of_the_other_kind():
    with pytest.raises(TypeError, match="hessian: the output of func is a Tensor .* Scalars"):
        ag.hessian(lambda a: ag.tensor(a.data), Scalar(A))


def test_a_tensor_direction_for_scalars_is_refused():
    with pytest.raises(TypeError, match="vjp: v is a Tensor .* inputs are Scalars"):
        ag.vjp(f, scalars(), ag.tensor(1.0))
    with pytest.raises(ValueError, match="jvp: v has 1 entries for 2 inputs"):
        ag.jvp(f, scalars(), (1.0,))


def test_other_inputs_are_refused():
    with pytest.raises(TypeError, match="jacobian: input 0 must be a Tensor or a Scalar, got fl"):
        ag.jacobian(f, (1.0, 2.0))
