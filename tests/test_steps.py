"""backward_steps and forward_steps: the engine's order, its gradients, and drawings of a step."""

import re

import numpy as np
import pytest

import autograd as ag
from autograd import Scalar
from autograd.engine import topological_order
from autograd.viz import InPlaceChangeError, all_gradients


def reused():
    a = Scalar(3.0, name="a")
    b = a + a
    return a, b, b * b


def scalar_diamond():
    x = Scalar(0.5, name="x")
    u, v = x.tanh(), x.exp()
    return x, u, v, u * v + u


def tensor_diamond():
    gen = np.random.default_rng(0)
    x = ag.tensor(gen.standard_normal((2, 3)), requires_grad=True, name="x")
    w = ag.tensor(gen.standard_normal((3, 4)), requires_grad=True, name="w")
    bias = ag.tensor(gen.standard_normal((4,)), requires_grad=True, name="bias")
    h = x @ w + bias  # bias is broadcast over the rows
    return x, w, bias, (h.tanh() * h.sigmoid()).sum() + (x * x).mean()


def final_totals(steps):
    return steps[-1].known_gradients()


# --- a value used twice ---


def test_reused_value_records_every_contribution_and_its_running_total():
    a, b, c = reused()
    first, second = ag.backward_steps(c)
    assert (first.node, first.op.label, first.upstream) == (c, "*", 1.0)
    assert first.inputs == (b, b)
    assert first.local == (6.0, 6.0)  # d(b*b)/d(first b) = second b, and back
    assert first.passed == (6.0, 6.0)
    assert first.totals == (6.0, 12.0)  # the second use adds to the first
    assert (second.node, second.op.label, second.upstream) == (b, "+", 12.0)
    assert second.passed == (12.0, 12.0) and second.totals == (12.0, 24.0)
    c.backward()
    assert second.totals[-1] == a.grad == 24.0


def test_known_gradients_grow_step_by_step():
    a, b, c = reused()
    first, second = ag.backward_steps(c)
    assert first.known_gradients() == {c: 1.0, b: 12.0}
    assert second.known_gradients() == {c: 1.0, b: 12.0, a: 24.0}


# --- diamonds: two paths from one input ---


def test_scalar_diamond_totals_equal_backward():
    x, u, v, y = scalar_diamond()
    steps = list(ag.backward_steps(y))
    totals = final_totals(steps)
    y.backward()
    assert totals[x] == pytest.approx(x.grad, rel=1e-12)
    for step in steps:  # each passed gradient is upstream times the local derivative
        for local, passed in zip(step.local, step.passed):
            assert passed == pytest.approx(step.upstream * local)


def test_tensor_diamond_totals_equal_backward_and_keep_each_input_shape():
    x, w, bias, y = tensor_diamond()
    steps = list(ag.backward_steps(y))
    totals = final_totals(steps)
    y.backward()
    for leaf in (x, w, bias):
        np.testing.assert_allclose(totals[leaf], leaf.grad.numpy(), rtol=1e-12)
    add = next(s for s in steps if s.op.label == "+" and s.inputs[1] is bias)
    assert add.passed[1].shape == (4,)  # summed over the broadcast rows, as backward does
    assert all(local is None for step in steps for local in step.local)  # a Jacobian: not shown


def test_steps_follow_the_engines_order():
    for root in (reused()[-1], scalar_diamond()[-1], tensor_diamond()[-1]):
        engine = [n for n in topological_order([root]) if n._ctx is not None]
        steps = list(ag.backward_steps(root))
        assert [s.node for s in steps] == engine
        assert [s.index for s in steps] == list(range(len(engine)))
        assert {s.total for s in steps} == {len(engine)}


def test_every_intermediate_gradient_matches_autograd_grad():
    x, u, v, y = scalar_diamond()
    totals = all_gradients(y)
    du, dv, dx = ag.grad(y, [u, v, x])
    assert (totals[u], totals[v]) == (pytest.approx(du.data), pytest.approx(dv.data))
    assert totals[x] == pytest.approx(dx.data)


# --- stepping changes nothing ---


def test_stepping_writes_no_grad_and_keeps_the_graph():
    a, b, c = reused()
    for _ in ag.backward_steps(c):
        assert ag.is_grad_enabled()  # grad mode is never left off between steps
    assert a.grad is None and b.grad is None
    assert not c._ctx.released and not b._ctx.released
    c.backward()
    assert a.grad == 24.0
    assert final_totals(list(ag.backward_steps(c)))[a] == 24.0  # a released graph: still fine
    assert a.grad == 24.0


def test_a_root_with_several_elements_needs_a_gradient():
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * x
    with pytest.raises(RuntimeError, match="gradient"):
        next(ag.backward_steps(y))
    (step,) = ag.backward_steps(y, gradient=[1.0, 0.5, 0.0])
    y.backward(gradient=[1.0, 0.5, 0.0])
    np.testing.assert_allclose(step.totals[-1], x.grad.numpy())


def test_roots_without_grad_and_data_changed_in_place_are_refused():
    with pytest.raises(RuntimeError, match="does not require grad"):
        next(ag.backward_steps(Scalar(1.0, requires_grad=False)))
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    with ag.no_grad():
        x.mul_(2.0)
    with pytest.raises(InPlaceChangeError, match="modified in place"):
        next(ag.backward_steps(y))


def test_a_leaf_root_has_no_steps():
    a = Scalar(2.0)
    assert list(ag.backward_steps(a)) == []
    assert all_gradients(a) == {a: 1.0}


def test_a_deep_chain_steps_without_recursion():
    x = Scalar(0.1)
    y = x
    for _ in range(20_000):
        y = y * 1.0
    count = 0
    for step in ag.backward_steps(y):
        count += 1
    assert count == 20_000 and step.totals[0] == 1.0


def test_steps_describe_themselves():
    a, b, c = reused()
    first = next(ag.backward_steps(c))
    text = str(first)
    assert text.startswith("backward step 1 of 2: op *")
    assert "received grad 1.0000" in text
    assert "input 1 Scalar(6): local 6.0000, passes 6.0000, total 12.0000" in text
    assert repr(first) == "BackwardStep(1 of 2: mul)"


# --- forward ---


def test_forward_steps_come_in_evaluation_order_with_their_values():
    a, b = Scalar(2.0, name="a"), Scalar(-3.0, name="b")
    c = (a * b + a.tanh()) ** 2
    steps = list(ag.forward_steps(c))
    assert [s.op.label for s in steps] == ["*", "tanh", "+", "**"]
    assert [s.value for s in steps] == [s.node.data for s in steps]
    assert steps[0].inputs == (a, b) and steps[-1].node is c
    assert [len(s.computed()) for s in steps] == [1, 2, 3, 4]
    assert str(steps[0]) == "forward step 1 of 4: * of 'a', 'b' gives -6.0000"


def test_forward_steps_of_a_tensor_graph_put_every_operation_after_its_inputs():
    *_, y = tensor_diamond()
    steps = list(ag.forward_steps(y))
    position = {s.node: s.index for s in steps}
    for s in steps:
        assert all(position[x] < s.index for x in s.inputs if x in position)
    assert len(steps) == len([n for n in topological_order([y]) if n._ctx is not None])


# --- drawing a step ---


def node_line(source, node_id):
    return re.search(rf"^\t{node_id} \[.*$", source, re.M).group(0)


def test_a_backward_step_highlights_its_node_and_shows_gradients_known_so_far():
    a, b, c = reused()
    first, second = ag.backward_steps(c)
    source = ag.draw_step(first).source
    assert 'fillcolor="#ffd966"' in node_line(source, "v0")  # c, whose operation runs
    assert 'fillcolor="#ffd966"' in node_line(source, "o0")
    assert "grad 12.0000" in node_line(source, "v1")  # b: both uses added up
    assert "grad ?" in node_line(source, "v2")  # a: not reached yet
    traversed = re.findall(r"^\tv1 -> o0 \[(.*)\]$", source, re.M)
    assert len(traversed) == 2 and all("dir=back" in t for t in traversed)
    assert 'label="6.0000"' in traversed[0]  # each use's gradient on its own edge
    assert "backward step 1 of 2" in source  # the caption
    assert "grad 24.0000" in node_line(ag.draw_step(second).source, "v2")


def test_a_forward_step_shows_values_computed_so_far():
    a, b = Scalar(2.0, name="a"), Scalar(-3.0, name="b")
    c = (a * b + a.tanh()) ** 2
    steps = list(ag.forward_steps(c))
    source = ag.draw_step(steps[1]).source  # tanh
    assert "data ?" in node_line(source, "v0") and "data ?" in node_line(source, "v1")
    assert "data -6.0000" in node_line(source, "v3")
    assert "data 0.9640" in node_line(source, "v4") and "#ffd966" in node_line(source, "v4")
    assert "| grad" not in source
    assert ag.draw_graph(c, step=steps[3]).source.count("data ?") == 0


def test_a_step_must_belong_to_the_drawn_graph():
    a, b, c = reused()
    step = next(ag.backward_steps(c))
    with pytest.raises(ValueError, match="another graph"):
        ag.draw_graph(b, step=step)


def test_a_step_inside_a_collapsed_group_highlights_the_box():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    with ag.name_scope("layer"):
        h = (x * 2.0).tanh()
    y = h.sum()
    steps = list(ag.backward_steps(y))
    tanh_step = next(s for s in steps if s.op.name == "tanh")
    source = ag.draw_step(tanh_step, collapse=True).source
    assert 'fillcolor="#ffd966"' in node_line(source, "g0")
