"""Every operation in the op table, gradient-checked in float64 against central differences,
and what the table's coverage tests ask of each entry.

The coverage rules (each test below names the op, the file and the line that is missing):

- every module of ``autograd.ops`` is a family of the table (``autograd.ops.__all__``), and no
  op is defined, or imported by name, in two of them;
- every entry states its derivative (``rule=``) and a domain the tests can draw from;
- every op has a gradient check: a case written in ``tests/op_table.py``, or, for an op whose
  rules take no parameters, the cases made from its entry (``from_domain``);
- every op is reachable: as ``autograd.<name>`` (made from its method, or written out in
  ``autograd/functions.py``), unless it is an operator (``OPERATORS``), a piece of another op's
  gradient (``INTERNAL``) or a fused loss (``autograd.fused_losses.<name>``);
- every elementwise op of one input is a method of ``Node``, so ``Scalar`` and ``Tensor`` have it;
- the function and the method record the op they are named after.
"""

import importlib
import inspect
import pkgutil

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
import autograd.ops
from autograd import Node, Op, Scalar, Tensor
from autograd.op import op_table
from tests.op_table import (
    CASES,
    COMPOSITES,
    DOMAINS,
    OPS,
    WRITTEN,
    from_domain,
    inputs_of,
    parameters_of,
    sample,
)

# Ops reached otherwise than as ``autograd.<name>``. A new op needs a line here only if it is an
# operator or a piece of another op's gradient.
OPERATORS = {"add": "__add__", "sub": "__sub__", "mul": "__mul__", "div": "__truediv__",
             "pow": "__pow__", "neg": "__neg__", "getitem": "__getitem__"}
INTERNAL = {"scatter_add": "getitem", "scatter_along": "gather", "conv2d_input_grad": "conv2d",
            "conv2d_kernel_grad": "conv2d", "avg_pool2d_grad": "avg_pool2d",  # op: whose rule
            "div_trunc": "div",  # div(rounding_mode='trunc')
            "prod_others": "prod"}
FUSED_LOSSES = "loss"  # the family reached as autograd.fused_losses.<name>


def _inputs(case, seed=0):
    rng = np.random.default_rng(seed)
    values = [sample(shape, domain, rng) for shape, domain in zip(case.shapes, case.domains)]
    if case.scalar:
        return tuple(Scalar(float(v)) for v in values)
    return tuple(ag.tensor(v, requires_grad=True) for v in values)


def _ids(cases):
    return [f"{i}-{case.label}" for i, case in enumerate(cases)]


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_gradcheck(case):
    assert ag.gradcheck(case.fn, _inputs(case), **case.options)


SECOND_ORDER = [c for c in CASES if c.second_order]


@pytest.mark.parametrize("case", SECOND_ORDER, ids=_ids(SECOND_ORDER))
def test_gradgradcheck(case):
    assert ag.gradgradcheck(case.fn, _inputs(case, seed=1), **case.options)


def _gradients(case, create_graph):
    inputs = _inputs(case, seed=2)
    out = case.fn(*inputs)
    if isinstance(out, Tensor):
        seed = ag.tensor(np.random.default_rng(3).normal(size=out.shape), dtype=out.dtype)
    else:
        seed = Scalar(0.7)
    grads = ag.grad(out, inputs, grad_outputs=seed, create_graph=create_graph,
                    allow_unused=True)
    return [None if g is None else np.asarray(g.data) for g in grads]


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_raw_backward_gives_the_bits_of_the_graph_backward(case):
    """Backward without ``create_graph`` runs the rules on raw data (``raw_rules``); recording
    them runs the same rules on graph values. Both must give the same gradients, bit for bit."""
    with np.errstate(all="ignore"):
        raw, recorded = _gradients(case, False), _gradients(case, True)
    for a, b in zip(raw, recorded):
        assert (a is None) == (b is None)
        if a is not None:
            assert a.dtype == b.dtype and a.shape == b.shape
            np.testing.assert_array_equal(a, b, strict=True)


# --- coverage: what the table asks of each entry (functions of a table, so they can be tried
# on a table with one more op) ---

def _file(family: str) -> str:
    return f"autograd/ops/{family}.py"


def _family_of(table: dict) -> dict[str, str]:
    return {op.name: family for family, ops in table.items() for op in ops}


def _signature_text(op: Op) -> str:
    """``(self, axis)``-like text for the method an op needs, from its rules' parameters."""
    n = inputs_of(op) or 1
    others = [f"other{i}" if n > 2 else "other" for i in range(1, n)]
    return ", ".join(["self", *others, *parameters_of(op)])


def entries_without_rule_or_domain(table: dict) -> list[str]:
    """Entries whose rule text is missing or whose domain the tests cannot draw from."""
    problems = []
    for family, ops in table.items():
        for op in ops:
            where = f"{_file(family)}: {op.name}"
            if not op.rule:
                problems.append(f"{where} has no rule= (its derivative, in words)")
            domains = (op.domain,) if isinstance(op.domain, str) else op.domain
            n = inputs_of(op)
            if any(d not in DOMAINS for d in domains):
                problems.append(f"{where} has domain={op.domain!r}; each must be one of {DOMAINS}")
            elif not isinstance(op.domain, str) and n is not None and len(domains) != n:
                problems.append(f"{where} has {len(domains)} domains for {n} inputs")
    return problems


def ops_without_a_case(table: dict, cases: list) -> list[str]:
    """Ops with no case written in tests/op_table.py and none made from their entry."""
    covered = {case.op for case in cases}
    problems = []
    for family, ops in table.items():
        for op in ops:
            if op.name in covered or from_domain(op, family):
                continue
            why = ("it takes any number of inputs" if inputs_of(op) is None else
                   f"its rules take parameters ({', '.join(parameters_of(op))})")
            problems.append(f"{_file(family)}: {op.name} has no gradient-check case and none "
                            f"can be made from its domain, since {why}: add a Case to "
                            f"tests/op_table.py that says which")
    return problems


def ops_without_a_function(table: dict) -> list[str]:
    """Ops that are not ``autograd.<name>`` and are not reached in one of the other ways."""
    problems = []
    for family, ops in table.items():
        for op in ops:
            name = op.name
            if name in OPERATORS:
                if not hasattr(Tensor, OPERATORS[name]):
                    problems.append(f"{name}: Tensor has no {OPERATORS[name]}")
            elif name in INTERNAL:
                continue
            elif family == FUSED_LOSSES:
                if getattr(ag.fused_losses, name, None) is not op:
                    problems.append(f"{name}: autograd.fused_losses.{name} is not this op")
            elif name not in ag.__all__:
                owner, path = (("Node", "autograd/node.py") if family == "elementwise"
                               else ("Tensor", "autograd/tensor.py"))
                problems.append(
                    f"{_file(family)}: {name} is not autograd.{name}. Add the method to {owner} "
                    f"in {path}, `def {name}({_signature_text(op)})` with a docstring, and "
                    f"autograd.{name} is made from it; an op that is no method needs a function "
                    f"written in autograd/functions.py (and its name in that file's __all__); "
                    f"an operator or a piece of another op's gradient is listed in OPERATORS or "
                    f"INTERNAL in tests/test_op_table.py")
    return problems


def elementwise_ops_without_a_method(table: dict) -> list[str]:
    """Elementwise ops of one input that ``Node`` (so ``Scalar`` and ``Tensor``) lacks."""
    problems = []
    for op in table.get("elementwise", ()):
        if inputs_of(op) == 1 and op.name not in OPERATORS and op.name not in INTERNAL:
            if not inspect.isfunction(getattr(Node, op.name, None)):
                keywords = "".join(f", {p}={p}" for p in parameters_of(op))
                problems.append(
                    f"autograd/node.py: Node has no method {op.name}; add `def "
                    f"{op.name}({_signature_text(op)}) -> Node:` there with a docstring, returning "
                    f"`ew.{op.name}(self{keywords})`")
    return problems


def test_the_table_is_every_module_of_autograd_ops_and_each_op_once():
    modules = {info.name for info in pkgutil.iter_modules(autograd.ops.__path__)}
    assert modules == set(autograd.ops.__all__), (
        f"modules of autograd/ops not in autograd/ops/__init__.py's __all__: "
        f"{sorted(modules - set(autograd.ops.__all__))}")
    seen: dict[str, list[str]] = {}
    for family in modules:
        module = importlib.import_module(f"autograd.ops.{family}")
        for value in vars(module).values():
            if isinstance(value, Op):
                seen.setdefault(value.name, []).append(family)
    twice = {name: families for name, families in seen.items() if len(families) > 1}
    assert not twice, (f"ops named in two families (import the module, not the op): {twice}")
    assert set(seen) == set(OPS)


def test_every_entry_states_its_rule_and_domain():
    problems = entries_without_rule_or_domain(op_table())
    assert not problems, "\n".join(problems)


def test_every_op_and_composite_has_a_case():
    problems = ops_without_a_case(op_table(), CASES)
    assert not problems, "\n".join(problems)
    covered = {case.op for case in CASES}
    assert not sorted(set(COMPOSITES) - covered)
    assert not {case.op for case in WRITTEN} - set(OPS) - set(COMPOSITES), "a case names no op"


def test_every_op_is_a_function_of_autograd_or_reached_otherwise():
    problems = ops_without_a_function(op_table())
    assert not problems, "\n".join(problems)
    assert set(OPERATORS) | set(INTERNAL) <= set(OPS)  # no stale exception


def test_every_elementwise_op_of_one_input_is_a_method_of_every_value():
    problems = elementwise_ops_without_a_method(op_table())
    assert not problems, "\n".join(problems)


def test_every_function_written_out_is_exported():
    written = {name for name, value in vars(ag.functions).items()
               if inspect.isfunction(value) and not name.startswith("_")
               and value.__module__ == "autograd.functions"}
    missing = sorted(written - set(ag.functions.__all__))
    assert not missing, f"autograd/functions.py: add {missing} to the file's __all__"
    assert set(ag.functions.__all__) <= set(ag.__all__)


CALLED = [op for op in OPS.values() if from_domain(op) and op.name in ag.__all__]


@pytest.mark.parametrize("op", CALLED, ids=[op.name for op in CALLED])
def test_the_function_and_the_method_record_their_op(op):
    # A method or function that calls a neighbour's op (softplus for softsign) is caught here.
    case = next(c for c in CASES if c.op == op.name and not c.scalar)
    inputs = _inputs(case)
    recorded = getattr(ag, op.name)(*inputs).op
    assert recorded == op.name, f"autograd.{op.name} recorded the op {recorded!r}"
    if hasattr(inputs[0], op.name):
        recorded = getattr(inputs[0], op.name)(*inputs[1:]).op
        assert recorded == op.name, f"the method {op.name} recorded the op {recorded!r}"


def test_a_new_entry_is_checked_from_its_domain_and_its_missing_lines_named():
    # An entry the table does not have: its cases come from its domain, and the coverage tests
    # name the method it lacks (autograd.example_cube would be made from it).
    cube = Op("example_cube", lambda x: x**3, (lambda g, y, x: g * 3 * x * x,),
              rule="d x³ = 3x²", domain="positive")
    table = {"elementwise": (cube,)}
    cases = from_domain(cube, "elementwise")
    assert len(cases) == len(from_domain(ag.ops.elementwise.exp, "elementwise"))
    assert {case.domains for case in cases} == {("positive",)}
    assert all(ag.gradcheck(case.fn, _inputs(case)) for case in cases)
    assert ops_without_a_case(table, []) == []
    assert elementwise_ops_without_a_method(table) == [
        "autograd/node.py: Node has no method example_cube; add `def example_cube(self) -> Node:` "
        "there with a docstring, returning `ew.example_cube(self)`"]
    (problem,) = ops_without_a_function(table)
    assert problem.startswith(
        "autograd/ops/elementwise.py: example_cube is not autograd.example_cube. Add the method "
        "to Node in autograd/node.py, `def example_cube(self)`")
    unchecked = Op("scaled", lambda x, k: x * k, (lambda g, y, x, k: g * k,), rule="d = k")
    assert ops_without_a_case({"elementwise": (unchecked,)}, []) == [
        "autograd/ops/elementwise.py: scaled has no gradient-check case and none can be made "
        "from its domain, since its rules take parameters (k): add a Case to "
        "tests/op_table.py that says which"]
    bad = Op("bad", abs, (None,), domain="x")
    assert entries_without_rule_or_domain({"elementwise": (bad,)}) == [
        "autograd/ops/elementwise.py: bad has no rule= (its derivative, in words)",
        "autograd/ops/elementwise.py: bad has domain='x'; each must be one of "
        "('real', 'positive', 'nonzero', 'unit')"]


def test_every_elementwise_op_is_checked_on_scalars():
    elementwise = {op.name for op in op_table()["elementwise"]}
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


# The elementwise ops of one input, each with its domain, read from the table; and x * x.
UNARY = {op.name: (op, op.domain) for op in op_table()["elementwise"]
         if inputs_of(op) == 1 and not parameters_of(op)}
UNARY["square"] = (lambda x: x * x, "real")
REDUCTIONS = ["sum", "mean", "amax", "amin", "logsumexp", "var", "std"]


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
    # unbiased: n - 1 must be positive
    assume(name not in ("std", "var") or (reduced if reduced is not None else np.prod(shape)) > 1)
    # Distinct values, at least 0.3 apart, so no tie flips under the finite-difference step.
    rng = np.random.default_rng(data.draw(st.integers(0, 2**16)))
    values = (rng.permutation(int(np.prod(shape))) * 0.3 - 1.5).reshape(shape)
    x = ag.tensor(values, requires_grad=True)
    if name in ("amax", "amin"):  # PyTorch's: no axis= alias, () for all dimensions
        assert ag.gradcheck(lambda x: getattr(x, name)(() if axes is None else axes, keepdims), x)
    else:
        assert ag.gradcheck(lambda x: getattr(x, name)(axis=axes, keepdims=keepdims), x)


def test_a_raw_rule_that_returns_the_wrong_kind_is_named():
    bad = Op("bad", lambda x: x * 2, (lambda g, y, x: [1.0],), rule="d bad = 2", raw_rules=True)
    with pytest.raises(TypeError, match="bad: the vjp rule for input 0 returned list"):
        bad(ag.tensor([1.0], requires_grad=True)).sum().backward()
    with pytest.raises(TypeError, match="bad: the vjp rule for input 0 returned list"):
        bad(Scalar(1.0)).backward()
