"""A saved architecture remembers which face each layer came from: ``nn.Dropout`` (PyTorch's)
and ``nn.layers.Dropout`` (Keras') share a class name and load back as themselves."""

import numpy as np
import pytest

import autograd as ag
import nn


def _model(kind):
    layers = [nn.layers.Dense(4, input_shape=[3]), nn.Dropout(0.5), nn.ReLU(),
              nn.layers.Dropout(0.2), nn.layers.ReLU(), nn.layers.Dense(1)]
    if kind == "sequential":
        return nn.Sequential(layers)
    inputs = nn.Input(shape=(3,))
    x = inputs
    for layer in layers[:1] + layers[3:]:
        x = layer(x)
    return nn.Model(inputs, x)


@pytest.mark.parametrize("kind", ["sequential", "functional"])
def test_each_layer_loads_back_as_the_class_it_was(tmp_path, kind):
    model = _model(kind)
    model.compile(loss="mse", optimizer="adam")
    path = tmp_path / "model.npz"
    model.save(path)
    loaded = nn.load_model(path)
    assert [type(layer) for layer in loaded.layers] == [type(layer) for layer in model.layers]
    x = np.linspace(-1, 1, 6, dtype=np.float32).reshape(2, 3)
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))


def test_a_record_without_a_namespace_means_keras_where_both_have_the_name():
    from nn.saving.config import layer_class

    assert layer_class({"class_name": "Dropout"}) is nn.layers.Dropout
    assert layer_class({"class_name": "Dropout", "module": "nn"}) is nn.Dropout
    assert layer_class({"class_name": "GELU"}) is nn.GELU
    with pytest.raises(ValueError, match="namespace"):
        layer_class({"class_name": "Dropout", "module": "os"})
    with pytest.raises(ValueError, match="unknown layer class"):
        layer_class({"class_name": "Tensor", "module": "nn"})
    assert ag.Tensor is not None
