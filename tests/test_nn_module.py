"""Module and Parameter: registration, traversal, modes, state dicts, penalties and printing."""

from collections import OrderedDict

import numpy as np
import pytest

import autograd as ag
import nn


class Block(nn.Module):
    """Two layers and a buffer, registered in that order."""

    def __init__(self):
        super().__init__()
        self.first = nn.Dense(3, input_shape=[2], seed=0, dtype=np.float64)
        self.second = nn.Dense(1, input_shape=[3], seed=1, dtype=np.float64)
        self.register_buffer("steps", ag.zeros(1))

    def forward(self, x):
        return self.second(self.first(x).relu())


class Outer(nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(np.array([2.0]))
        self.block = Block()
        self.bn = nn.BatchNormalization(input_shape=[1])

    def forward(self, x):
        return self.bn(self.block(x) * self.scale)


def test_parameters_register_in_assignment_order_with_dotted_names():
    names = [name for name, _ in Outer().named_parameters()]
    assert names == ["scale", "block.first.kernel", "block.first.bias", "block.second.kernel",
                     "block.second.bias", "bn.gamma", "bn.beta"]


def test_parameters_are_plain_parameter_objects_in_a_stable_order():
    model = Outer()
    params = list(model.parameters())
    assert all(type(p) is nn.Parameter for p in params)
    assert [id(p) for p in model.parameters()] == [id(p) for p in params]
    assert model.count_params() == 1 + (2 * 3 + 3) + (3 + 1) + 2


def test_children_and_modules():
    model = Outer()
    assert [name for name, _ in model.named_children()] == ["block", "bn"]
    assert list(model.children()) == [model.block, model.bn]
    assert [name for name, _ in model.named_modules()] == [
        "", "block", "block.first", "block.second", "bn"]
    assert len(list(model.modules())) == 5


def test_a_list_of_modules_is_registered():
    class Stack(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = [nn.Dense(2, input_shape=[2]), nn.Dense(1, input_shape=[2])]

    stack = Stack()
    assert isinstance(stack.layers, nn.ModuleList)
    assert len(stack.layers) == 2 and stack.layers[1].units == 1
    assert [name for name, _ in stack.named_parameters()] == [
        "layers.0.kernel", "layers.0.bias", "layers.1.kernel", "layers.1.bias"]


def test_a_shared_parameter_is_listed_once():
    model = nn.Module()
    shared = nn.Parameter([1.0])
    model.a = shared
    model.b = shared
    assert list(model.parameters()) == [shared]


def test_reassignment_replaces_and_deletion_unregisters():
    model = nn.Module()
    model.w = nn.Parameter([1.0])
    new = nn.Parameter([2.0])
    model.w = new
    assert list(model.parameters()) == [new]
    del model.w
    assert list(model.parameters()) == []
    with pytest.raises(AttributeError, match="has no attribute 'w'"):
        model.w


def test_assigning_before_init_or_replacing_a_parameter_with_a_tensor_raises():
    class Early(nn.Module):
        def __init__(self):
            self.w = nn.Parameter([1.0])

    with pytest.raises(AttributeError, match="super\\(\\).__init__\\(\\)"):
        Early()
    model = nn.Module()
    model.w = nn.Parameter([1.0])
    with pytest.raises(TypeError, match="is a Parameter"):
        model.w = ag.tensor([1.0])
    model.register_buffer("b", ag.zeros(2))
    with pytest.raises(TypeError, match="is a buffer"):
        model.b = np.zeros(2)
    with pytest.raises(TypeError, match="register_buffer expects a Tensor"):
        model.register_buffer("c", nn.Parameter([1.0]))


def test_parameter_is_a_float_tensor_that_requires_grad():
    p = nn.Parameter([[1, 2]])
    assert isinstance(p, ag.Tensor) and p.requires_grad and p.dtype == np.float32
    assert type(p * 2) is ag.Tensor
    assert repr(p).startswith("Parameter containing:\ntensor(")
    with pytest.raises(TypeError, match="floating-point"):
        nn.Parameter(np.array([1, 2]))
    assert not nn.Parameter([1.0], requires_grad=False).requires_grad


def test_train_and_eval_reach_every_module():
    model = Outer()
    assert model.eval() is model
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())


def test_zero_grad_sets_grads_to_none():
    model = Block()
    model(ag.tensor(np.ones((2, 2)))).sum().backward()
    assert all(p.grad is not None for p in model.parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())


def test_call_runs_forward_inside_a_name_scope():
    layer = nn.Dense(2, input_shape=[2], name="hidden")
    y = layer(ag.tensor(np.ones((1, 2))))
    assert y._ctx.scope == ("hidden",)
    model = Block()
    out = model(ag.tensor(np.ones((1, 2))))
    assert out._ctx.scope == (model.name, model.second.name)


def test_default_names_follow_keras():
    a, b = nn.BatchNormalization(), nn.BatchNormalization()
    assert a.name.startswith("batch_normalization")
    assert a.name != b.name


def test_nested_repr_with_extra_repr():
    text = repr(Outer())
    assert text.startswith("Outer(\n  (block): Block(\n    (first): Dense(units=3, "
                           "activation=linear)\n")
    assert "  (bn): BatchNormalization(axis=-1, momentum=0.99, epsilon=0.001)\n)" in text
    assert repr(nn.Dense(4, "relu", use_bias=False)) == (
        "Dense(units=4, activation=relu, use_bias=False)")


def test_forward_is_required():
    with pytest.raises(NotImplementedError, match="does not define forward"):
        nn.Module()(1)


# --- state dicts ---


def test_state_dict_shares_memory_with_parameters_and_buffers():
    model = Outer()
    state = model.state_dict()
    # PyTorch's order: module by module, each one's parameters then its buffers.
    assert list(state) == ["scale", "block.steps", "block.first.kernel", "block.first.bias",
                           "block.second.kernel", "block.second.bias", "bn.gamma", "bn.beta",
                           "bn.moving_mean", "bn.moving_variance"]
    assert type(state) is OrderedDict
    assert all(type(v) is ag.Tensor and not v.requires_grad for v in state.values())
    # As in torch: detached tensors on the same memory, so in-place edits reach the module.
    state["scale"][0] = 100.0
    state["block.steps"].fill_(3.0)
    state["bn.gamma"].copy_(ag.tensor([5.0]))
    assert model.scale.tolist() == [100.0] and model.block.steps.tolist() == [3.0]
    assert model.bn.gamma.tolist() == [5.0]
    assert ag.equal(state["block.first.kernel"], model.block.first.kernel)
    assert [tuple(v.size()) for v in state.values()][:3] == [(1,), (1,), (2, 3)]


def test_state_dict_keep_vars_destination_and_prefix():
    model = Outer()
    kept = model.state_dict(keep_vars=True)
    assert kept["scale"] is model.scale and kept["block.steps"] is model.block.steps
    given: dict = {"other": 1}
    out = model.block.state_dict(destination=given, prefix="block.")
    assert out is given and list(given)[:3] == ["other", "block.steps", "block.first.kernel"]
    with pytest.warns(FutureWarning, match="Positional args"):
        positional = model.block.first.state_dict(None, "f.", True)
    assert list(positional) == ["f.kernel", "f.bias"]
    assert positional["f.kernel"] is model.block.first.kernel


class Tied(nn.Module):
    """An encoder and a decoder sharing one weight, and a module registered twice."""

    def __init__(self):
        super().__init__()
        self.enc = nn.Linear(2, 2)
        self.dec = nn.Linear(2, 2)
        self.dec.weight = self.enc.weight
        self.head = nn.Linear(2, 1)
        self.again = self.head


TIED_KEYS = ["enc.weight", "enc.bias", "dec.weight", "dec.bias", "head.weight", "head.bias",
             "again.weight", "again.bias"]


def test_tied_parameters_are_saved_under_every_name_and_listed_once():
    model = Tied()
    state = model.state_dict()
    assert list(state) == TIED_KEYS
    assert np.shares_memory(state["enc.weight"].numpy(), state["dec.weight"].numpy())
    assert [n for n, _ in model.named_parameters()] == [
        "enc.weight", "enc.bias", "dec.bias", "head.weight", "head.bias"]
    assert [n for n, _ in model.named_parameters(remove_duplicate=False)] == TIED_KEYS
    assert len(list(model.parameters())) == 5
    assert [n for n, _ in model.named_modules()] == ["", "enc", "dec", "head"]
    assert [n for n, _ in model.named_modules(remove_duplicate=False)] == [
        "", "enc", "dec", "head", "again"]
    assert [n for n, _ in model.head.named_parameters(prefix="h")] == ["h.weight", "h.bias"]


def test_loading_tied_entries_fills_every_name_and_the_last_one_wins():
    model = Tied()
    state = {k: v.clone() for k, v in model.state_dict().items()}
    state["enc.weight"].fill_(1.0)
    state["dec.weight"].fill_(2.0)
    assert model.load_state_dict(state) == nn.IncompatibleKeys([], [])
    assert model.enc.weight.numpy().tolist() == [[2.0, 2.0], [2.0, 2.0]]  # as torch: in order
    del state["dec.weight"]
    with pytest.raises(ValueError, match="'dec.weight': missing"):
        model.load_state_dict(state)
    assert model.load_state_dict(state, strict=False).missing_keys == ["dec.weight"]
    assert model.enc.weight is model.dec.weight
    assert model.dec.weight.numpy().tolist() == [[1.0, 1.0], [1.0, 1.0]]


def test_saved_state_dict_is_a_copy_and_loads_back(tmp_path):
    model = Tied()
    path = tmp_path / "tied.pt"
    ag.save(model.state_dict(), path)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    with ag.no_grad():
        for p in model.parameters():
            p.add_(1.0)
    back = ag.load(path)
    assert list(back) == TIED_KEYS
    for key, value in back.items():
        np.testing.assert_array_equal(value.numpy(), before[key].numpy(), err_msg=key)
    model.load_state_dict(back)
    np.testing.assert_array_equal(model.dec.weight.numpy(), before["dec.weight"].numpy())
    kept_vars = tmp_path / "vars.pt"
    ag.save(model.state_dict(keep_vars=True), kept_vars)
    loaded = ag.load(kept_vars)
    assert loaded["enc.weight"] is loaded["dec.weight"]  # one object saved once, as in torch


def test_state_dict_round_trip():
    source, target = Outer(), Outer()
    from nn.training_mode import training_scope

    with training_scope(True):  # Keras' BatchNormalization moves its statistics in training
        source(ag.tensor(np.arange(8.0).reshape(4, 2)))
    assert not np.array_equal(source.bn.moving_mean.numpy(), target.bn.moving_mean.numpy())
    keys = target.load_state_dict(source.state_dict())
    assert keys == nn.IncompatibleKeys([], [])
    for (name, a), b in zip(source.state_dict().items(), target.state_dict().values()):
        np.testing.assert_array_equal(a, b, err_msg=name)
    x = ag.tensor(np.arange(6.0).reshape(3, 2))
    np.testing.assert_array_equal(source.eval()(x).numpy(), target.eval()(x).numpy())


def _snapshot(model):
    return {name: value.numpy().tobytes() for name, value in model.state_dict().items()}


def test_load_with_a_wrong_shape_or_missing_key_raises_and_changes_nothing():
    model = Outer()
    before = _snapshot(model)
    state = {name: value + 1.0 for name, value in Outer().state_dict().items()}
    state["block.first.kernel"] = np.zeros((5, 3))
    del state["bn.gamma"]
    state["extra"] = np.zeros(1)
    with pytest.raises(ValueError) as info:
        model.load_state_dict(state)
    message = str(info.value)
    assert "3 entries do not fit the Outer, and nothing was changed" in message
    assert "'block.first.kernel': expected shape (2, 3), received shape (5, 3)" in message
    assert "'bn.gamma': missing" in message and "'extra': unexpected" in message
    assert _snapshot(model) == before


def test_non_strict_loading_skips_names_but_never_shapes():
    model = Outer()
    state = Outer().state_dict()
    del state["scale"]
    state["extra"] = np.zeros(1)
    keys = model.load_state_dict(state, strict=False)
    assert keys.missing_keys == ["scale"] and keys.unexpected_keys == ["extra"]
    np.testing.assert_array_equal(model.bn.gamma.numpy(), state["bn.gamma"])
    before = _snapshot(model)
    state["bn.beta"] = np.zeros(3)
    with pytest.raises(ValueError, match="'bn.beta': expected shape \\(1,\\)"):
        model.load_state_dict(state, strict=False)
    assert _snapshot(model) == before


def test_load_refuses_values_of_an_incompatible_dtype():
    model = nn.Dense(1, input_shape=[1])
    state = model.state_dict()
    state["kernel"] = state["kernel"].astype(np.complex64)
    state["bias"] = np.array(["a"])
    with pytest.raises(ValueError) as info:
        model.load_state_dict(state)
    assert "'kernel': expected dtype float32, received dtype complex64" in str(info.value)
    assert "'bias': expected a numeric array" in str(info.value)
    with pytest.raises(TypeError, match="expects a mapping"):
        model.load_state_dict([("kernel", 1.0)])


def test_loading_does_not_alias_the_given_arrays():
    model = nn.Dense(1, input_shape=[1])
    arrays = {k: v.numpy().copy() for k, v in model.state_dict().items()}
    tensors = {k: v.clone() for k, v in model.state_dict().items()}
    for state in (arrays, tensors):
        model.load_state_dict(state)
        state["kernel"][0, 0] = 123.0
        assert model.kernel.numpy()[0, 0] != 123.0


# --- penalties ---


def test_regularization_loss_sums_the_penalties_of_every_layer():
    first = nn.Dense(3, input_shape=[2], kernel_regularizer="l2", bias_regularizer="l1",
                     bias_initializer="ones", dtype=np.float64)
    second = nn.Dense(1, input_shape=[3], kernel_regularizer=nn.regularizers.L1(0.5),
                      dtype=np.float64)
    model = nn.ModuleList([first, second])
    expected = (0.01 * np.sum(first.kernel.numpy() ** 2) + 0.01 * 3
                + 0.5 * np.sum(np.abs(second.kernel.numpy())))
    penalty = model.regularization_loss()
    assert penalty.requires_grad
    np.testing.assert_allclose(penalty.item(), expected, rtol=1e-12)
    penalty.backward()
    np.testing.assert_allclose(first.kernel.grad.numpy(), 0.02 * first.kernel.numpy())
    np.testing.assert_allclose(second.kernel.grad.numpy(), 0.5 * np.sign(second.kernel.numpy()))


def test_regularization_loss_is_zero_without_regularizers():
    assert nn.Dense(2, input_shape=[2]).regularization_loss().item() == 0.0


def test_a_replaced_parameter_keeps_its_place():
    layer = nn.Dense(2, input_shape=[2])
    layer.kernel = nn.Parameter(np.zeros((2, 2), dtype=np.float32))
    assert [name for name, _ in layer.named_parameters()] == ["kernel", "bias"]
    assert layer.kernel.numpy().sum() == 0
