"""A saved model comes back compiled as it was, as in Keras 3: loss and metric objects (by
class and config), functions by name (custom ones through ``custom_objects``), custom layers
through ``custom_objects``, and the optimizer's state; what cannot be found is a TypeError."""

import numpy as np
import pytest

import autograd as ag
import nn
from nn import layers, losses, metrics
from tests.conformance.borrowed import keras

RNG = np.random.default_rng(5)
X = RNG.normal(size=(20, 4)).astype(np.float32)
Y = RNG.integers(0, 3, size=20)


def _model(lib):
    return lib.Sequential([lib.Input(shape=(4,)), lib.layers.Dense(3)])


def _load(lib, path, **kwargs):
    return (lib.saving.load_model if lib is not nn else nn.load_model)(path, **kwargs)


def _reloaded_results(lib, tmp_path, compile_arguments):
    """evaluate's dict before and after a save and load, and the optimizer's iterations."""
    model = _model(lib)
    model.compile(**compile_arguments(lib))
    model.fit(X, Y, epochs=2, batch_size=20, verbose=0)
    path = str(tmp_path / ("m.keras" if lib is not nn else "m.npz"))
    model.save(path)
    loaded = _load(lib, path)
    return (model.evaluate(X, Y, verbose=0, return_dict=True),
            loaded.evaluate(X, Y, verbose=0, return_dict=True), int(loaded.optimizer.iterations))


def _objects(lib):
    return dict(optimizer=lib.optimizers.Adam(0.01),
                loss=lib.losses.SparseCategoricalCrossentropy(from_logits=True),
                metrics=[lib.metrics.SparseCategoricalAccuracy(name="acc")])


def _names_and_object(lib):
    return dict(optimizer="adam", loss="sparse_categorical_crossentropy",
                metrics=["accuracy", lib.metrics.SparseTopKCategoricalAccuracy(k=2, name="top2")])


@pytest.mark.parametrize("arguments", [_objects, _names_and_object], ids=lambda f: f.__name__)
def test_a_reloaded_model_evaluates_as_before_with_every_metric(tmp_path, arguments):
    before, after, iterations = _reloaded_results(nn, tmp_path, arguments)
    assert after == pytest.approx(before, rel=1e-12) and iterations == 2
    k = keras()
    their_before, their_after, their_iterations = _reloaded_results(k, tmp_path, arguments)
    assert sorted(after) == sorted(their_after) == sorted(their_before)
    assert iterations == their_iterations


def test_torch_loss_modules_and_wrapped_functions_come_back(tmp_path):
    model = _model(nn)
    wrapper = metrics.MeanMetricWrapper(losses.sparse_categorical_crossentropy, name="ce",
                                        from_logits=True)
    model.compile("sgd", nn.CrossEntropyLoss(label_smoothing=0.1),
                  metrics=[losses.sparse_categorical_crossentropy, wrapper],
                  weighted_metrics=["accuracy"])
    model.fit(X, Y, verbose=0)
    model.save(tmp_path / "m.npz")
    loaded = nn.load_model(tmp_path / "m.npz")
    assert loaded.loss.module.label_smoothing == 0.1
    w = np.linspace(0.1, 1.0, len(X))
    assert loaded.evaluate(X, Y, sample_weight=w, return_dict=True, verbose=0) == \
        pytest.approx(model.evaluate(X, Y, sample_weight=w, return_dict=True, verbose=0))


def my_loss(y_true, y_pred):
    """A custom loss function: the squared distance of the first column from the label."""
    return (y_pred[:, 0] - y_true) ** 2


def test_a_custom_function_needs_custom_objects_as_in_keras(tmp_path):
    model = _model(nn)
    model.compile("adam", my_loss)
    model.fit(X, Y.astype(np.float32), verbose=0)
    model.save(tmp_path / "m.npz")
    with pytest.raises(TypeError, match=r"my_loss.*custom_objects"):
        nn.load_model(tmp_path / "m.npz")
    loaded = nn.load_model(tmp_path / "m.npz", custom_objects={"my_loss": my_loss})
    assert loaded.loss.fn is my_loss
    assert loaded.evaluate(X, Y.astype(np.float32), verbose=0) == \
        pytest.approx(model.evaluate(X, Y.astype(np.float32), verbose=0))
    uncompiled = nn.load_model(tmp_path / "m.npz", compile=False)
    assert uncompiled.optimizer is None and uncompiled.loss is None
    k = keras()
    theirs = _model(k)
    theirs.compile("adam", my_loss)
    theirs.save(tmp_path / "k.keras")
    with pytest.raises(TypeError, match="my_loss"):
        k.saving.load_model(tmp_path / "k.keras")


def test_a_lambda_loss_is_reported_when_loading(tmp_path):
    model = _model(nn)
    model.compile("adam", lambda y_true, y_pred: (y_pred[:, 0] - y_true) ** 2)
    model.save(tmp_path / "m.npz")
    with pytest.raises(TypeError, match="compile=False"):
        nn.load_model(tmp_path / "m.npz")
    assert nn.load_model(tmp_path / "m.npz", compile=False).optimizer is None


class Scale(layers.Layer):
    """A custom layer with a setting of its own."""

    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, inputs):
        return inputs * self.factor

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


@pytest.mark.parametrize("kind", ["sequential", "functional"])
def test_a_custom_layer_loads_with_custom_objects(tmp_path, kind):
    if kind == "sequential":
        model = nn.Sequential([nn.Input(shape=(3,)), layers.Dense(2), Scale(3.0)])
    else:
        inputs = nn.Input(shape=(3,))
        model = nn.Model(inputs, Scale(3.0)(layers.Dense(2)(inputs)))
    model.save(tmp_path / "m.npz")
    with pytest.raises(TypeError, match=r"Scale.*custom_objects"):
        nn.load_model(tmp_path / "m.npz")
    loaded = nn.load_model(tmp_path / "m.npz", custom_objects={"Scale": Scale})
    assert [type(layer) for layer in loaded.layers][-1] is Scale
    assert loaded.layers[-1].factor == 3.0
    x = ag.tensor(np.ones((2, 3), np.float32))
    np.testing.assert_array_equal(loaded(x).numpy(), model(x).numpy())


def _plain_scale(lib):
    class PlainScale(lib.layers.Layer):
        """A custom layer that writes only call and get_config, as Keras users often do."""

        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, inputs):
            return inputs[:, :2] * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    return PlainScale


def test_a_custom_layer_with_only_call_works_in_a_functional_model_as_in_keras(tmp_path):
    k = keras()
    x = RNG.normal(size=(4, 3)).astype(np.float32)
    models = []
    for lib in (k, nn):
        inputs = lib.Input(shape=(3,))
        outputs = _plain_scale(lib)(3.0)(lib.layers.Dense(3)(inputs))
        models.append(lib.Model(inputs, outputs))
        assert tuple(outputs.shape) == (None, 2)
    theirs, ours = models
    ours.set_weights(theirs.get_weights())
    np.testing.assert_allclose(ours.predict(x, verbose=0), theirs.predict(x, verbose=0),
                               rtol=1e-5, atol=1e-6)
    ours.save(tmp_path / "m.npz")
    loaded = nn.load_model(tmp_path / "m.npz",
                           custom_objects={"PlainScale": type(ours.layers[-1])})
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), ours.predict(x, verbose=0))
