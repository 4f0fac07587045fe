"""Keras-face mistakes get errors that say what happened and what works: several losses
(Keras' multi-output form), several target arrays, inputs that are not shapes."""

import numpy as np
import pytest

import nn
from nn import layers
from tests.conformance.borrowed import keras

X = np.random.default_rng(3).normal(size=(8, 3)).astype(np.float32)
Y = X[:, :1] * 2.0


def _model(lib):
    model = lib.Sequential([lib.Input(shape=(3,)), lib.layers.Dense(1)])
    model.set_weights([np.full((3, 1), 0.5, np.float32), np.zeros(1, np.float32)])
    return model


@pytest.mark.parametrize("loss", [["mse", "mae"], ("mse", "mae"), {"out": "mse"}], ids=str)
def test_several_losses_are_refused_as_multi_output(loss):
    model = _model(nn)
    with pytest.raises(ValueError, match="several outputs.*not supported") as err:
        model.compile("sgd", loss=loss)
    assert "BinaryCrossentropy" not in str(err.value)  # not the list of every loss name
    assert model.loss is None  # nothing changed


def test_a_list_of_one_loss_is_that_loss_as_in_keras(tmp_path):
    losses = []
    for lib in (nn, keras()):
        model = _model(lib)
        model.compile(lib.optimizers.SGD(0.1), loss=["mse"])
        losses.append(model.fit(X, Y, epochs=2, batch_size=8, verbose=0).history["loss"])
    np.testing.assert_allclose(losses[0], losses[1], rtol=1e-5)
    model = _model(nn)
    model.compile("sgd", loss=["mse"])
    model.save(tmp_path / "m.npz")
    assert nn.load_model(tmp_path / "m.npz").evaluate(X, Y, verbose=0) == \
        pytest.approx(model.evaluate(X, Y, verbose=0))


@pytest.mark.parametrize("targets", [[Y, np.ones((8, 2))], [Y, Y]], ids=["unequal", "equal"])
def test_several_target_arrays_are_refused_without_numpy_text(targets):
    model = _model(nn)
    model.compile("sgd", "mse")
    with pytest.raises(ValueError, match=r"y is a list of 2 arrays.*one output") as err:
        model.fit(X, targets, verbose=0)
    assert "inhomogeneous" not in str(err.value)
    with pytest.raises(ValueError, match=r"x is a list of 2 arrays.*one input"):
        model.fit([X, X[:, :2]], Y, verbose=0)


def test_ragged_nested_lists_say_so_in_our_words():
    model = _model(nn)
    model.compile("sgd", "mse")
    with pytest.raises(ValueError, match="different lengths") as err:
        model.fit([[1.0, 2.0, 3.0], [1.0, 2.0]], [1.0, 2.0], verbose=0)
    assert "inhomogeneous" not in str(err.value)


def test_an_int_shape_is_a_value_error_as_in_keras():
    with pytest.raises(ValueError, match="Cannot convert '4' to a shape"):
        nn.Sequential([nn.Input(shape=4), layers.Dense(1)])
