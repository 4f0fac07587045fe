"""Gradient clipping: the joint norm, in-place scaling, value clipping, Scalars and errors.

The same calls against torch itself are in tests/conformance/test_torch_utils.py."""

import math

import numpy as np
import pytest

import autograd as ag
from autograd import Scalar
from optim import clip_grad_norm_, clip_grad_value_


def with_grads(*grads, dtype=np.float64):
    params = []
    for g in grads:
        p = ag.tensor(np.zeros(np.shape(g), dtype=dtype), requires_grad=True)
        p.grad = ag.tensor(np.array(g, dtype=dtype))
        params.append(p)
    return params


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, math.inf])
def test_norm_is_joint_and_clipping_scales_in_place(norm_type):
    rng = np.random.default_rng(0)
    params = with_grads(rng.standard_normal((3, 4)), rng.standard_normal(5))
    flat = np.concatenate([p.grad.numpy().ravel() for p in params])
    want = np.linalg.norm(flat, norm_type)
    arrays = [p.grad.numpy() for p in params]
    versions = [p.grad._version for p in params]
    total = clip_grad_norm_(iter(params), max_norm=0.5, norm_type=norm_type)
    assert isinstance(total, ag.Tensor) and total.shape == () and total.dtype == np.float64
    assert total.item() == pytest.approx(want, rel=1e-12)
    clipped = np.concatenate([p.grad.numpy().ravel() for p in params])
    np.testing.assert_allclose(clipped, flat * 0.5 / (want + 1e-6), rtol=1e-12)
    assert np.linalg.norm(clipped, norm_type) == pytest.approx(0.5, rel=1e-5)
    assert all(p.grad.numpy() is a for p, a in zip(params, arrays))
    assert [p.grad._version for p in params] == [v + 1 for v in versions]


def test_small_norms_and_missing_gradients_are_left_alone():
    params = with_grads([0.3, 0.4], dtype=np.float32)
    params.append(ag.tensor([5.0], requires_grad=True))  # no gradient: skipped
    total = clip_grad_norm_(params, max_norm=1.0)
    assert total.item() == pytest.approx(0.5, rel=1e-6) and total.dtype == np.float32
    assert params[0].grad.numpy().tolist() == pytest.approx([0.3, 0.4], rel=1e-7)
    assert params[0].grad.dtype == np.float32
    assert clip_grad_norm_([params[1]], max_norm=1.0).item() == 0.0
    single = with_grads([3.0, 4.0])[0]
    assert clip_grad_norm_(single, max_norm=1.0).item() == 5.0  # one parameter, not a list


def test_scalar_gradients_are_replaced():
    a, b = Scalar(1.0), Scalar(2.0)
    ((a * 3.0) + (b * 4.0)).backward()
    assert clip_grad_norm_([a, b], max_norm=1.0).item() == pytest.approx(5.0)
    assert type(a.grad) is float
    assert (a.grad, b.grad) == pytest.approx((0.6, 0.8), rel=1e-6)
    clip_grad_value_([a, b], clip_value=0.7)
    assert (a.grad, b.grad) == pytest.approx((0.6, 0.7))


def test_nonfinite_norm_scales_as_torch_does_unless_asked_to_raise():
    params = with_grads([1.0, np.nan])
    assert math.isnan(clip_grad_norm_(params, max_norm=1.0).item())
    assert np.isnan(params[0].grad.numpy()).all()  # torch multiplies by NaN too
    infinite = with_grads([1.0, np.inf])
    assert clip_grad_norm_(infinite, max_norm=1.0).item() == math.inf
    assert infinite[0].grad.numpy()[0] == 0 and np.isnan(infinite[0].grad.numpy()[1])
    for grads in ([1.0, np.nan], [np.inf]):
        with pytest.raises(RuntimeError, match="non-finite"):
            clip_grad_norm_(with_grads(grads), max_norm=1.0, error_if_nonfinite=True)


def test_clip_grad_value_in_place():
    params = with_grads([[-3.0, 0.5], [2.0, -0.25]])
    array = params[0].grad.numpy()
    assert clip_grad_value_(params, clip_value=1.0) is None
    assert params[0].grad.numpy() is array
    assert array.tolist() == [[-1.0, 0.5], [1.0, -0.25]]


@pytest.mark.parametrize("call, error, fragment", [
    (lambda p: clip_grad_norm_(p, max_norm=-1.0), ValueError, "max_norm value: -1.0"),
    (lambda p: clip_grad_norm_(p, max_norm=1.0, norm_type="two"), TypeError, "norm_type"),
    (lambda p: clip_grad_norm_(p, max_norm=1.0, foreach="yes"), TypeError, "foreach"),
    (lambda p: clip_grad_norm_(p, max_norm="1"), TypeError, "max_norm must be a real number"),
    (lambda p: clip_grad_value_(p, clip_value=-0.5), ValueError, "clip_value value: -0.5"),
    (lambda p: clip_grad_value_([1.0], clip_value=0.5), TypeError, "item 0 is a float"),
])
def test_invalid_arguments(call, error, fragment):
    with pytest.raises(error, match=fragment):
        call(with_grads([1.0]))
