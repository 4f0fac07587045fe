"""Valid torch calls that used to crash: lists of dims, tensor bounds for clamp, the one-argument
``where``, ``size=`` for the factories. Each is run on torch too and the results compared."""

from __future__ import annotations

import numpy as np
import pytest

import autograd as ag

torch = pytest.importorskip("torch")

X = np.arange(2 * 3 * 4 * 5, dtype=np.float32).reshape(2, 3, 4, 5) / 7


@pytest.mark.parametrize("call", [
    lambda T, x: x.mean(dim=[2, 3]),
    lambda T, x: x.mean([1], keepdim=True),
    lambda T, x: x.sum([0, 1]),
    lambda T, x: x.sum(dim=[0, 3], keepdim=True),
    lambda T, x: T.mean(x, [0, 1]),
    lambda T, x: T.sum(x, [2]),
    lambda T, x: x.logsumexp([1, 2]),
], ids=["mean dim=list", "mean list keepdim", "sum list", "sum dim=list keepdim",
        "function mean", "function sum", "logsumexp list"])
def test_reductions_take_a_list_of_dims(call):
    ours = ag.tensor(X, requires_grad=True)
    theirs = torch.tensor(X, requires_grad=True)
    a, b = call(ag, ours), call(torch, theirs)
    np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-5)
    (a * a).sum().backward()
    (b * b).sum().backward()
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-5)


def _clamp_case(low, high, x=(-2.0, 0.0, 0.5, 1.0, 3.0, float("nan"))):
    """x.clamp(low, high) on both libraries, with every tensor requiring grad: the values and
    each tensor's gradient (None where it is a number or absent)."""
    results = []
    for T in (ag, torch):
        leaves = [T.tensor(x, requires_grad=True)]
        bounds = []
        for bound in (low, high):
            if isinstance(bound, list):
                bounds.append(T.tensor(bound, requires_grad=True))
                leaves.append(bounds[-1])
            else:
                bounds.append(bound)
        y = leaves[0].clamp(min=bounds[0], max=bounds[1])
        weights = T.arange(1.0, 1.0 + y.shape[-1])
        (T.nan_to_num(y, nan=0.0) * weights if T is torch else _zero_nan(y) * weights).sum() \
            .backward()
        results.append((np.asarray(y.tolist()), [np.asarray(t.grad.tolist()) for t in leaves]))
    return results


def _zero_nan(y):
    return ag.where(y != y, ag.zeros(y.shape), y)


@pytest.mark.parametrize("low, high", [
    ([0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0, 1.0, 1.0]),
    ([0.0, 0.0, 0.0, 0.0, 0.0, 0.0], None),
    (None, [1.0, 1.0, 1.0, 1.0, 1.0, 1.0]),
    ([0.5], [2.0]),
    ([0.0], [1.0, 1.0, 0.5, 0.5, 0.5, 1.0]),
    ([1.0, 1.0, 1.0, 2.0, 1.0, 1.0], [0.0, 1.0, 0.5, 2.0, 1.0, 1.0]),  # min > max, min == max
], ids=["both tensors", "min tensor", "max tensor", "broadcast bounds",
        "broadcast min", "crossed and equal bounds"])
def test_clamp_takes_tensor_bounds_with_torchs_gradients(low, high):
    (ours, our_grads), (theirs, their_grads) = _clamp_case(low, high)
    np.testing.assert_array_equal(ours, theirs)
    for a, b in zip(our_grads, their_grads):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("make", [
    lambda T: T.tensor([1, 2, 3]).clamp(min=T.tensor(1.5)),
    lambda T: T.tensor([1, 2, 3]).clamp(min=1.5),
    lambda T: T.tensor([1, 2, 3]).clamp(max=2),
    lambda T: T.tensor([1.0, 2.0]).clamp(min=T.tensor(1.5, dtype=T.float64)),
    lambda T: T.tensor([1.0, 2.0]).clamp(min=T.tensor([1.5, 1.0], dtype=T.float64)),
    lambda T: T.clamp(T.tensor(1.0), min=T.ones(3)),
    lambda T: T.tensor([0.0, 5.0]).clamp(min=T.tensor([[1.0], [2.0]])),
    lambda T: T.tensor([0.0, 5.0]).clamp(min=0.5, max=T.tensor(4.0)),
], ids=["int, float 0-d", "int, float", "int, int", "float32, float64 0-d", "float32, float64",
        "broadcast to the bound", "broadcast both",
        "number and 0-d tensor"])
def test_clamp_results_have_torchs_dtype_and_shape(make):
    ours, theirs = make(ag), make(torch)
    assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "")
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("condition", [
    [[0, 3], [5, 0]], [True, False, True], 3, 0.0, [[False]],
])
def test_where_of_the_condition_alone_gives_the_nonzero_indices(condition):
    ours, theirs = ag.where(ag.tensor(condition)), torch.where(torch.tensor(condition))
    assert isinstance(ours, tuple) and len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a.dtype == ag.int64
        np.testing.assert_array_equal(a.numpy(), b.numpy())


@pytest.mark.parametrize("name", ["zeros", "ones", "empty"])
def test_factories_take_size_as_a_keyword(name):
    for size in ((2, 3), [4], ()):
        ours = getattr(ag, name)(size=size, dtype=ag.float64)
        theirs = getattr(torch, name)(size=size, dtype=torch.float64)
        assert ours.shape == tuple(theirs.shape) and ours.dtype == ag.float64
    with pytest.raises(TypeError, match="multiple values for argument 'size'"):
        getattr(torch, name)(2, size=(2,))
    with pytest.raises(TypeError, match="multiple values for argument 'size'"):
        getattr(ag, name)(2, size=(2,))
    with pytest.raises(TypeError, match="unexpected keyword argument 'shape'"):
        getattr(ag, name)(shape=(2,))
