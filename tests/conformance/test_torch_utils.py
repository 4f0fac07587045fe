"""``nn.utils`` (torch's half) against ``torch.nn.utils``: signatures, norms, clipped gradients
and flattening, on the same gradients in float64 and float32."""

import math

import numpy as np
import pytest

import autograd as ag
import nn
from tests.conformance.borrowed import signature_differences, torch
from tests.conformance.torch_utils import ENTRIES


@pytest.mark.parametrize("entry", ENTRIES, ids=str)
def test_signature_is_torch(entry):
    assert signature_differences(entry.our_object(), entry.their_object()) == []


def _pair(t, grads, dtype):
    ours, theirs = [], []
    for g in grads:
        g = np.asarray(g, dtype=dtype)
        p = ag.tensor(np.zeros_like(g), requires_grad=True)
        p.grad = ag.tensor(g.copy())
        q = t.zeros(g.shape, dtype=getattr(t, np.dtype(dtype).name), requires_grad=True)
        q.grad = t.from_numpy(g.copy())
        ours.append(p)
        theirs.append(q)
    return ours, theirs


def _grads(rng):
    return [rng.standard_normal((3, 4)) * 2, rng.standard_normal(5), rng.standard_normal((2, 2, 2))]


NORMS = [2.0, 1.0, 3.0, 0.5, math.inf, -math.inf, 0, -1.0, "inf"]


@pytest.mark.parametrize("dtype, rtol", [(np.float64, 1e-12), (np.float32, 1e-6)])
@pytest.mark.parametrize("norm_type", NORMS, ids=str)
@pytest.mark.parametrize("max_norm", [0.5, 100.0])
def test_clip_grad_norm_matches_torch(norm_type, max_norm, dtype, rtol):
    t = torch()
    ours, theirs = _pair(t, _grads(np.random.default_rng(3)), dtype)
    total = nn.utils.clip_grad_norm_(ours, max_norm, norm_type)
    want = t.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type)
    assert total.dtype == np.dtype(dtype) and total.shape == ()
    np.testing.assert_allclose(total.numpy(), want.numpy(), rtol=rtol)
    for p, q in zip(ours, theirs):
        assert p.grad.dtype == np.dtype(dtype)
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=rtol, atol=1e-30)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nonfinite_gradients_as_torch(bad):
    t = torch()
    grads = [[1.0, bad, -3.0], [2.0]]
    ours, theirs = _pair(t, grads, np.float64)
    total = nn.utils.clip_grad_norm_(ours, 1.0)
    want = t.nn.utils.clip_grad_norm_(theirs, 1.0)
    np.testing.assert_array_equal(total.numpy(), want.numpy())
    for p, q in zip(ours, theirs):
        np.testing.assert_array_equal(p.grad.numpy(), q.grad.numpy())
    ours, theirs = _pair(t, grads, np.float64)
    with pytest.raises(RuntimeError, match="non-finite"):
        t.nn.utils.clip_grad_norm_(theirs, 1.0, error_if_nonfinite=True)
    with pytest.raises(RuntimeError, match="non-finite"):
        nn.utils.clip_grad_norm_(ours, 1.0, error_if_nonfinite=True)


def test_total_norm_then_clip_with_it_as_torch():
    t = torch()
    ours, theirs = _pair(t, _grads(np.random.default_rng(4)), np.float64)
    total = nn.utils.get_total_norm([p.grad for p in ours], 3.0)
    want = t.nn.utils.get_total_norm([q.grad for q in theirs], 3.0)
    np.testing.assert_allclose(total.numpy(), want.numpy(), rtol=1e-12)
    nn.utils.clip_grads_with_norm_(ours, 0.7, total)
    t.nn.utils.clip_grads_with_norm_(theirs, 0.7, want)
    for p, q in zip(ours, theirs):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-12)
    assert nn.utils.get_total_norm([]).numpy() == t.nn.utils.get_total_norm([]).numpy()


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_clip_grad_value_matches_torch(dtype):
    t = torch()
    ours, theirs = _pair(t, _grads(np.random.default_rng(5)), dtype)
    assert nn.utils.clip_grad_value_(ours, 0.8) is None
    t.nn.utils.clip_grad_value_(theirs, 0.8)
    for p, q in zip(ours, theirs):
        np.testing.assert_array_equal(p.grad.numpy(), q.grad.numpy())


def test_one_tensor_and_missing_gradients_as_torch():
    t = torch()
    ours, theirs = _pair(t, [[3.0, 4.0]], np.float64)
    extra, extra_t = ag.tensor([1.0], requires_grad=True), t.tensor([1.0], requires_grad=True)
    assert nn.utils.clip_grad_norm_(ours[0], 1.0).item() == t.nn.utils.clip_grad_norm_(
        theirs[0], 1.0).item()
    assert nn.utils.clip_grad_norm_([extra], 1.0).item() == t.nn.utils.clip_grad_norm_(
        [extra_t], 1.0).item() == 0.0


def test_negative_limits_are_refused():
    w = ag.tensor([1.0], requires_grad=True)
    w.grad = ag.tensor([2.0])
    with pytest.raises(ValueError, match="max_norm"):
        nn.utils.clip_grad_norm_([w], -1.0)
    with pytest.raises(ValueError, match="clip_value"):
        nn.utils.clip_grad_value_([w], -1.0)
    assert w.grad.item() == 2.0


def test_parameters_to_vector_and_back_as_torch():
    t = torch()
    rng = np.random.default_rng(6)
    values = [rng.standard_normal((2, 3)), rng.standard_normal(4), rng.standard_normal((1, 2, 2))]
    ours = [ag.tensor(v.copy(), requires_grad=True) for v in values]
    theirs = [t.tensor(v.copy(), requires_grad=True) for v in values]
    vec, want = nn.utils.parameters_to_vector(ours), t.nn.utils.parameters_to_vector(theirs)
    np.testing.assert_array_equal(vec.numpy(), want.detach().numpy())
    # in the graph, as torch's: gradients reach every parameter
    weights = np.arange(vec.shape[0], dtype=np.float64)
    (vec * ag.tensor(weights)).sum().backward()
    (want * t.from_numpy(weights)).sum().backward()
    for p, q in zip(ours, theirs):
        np.testing.assert_array_equal(p.grad.numpy(), q.grad.numpy())
    new = rng.standard_normal(14)
    nn.utils.vector_to_parameters(ag.tensor(new), ours)
    t.nn.utils.vector_to_parameters(t.from_numpy(new), theirs)
    for p, q in zip(ours, theirs):
        np.testing.assert_array_equal(p.numpy(), q.detach().numpy())
        assert p.requires_grad and p.is_leaf
    with pytest.raises(RuntimeError, match="fewer"):
        nn.utils.vector_to_parameters(ag.tensor(new[:5]), ours)
    with pytest.raises(TypeError, match="expected Tensor"):
        nn.utils.vector_to_parameters(new, ours)


def test_a_pytorch_training_loop_clips_as_written():
    import autograd as torch_like
    import nn.functional as F
    import optim

    model = nn.Linear(3, 1)
    opt = optim.SGD(model.parameters(), lr=0.1)
    x, y = torch_like.randn(8, 3), torch_like.randn(8, 1)
    loss = F.mse_loss(model(x), y)
    opt.zero_grad()
    loss.backward()
    norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.01)
    after = nn.utils.get_total_norm([p.grad for p in model.parameters()])
    assert norm.item() > 0.01 and after.item() == pytest.approx(0.01, rel=1e-3)
    opt.step()
