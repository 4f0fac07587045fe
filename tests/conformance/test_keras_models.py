"""Keras' models against Keras 3: signatures, the functional and subclassed models' outputs and
gradients for the same weights in both modes, and ``fit(class_weight=...)``'s losses."""

import numpy as np
import pytest

import autograd as ag
import nn
from tests.conformance.borrowed import keras, signature_differences
from tests.conformance.keras_models import ENTRIES

RNG = np.random.default_rng(11)
X = RNG.normal(size=(12, 3)).astype(np.float32)


@pytest.mark.parametrize("entry", ENTRIES, ids=str)
def test_signature_is_keras(entry):
    if not entry.signature:
        assert isinstance(entry.our_object(), property) and isinstance(entry.their_object(),
                                                                       property)
        return
    ignore = ("seed",) if entry.ours in ("nn.Sequential", "nn.models.Sequential") else ()
    assert signature_differences(entry.our_object(), entry.their_object(), ignore) == []


@pytest.mark.parametrize("arguments", [dict(shape=(3,)), dict(shape=(4, 2), batch_size=8),
                                       dict(batch_shape=(None, 7)),
                                       dict(shape=(2,), dtype="float64", name="x")])
def test_input_has_keras_shape_and_dtype(arguments):
    k = keras()
    theirs, ours = k.Input(**arguments), nn.Input(**arguments)
    assert ours.shape == tuple(theirs.shape) and ours.dtype == theirs.dtype


def _functional(lib):
    inputs = lib.Input(shape=(3,))
    x = lib.layers.Dense(8, activation="relu")(inputs)
    x = lib.layers.BatchNormalization()(x)
    outputs = lib.layers.Dense(2, activation="tanh")(x)
    return lib.Model(inputs, outputs)


def _functional_conv(lib):
    inputs = lib.Input(shape=(6, 6, 1))
    x = lib.layers.Conv2D(3, 3, activation="relu")(inputs)
    x = lib.layers.MaxPooling2D(2)(x)
    x = lib.layers.Flatten()(x)
    outputs = lib.layers.Dense(2, activation="tanh")(x)
    return lib.Model(inputs, outputs)


def _subclassed(lib):
    class Net(lib.Model):
        def __init__(self):
            super().__init__()
            self.hidden = lib.layers.Dense(8, activation="relu")
            self.norm = lib.layers.BatchNormalization()
            self.out = lib.layers.Dense(2, activation="tanh")

        def call(self, inputs, training=False):
            return self.out(self.norm(self.hidden(inputs), training=training))

    model = Net()
    model(X[:2])  # builds the layers, in inference mode, as Keras users do
    return model


def _keras_gradients(k, model, x, training):
    import jax
    import jax.numpy as jnp

    trainable = [v.value for v in model.trainable_variables]
    frozen = [v.value for v in model.non_trainable_variables]

    def total(weights):
        out, _ = model.stateless_call(weights, frozen, x, training=training)
        return jnp.sum(out * jnp.arange(1.0, 3.0))

    return [np.asarray(g) for g in jax.grad(total)(trainable)]


IMAGES = RNG.normal(size=(4, 6, 6, 1)).astype(np.float32)
MODELS = {"functional": (_functional, X), "subclassed": (_subclassed, X),
          "functional_conv": (_functional_conv, IMAGES)}


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("training", [False, True])
def test_outputs_and_gradients_equal_keras_for_the_same_weights(name, training):
    k = keras()
    make, X = MODELS[name]
    theirs = make(k)
    ours = make(nn)
    weights = theirs.get_weights()
    weights = [w + RNG.normal(size=w.shape).astype(np.float32) * 0.1 for w in weights]
    if name != "functional_conv":
        weights[-3] = np.abs(weights[-3]) + 0.5  # BatchNormalization's moving variance
    theirs.set_weights(weights)
    ours.set_weights(weights)
    expected = np.asarray(theirs(X, training=training))
    x = ag.tensor(X)
    out = ours(x, training=training)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5, atol=1e-6)
    (out * ag.tensor(np.array([1.0, 2.0], np.float32))).sum().backward()
    ours_grads = [w.grad.numpy() for w in ours.trainable_weights]
    for mine, their in zip(ours_grads, _keras_gradients(k, theirs, X, training)):
        np.testing.assert_allclose(mine, their, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(ours.predict(X, verbose=0),
                               np.asarray(theirs.predict(X, verbose=0)), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("targets", ["labels", "one_hot"])
def test_class_weight_gives_keras_losses(targets):
    k = keras()
    x = RNG.normal(size=(20, 2)).astype(np.float32)
    labels = (x[:, 0] + 0.3 * x[:, 1] > 0.4).astype(np.float32)[:, None]
    if targets == "labels":
        y, units, activation, loss = labels, 1, "sigmoid", "binary_crossentropy"
    else:
        y = np.eye(2, dtype=np.float32)[labels[:, 0].astype(int)]
        units, activation, loss = 2, "softmax", "categorical_crossentropy"
    histories, finals = [], []
    for lib in (k, nn):
        model = lib.Sequential([lib.Input(shape=(2,)),
                                lib.layers.Dense(units, activation=activation)])
        if lib is k:
            start = model.get_weights()
        model.set_weights(start)
        model.compile(optimizer=lib.optimizers.SGD(0.5), loss=loss)
        history = model.fit(x, y, batch_size=len(x), epochs=6, shuffle=False, verbose=0,
                            class_weight={0: 1.0, 1: 5.0}, validation_split=0.25)
        histories.append(history.history["loss"] + history.history["val_loss"])
        finals.append(model.get_weights())
    np.testing.assert_allclose(histories[1], histories[0], rtol=1e-5)
    for mine, their in zip(finals[1], finals[0]):
        np.testing.assert_allclose(mine, their, rtol=1e-5, atol=1e-6)


def test_models_module_holds_the_top_level_objects_as_keras():
    k = keras()
    for name in ("Model", "Sequential"):
        assert (getattr(k.models, name) is getattr(k, name)) and (
            getattr(nn.models, name) is getattr(nn, name))
    assert k.models.load_model is k.saving.load_model and nn.models.load_model is nn.load_model


@pytest.mark.parametrize("kind", ["sequential", "functional"])
def test_clone_model_is_keras(kind):
    """Same layer names, classes and shapes; new layers with fresh weights; compiled again with
    a new optimizer of the same class and settings, as Keras 3's clone_model."""
    k = keras()
    clones = []
    for lib in (k, nn):
        if kind == "sequential":
            model = lib.Sequential([lib.Input(shape=(3,)), lib.layers.Dense(4, name="hidden"),
                                    lib.layers.Dense(2, name="out")], name="net")
        else:
            inputs = lib.Input(shape=(3,))
            outputs = lib.layers.Dense(2, name="out")(lib.layers.Dense(4, name="hidden")(inputs))
            model = lib.Model(inputs, outputs, name="net")
        model.compile(optimizer=lib.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
        clone = lib.models.clone_model(model)
        assert clone is not model and clone.optimizer is not model.optimizer
        assert all(a is not b for a, b in zip(clone.layers, model.layers))
        assert not any(np.array_equal(a, b) for a, b in
                       zip(clone.get_weights(), model.get_weights()) if a.any())
        clone.fit(X, X[:, :2], epochs=1, verbose=0)
        clones.append((clone.name, [layer.name for layer in clone.layers if "input" not in
                                    layer.name and "keras_tensor" not in layer.name],
                       [w.shape for w in clone.get_weights()], type(clone.optimizer).__name__,
                       float(np.float32(clone.optimizer.learning_rate))))
    assert clones[1] == clones[0]


def test_clone_model_refuses_a_subclassed_model():
    model = _subclassed(nn)
    with pytest.raises(TypeError, match="subclassed"):
        nn.models.clone_model(model)


def test_a_saved_sequential_model_keeps_its_layer_names_as_keras(tmp_path):
    model = nn.Sequential([nn.Input(shape=(3,)), nn.layers.Dense(2, name="hidden"),
                           nn.Linear(2, 1)])
    model.save(tmp_path / "model")
    loaded = nn.models.load_model(tmp_path / "model")
    assert loaded.layers[0].name == "hidden" and isinstance(loaded.layers[1], nn.Linear)


def _compiled(lib, metrics, weighted_metrics=None):
    model = lib.Sequential([lib.Input(shape=(3,)), lib.layers.Dense(2)])
    model.set_weights([np.full((3, 2), 0.1, np.float32), np.zeros(2, np.float32)])
    if metrics != "uncompiled":
        model.compile(optimizer="sgd", loss="mse", metrics=metrics,
                      weighted_metrics=weighted_metrics)
    return model


@pytest.mark.parametrize("metrics, weighted", [("uncompiled", None), (None, None), ([], None),
                                               (None, []), (["mae"], None), (None, ["mse"]),
                                               (["mae", "accuracy"], ["mse"])])
def test_metrics_names_and_reset_metrics_are_keras(metrics, weighted):
    k = keras()
    y = np.abs(X[:, :2])
    results = []
    for lib in (k, nn):
        model = _compiled(lib, metrics, weighted)
        names = [model.metrics_names]
        if metrics != "uncompiled":
            model.fit(X, y, epochs=1, batch_size=4, shuffle=False, verbose=0)
            names.append(model.metrics_names)
            model.reset_metrics()
            after = (model.get_metrics_result() if lib is k
                     else {m.name: m.result() for m in model.metrics})
            names.append(sorted((name, float(value)) for name, value in after.items()
                                if name != "loss"))
        results.append(names)
    assert results[1] == results[0]


@pytest.mark.parametrize("arguments", [dict(shape=(3,)), dict(shape=(4, 2), batch_size=8),
                                       dict(batch_shape=(None, 3), dtype="float64", name="x")])
def test_input_layer_is_keras(arguments):
    k = keras()
    results = []
    for lib in (k, nn):
        layer = lib.layers.InputLayer(**arguments)
        config = layer.get_config()
        model = lib.Sequential([lib.layers.InputLayer(**arguments), lib.layers.Flatten(),
                                lib.layers.Dense(2)])
        results.append((tuple(layer.batch_shape), layer.dtype, tuple(layer.output.shape),
                        sorted(config), tuple(config["batch_shape"]), len(model.layers),
                        tuple(model.output_shape)))
    assert results[1] == results[0]


def test_input_layer_refuses_what_it_cannot_do():
    with pytest.raises(ValueError, match="sparse"):
        nn.layers.InputLayer(shape=(3,), sparse=True)
    with pytest.raises(ValueError, match="input_tensor"):
        nn.layers.InputLayer(shape=(3,), input_tensor=np.ones((1, 3)))


def _doubled(x):
    return x * 2.0


@pytest.mark.parametrize("form", ["lambda", "named"])
def test_a_lambda_layer_saves_and_loads_as_keras(tmp_path, form):
    """A lambda is refused at loading (Keras: in safe mode) with a ValueError; a named function
    is a TypeError without custom_objects and loads with them, in both libraries."""
    k = keras()
    function = (lambda x: x * 2.0) if form == "lambda" else _doubled
    for lib, path in ((k, tmp_path / "model.keras"), (nn, tmp_path / "model.npz")):
        model = lib.Sequential([lib.Input(shape=(3,)), lib.layers.Dense(2),
                                lib.layers.Lambda(function)])
        model.save(path)
        if form == "lambda":
            with pytest.raises(ValueError, match="Python lambda"):
                lib.models.load_model(path)
            continue
        with pytest.raises(TypeError):
            lib.models.load_model(path)
        loaded = lib.models.load_model(path, custom_objects={"_doubled": _doubled})
        np.testing.assert_allclose(loaded.predict(X, verbose=0), model.predict(X, verbose=0))


@pytest.mark.parametrize("form", ["lambda", "named"])
def test_clone_model_with_a_lambda_layer_fails_as_keras(form):
    k = keras()
    function = (lambda x: x * 2.0) if form == "lambda" else _doubled
    expected = ValueError if form == "lambda" else TypeError
    for lib in (k, nn):
        model = lib.Sequential([lib.Input(shape=(3,)), lib.layers.Lambda(function)])
        with pytest.raises(expected):
            lib.models.clone_model(model)
