"""Mutation safety: data saved for backward and changed before backward is caught, not used.

Each case builds a graph, changes a saved value in one of the ways a user can, and runs
backward: it must raise ``RuntimeError`` naming the operation and saying the value was modified
in place, and no leaf may receive a gradient (a wrong gradient is never produced).
"""

from __future__ import annotations

import numpy as np
import pytest

import autograd as ag
import nn
import optim


def _leaf(*shape):
    return ag.tensor(np.linspace(0.5, 1.5, int(np.prod(shape))).reshape(shape),
                     requires_grad=True)


def data_assignment():
    x = _leaf(3)
    loss = (x * x).sum()
    x.data = np.zeros(3)
    return loss, [x]


def in_place_method_under_no_grad():
    x = _leaf(3)
    loss = x.exp().sum()
    with ag.no_grad():
        x.mul_(2.0)
    return loss, [x]


def in_place_on_a_saved_output():
    x = _leaf(3)
    y = x.exp()  # exp saves its output for the rule d exp = exp
    loss = (y * 2.0).sum()
    with ag.no_grad():
        y.add_(1.0)
    return loss, [x]


def optimizer_step():
    w = _leaf(3)
    loss = (w * w).sum()
    w.grad = ag.tensor(np.ones(3))
    optim.SGD([w], lr=0.1).step()
    w.grad = None
    return loss, [w]


def adam_step_on_a_layer():
    layer = nn.Dense(2, input_shape=[3], seed=0)
    loss = (layer(ag.tensor(np.ones((4, 3)))) ** 2).sum()
    for p in layer.parameters():
        p.grad = ag.tensor(np.ones(p.shape, dtype=p.dtype))
    optim.Adam(layer.parameters(), lr=0.1).step()
    for p in layer.parameters():
        p.grad = None
    return loss, list(layer.parameters())


def view_base_changed_in_place():
    x = _leaf(4)
    v = x[1:3]
    loss = (v * v).sum()
    with ag.no_grad():
        x.add_(1.0)
    return loss, [x]


def base_changed_through_a_view():
    x = _leaf(4)
    loss = (x * x).sum()
    with ag.no_grad():
        x[1:3].mul_(3.0)
    return loss, [x]


def setitem_under_no_grad():
    x = _leaf(3)
    loss = x.sin().sum()
    with ag.no_grad():
        x[1] = 5.0
    return loss, [x]


def load_state_dict_between():
    layer = nn.Dense(2, input_shape=[3], seed=0)
    loss = layer(ag.tensor(np.ones((4, 3)))).tanh().sum()
    layer.load_state_dict({k: v + 1 for k, v in layer.state_dict().items()})
    return loss, list(layer.parameters())


CASES = [
    data_assignment,
    in_place_method_under_no_grad,
    in_place_on_a_saved_output,
    optimizer_step,
    adam_step_on_a_layer,
    view_base_changed_in_place,
    base_changed_through_a_view,
    setitem_under_no_grad,
    load_state_dict_between,
]


@pytest.mark.parametrize("case", CASES, ids=lambda f: f.__name__)
def test_change_between_forward_and_backward_is_caught(case):
    loss, leaves = case()
    with pytest.raises(RuntimeError, match="modified in place") as caught:
        loss.backward()
    assert "backward:" in str(caught.value), f"the message does not name backward: {caught.value}"
    received = [i for i, leaf in enumerate(leaves) if leaf.grad is not None]
    assert not received, f"{case.__name__}: leaves {received} received a gradient anyway"


# Writes that bypass the tensor (numpy on the array that ``.data`` or ``numpy()`` returned) cannot
# bump the version counter, so they are refused at the write instead: while an unreleased graph
# holds a value, the array handed out is read-only.
def _write_index(a):
    a[0] = 9.0


def _write_out(a):
    np.multiply(a, 2.0, out=a)


def _write_augmented(a):
    a += 1.0


def _write_copyto(a):
    np.copyto(a, 0.0)


RAW_WRITES = [_write_index, _write_out, _write_augmented, _write_copyto]


def _saved_leaf():
    x = _leaf(3)
    return x, (x * x).sum(), lambda: 2 * x.numpy()


def _saved_output():
    x = _leaf(3)
    y = x.exp()  # exp's rule uses its output
    return y, (y * 2.0).sum(), lambda: 2 * np.exp(x.numpy())


def _base_of_a_saved_view():
    x = _leaf(4)
    v = x[1:3]
    return x, (v * v).sum(), lambda: np.array([0.0, 2 * x.numpy()[1], 2 * x.numpy()[2], 0.0])


def _layer_kernel():
    layer = nn.Dense(1, input_shape=[3], seed=0)
    inputs = np.ones((2, 3))
    loss = layer(ag.tensor(inputs)).sum()
    return layer.kernel, loss, lambda: np.full((3, 1), 2.0)


HOLDERS = [_saved_leaf, _saved_output, _base_of_a_saved_view, _layer_kernel]


@pytest.mark.parametrize("write", RAW_WRITES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("holder", HOLDERS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("access", ["data", "numpy", "asarray"])
def test_numpy_writes_to_held_data_are_refused(holder, write, access):
    value, loss, expected_grad = holder()
    before = value._data.copy()
    array = {"data": lambda: value.data.numpy(), "numpy": value.numpy,
             "asarray": lambda: np.asarray(value)}[access]()
    with pytest.raises(ValueError, match="read-only"):
        write(array)
    assert np.array_equal(value._data, before), "the refused write changed the data anyway"
    loss.backward()  # and the gradient is the right one
    leaf = value if value.is_leaf else None
    if leaf is not None:
        np.testing.assert_allclose(leaf.grad.numpy(), expected_grad())


def test_data_is_writable_again_after_backward():
    x = _leaf(3)
    (x * x).sum().backward()
    x.data[0] = 9.0
    x.data -= 1.0  # the manual update loop of micrograd and the course
    assert x.numpy()[0] == 8.0


def test_writes_through_the_data_tensor_while_held_are_counted():
    # PyTorch's .data changes the values behind the graph's back; here the change is counted,
    # so the graph that saved the old values refuses to run backward instead of lying.
    for write in (lambda d: d.__setitem__(0, 9.0), lambda d: d.add_(1.0), lambda d: d.zero_()):
        x = _leaf(3)
        loss = (x * x).sum()
        write(x.data)
        with pytest.raises(RuntimeError, match="modified in place"):
            loss.backward()


def test_data_is_writable_again_when_the_graph_is_dropped():
    x = _leaf(3)
    loss = (x * x).sum()
    assert not x.numpy().flags.writeable
    del loss
    assert x.numpy().flags.writeable


def test_a_retained_graph_keeps_holding_until_it_is_released():
    x = _leaf(3)
    loss = (x * x).sum()
    loss.backward(retain_graph=True)
    assert not x.numpy().flags.writeable
    loss.backward()
    assert x.numpy().flags.writeable


def test_values_outside_any_graph_are_writable():
    with ag.no_grad():
        x = _leaf(3)
        (x * x).sum()
    assert np.asarray(x.data).flags.writeable and x.numpy().flags.writeable


def test_at_least_six_ways_are_caught():
    assert len(CASES) + len(RAW_WRITES) >= 6


@pytest.mark.parametrize("write", RAW_WRITES, ids=lambda f: f.__name__)
@pytest.mark.parametrize("access", ["data", "numpy"])
def test_a_refused_write_says_why_and_what_to_do(write, access):
    x = _leaf(3)
    loss = (x * x).sum()
    with pytest.raises(ValueError, match=r"read-only: this array is the data of a tensor that a "
                                         r"recorded graph still needs.*Call backward\(\) first"):
        write(x.data.numpy() if access == "data" else x.numpy())
    assert repr(x.numpy()).startswith("array(")  # prints as a plain array
    assert type(x.numpy() * 2) is np.ndarray  # arithmetic gives plain arrays
    loss.backward()
