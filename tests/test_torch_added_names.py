"""The names added to the torch face (cumsum, prod, norm, index_select, scatter, einsum, ...)
refuse what torch refuses, with torch's exception type; the conformance tables check their
values and gradients."""

import numpy as np
import pytest

import autograd as ag
from tests.conformance.borrowed import torch

# (what, the call on either library): torch raises, and so must autograd, with the same type
REFUSED = [
    ("norm of integers", lambda m: m.tensor([1, 2]).norm()),
    ("norm narrowing dtype", lambda m: m.ones(2, dtype=m.float64).norm(dtype=m.float32)),
    ("index_select of a float index", lambda m: m.ones(2, 3).index_select(0, m.tensor([0.0]))),
    ("index_select of a matrix index", lambda m: m.ones(2, 3).index_select(0, m.tensor([[0]]))),
    ("index_select out of range", lambda m: m.ones(2, 3).index_select(0, m.tensor([2]))),
    ("index_select of a negative index", lambda m: m.ones(2, 3).index_select(0, m.tensor([-1]))),
    ("index_select of a 0-d tensor, twice",
     lambda m: m.tensor(1.0).index_select(0, m.tensor([0, 0]))),
    ("masked_select of a non-bool mask",
     lambda m: m.ones(2).masked_select(m.tensor([1, 0]))),
    ("dot of matrices", lambda m: m.ones(2, 2).dot(m.ones(2, 2))),
    ("dot of mixed dtypes", lambda m: m.tensor([1, 2]).dot(m.tensor([1.0, 2.0]))),
    ("dot of two sizes", lambda m: m.ones(2).dot(m.ones(3))),
    ("outer of a matrix", lambda m: m.ones(2, 2).outer(m.ones(2))),
    ("tril of a vector", lambda m: m.ones(3).tril()),
    ("triu of a vector", lambda m: m.ones(3).triu()),
    ("scatter of another dtype",
     lambda m: m.zeros(2, 3).scatter(1, m.tensor([[0], [2]]), m.ones(2, 1, dtype=m.float64))),
    ("scatter out of bounds", lambda m: m.zeros(2, 3).scatter(1, m.tensor([[0], [3]]), 1.0)),
    ("scatter of another rank", lambda m: m.zeros(2, 3).scatter(1, m.tensor([0, 1]), 1.0)),
    ("scatter_add of another dtype",
     lambda m: m.zeros(2, 3).scatter_add(1, m.tensor([[0]]), m.ones(1, 1, dtype=m.float64))),
    ("einsum of mixed dtypes",
     lambda m: m.einsum("i,i", m.ones(2), m.ones(2, dtype=m.float64))),
]


# Refused with another type than torch's, and why: the op table's dtype rule ("same", as the
# matrix products) raises its own error naming both dtypes
OTHER_TYPE = {"einsum of mixed dtypes": (TypeError, ValueError, RuntimeError)}


@pytest.mark.parametrize("what, call", REFUSED, ids=[w for w, _ in REFUSED])
def test_refused_as_torch_refuses(what, call):
    with pytest.raises(Exception) as theirs:
        call(torch())
    with pytest.raises(Exception) as ours:
        call(ag)
    assert isinstance(ours.value, OTHER_TYPE.get(what, theirs.type)), (ours.value, theirs.value)


def test_prod_gradient_with_zeros_is_exact_to_second_order():
    x = ag.tensor([2.0, 0.0, 3.0, 0.5], dtype=ag.float64, requires_grad=True)
    (g,) = ag.grad(x.prod(), [x], create_graph=True)
    assert g.tolist() == [0.0, 3.0, 0.0, 0.0]
    (h,) = ag.grad(g[1], [x])  # d/dx_j of prod of the others of x_1
    assert h.tolist() == [1.5, 0.0, 1.0, 6.0]


def test_norm_of_a_zero_vector_has_slope_zero_for_every_p():
    for p in (2, "fro", 1, 3, 0.5, float("inf")):
        x = ag.zeros(3, dtype=ag.float64, requires_grad=True)
        x.norm(p).backward()
        assert np.array_equal(x.grad.numpy(), np.zeros(3)), p


def test_einsum_gradients_reach_every_operand_at_second_order():
    a = ag.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    b = ag.tensor(np.arange(3.0), requires_grad=True)
    assert ag.gradgradcheck(lambda a, b: ag.einsum("ij,j->i", a, b), (a, b))
