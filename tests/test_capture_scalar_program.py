"""``ScalarProgram`` replays a Scalar graph by levels of numpy calls: the eager numbers, to 1e-12.

Each case builds a graph with a function of its leaves, once to make the program and again for
every set of leaf values the program runs with, so that the eager ``backward()`` it is compared
with always ran on a graph built from those very values.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

import autograd as ag
from autograd import Op, Scalar
from autograd.capture.scalar_program import ScalarProgram
from autograd.op import op_table
from autograd.ops import elementwise as ew
from bench.moons import ALPHA, SIZES, moons, weights
from nn.scalar_nets import MLP

RTOL = 1e-12


def eager(build, values):
    """The root's value and each leaf's ``.grad`` (0.0 for none) from an eager backward."""
    leaves = [Scalar(v) for v in values]
    root = build(leaves)
    root.backward()
    return root.data, np.array([0.0 if x.grad is None else x.grad for x in leaves])


def assert_replays(build, *value_sets):
    """The program made from the graph of the first values gives eager's numbers for each set."""
    leaves = [Scalar(v) for v in value_sets[0]]
    program = ScalarProgram.from_graph(build(leaves), leaves)
    for values in value_sets:
        value, grad = program.run(np.array(values, dtype=np.float64))
        expected_value, expected_grad = eager(build, values)
        assert isinstance(value, float)
        assert grad.dtype == np.float64 and grad.shape == (len(values),)
        assert_allclose(value, expected_value, rtol=RTOL, atol=0)
        assert_allclose(grad, expected_grad, rtol=RTOL, atol=0)
    return program


def total(terms):
    """``sum`` as a learner writes it: a chain of adds, one level each."""
    return sum(terms)


# --- the moons MLP of micrograd's demo -------------------------------------------------------


def moons_loss(params_values):
    """micrograd's demo loss on the moons with the MLP's parameters set to ``params_values``."""
    x, y = moons()
    model = MLP(2, list(SIZES[1:]), rng=0)
    params = model.parameters()
    for p, v in zip(params, params_values):
        p.data = float(v)
    scores = [model([float(v) for v in row]) for row in x]
    losses = [(1 - float(yi) * si).relu() for yi, si in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    return data_loss + ALPHA * sum(p * p for p in params), params


def moons_params():
    """The bench's weights in the order of ``MLP.parameters()``: each neuron's weights, bias."""
    values = []
    for w, b in zip(*[iter(weights())] * 2):
        for j in range(w.shape[1]):
            values += [*w[:, j], b[j]]
    return np.array(values)


def test_moons_mlp_value_and_every_gradient_match_eager_backward():
    start = moons_params()
    loss, params = moons_loss(start)
    assert len(params) == 337
    program = ScalarProgram.from_graph(loss, params)
    loss.backward()
    value, grad = program.run(start)
    assert_allclose(value, loss.data, rtol=RTOL, atol=0)
    assert_allclose(grad, [p.grad for p in params], rtol=RTOL, atol=0)

    # The parameters are read anew: after a step of gradient descent, as the eager graph
    # built from the new values says.
    stepped = start - 0.5 * grad
    value, grad = program.run(stepped)
    loss, params = moons_loss(stepped)
    loss.backward()
    assert_allclose(value, loss.data, rtol=RTOL, atol=0)
    assert_allclose(grad, [p.grad for p in params], rtol=RTOL, atol=0)


def test_moons_mlp_groups_count_every_operation_once_by_level():
    loss, params = moons_loss(moons_params())
    program = ScalarProgram.from_graph(loss, params)
    groups = program.describe()
    levels = [level for level, _, _ in groups]
    assert levels == sorted(levels) and levels[0] == 1
    assert len(set(levels)) == levels[-1]  # no level is empty
    # The first layer's products come all at once: 16 weights by 2 coordinates by 100 points,
    # with the 337 squares of the penalty.
    assert (1, "mul", 16 * 2 * 100 + 337) in groups
    # The second layer's products: 16 by 16 by 100, in one call.
    assert (5, "mul", 16 * 16 * 100) in groups


# --- each op, alone and in groups ------------------------------------------------------------


def unary(method, **params):
    """Four nodes of the op at one level, one more alone at another."""
    def build(x):
        many = total(getattr(xi, method)(**params) * (k + 1) for k, xi in enumerate(x[:4]))
        return many + getattr(x[4] * 2.0, method)(**params)
    return build


def binary(f):
    """Four nodes of the op at one level (half the leaves as each input), one more alone."""
    def build(x):
        many = total(f(a, b) * (k + 1) for k, (a, b) in enumerate(zip(x[:4], x[4:8])))
        return many + f(x[8] * 1.5, x[9])
    return build


REAL = [0.3, -1.2, 2.0, -0.7, 0.9, 1.4, -0.4, 0.6, -1.1, 0.8]
POSITIVE = [0.3, 1.2, 2.0, 0.7, 0.9, 1.4, 0.4, 0.6, 1.1, 0.8]
# Both signs; maximum and minimum meet a tie at the first pair (split evenly).
TIED = [0.3, -1.2, 2.0, -0.7, 0.3, 1.4, -0.4, 0.6, -1.1, 0.8]

CASES = {
    "add": (binary(lambda a, b: a + b), REAL),
    "sub": (binary(lambda a, b: a - b), REAL),
    "mul": (binary(lambda a, b: a * b), REAL),
    "div": (binary(lambda a, b: a / b), REAL),
    "pow": (binary(lambda a, b: a ** b + a ** 3 + 2.0 ** b), POSITIVE),
    "neg": (unary("__neg__"), REAL),
    "exp": (unary("exp"), REAL),
    "log": (unary("log"), POSITIVE),
    "sqrt": (unary("sqrt"), POSITIVE),
    "abs": (unary("abs"), REAL),
    "sin": (unary("sin"), REAL),
    "cos": (unary("cos"), REAL),
    "tanh": (unary("tanh"), REAL),
    "sigmoid": (unary("sigmoid"), REAL),
    "relu": (unary("relu"), REAL),
    "leaky_relu": (unary("leaky_relu", negative_slope=0.1), REAL),
    "softplus": (unary("softplus"), REAL),
    "log1p": (unary("log1p"), POSITIVE),
    "expm1": (unary("expm1"), REAL),
    "maximum": (binary(lambda a, b: a.maximum(b)), TIED),
    "minimum": (binary(lambda a, b: a.minimum(b)), TIED),
    "clip": (unary("clip", min=-0.5, max=1.0), REAL),
    "floor": (unary("floor"), REAL),
    "ceil": (unary("ceil"), REAL),
    "trunc": (unary("trunc"), REAL),
    "round": (unary("round", decimals=1), REAL),
    "sign": (unary("sign"), REAL),
    # the rounded divisions and remainders (Tensor methods) through their ops, plus a so that
    # a gradient flows past their slope of 0
    "floor_divide": (binary(lambda a, b: ew.floor_divide(a, b) + a), REAL),
    "div_trunc": (binary(lambda a, b: ew.div_trunc(a, b) + a), REAL),
    "remainder": (binary(lambda a, b: ew.remainder(a, b)), REAL),
    "fmod": (binary(lambda a, b: ew.fmod(a, b)), REAL),
    # autograd.where gives the op its condition as a 0-d array, ew.where as it is given.
    "where": (binary(lambda a, b: ag.where(a > b, a, b) + ew.where(a, b, cond=False)), REAL),
}


def test_the_cases_cover_every_elementwise_op():
    assert sorted(CASES) == sorted(op.name for op in op_table()["elementwise"])


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_elementwise_op_replays_as_eager(name):
    build, values = CASES[name]
    other = [v * 0.8 + 0.05 for v in values]  # the same signs, so domains hold
    program = assert_replays(build, values, other)
    assert name in {op for _, op, _ in program.describe()}


def test_nodes_of_one_kind_and_level_share_one_call():
    program = assert_replays(unary("tanh"), REAL[:5], REAL[5:])
    assert (1, "tanh", 4) in program.describe()


# --- gradients from several uses -------------------------------------------------------------


def test_a_leaf_used_twice_in_one_operation():
    assert_replays(lambda x: x[0] * x[0], [1.5], [-0.25])
    assert_replays(lambda x: x[0] + x[0], [1.5], [-0.25])


def test_a_node_with_several_consumers_sums_their_gradients():
    def build(x):
        h = x[0] * x[1]
        return h * h + h.exp() + h - h.tanh() * x[0]
    assert_replays(build, [0.7, -0.4], [1.1, 0.3])


def test_a_leaf_used_by_many_nodes_of_one_group():
    # w multiplies every input at once: its gradients meet in one slot (np.bincount's case).
    def build(x):
        w, xs = x[0], x[1:]
        return total((w * xi).tanh() for xi in xs) + total(xi * w for xi in xs)
    program = assert_replays(build, [0.5, *REAL], [-0.3, *POSITIVE])
    assert (1, "mul", 20) in program.describe()


def test_the_same_pair_in_both_orders_in_one_group():
    assert_replays(lambda x: (x[0] * x[1]) * (x[1] * x[0]) + x[0] / x[1] + x[1] / x[0],
                   [0.7, -1.3], [2.0, 0.5])


def test_a_deep_chain_takes_one_level_per_add():
    n = 2000  # deeper than Python's recursion limit allows a recursive walk
    values = np.linspace(-1.0, 1.0, n)
    program = assert_replays(lambda x: total(xi * xi for xi in x), values, values[::-1] * 2)
    groups = program.describe()
    assert groups[0] == (1, "mul", n)
    assert len(groups) == n + 1  # 0 + x0², then one add per term


# --- live leaves and constants ---------------------------------------------------------------


def test_constants_keep_their_value_and_live_leaves_are_read_anew():
    c = Scalar(3.0)  # a leaf that requires grad but is not live: baked in

    a, b = Scalar(0.5), Scalar(-2.0)
    program = ScalarProgram.from_graph((a * c + 3.0) * b - 2.5, [a, b])
    c.data = 100.0  # later changes to the constant do not reach the program
    for values in ([0.5, -2.0], [4.0, 0.25]):
        value, grad = program.run(np.array(values))
        c_then = Scalar(3.0)
        x = [Scalar(v) for v in values]
        root = (x[0] * c_then + 3.0) * x[1] - 2.5
        root.backward()
        assert_allclose(value, root.data, rtol=RTOL, atol=0)
        assert_allclose(grad, [x[0].grad, x[1].grad], rtol=RTOL, atol=0)


def test_a_live_leaf_without_requires_grad_is_read_but_gets_no_gradient():
    w, data, v = Scalar(0.5), Scalar(2.0, requires_grad=False), Scalar(3.0)
    # w * data and w * v are one group: the gradients of its second inputs are computed for
    # v, and so for data too, which must not show it.
    program = ScalarProgram.from_graph((w * data).tanh() + w * v, [w, data, v])
    value, grad = program.run(np.array([0.5, -1.0, 3.0]))
    assert_allclose(value, math.tanh(-0.5) + 1.5, rtol=RTOL, atol=0)
    assert_allclose(grad, [-(1 - math.tanh(-0.5) ** 2) + 3.0, 0.0, 0.5], rtol=RTOL, atol=0)


def test_a_live_leaf_the_root_does_not_reach_gets_zero():
    a, b, unused = Scalar(1.5), Scalar(2.0), Scalar(7.0)
    program = ScalarProgram.from_graph(a * b, [a, unused, b])
    value, grad = program.run(np.array([1.5, 7.0, 2.0]))
    assert value == 3.0
    assert grad.tolist() == [2.0, 0.0, 1.5]


def test_a_root_that_is_a_leaf():
    a, b = Scalar(1.5), Scalar(2.0)
    program = ScalarProgram.from_graph(a, [a, b])
    assert program.describe() == []
    assert program.run(np.array([4.0, 2.0]))[0] == 4.0
    assert program.run(np.array([4.0, 2.0]))[1].tolist() == [1.0, 0.0]


# --- refusals --------------------------------------------------------------------------------


def scalar_exp():
    # math.exp takes one float: it fails on an array.
    return Op("float_exp", math.exp, (lambda g, y, x: g * y,), raw_rules=True)


def centered():
    # On one float x - mean(x) is 0; on an array it is no longer elementwise.
    return Op("centered", lambda x: x - np.mean(x), (lambda g, y, x: g,), raw_rules=True)


def floor_gradient():
    # Python's max compares one float; on an array its truth value is ambiguous.
    return Op("floor_gradient", np.exp, (lambda g, y, x: g * max(y, 1.0),), raw_rules=True)


@pytest.mark.parametrize("make_op, message", [
    (scalar_exp, "cannot vectorize 'float_exp': its forward"),
    (centered, "cannot vectorize 'centered': its forward"),
    (floor_gradient, "cannot vectorize 'floor_gradient': its vjp rule for input 0"),
])
def test_an_op_that_is_not_elementwise_on_arrays_is_refused_by_name(make_op, message):
    op = make_op()
    x = [Scalar(0.5), Scalar(-0.25)]
    root = op(x[0]) + op(x[1])
    with pytest.raises(ValueError, match=message):
        ScalarProgram.from_graph(root, x)


def test_an_op_whose_parameters_cannot_be_compared_is_refused_by_name():
    scale = Op("scale", lambda x, factor: x * factor[0],
               (lambda g, y, x, factor: g * factor[0],), raw_rules=True)
    x = Scalar(2.0)
    with pytest.raises(ValueError, match="cannot vectorize 'scale': its parameters"):
        ScalarProgram.from_graph(scale(x, factor=[3.0]), [x])


def test_wrong_arguments_are_refused():
    a, b = Scalar(1.0), Scalar(2.0)
    c = a * b
    with pytest.raises(TypeError, match="expected Scalars"):
        ScalarProgram.from_graph(1.0, [a])
    with pytest.raises(ValueError, match="live leaf 1 .* is not a leaf: it was made by 'mul'"):
        ScalarProgram.from_graph(c + a, [a, c])
    with pytest.raises(ValueError, match="live leaf 1 .* is also live leaf 0"):
        ScalarProgram.from_graph(c, [a, a])
    program = ScalarProgram.from_graph(c, [a, b])
    with pytest.raises(ValueError, match="expected 2 leaf values"):
        program.run(np.array([1.0, 2.0, 3.0]))


def test_programs_of_two_graphs_tell_where_they_differ():
    def program(x_value, square=False):
        w = Scalar(3.0)
        x = Scalar(x_value)
        return ScalarProgram.from_graph((w * x) ** 2 if square else w * x + x, [w])

    assert program(1.0).difference(program(1.0)) is None
    assert program(math.nan).difference(program(math.nan)) is None
    changed = program(1.0).difference(program(2.0))
    assert changed is not None and "was 1.0 on one call and 2.0 on the next" in changed
    other = program(1.0).difference(program(1.0, square=True))
    assert other is not None and "another shape" in other
