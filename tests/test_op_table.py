"""Every operation in the op table, gradient-checked in float64 against central differences."""

import importlib
import pkgutil

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
import autograd.ops
from autograd import Op, Scalar
from tests.op_table import CASES, COMPOSITES, sample


def _inputs(case, seed=0):
    rng = np.random.default_rng(seed)
    values = [sample(shape, domain, rng) for shape, domain in zip(case.shapes, case.domains)]
    if case.scalar:
        return tuple(Scalar(float(v)) for v in values)
    return tuple(ag.tensor(v, requires_grad=True) for v in values)


def _all_ops():
    ops = {}
    for info in pkgutil.iter_modules(autograd.ops.__path__):
        module = importlib.import_module(f"autograd.ops.{info.name}")
        for value in vars(module).values():
            if isinstance(value, Op):
                ops[value.name] = value
    return ops


def _ids(cases):
    return [f"{i}-{case.label}" for i, case in enumerate(cases)]


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_gradcheck(case):
    assert ag.gradcheck(case.fn, _inputs(case), **case.options)


SECOND_ORDER = [c for c in CASES if c.second_order]


@pytest.mark.parametrize("case", SECOND_ORDER, ids=_ids(SECOND_ORDER))
def test_gradgradcheck(case):
    assert ag.gradgradcheck(case.fn, _inputs(case, seed=1), **case.options)


def test_every_op_and_composite_has_a_case():
    covered = {case.op for case in CASES}
    missing = sorted(set(_all_ops()) - covered)
    assert not missing, f"ops without a gradient-check case: {missing}"
    assert not sorted(set(COMPOSITES) - covered)


def test_every_elementwise_op_is_checked_on_scalars():
    elementwise = {op.name for op in vars(autograd.ops.elementwise).values()
                   if isinstance(op, Op)}
    on_scalars = {case.op for case in CASES if case.scalar}
    assert elementwise - on_scalars == {"where"}  # where's condition is an array


def test_the_table_holds_many_checks():
    assert len(CASES) > 300


def test_binary_ops_with_the_same_input_twice():
    # f(x, x): both rules' contributions must add up on the one input.
    binary = [("add", lambda a, b: a + b), ("sub", lambda a, b: a - b),
              ("mul", lambda a, b: a * b), ("div", lambda a, b: a / b),
              ("pow", lambda a, b: a ** b), ("maximum", lambda a, b: a.maximum(b)),
              ("minimum", lambda a, b: a.minimum(b)), ("matmul", lambda a, b: a @ b),
              ("where", lambda a, b: ag.where(np.array([True, False, True]), a, b))]
    for name, fn in binary:
        x = ag.tensor(np.array([0.5, 1.5, 2.0]), requires_grad=True)
        assert ag.gradcheck(lambda x: fn(x, x), x), name
        if name not in ("matmul", "where"):
            s = Scalar(1.25)
            assert ag.gradcheck(lambda s: fn(s, s), s), name


UNARY = {
    "exp": (lambda x: x.exp(), "real"), "log": (lambda x: x.log(), "positive"),
    "sqrt": (lambda x: x.sqrt(), "positive"), "tanh": (lambda x: x.tanh(), "real"),
    "sigmoid": (lambda x: x.sigmoid(), "real"), "softplus": (lambda x: x.softplus(), "real"),
    "sin": (lambda x: x.sin(), "real"), "relu": (lambda x: x.relu(), "nonzero"),
    "abs": (lambda x: x.abs(), "nonzero"), "square": (lambda x: x * x, "real"),
}
REDUCTIONS = ["sum", "mean", "max", "min", "logsumexp", "var", "std"]


@settings(max_examples=40, deadline=None)
@given(name=st.sampled_from(sorted(UNARY)),
       shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3),
       seed=st.integers(0, 2**16))
def test_hypothesis_elementwise(name, shape, seed):
    fn, domain = UNARY[name]
    x = ag.tensor(sample(shape, domain, np.random.default_rng(seed)), requires_grad=True)
    assert ag.gradcheck(fn, x)


@settings(max_examples=40, deadline=None)
@given(name=st.sampled_from(REDUCTIONS),
       shape=hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=3),
       data=st.data())
def test_hypothesis_reductions(name, shape, data):
    axes = data.draw(st.one_of(
        st.none(),
        st.integers(-len(shape), len(shape) - 1),
        st.lists(st.integers(0, len(shape) - 1), min_size=1, unique=True).map(tuple)))
    keepdims = data.draw(st.booleans())
    reduced = np.prod([shape[a] for a in np.atleast_1d(axes)]) if axes is not None else None
    assume(name != "std" or (reduced if reduced is not None else np.prod(shape)) > 1)
    # Distinct values, at least 0.3 apart, so no tie flips under the finite-difference step.
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    values = (rng.permutation(int(np.prod(shape))) * 0.3 - 1.5).reshape(shape)
    x = ag.tensor(values, requires_grad=True)
    assert ag.gradcheck(lambda x: getattr(x, name)(axis=axes, keepdims=keepdims), x)
