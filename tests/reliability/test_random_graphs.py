"""Random expression DAGs: every leaf gradient agrees with central differences.

A hypothesis strategy builds a graph of up to 30 operation nodes over one to three leaves of
broadcast-compatible shapes. Each node applies an elementwise or reducing operation to earlier
nodes chosen at random, so intermediates are reused (diamonds, repeated inputs, ``a * a``).
The output sums several nodes, so that many paths reach each leaf. The check uses its own
central differences in float64, independent of ``autograd.gradcheck``.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd as ag

EXAMPLES = 60
LEAF_SHAPES = [(2, 3), (3,), (1, 3), ()]

# Operations that keep values bounded enough for finite differences over 30 nodes.
UNARY = {
    "tanh": lambda a: a.tanh(),
    "sigmoid": lambda a: a.sigmoid(),
    "sin": lambda a: a.sin(),
    "softplus": lambda a: a.softplus(),
    "exp_tanh": lambda a: a.tanh().exp(),
    "square_scaled": lambda a: a * a * 0.3,
    "neg": lambda a: -a,
    "sum_last": lambda a: a.sum(axis=-1, keepdims=True) * 0.3 if a.ndim else a,
    "mean_all": lambda a: a.mean(),
    "logsumexp_last": lambda a: a.logsumexp(axis=-1, keepdims=True) if a.ndim else a,
    "max_last": lambda a: a.amax(-1, keepdim=True) if a.ndim else a,
}
BINARY = {
    "average": lambda a, b: (a + b) * 0.5,
    "sub": lambda a, b: a - b,
    "mul_tanh": lambda a, b: a * b.tanh(),
    "div_soft": lambda a, b: a / (b * b + 1.0),
}


@st.composite
def graphs(draw):
    leaves = draw(st.lists(st.sampled_from(LEAF_SHAPES), min_size=1, max_size=3))
    count = draw(st.integers(1, 30))
    nodes = []
    for k in range(count):
        available = len(leaves) + k
        if draw(st.booleans()):
            nodes.append(("u", draw(st.sampled_from(sorted(UNARY))),
                          draw(st.integers(0, available - 1))))
        else:
            nodes.append(("b", draw(st.sampled_from(sorted(BINARY))),
                          draw(st.integers(0, available - 1)),
                          draw(st.integers(0, available - 1))))
    outputs = draw(st.lists(st.integers(0, len(leaves) + count - 1), min_size=1, max_size=4))
    seed = draw(st.integers(0, 2**32 - 1))
    return leaves, nodes, outputs, seed


def evaluate(nodes, outputs, leaves):
    values = list(leaves)
    for node in nodes:
        if node[0] == "u":
            values.append(UNARY[node[1]](values[node[2]]))
        else:
            values.append(BINARY[node[1]](values[node[2]], values[node[3]]))
    total = values[outputs[0]].sum()
    for k in outputs[1:]:
        total = total + values[k].sum()
    return total


def _has_max_tie(nodes, outputs, leaves):
    """Finite differences are meaningless at a tie of ``max``: skip such draws."""
    values = list(leaves)
    with ag.no_grad():
        for node in nodes:
            args = [values[i] for i in node[2:]]
            if node[1] == "max_last" and args[0].ndim:
                top = np.sort(args[0].numpy(), axis=-1)
                if top.shape[-1] > 1 and np.min(top[..., -1] - top[..., -2]) < 1e-3:
                    return True
            values.append((UNARY if node[0] == "u" else BINARY)[node[1]](*args))
    return False


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True)
@given(graphs())
def test_random_graph_gradients_match_central_differences(graph):
    shapes, nodes, outputs, seed = graph
    rng = np.random.default_rng(seed)
    arrays = [rng.uniform(-1.5, 1.5, size=s) for s in shapes]
    leaves = [ag.tensor(a, requires_grad=True) for a in arrays]
    if _has_max_tie(nodes, outputs, leaves):
        return
    evaluate(nodes, outputs, leaves).backward()
    eps = 1e-6
    for i, (leaf, base) in enumerate(zip(leaves, arrays)):
        analytic = np.zeros(base.shape) if leaf.grad is None else leaf.grad.numpy()
        numeric = np.zeros(base.shape)
        for index in np.ndindex(base.shape):
            values = []
            for step in (eps, -eps):
                moved = [a.copy() for a in arrays]
                moved[i][index] += step
                with ag.no_grad():
                    values.append(evaluate(nodes, outputs, [ag.tensor(m) for m in moved]).item())
            numeric[index] = (values[0] - values[1]) / (2 * eps)
        assert np.allclose(analytic, numeric, rtol=1e-4, atol=1e-6), (
            f"leaf {i} of shape {base.shape} in graph {nodes} (outputs {outputs}): analytic "
            f"{analytic} vs central differences {numeric}")
