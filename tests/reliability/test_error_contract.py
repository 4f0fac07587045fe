"""The error contract: malformed inputs raise the documented type with a message that names the
operation (or layer) and the offending shapes or values, and change nothing.

Every case runs against a freshly trained context (a compiled model with Adam state, gradients
and BatchNormalization statistics, plus two leaf tensors with gradients); after the error, every
parameter, gradient, buffer and optimizer-state byte must be what it was before.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

import autograd as ag
import nn
import optim
from autograd import Scalar
from tests.reliability.helpers import changed_entries, snapshot, trained_context

F = nn.losses


def _t(*shape, requires_grad=True):
    return ag.tensor(np.ones(shape), requires_grad=requires_grad)


def _x(n, width=3):
    return np.ones((n, width))


def _backward_twice(c):
    y = (_t(3) * _t(3)).sum()
    y.backward()
    y.backward()


def _fresh_model():
    return nn.Sequential([nn.Dense(1, input_shape=[3])])


def _state_without_first(c):
    return dict(list(c.model.state_dict().items())[1:])


# (label, action on the context, exception type, fragments the message must contain)
CASES: list[tuple[str, Callable, type, tuple[str, ...]]] = [
    # --- autograd: shapes and axes
    ("add broadcast", lambda c: c.a + c.b, ValueError, ("add", "(2,3)", "(4,)")),
    ("mul broadcast", lambda c: c.a * _t(3, 2), ValueError, ("mul", "(2,3)", "(3,2)")),
    ("sub broadcast", lambda c: c.a - c.b, ValueError, ("(2,3)", "(4,)")),
    ("div broadcast", lambda c: c.a / _t(3, 2), ValueError, ("(2,3)", "(3,2)")),
    ("maximum broadcast", lambda c: c.a.maximum(c.b), ValueError, ("maximum", "(4,)")),
    ("matmul inner", lambda c: c.a @ _t(4, 2), ValueError, ("matmul", "(2, 3)", "(4, 2)")),
    ("matmul 0-d", lambda c: c.a @ _t(), ValueError, ("matmul", "0-d")),
    ("matmul vector", lambda c: c.b @ c.a, ValueError, ("matmul", "(4,)", "(2, 3)")),
    ("sum axis out of range", lambda c: c.a.sum(axis=2), ValueError, ("sum", "axis 2")),
    ("sum duplicate axes", lambda c: c.a.sum(axis=(0, 0)), ValueError, ("sum", "duplicate")),
    ("mean bad axis", lambda c: c.a.mean(axis=5), ValueError, ("axis 5",)),
    ("amax bad dim", lambda c: c.a.amax(-3), IndexError, ("amax", "out of range", "-3")),
    ("logsumexp bad axis", lambda c: c.a.logsumexp(axis=2), ValueError,
     ("logsumexp", "axis 2")),
    ("softmax bad axis", lambda c: c.a.softmax(axis=3), ValueError, ("softmax", "axis 3")),
    ("log_softmax bad axis", lambda c: c.a.log_softmax(axis=-4), ValueError,
     ("log_softmax", "axis -4")),
    ("reshape wrong size", lambda c: c.a.reshape(4, 2), ValueError,
     ("reshape", "size 6", "(4,2)")),
    ("permute repeated axis", lambda c: c.a.permute(0, 0), ValueError,
     ("permute", "(0, 0)")),
    ("transpose dim out of range", lambda c: c.a.transpose(0, 2), IndexError,
     ("transpose", "out of range", "2")),
    ("squeeze dim out of range", lambda c: c.a.squeeze(2), IndexError, ("squeeze", "2")),
    ("broadcast_to incompatible", lambda c: c.a.broadcast_to(3, 3), ValueError,
     ("broadcast_to", "(3,3)")),
    ("concatenate mismatch", lambda c: ag.concatenate([c.a, _t(3, 2)]), ValueError,
     ("concatenate", "size 3", "size 2")),
    ("stack mismatch", lambda c: ag.stack([c.a, _t(3, 2)]), ValueError,
     ("stack", "(2, 3)", "(3, 2)")),
    ("split sizes not the length", lambda c: ag.split(_t(5), [2, 2]), RuntimeError,
     ("split", "5", "[2, 2]")),
    ("index out of range", lambda c: c.a[5], IndexError, ("getitem", "5", "size 2")),
    ("where mismatch", lambda c: ag.where(np.ones(5) > 0, c.a, c.a), ValueError,
     ("where", "(5,)", "(2,3)")),
    ("clip without bounds", lambda c: c.a.clip(), ValueError, ("clip", "min", "max")),
    ("conv2d channels", lambda c: ag.conv2d_nhwc(_t(1, 4, 4, 2), _t(2, 2, 3, 1)), ValueError,
     ("conv2d", "(1, 4, 4, 2)", "(2, 2, 3, 1)")),
    ("conv2d rank", lambda c: ag.conv2d_nhwc(_t(4, 4, 2), _t(2, 2, 2, 1)), ValueError,
     ("conv2d", "(4, 4, 2)")),
    ("max_pool2d window too big", lambda c: ag.max_pool2d_nhwc(_t(1, 2, 2, 1), 3), ValueError,
     ("max_pool2d", "(1, 2, 2, 1)", "3")),
    # --- autograd: values that are not numbers
    ("ragged list", lambda c: ag.tensor([[1.0, 2.0], [3.0]]), ValueError,
     ("Tensor", "inhomogeneous")),
    ("string data", lambda c: ag.tensor("abc"), TypeError, ("Tensor", "<U3", "str")),
    ("None data", lambda c: ag.tensor(None), TypeError, ("Tensor", "NoneType")),
    ("object array", lambda c: ag.tensor(np.array([1, "a"], dtype=object)), TypeError,
     ("Tensor", "object")),
    ("int tensor requires grad", lambda c: ag.tensor(np.arange(3), requires_grad=True),
     TypeError, ("requires_grad", "int64", "(3,)")),
    ("int tensor requires_grad_", lambda c: ag.tensor(np.arange(3)).requires_grad_(),
     TypeError, ("requires_grad_", "int64")),
    ("tensor plus string", lambda c: c.a + "x", TypeError, ("Tensor", "(2, 3)", "str")),
    ("tensor plus None", lambda c: c.a * None, TypeError, ("Tensor", "NoneType")),
    ("tensor power string", lambda c: c.a ** "x", TypeError, ("str", "'x'")),
    ("scalar plus tensor", lambda c: Scalar(1.0) + c.a, TypeError, ("Scalar", "Tensor")),
    ("integer default dtype", lambda c: ag.set_default_dtype(np.int32), TypeError,
     ("set_default_dtype", "int32")),
    # --- autograd: backward
    ("backward non-scalar", lambda c: (c.a * 2).backward(), RuntimeError,
     ("backward", "(2, 3)", "gradient")),
    ("backward wrong-shaped gradient", lambda c: (c.a * 2).backward(np.ones((3, 2))),
     ValueError, ("backward", "(3, 2)", "(2, 3)")),
    ("backward twice", _backward_twice, RuntimeError, ("backward", "second time", "retain")),
    ("backward without grad", lambda c: _t(3, requires_grad=False).sum().backward(),
     RuntimeError, ("backward", "does not require grad")),
    ("grad of constant input", lambda c: ag.grad((c.a * c.a).sum(), [_t(3, requires_grad=0)]),
     RuntimeError, ("grad", "input 0", "(3,)")),
    # --- nn: layers
    ("Dense units 0", lambda c: nn.Dense(0), ValueError, ("Dense", "units=0")),
    ("Dense units negative", lambda c: nn.Dense(-3), ValueError, ("Dense", "units=-3")),
    ("Dense units float", lambda c: nn.Dense(2.5), TypeError, ("Dense", "units=2.5")),
    ("Dense unknown activation", lambda c: nn.Dense(2, activation="nope"), ValueError,
     ("activation", "'nope'")),
    ("Dense unknown initializer", lambda c: nn.Dense(2, kernel_initializer="nope"),
     ValueError, ("initializer", "'nope'")),
    ("Dense wrong input width", lambda c: c.model(_x(2, 5)), ValueError,
     ("dense", "(2, 5)", "3")),
    ("BatchNormalization momentum", lambda c: nn.BatchNormalization(momentum=2), ValueError,
     ("BatchNormalization", "momentum=2")),
    ("BatchNormalization epsilon", lambda c: nn.BatchNormalization(epsilon=0), ValueError,
     ("BatchNormalization", "epsilon=0")),
    ("Dropout rate 1.5", lambda c: nn.layers.Dropout(1.5), ValueError, ("`rate`", "rate=1.5")),
    ("Dropout rate negative", lambda c: nn.layers.Dropout(-0.1), ValueError,
     ("`rate`", "rate=-0.1")),
    ("Dropout rate nan", lambda c: nn.layers.Dropout(float("nan")), ValueError,
     ("`rate`", "nan")),
    ("functional dropout rate", lambda c: nn.functional.dropout(c.a, 2.0), ValueError,
     ("dropout", "2.0")),
    ("Conv2D filters", lambda c: nn.Conv2D(0, 3), ValueError, ("Conv2D", "filters=0")),
    ("Conv2D kernel size", lambda c: nn.Conv2D(2, 0), ValueError, ("Conv2D", "kernel_size=0")),
    ("Conv2D padding", lambda c: nn.Conv2D(2, 3, padding="full"), ValueError,
     ("Conv2D", "'full'")),
    ("Embedding index", lambda c: nn.layers.Embedding(3, 2)(np.array([0, 5])), ValueError,
     ("Embedding", "5")),
    ("Flatten of 0-d", lambda c: nn.layers.Flatten()(ag.tensor(1.0)), ValueError,
     ("flatten", "ndim=0")),
    ("Sequential of a number", lambda c: nn.Sequential([3]), TypeError, ("Sequential", "int")),
    ("load_state_dict shape", lambda c: c.model.load_state_dict(
        {**c.model.state_dict(), "0.kernel": np.ones((2, 2))}), ValueError,
     ("load_state_dict", "0.kernel", "(3, 4)", "(2, 2)")),
    ("load_state_dict missing", lambda c: c.model.load_state_dict(_state_without_first(c)),
     ValueError, ("load_state_dict", "0.kernel", "missing")),
    ("load_state_dict unexpected", lambda c: c.model.load_state_dict(
        {**c.model.state_dict(), "zzz": np.ones(2)}), ValueError, ("load_state_dict", "zzz")),
    ("load_state_dict complex", lambda c: c.model.load_state_dict(
        {**c.model.state_dict(), "0.kernel": np.ones((3, 4), dtype=complex)}), ValueError,
     ("load_state_dict", "0.kernel", "complex128")),
    ("load_state_dict text", lambda c: c.model.load_state_dict(
        {**c.model.state_dict(), "0.bias": "zeros"}), ValueError,
     ("load_state_dict", "0.bias", "str")),
    ("set_random_seed string", lambda c: nn.set_random_seed("x"), ValueError,
     ("set_random_seed", "'x'")),
    # --- nn: losses
    ("sparse CE target too big", lambda c: F.sparse_categorical_crossentropy(
        np.array([0, 3]), _t(2, 3), from_logits=True), ValueError,
     ("sparse_categorical_crossentropy", "3 classes", "to 3")),
    ("sparse CE negative target", lambda c: F.sparse_categorical_crossentropy(
        np.array([0, -1]), _t(2, 3), from_logits=True), ValueError,
     ("sparse_categorical_crossentropy", "-1")),
    ("sparse CE fractional target", lambda c: F.sparse_categorical_crossentropy(
        np.array([0.5, 1.0]), _t(2, 3), from_logits=True), ValueError,
     ("sparse_categorical_crossentropy", "0.5")),
    ("CE target shape", lambda c: F.categorical_crossentropy(
        np.ones((2, 4)), _t(2, 3), from_logits=True), ValueError,
     ("categorical_crossentropy", "(2, 3)", "(2, 4)")),
    ("MSE target shape", lambda c: F.mean_squared_error(np.ones((3, 2)), _t(2, 3)), ValueError,
     ("mean_squared_error", "(2, 3)", "(3, 2)")),
    ("BCE target shape", lambda c: F.binary_crossentropy(
        np.ones(4), _t(2, 3), from_logits=True), ValueError,
     ("binary_crossentropy", "(2, 3)", "(4,)")),
    ("loss reduction", lambda c: F.MeanSquaredError(reduction="x"),
     ValueError, ("reduction", "reduction='x'")),
    ("unknown loss", lambda c: F.get("nope"), ValueError, ("loss", "'nope'")),
    ("huber delta", lambda c: F.huber(np.ones((2, 3)), _t(2, 3), delta=-1), ValueError,
     ("huber", "delta=-1")),
    # --- optim
    ("SGD negative lr", lambda c: optim.SGD([_t(3)], lr=-1), ValueError, ("learning rate", "-1")),
    ("SGD negative momentum", lambda c: optim.SGD([_t(3)], lr=0.1, momentum=-0.5), ValueError,
     ("momentum", "-0.5")),
    ("SGD nesterov without momentum", lambda c: optim.SGD([_t(3)], lr=0.1, nesterov=True),
     ValueError, ("nesterov", "momentum=0")),
    ("SGD negative weight decay", lambda c: optim.SGD([_t(3)], lr=0.1, weight_decay=-1),
     ValueError, ("weight_decay", "-1")),
    ("Adam beta1 = 1", lambda c: optim.Adam([_t(3)], lr=0.1, betas=(1.0, 0.9)), ValueError,
     ("beta", "1.0")),
    ("Adam beta2 negative", lambda c: optim.Adam([_t(3)], lr=0.1, betas=(0.9, -0.1)),
     ValueError, ("beta", "-0.1")),
    ("Adam negative eps", lambda c: optim.Adam([_t(3)], lr=0.1, eps=-1e-8), ValueError,
     ("epsilon", "-1e-08")),
    ("Adam nan lr", lambda c: optim.Adam([_t(3)], lr=float("nan")), ValueError,
     ("learning rate", "nan")),
    ("Adam string lr", lambda c: optim.Adam([_t(3)], lr="0.1"), TypeError, ("lr", "'0.1'")),
    ("RMSprop alpha", lambda c: optim.RMSprop([_t(3)], lr=0.1, alpha=-1), ValueError,
     ("alpha", "-1")),
    ("Adagrad lr", lambda c: optim.Adagrad([_t(3)], lr=-0.1), ValueError,
     ("learning rate", "-0.1")),
    ("AdamW weight decay", lambda c: optim.AdamW([_t(3)], lr=0.1, weight_decay=-1), ValueError,
     ("weight_decay", "-1")),
    ("duplicate parameters", lambda c: optim.SGD([c.b, c.b], lr=0.1), ValueError,
     ("optimizer", "(4,)", "twice")),
    ("empty parameter list", lambda c: optim.SGD([], lr=0.1), ValueError,
     ("optimizer", "empty")),
    ("non-leaf parameter", lambda c: optim.SGD([c.a * 2], lr=0.1), ValueError,
     ("optimizer", "(2, 3)", "not a leaf")),
    ("optimizer before a lazy layer is built",
     lambda c: optim.SGD(nn.Sequential([nn.Dense(1, name="lazy_out")]).parameters(), lr=0.1),
     RuntimeError, ("SGD", "'lazy_out'", "no weights yet", "input_shape")),
    ("integer parameter", lambda c: optim.SGD([ag.tensor(np.arange(3))], lr=0.1), TypeError,
     ("optimizer", "int64")),
    ("string parameter", lambda c: optim.SGD(["w"], lr=0.1), TypeError, ("optimizer", "'w'")),
    ("optimizer state without keys", lambda c: c.model.optimizer.load_state_dict({"x": 1}),
     ValueError, ("load_state_dict", "param_groups")),
    ("optimizer state of other shape", lambda c: optim.Adam([_t(7)], lr=0.1).load_state_dict(
        c.model.optimizer.state_dict()), ValueError, ("load_state_dict", "group 0")),
    ("clip_grad_norm_ negative", lambda c: optim.clip_grad_norm_(c.model.parameters(), -1),
     ValueError, ("max_norm", "-1")),
    ("clip_grad_norm_ norm type", lambda c: optim.clip_grad_norm_(
        c.model.parameters(), 1.0, norm_type="x"), TypeError, ("norm_type", "'x'")),
    ("clip_grad_value_ negative", lambda c: optim.clip_grad_value_(c.model.parameters(), -1),
     ValueError, ("clip_value", "-1")),
    ("StepLR step size", lambda c: optim.StepLR(c.model.optimizer, step_size=0), ValueError,
     ("step_size", "0")),
    # --- the training API
    ("fit x and y lengths", lambda c: c.model.fit(_x(5), np.ones((4, 2)), verbose=0),
     ValueError, ("fit", "len(x)=5", "len(y)=4")),
    ("fit batch_size 0", lambda c: c.model.fit(_x(5), np.ones((5, 2)), batch_size=0, verbose=0),
     ValueError, ("fit", "batch_size=0")),
    ("predict batch_size -1", lambda c: c.model.predict(_x(5), batch_size=-1), ValueError,
     ("predict", "batch_size=-1")),
    ("fit validation_split", lambda c: c.model.fit(
        _x(5), np.ones((5, 2)), validation_split=1.5, verbose=0), ValueError,
     ("fit", "validation_split=1.5")),
    ("fit wrong input width", lambda c: c.model.fit(_x(5, 4), np.ones((5, 2)), verbose=0),
     ValueError, ("dense", "(5, 4)")),
    ("fit wrong target width", lambda c: c.model.fit(_x(5), np.ones((5, 3)), verbose=0),
     ValueError, ("mean_squared_error", "(5, 2)", "(5, 3)")),
    ("fit string data", lambda c: c.model.fit("abc", np.ones((5, 2)), verbose=0), TypeError,
     ("fit", "<U3")),
    ("fit None", lambda c: c.model.fit(None, None, verbose=0), TypeError, ("fit", "object")),
    ("fit before compile", lambda c: _fresh_model().fit(_x(5), np.ones((5, 1)), verbose=0),
     RuntimeError, ("fit", "compile")),
    ("evaluate before compile", lambda c: _fresh_model().evaluate(_x(5), np.ones(5), verbose=0),
     RuntimeError, ("evaluate", "compile")),
    ("evaluate lengths", lambda c: c.model.evaluate(_x(5), np.ones((3, 2)), verbose=0),
     ValueError, ("evaluate", "len(x)=5", "len(y)=3")),
    ("predict wrong width", lambda c: c.model.predict(_x(5, 4)), ValueError, ("dense", "(5, 4)")),
    ("train_on_batch target width", lambda c: c.model.train_on_batch(_x(4), np.ones((4, 1))),
     ValueError, ("mean_squared_error", "(4, 2)", "(4, 1)")),
    ("compile without loss", lambda c: c.model.compile(optimizer="adam"), ValueError,
     ("compile", "loss")),
    ("compile unknown optimizer", lambda c: c.model.compile(optimizer="nope", loss="mse"),
     ValueError, ("optimizer", "'nope'")),
    ("compile unknown metric", lambda c: c.model.compile(loss="mse", metrics=["nope"]),
     ValueError, ("metric", "'nope'")),
    ("load_model missing file", lambda c: nn.load_model("/nonexistent/x.npz"),
     nn.CheckpointError, ("/nonexistent/x.npz", "no such file")),
]


def test_the_table_is_large_enough():
    assert len(CASES) >= 60, f"only {len(CASES)} malformed inputs in the error table"
    assert len({label for label, *_ in CASES}) == len(CASES), "labels must be unique"


@pytest.mark.parametrize("label, action, error, fragments", CASES, ids=[c[0] for c in CASES])
def test_malformed_input_raises_and_changes_nothing(label, action, error, fragments):
    c = trained_context()
    before = snapshot(c)
    with pytest.raises(error) as caught:
        action(c)
    message = str(caught.value)
    missing = [f for f in fragments if f not in message]
    assert not missing, f"{label}: the message {message!r} does not mention {missing}"
    changed = changed_entries(before, snapshot(c))
    assert not changed, f"{label}: the failed call changed {changed}"
