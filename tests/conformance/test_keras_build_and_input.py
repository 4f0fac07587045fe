"""``Sequential.build(input_shape)`` and ``Input``'s shape checks, against Keras 3: the same
weights' shapes, and ValueErrors where Keras raises them."""

import numpy as np
import pytest

import nn
from tests.conformance.borrowed import keras


def _stack(lib):
    return lib.Sequential([lib.layers.Dense(4, activation="relu"), lib.layers.Dense(1)])


@pytest.mark.parametrize("shape", [(None, 3), [None, 3], (8, 3)], ids=str)
def test_build_creates_keras_weights(shape):
    k = keras()
    theirs, ours = _stack(k), _stack(nn)
    theirs.build(shape)
    ours.build(shape)
    assert [w.shape for w in ours.get_weights()] == [w.shape for w in theirs.get_weights()]
    ours.set_weights(theirs.get_weights())
    x = np.random.default_rng(0).normal(size=(5, 3)).astype(np.float32)
    np.testing.assert_allclose(ours.predict(x, verbose=0), theirs.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-6)
    lines = []
    ours.summary(print_fn=lines.append)
    assert "Total params: 21" in "\n".join(lines)
    ours.build(shape)  # again with the same shape: nothing changes, as in Keras
    theirs.build(shape)


@pytest.mark.parametrize("case", ["other_shape", "no_batch_axis"])
def test_build_refuses_what_keras_refuses(case):
    for lib in (keras(), nn):
        model = _stack(lib)
        if case == "other_shape":
            model.build((None, 3))
            with pytest.raises(ValueError, match=r"already been configured.*\(None, 4\)"):
                model.build((None, 4))
        else:
            with pytest.raises(ValueError, match="min_ndim=2"):
                model.build((3,))
            assert all(not layer.built for layer in model.layers)


def test_build_without_a_shape_uses_the_input():
    model = nn.Sequential([nn.Input(shape=(3,)), nn.layers.Dense(2)])
    model.build()
    assert model.get_weights()[0].shape == (3, 2)
    unbuilt = nn.Sequential([nn.layers.Dense(2)])
    unbuilt.build()  # Keras accepts it too; nothing can be built yet
    assert unbuilt.get_weights() == []


@pytest.mark.parametrize("arguments", [dict(shape=4), dict(batch_shape=3), dict(shape="ab"),
                                       dict(shape=(-1,)), dict(shape=(2.5,))], ids=str)
def test_input_refuses_what_is_not_a_shape_as_keras(arguments):
    k = keras()
    with pytest.raises(ValueError, match="Cannot convert") as theirs:
        k.Input(**arguments)
    with pytest.raises(ValueError, match="Cannot convert") as ours:
        nn.Input(**arguments)
    if not isinstance(arguments.get("shape"), str):  # Keras reads a string letter by letter
        assert str(ours.value).split(".")[0] == str(theirs.value).split(".")[0]


@pytest.mark.parametrize("arguments", [dict(shape=[3]), dict(shape=(0,)),
                                       dict(shape=(None, 2)), dict(batch_shape=[4, 2])], ids=str)
def test_input_takes_what_keras_takes(arguments):
    assert nn.Input(**arguments).shape == tuple(keras().Input(**arguments).shape)
