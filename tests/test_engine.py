"""The engine's semantics, and the pitfalls small engines are known to fall into."""

import gc
import threading
import weakref

import numpy as np
import pytest

import autograd as ag
from autograd import Scalar, Tensor


def leaf(values, dtype=np.float64):
    return ag.tensor(np.asarray(values, dtype=dtype), requires_grad=True)


# --- reuse, diamonds, accumulation -------------------------------------------------------------

@pytest.mark.parametrize("make", [lambda: Scalar(3.0), lambda: leaf(3.0)])
def test_reused_node_adds_its_gradients(make):
    a = make()
    b = a + a
    c = b + b
    c.backward()
    assert float(np.asarray(a.grad)) == 4.0


def test_diamond():
    a = leaf([1.0, 2.0])
    b = a * 3
    c = a.exp()
    d = (b * c).sum()
    d.backward()
    expected = 3 * np.exp([1.0, 2.0]) + 3 * np.array([1.0, 2.0]) * np.exp([1.0, 2.0])
    np.testing.assert_allclose(a.grad.numpy(), expected)


def test_two_graphs_accumulate_into_leaves():
    x = leaf([1.0, 2.0])
    (x * 2).sum().backward()
    (x * x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2 + 2, 2 + 4])


def test_scalar_grads_are_floats_and_accumulate():
    a = Scalar(2.0)
    (a * a).backward()
    (a * 3).backward()
    assert isinstance(a.grad, float) and a.grad == 4.0 + 3.0


def test_second_backward_raises_unless_retained():
    x = leaf([1.0, 2.0])
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), [4.0, 8.0])
    with pytest.raises(RuntimeError, match="second time.*retain_graph=True"):
        y.backward()


def test_released_graph_is_refused_before_anything_changes():
    x = leaf([1.0])
    shared = x * 2
    first = shared.sum()
    first.backward()
    second = (shared * 3).sum()
    before = x.grad.numpy().copy()
    with pytest.raises(RuntimeError, match="second time"):
        second.backward()
    np.testing.assert_array_equal(x.grad.numpy(), before)


def test_no_grad_records_nothing():
    x = leaf([1.0, 2.0])
    with ag.no_grad():
        y = x * 2 + 1
    assert not y.requires_grad and y.is_leaf


def test_no_grad_as_decorator_and_nesting():
    @ag.no_grad()
    def double(t):
        assert not ag.is_grad_enabled()
        with ag.enable_grad():
            assert ag.is_grad_enabled()
        return t * 2

    assert not double(leaf([1.0])).requires_grad
    assert ag.is_grad_enabled()
    with ag.set_grad_enabled(False):
        assert not ag.is_grad_enabled()
    assert ag.is_grad_enabled()
    ag.set_grad_enabled(False)
    assert not ag.is_grad_enabled()
    ag.set_grad_enabled(True)


def test_grad_mode_is_thread_local():
    seen = []
    with ag.no_grad():
        thread = threading.Thread(target=lambda: seen.append(ag.is_grad_enabled()))
        thread.start()
        thread.join()
    assert seen == [True]


def test_detach_cuts_the_graph():
    x = leaf([1.0, 2.0])
    y = (x * 2).detach()
    assert not y.requires_grad
    z = (y * x).sum()
    z.backward()
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 4.0])  # y is a constant here


def test_constants_get_no_grad():
    x = leaf([1.0])
    c = ag.tensor([5.0], dtype=np.float64)
    (x * c).sum().backward()
    assert c.grad is None and not c.requires_grad


def test_non_leaves_keep_no_grad_unless_retained():
    x = leaf([1.0, 2.0])
    y = x * 3
    z = x * 4
    z.retain_grad()
    (y + z).sum().backward()
    assert y.grad is None
    np.testing.assert_allclose(z.grad.numpy(), [1.0, 1.0])


def test_backward_with_a_gradient_for_non_scalar_outputs():
    x = leaf([1.0, 2.0])
    (x * x).backward(gradient=np.array([1.0, 10.0]))
    np.testing.assert_allclose(x.grad.numpy(), [2.0, 40.0])


def test_non_scalar_backward_needs_a_gradient():
    x = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match=r"single-element.*shape \(2,\).*gradient="):
        (x * 2).backward()


def test_wrong_shaped_gradient_is_refused():
    x = leaf([1.0, 2.0])
    with pytest.raises(ValueError, match=r"gradient has shape \(3,\).*\(2,\)"):
        (x * 2).backward(gradient=np.ones(3))


def test_gradients_keep_the_dtype_of_their_input():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    (x * np.float64(2.0) + np.ones(2)).sum().backward()
    assert x.grad.dtype == np.float32


def test_leaf_gradients_do_not_share_memory():
    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    upstream = np.array([1.0, 1.0])
    (a + b.reshape(2)).backward(gradient=upstream)
    assert not np.shares_memory(a.grad.numpy(), b.grad.numpy())
    assert not np.shares_memory(a.grad.numpy(), upstream)
    a.grad.mul_(10)
    np.testing.assert_allclose(b.grad.numpy(), [1.0, 1.0])


# --- depth and memory --------------------------------------------------------------------------

@pytest.mark.parametrize("make", [lambda: Scalar(1.0), lambda: leaf(1.0)])
def test_200k_node_chain_with_the_default_recursion_limit(make):
    x = make()
    y = x
    for _ in range(200_000):
        y = y * 1.0000001
    y.backward()
    assert float(np.asarray(x.grad)) == pytest.approx(1.0000001 ** 200_000)


def test_no_reference_cycles_survive_backward():
    gc.disable()
    try:
        rng = np.random.default_rng(0)
        w1 = ag.tensor(rng.normal(size=(3, 4)), requires_grad=True)
        w2 = ag.tensor(rng.normal(size=(4, 1)), requires_grad=True)
        x = ag.tensor(rng.normal(size=(5, 3)))
        hidden = (x @ w1).tanh()
        out = hidden @ w2
        loss = (out * out).mean()
        refs = [weakref.ref(t) for t in (hidden, out, loss)]
        del hidden, out
        loss.backward()
        del loss
        assert all(r() is None for r in refs)
    finally:
        gc.enable()


# --- higher order and the functional API --------------------------------------------------------

def test_create_graph_gives_differentiable_gradients():
    x = leaf(2.0)
    y = x ** 4
    (dx,) = ag.grad(y, [x], create_graph=True)
    (d2x,) = ag.grad(dx, [x], create_graph=True)
    (d3x,) = ag.grad(d2x, [x])
    assert (dx.item(), d2x.item(), d3x.item()) == (32.0, 48.0, 48.0)


def test_backward_create_graph_then_differentiate_grad():
    x = leaf([1.0, 2.0])
    (x ** 3).sum().backward(create_graph=True)
    g = x.grad
    x.grad = None
    g.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [6.0, 12.0])


def test_scalar_higher_order():
    a = Scalar(0.5)
    (da,) = ag.grad(a.tanh(), [a], create_graph=True)
    (d2a,) = ag.grad(da, [a])
    t = np.tanh(0.5)
    assert d2a.data == pytest.approx(-2 * t * (1 - t * t))


def test_grad_does_not_touch_dot_grad_and_reports_unused():
    x, y = leaf([1.0]), leaf([2.0])
    (gx,) = ag.grad((x * 3).sum(), [x])
    assert x.grad is None and gx.item() == 3.0
    with pytest.raises(RuntimeError, match="not used"):
        ag.grad((x * 3).sum(), [x, y])
    gx, gy = ag.grad((x * 3).sum(), [x, y], allow_unused=True)
    assert gy is None


def test_grad_with_respect_to_an_intermediate():
    x = leaf([1.0, 2.0])
    h = x * 2
    (gh,) = ag.grad((h * h).sum(), [h])
    np.testing.assert_allclose(gh.numpy(), [4.0, 8.0])


def test_jacobian_hessian_vjp_jvp():
    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    x = ag.tensor(np.array([0.5, -1.0]))
    J = ag.jacobian(lambda v: ag.tensor(a) @ v.tanh(), x)
    np.testing.assert_allclose(J.numpy(), a * (1 - np.tanh([0.5, -1.0]) ** 2))
    H = ag.hessian(lambda v: (v ** 3).sum() + v[0] * v[1], x)
    np.testing.assert_allclose(H.numpy(), [[3.0, 1.0], [1.0, -6.0]])
    out, vj = ag.vjp(lambda v: v * v, x, ag.tensor(np.array([1.0, 2.0])))
    np.testing.assert_allclose(vj.numpy(), [1.0, -4.0])
    out, jv = ag.jvp(lambda v: ag.tensor(a) @ v, x, ag.tensor(np.array([1.0, 0.0])))
    np.testing.assert_allclose(jv.numpy(), [1.0, 3.0])
    np.testing.assert_allclose(out.numpy(), a @ [0.5, -1.0])


def test_jacobian_of_several_inputs():
    x, y = ag.tensor(np.array([1.0, 2.0])), ag.tensor(np.array(3.0))
    jx, jy = ag.jacobian(lambda x, y: x * y, (x, y))
    np.testing.assert_allclose(jx.numpy(), np.eye(2) * 3)
    np.testing.assert_allclose(jy.numpy(), [1.0, 2.0])


# --- safety ------------------------------------------------------------------------------------

def test_in_place_change_of_saved_data_is_detected():
    x = leaf([1.0, 2.0])
    w = leaf([3.0, 4.0])
    y = (x * w).sum()
    with ag.no_grad():
        w.sub_(1.0)
    with pytest.raises(RuntimeError, match="mul saved input 1.*modified in place"):
        y.backward()


def test_data_assignment_and_views_bump_the_version():
    x = leaf([1.0, 2.0, 3.0])
    y = x[0:2].exp().sum()
    x.data = np.array([0.0, 0.0, 0.0])
    with pytest.raises(RuntimeError, match="modified in place"):
        y.backward()
    base = ag.tensor(np.arange(4.0))
    view = base.reshape(2, 2)
    w = leaf(np.ones((2, 2)))
    z = (view * w).sum()
    base.add_(1.0)  # changes the data the view shares
    with pytest.raises(RuntimeError, match="modified in place"):
        z.backward()


LEAF_IN_PLACE = "a leaf Variable that requires grad is being used in an in-place operation"


@pytest.mark.parametrize("change", [
    lambda p: p.add_(1.0), lambda p: p.sub_(1.0, alpha=2), lambda p: p.mul_(2.0),
    lambda p: p.div_(2.0), lambda p: p.zero_(), lambda p: p.fill_(3.0), lambda p: p.copy_(p),
    lambda p: p.clamp_(0.0, 1.0), lambda p: p.normal_(), lambda p: p.uniform_(),
    lambda p: p.pow_(2), lambda p: p.__setitem__(0, 5.0),
], ids=["add_", "sub_", "mul_", "div_", "zero_", "fill_", "copy_", "clamp_", "normal_",
        "uniform_", "pow_", "setitem"])
def test_a_leaf_that_requires_grad_refuses_in_place_changes_with_torchs_error(change):
    p = leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match=LEAF_IN_PLACE):
        change(p)
    assert p.tolist() == [1.0, 2.0] and p.is_leaf


def test_the_hand_written_sgd_step_raises_unless_under_no_grad():
    p = leaf([1.0, 2.0])
    (p * p).sum().backward()
    with pytest.raises(RuntimeError, match=LEAF_IN_PLACE):
        p -= 0.1 * p.grad  # PyTorch refuses it too: the model would never train
    same = p
    with ag.no_grad():
        p -= 0.1 * p.grad
        p.grad.zero_()
    assert p is same and p.is_leaf and p.requires_grad
    np.testing.assert_allclose(p.numpy(), [0.8, 1.6])
    assert p.grad.tolist() == [0.0, 0.0]


def test_in_place_changes_outside_the_graph_keep_the_object_and_count_the_change():
    x = ag.tensor(np.array([1.0, 2.0]))
    alias = x
    x += 1
    x.mul_(2).sub_(1, alpha=3)
    x[0] = 10.0
    assert alias is x and x.tolist() == [10.0, 3.0]
    with pytest.raises(RuntimeError, match="add_: .*Cannot cast|add_: .*cast"):
        ag.tensor(np.array([1, 2])).add_(0.5)  # torch: a float result cannot go into longs


def test_recorded_in_place_changes_give_torchs_values_and_gradients():
    x = leaf([1.0, 2.0, 3.0])
    y = x * 2
    alias = y
    y += x * x  # y = 2x + x^2
    y.mul_(x)  # y = 2x^2 + x^3
    y[0] = x[1] * 5.0  # y[0] = 5 x1
    assert alias is y and not y.is_leaf
    y.sum().backward()
    # d/dx of (5 x1) + (2 x1^2 + x1^3) + (2 x2^2 + x2^3)
    np.testing.assert_allclose(x.grad.numpy(), [0.0, 5 + 4 * 2 + 3 * 4, 4 * 3 + 3 * 9])
    np.testing.assert_allclose(y.numpy(), [10.0, 16.0, 45.0])


def test_a_constant_that_takes_values_that_require_grad_joins_the_graph():
    w = leaf([2.0, 3.0])
    buffer = ag.tensor(np.zeros(3))
    buffer[1:] = w * w
    buffer.add_(w.sum())
    assert buffer.requires_grad and not buffer.is_leaf
    buffer.sum().backward()
    np.testing.assert_allclose(w.grad.numpy(), [2 * 2 + 3, 2 * 3 + 3])


def test_an_in_place_change_of_a_tensor_a_recorded_op_used_is_refused_or_rebinds():
    x = leaf([1.0, 2.0])
    y = x * 2
    z = y * y
    with pytest.raises(RuntimeError, match="add_: .*already used by a recorded operation"):
        y.add_(1.0)
    y += 1  # x = x + 1 here: z's graph stays as it was
    (z.sum() + y.sum()).backward()
    np.testing.assert_allclose(x.grad.numpy(), 8 * x.numpy() + 2)
    v = (x * 1)[0:1]
    with pytest.raises(RuntimeError, match="mul_: .*a view of another tensor"):
        v.mul_(2.0)


def test_in_place_under_no_grad_then_backward_is_detected():
    x = leaf([1.0])
    y = x * 2
    y.sum().backward()
    assert x.grad.item() == 2.0
    with ag.no_grad():
        x.add_(1.0)
    assert x.data[0] == 2.0


def test_detect_anomaly_names_the_op_and_the_source_line():
    x = leaf([-1.0, 1.0])
    with ag.detect_anomaly(), pytest.raises(FloatingPointError, match="log produced NaN"):
        with np.errstate(invalid="ignore"):
            x.log()
    z = leaf([0.0, 1.0])
    with ag.detect_anomaly():
        y = z.sqrt().sum()  # sqrt'(0) is infinite: found in backward
        with pytest.raises(FloatingPointError, match=r"backward of .*test_engine.py"), \
                np.errstate(divide="ignore"):
            y.backward()


def test_custom_op_is_checked_like_a_builtin():
    cube = ag.Op("cube", forward=lambda x: x ** 3, vjp=(lambda g, y, x: g * 3 * x ** 2,))
    x = leaf([0.5, -2.0])
    assert ag.gradcheck(lambda x: cube(x), x)
    assert ag.gradgradcheck(lambda x: cube(x), x)
    assert ag.gradcheck(lambda s: cube(s), Scalar(1.5))


def test_a_wrong_custom_rule_is_caught_by_gradcheck():
    bad = ag.Op("bad_square", forward=lambda x: x ** 2, vjp=(lambda g, y, x: g * x,))
    with pytest.raises(ag.GradcheckError, match=r"input 0 .*analytic .*numeric"):
        ag.gradcheck(lambda x: bad(x), leaf([1.0, 2.0]))
    assert not ag.gradcheck(lambda x: bad(x), leaf([1.0]), raise_exception=False)
    with pytest.raises(ag.GradcheckError, match="fast mode"):
        ag.gradcheck(lambda x: bad(x), leaf(np.ones(50)), fast_mode=True)


def test_a_rule_returning_the_wrong_shape_is_reported():
    bad = ag.Op("bad_shape", forward=lambda x: x * 2, vjp=(lambda g, y, x: g.sum(),))
    x = leaf(np.ones((2, 3)))
    with pytest.raises(RuntimeError, match=r"bad_shape.*input 0"):
        bad(x).sum().backward()
    oops = ag.Op("raw", forward=lambda x: x * 2, vjp=(lambda g, y, x: np.ones(2),))
    with pytest.raises(TypeError, match="raw: the vjp rule for input 0 returned ndarray"):
        oops(leaf([1.0, 2.0])).sum().backward()


def test_gradcheck_warns_for_float32():
    with pytest.warns(UserWarning, match="float32"):
        ag.gradcheck(lambda x: x * 2, ag.tensor([1.0], requires_grad=True), eps=1e-2, atol=1e-2)


def test_micrograd_style_scalar_graph_has_values_everywhere():
    a, b = Scalar(2.0, name="a"), Scalar(-3.0, name="b")
    c = (a * b + a.tanh()) ** 2
    c.backward()
    t = np.tanh(2.0)
    inner = 2 * -3 + t
    assert a.grad == pytest.approx(2 * inner * (-3 + 1 - t * t))
    assert b.grad == pytest.approx(2 * inner * 2)
    assert isinstance(c.data, float)
    assert not hasattr(Tensor, "__dict__") or "grad" not in Tensor.__dict__


def test_detect_anomaly_names_the_op_where_numpy_warnings_are_errors():
    # The suite turns warnings into errors; np.seterr(all="raise") makes numpy raise its own
    # FloatingPointError. Either way the anomaly error, naming op and line, comes first.
    x = leaf([-1.0, 1.0])
    old = np.seterr(all="raise")
    try:
        with ag.detect_anomaly(), pytest.raises(FloatingPointError,
                                                match=r"log produced NaN .*test_engine.py"):
            x.log()
        z = leaf([0.0, 1.0])
        with ag.detect_anomaly():
            y = z.sqrt().sum()
            with pytest.raises(FloatingPointError, match=r"backward of .*test_engine.py"):
                y.backward()
    finally:
        np.seterr(**old)
    with ag.detect_anomaly():  # a clean forward and backward still run as usual
        (leaf([2.0]).log() * 2).sum().backward()


def test_node_declares_everything_the_engine_needs_from_a_value():
    from autograd.graph import Value

    members = [name for name, member in vars(Value).items() if callable(member)
               and not name.startswith("__")]
    members += list(Value.__annotations__) + ["__add__"]
    assert "_fit_gradient" in members and "_seq" in members
    for kind in (ag.Node, Scalar, ag.Tensor):
        missing = [name for name in members if not hasattr(kind, name)]
        assert not missing, f"{kind.__name__} lacks {missing}"


def test_walk_backward_sees_every_gradient_of_the_one_loop_and_changes_nothing():
    from autograd.engine import walk_backward

    a = Scalar(3.0, name="a")
    b = a * a
    c = b + a
    seen = []
    seed = walk_backward(c, None, lambda node, g, i, grad, total: seen.append(
        (node.op, g.data, i, grad.data, total.data)), "test")
    assert seed.data == 1.0
    # c = a*a + a: the add passes 1 to b and to a; then the mul passes 3 to each use of a.
    assert seen == [("add", 1.0, 0, 1.0, 1.0), ("add", 1.0, 1, 1.0, 1.0),
                    ("mul", 1.0, 0, 3.0, 4.0), ("mul", 1.0, 1, 3.0, 7.0)]
    assert a.grad is None and not c.record.released
    c.backward()
    assert a.grad == 7.0


# relu computes its gradient in the memory of the gradient it receives when nothing else refers
# to that array (Op's reuses_gradient). Each case below gives it one that something else holds.
# Gradients are offered from a few thousand elements on; these tests offer them at any size.

@pytest.fixture
def reuse_any_size(monkeypatch):
    import importlib

    monkeypatch.setattr(importlib.import_module("autograd.tensor"), "_REUSED_FROM", 1)


def _relu_input_and_weights():
    z = ag.tensor([-1.0, 2.0, -3.0, 4.0], requires_grad=True)
    weights = ag.tensor([3.0, 4.0, 5.0, 6.0])
    return z, weights


def test_relu_leaves_a_gradient_it_shares_with_another_input_alone(reuse_any_size):
    z, weights = _relu_input_and_weights()
    w = ag.tensor(np.zeros(4), requires_grad=True)
    ((z.relu() + w) * weights).sum().backward()  # add hands the same array to both inputs
    np.testing.assert_array_equal(w.grad.numpy(), [3.0, 4.0, 5.0, 6.0])
    np.testing.assert_array_equal(z.grad.numpy(), [0.0, 4.0, 0.0, 6.0])


def test_relu_leaves_a_retained_gradient_alone(reuse_any_size):
    z, weights = _relu_input_and_weights()
    r = z.relu()
    r.retain_grad()
    (r * weights).sum().backward()
    np.testing.assert_array_equal(r.grad.numpy(), [3.0, 4.0, 5.0, 6.0])
    np.testing.assert_array_equal(z.grad.numpy(), [0.0, 4.0, 0.0, 6.0])


def test_relu_leaves_the_callers_seed_alone(reuse_any_size):
    z, _ = _relu_input_and_weights()
    seed = ag.tensor([3.0, 4.0, 5.0, 6.0])
    z.relu().backward(seed)
    np.testing.assert_array_equal(seed.numpy(), [3.0, 4.0, 5.0, 6.0])
    np.testing.assert_array_equal(z.grad.numpy(), [0.0, 4.0, 0.0, 6.0])


def test_relu_leaves_what_a_custom_rule_returns_alone(reuse_any_size):
    z, _ = _relu_input_and_weights()
    held = ag.tensor([3.0, 4.0, 5.0, 6.0])
    passthrough = ag.Op("passthrough", lambda x: x * 1.0, (lambda g, y, x: held,))
    passthrough(z.relu()).sum().backward()
    np.testing.assert_array_equal(held.numpy(), [3.0, 4.0, 5.0, 6.0])
    np.testing.assert_array_equal(z.grad.numpy(), [0.0, 4.0, 0.0, 6.0])


@pytest.fixture
def relu_offers(monkeypatch):
    """The list of what relu's rule was offered, call by call: True when ``into`` was ``g``."""
    from autograd.ops import elementwise

    rule = elementwise.relu.rules[0]
    given = []

    def watched(g, y, x, into=None):
        given.append(into is g)
        return rule(g, y, x, into=into)

    monkeypatch.setattr(elementwise.relu, "rules", (watched,))
    return given


def test_relu_reuses_a_gradient_only_the_engine_holds(relu_offers, reuse_any_size):
    given = relu_offers
    z, weights = _relu_input_and_weights()
    r = z.relu()
    (r * weights + r * weights).sum().backward()  # the engine's own sum of two products
    np.testing.assert_array_equal(z.grad.numpy(), [0.0, 8.0, 0.0, 12.0])
    (z.relu().double() @ ag.tensor(np.eye(4))).sum().backward()  # a new array from astype's rule
    np.testing.assert_array_equal(z.grad.numpy(), [0.0, 9.0, 0.0, 13.0])
    (z.relu() + 1.0).sum().backward()  # add passes on the very array it got: not followed
    assert given == [True, True, False]


def test_relu_writes_in_place_only_where_it_pays(relu_offers):
    given = relu_offers
    for n in (100, 10_000):
        z = ag.tensor(np.linspace(-1.0, 1.0, n), requires_grad=True)
        (z.relu() * 2.0).sum().backward()
        np.testing.assert_array_equal(z.grad.numpy(), np.where(z.numpy() > 0, 2.0, 0.0))
    assert given == [False, True]


def test_an_op_that_reuses_gradients_takes_one_input_with_raw_rules():
    with pytest.raises(ValueError, match="reuses_gradient"):
        ag.Op("bad", lambda a, b: a + b, (lambda g, y, a, b: g, lambda g, y, a, b: g),
              raw_rules=True, reuses_gradient=True)


def test_backward_takes_torchs_inputs_and_retain_graph_defaults():
    x, w = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    loss = (x * w).sum()
    loss.backward(inputs=[w])  # only w's .grad, as torch's inputs=
    assert x.grad is None and w.grad.tolist() == [1.0, 2.0]
    with pytest.raises(RuntimeError, match="second time"):
        loss.backward()  # retain_graph=None: as create_graph (False), the graph was released
    y = (x * x).sum()
    y.backward(create_graph=True)  # retain_graph follows create_graph
    y.backward(inputs=x)
    assert x.grad.tolist() == [4.0, 8.0]
    with pytest.raises(RuntimeError, match="inputs= must be"):
        (x * 1).sum().backward(inputs=[])


def test_scalar_in_place_update_under_no_grad_changes_the_parameter():
    # PyTorch's idiom on Scalars: without in-place operators p -= ... rebinds the loop
    # variable and the parameter never trains
    w, x = Scalar(1.0), Scalar(3.0)
    params = [w]
    ((w * x - 6.0) ** 2).backward()
    with ag.no_grad():
        for p in params:
            p -= 0.01 * p.grad
    assert w.data == pytest.approx(1.18)
    with ag.no_grad():
        w += 1
        w *= 2
        w /= Scalar(4.0)
    assert w.data == pytest.approx(1.09)
    with pytest.raises(TypeError, match="wrap the number in a Tensor"), ag.no_grad():
        w += ag.tensor(1.0)


def test_scalar_in_place_operators_extend_the_graph_with_grad_mode_on():
    # micrograd's c += c + 1: a new node, and the name moves to it
    a = Scalar(2.0)
    c = a
    c += c + 1
    assert c is not a and a.data == 2.0 and c.data == 5.0
    c.backward()
    assert a.grad == 2.0


def test_scalar_changed_in_place_after_being_recorded_is_refused_at_backward():
    p = Scalar(2.0)
    loss = p * p
    with ag.no_grad():
        p -= 1.0
    with pytest.raises(RuntimeError, match="modified in place"):
        loss.backward()
