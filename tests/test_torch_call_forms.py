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
