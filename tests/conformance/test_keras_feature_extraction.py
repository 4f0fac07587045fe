"""Keras' graph attributes of a model whose input shape is known: ``inputs``, ``outputs``,
``input_shape``, ``output_shape`` and each layer's ``input``/``output``, so that the feature
extractor ``Model(inputs=m.inputs, outputs=m.layers[i].output)`` works as in Keras 3."""

import numpy as np
import pytest

import nn
from tests.conformance.borrowed import keras

X = np.random.default_rng(2).normal(size=(5, 3)).astype(np.float32)


def _with_input(lib):
    return lib.Sequential([lib.Input(shape=(3,)), lib.layers.Dense(4, activation="relu"),
                           lib.layers.Dense(1)])


def _built(lib):
    model = lib.Sequential([lib.layers.Dense(4, activation="relu"), lib.layers.Dense(1)])
    model.build((None, 3))
    return model


@pytest.mark.parametrize("make", [_with_input, _built], ids=lambda f: f.__name__)
def test_sequential_graph_attributes_and_feature_extractor_are_keras(make):
    k = keras()
    theirs, ours = make(k), make(nn)
    ours.set_weights(theirs.get_weights())
    assert ours.input_shape == tuple(theirs.input_shape) == (None, 3)
    assert ours.output_shape == tuple(theirs.output_shape) == (None, 1)
    assert [t.shape for t in ours.inputs] == [tuple(t.shape) for t in theirs.inputs]
    assert [t.shape for t in ours.outputs] == [tuple(t.shape) for t in theirs.outputs]
    assert ours.layers[0].output.shape == tuple(theirs.layers[0].output.shape) == (None, 4)
    extractors = [lib.Model(inputs=m.inputs, outputs=m.layers[0].output)
                  for lib, m in ((k, theirs), (nn, ours))]
    assert [type(layer).__name__ for layer in extractors[1].layers] == \
        [type(layer).__name__ for layer in extractors[0].layers]
    np.testing.assert_allclose(extractors[1].predict(X, verbose=0),
                               np.asarray(extractors[0].predict(X, verbose=0)),
                               rtol=1e-5, atol=1e-6)


def test_an_unbuilt_sequential_has_no_graph_as_in_keras():
    for lib in (keras(), nn):
        model = lib.Sequential([lib.layers.Dense(2)])
        for name in ("inputs", "input_shape", "output_shape"):
            with pytest.raises(AttributeError, match="no defined"):
                getattr(model, name)


def test_functional_input_and_output_shapes_are_keras():
    k = keras()
    shapes = []
    for lib in (k, nn):
        inputs = lib.Input(shape=(3,))
        model = lib.Model(inputs, lib.layers.Dense(2)(inputs))
        shapes.append((tuple(model.input_shape), tuple(model.output_shape)))
    assert shapes[1] == shapes[0] == ((None, 3), (None, 2))
