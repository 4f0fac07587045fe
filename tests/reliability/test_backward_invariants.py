"""Invariants of every operation's backward, over every tensor case of the op table.

From PyTorch's gradcheck: a zero upstream gradient gives exactly zero gradients; each gradient
has its input's shape and dtype; two backward runs are bitwise equal; neither the inputs nor the
upstream gradient are changed; no gradient shares memory with the upstream gradient or with
another input's gradient.
"""

from __future__ import annotations

import numpy as np
import pytest

import autograd as ag
from tests.op_table import CASES, sample

TENSOR_CASES = [c for c in CASES if not c.scalar]


def _inputs(case, seed):
    rng = np.random.default_rng(seed)
    return [ag.tensor(sample(s, d, rng), requires_grad=True)
            for s, d in zip(case.shapes, case.domains)]


def _backward(case, xs, upstream):
    for x in xs:
        x.grad = None
    y = case.fn(*xs)
    y.backward(upstream)
    return [np.zeros(x.shape) if x.grad is None else x.grad.numpy() for x in xs]


@pytest.mark.parametrize("case", TENSOR_CASES, ids=[c.label for c in TENSOR_CASES])
def test_backward_invariants(case):
    xs = _inputs(case, 0)
    originals = [x.numpy().copy() for x in xs]
    shape = case.fn(*xs).shape
    upstream = ag.tensor(np.random.default_rng(1).normal(size=shape))
    kept = upstream.numpy().copy()

    zeros = _backward(case, xs, ag.tensor(np.zeros(shape)))
    for i, g in enumerate(zeros):
        assert not g.any(), f"{case.label}: zero upstream gave a nonzero gradient for input {i}"

    first = _backward(case, xs, upstream)
    second = _backward(case, xs, upstream)
    for i, (x, g1, g2) in enumerate(zip(xs, first, second)):
        assert g1.shape == x.shape and g1.dtype == x.dtype, \
            f"{case.label}: input {i} is {x.dtype} {x.shape}, its gradient {g1.dtype} {g1.shape}"
        assert g1.tobytes() == g2.tobytes(), f"{case.label}: two backward runs differ (input {i})"
        assert not np.shares_memory(g1, upstream.numpy()), \
            f"{case.label}: the gradient of input {i} shares memory with the upstream gradient"
    for i, (x, before) in enumerate(zip(xs, originals)):
        assert x.numpy().tobytes() == before.tobytes(), f"{case.label}: backward changed input {i}"
    assert upstream.numpy().tobytes() == kept.tobytes(), \
        f"{case.label}: backward changed the upstream gradient"
    grads = [x.grad.numpy() for x in xs if x.grad is not None]
    for i in range(len(grads)):
        for j in range(i + 1, len(grads)):
            if grads[i].size and grads[j].size:
                assert not np.shares_memory(grads[i], grads[j]), \
                    f"{case.label}: the gradients of inputs {i} and {j} share memory"
