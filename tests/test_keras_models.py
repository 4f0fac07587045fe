"""Keras' models: training and inference modes, Input, the functional API, subclassing."""

import numpy as np
import pytest

import autograd as ag
import nn
import nn as keras
from nn import layers
from nn.training_mode import resolve_training

X = np.random.default_rng(0).normal(size=(16, 3)).astype(np.float32)
Y = X.sum(axis=1, keepdims=True)


def squared_error(y_true, y_pred):
    return ((y_pred - y_true) ** 2).mean()


class Probe(layers.Layer):
    """A Keras layer that records the mode each of its calls ran in."""

    def __init__(self):
        super().__init__()
        self.seen = []

    def forward(self, x, training=None):
        self.seen.append(resolve_training(training))
        return x

    def compute_output_shape(self, input_shape):
        return input_shape


class TorchProbe(nn.Module):
    """A PyTorch module that records its train()/eval() flag at each call."""

    def __init__(self):
        super().__init__()
        self.seen = []

    def forward(self, x):
        self.seen.append(self.training)
        return x


def probed_model():
    probe = Probe()
    model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(4), probe, layers.Dense(1)])
    # Eager steps: the probes record Python side effects, which a captured step (jit_compile,
    # Keras' "auto") runs only while recording, as under Keras' own jit.
    model.compile(optimizer="sgd", loss=squared_error, run_eagerly=True)
    return model, probe


def test_each_entry_point_runs_in_keras_mode():
    model, probe = probed_model()
    inside = []
    spy = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: inside.append(model(X[:2]).shape))
    model.fit(X, Y, epochs=2, batch_size=8, verbose=0, callbacks=[spy])
    assert probe.seen == [True, True, False] * 2  # two steps, then the callback infers
    for call, expected in [(lambda: model(X), False), (lambda: model(X, training=True), True),
                           (lambda: model(X, training=False), False),
                           (lambda: model.predict(X, verbose=0), False),
                           (lambda: model.evaluate(X, Y, verbose=0), False),
                           (lambda: model.train_on_batch(X, Y), True),
                           (lambda: model.test_on_batch(X, Y), False),
                           (lambda: model.predict_on_batch(X), False)]:
        probe.seen.clear()
        call()
        assert probe.seen == [expected]


def test_after_fit_dropout_and_batch_norm_infer():
    model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(8),
                              layers.BatchNormalization(), layers.Dropout(0.5), layers.Dense(1)])
    model.compile(optimizer="sgd", loss=squared_error)
    model.fit(X, Y, epochs=1, batch_size=8, verbose=0)
    moving = [b.numpy().copy() for b in model.buffers()]
    first, again = model(X).numpy(), model(X).numpy()
    np.testing.assert_array_equal(first, again)
    np.testing.assert_array_equal(first, model(X, training=False).numpy())
    np.testing.assert_array_equal(first, model.predict(X, verbose=0))
    for before, buffer in zip(moving, model.buffers()):
        np.testing.assert_array_equal(before, buffer.numpy())
    assert not np.allclose(model(X, training=True).numpy(), first)
    assert any(not np.array_equal(b, buffer.numpy())
               for b, buffer in zip(moving, model.buffers()))


def test_pytorch_modules_follow_their_flag_and_fit_restores_it():
    probe = TorchProbe()
    model = keras.Sequential(nn.Linear(3, 4), probe, nn.Linear(4, 1))
    model.compile(optimizer="sgd", loss=squared_error)
    model.eval()
    model.fit(X, Y, epochs=1, batch_size=16, verbose=0)
    assert probe.seen == [True]                     # fit trains in train() mode...
    assert not any(m.training for m in model.modules())  # ...and puts eval() back
    model.train()
    probe.seen.clear()
    model.predict(X, verbose=0)
    model.evaluate(X, Y, verbose=0)
    assert probe.seen == [False, False]
    assert all(m.training for m in model.modules())
    probe.seen.clear()
    model(X, training=False)  # a PyTorch module reads its own flag, not Keras' training=
    assert probe.seen == [True]


def test_a_failing_fit_still_restores_the_flags():
    model = keras.Sequential(nn.Linear(3, 1))
    model.compile(optimizer="sgd", loss=squared_error)
    model.eval()
    with pytest.raises(ValueError):
        model.fit(X, Y[:3], epochs=1, verbose=0)
    stop = keras.callbacks.LambdaCallback(on_train_batch_end=lambda b, logs: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        model.fit(X, Y, epochs=1, verbose=0, callbacks=[stop])
    assert not any(m.training for m in model.modules())


class Subclassed(keras.Model):
    def __init__(self, default_training=False):
        super().__init__(name="subclassed")
        self.hidden = layers.Dense(8, activation="relu")
        self.probe = Probe()
        self.out = layers.Dense(1)
        self.calls = []

    def call(self, inputs, training=False):
        self.calls.append(training)
        return self.out(self.probe(self.hidden(inputs)))


def test_subclassed_model_receives_training_as_keras_passes_it():
    model = Subclassed()
    model(X)
    model(X, training=True)
    assert model.calls == [False, True] and model.probe.seen == [False, True]
    model.compile(optimizer="adam", loss=squared_error)
    model.calls.clear()
    model.fit(X, Y, epochs=1, batch_size=16, verbose=0)
    model.predict(X, verbose=0)
    assert model.calls == [True, False]
    assert [name for name, _ in model.named_parameters()] == [
        "hidden.kernel", "hidden.bias", "out.kernel", "out.bias"]


def test_a_model_without_call_or_forward_says_what_to_write():
    class Empty(keras.Model):
        pass

    with pytest.raises(NotImplementedError, match="must define call"):
        Empty()(X)
    with pytest.raises(TypeError, match="name=, trainable= and seed="):
        keras.Model(layers.Dense(1))
    with pytest.raises(ValueError, match="trainable=False"):
        Subclassed.__bases__[0](trainable=False)

    class FunctionalSubclass(keras.Model):
        def __init__(self):
            inputs = keras.Input(shape=(3,))
            super().__init__(inputs, layers.Dense(1)(inputs))

    with pytest.raises(TypeError, match="a subclass cannot pass inputs and outputs"):
        FunctionalSubclass()


def test_functional_model_as_keras_users_write_it(tmp_path):
    inputs = keras.Input(shape=(3,))
    x = layers.Dense(16, activation="relu")(inputs)
    x = layers.Dropout(0.5)(x)  # Keras' Dropout(rate), saved and loaded as such
    outputs = layers.Dense(1)(x)
    model = keras.Model(inputs, outputs)
    assert isinstance(model, keras.Model)
    assert [type(layer).__name__ for layer in model.layers] == [
        "InputLayer", "Dense", "Dropout", "Dense"]
    model.compile(optimizer="adam", loss=squared_error)
    history = model.fit(X, Y, epochs=3, batch_size=8, verbose=0)
    assert len(history.history["loss"]) == 3
    lines = []
    model.summary(print_fn=lines.append)
    assert "(None, 16)" in lines[0] and "Total params: 81" in lines[0]
    model.save(tmp_path / "functional.npz")
    # As in Keras, a custom loss function is found again through custom_objects.
    loaded = keras.load_model(tmp_path / "functional.npz",
                              custom_objects={"squared_error": squared_error})
    np.testing.assert_array_equal(loaded.predict(X, verbose=0), model.predict(X, verbose=0))
    assert model.input is inputs and model.output is outputs and model.inputs == [inputs]
    same = keras.Model(inputs=inputs, outputs=outputs)
    np.testing.assert_array_equal(same.predict(X, verbose=0), model.predict(X, verbose=0))


def test_functional_models_nest_share_layers_and_fork():
    inputs = keras.Input(shape=(3,), name="features")
    shared = layers.Dense(4)
    head_a = layers.Dense(1, name="a")(shared(inputs))
    head_b = layers.Dense(2, name="b")(shared(inputs))
    model = keras.Model(inputs=inputs, outputs=[head_a, head_b])
    a, b = model(X)
    assert a.shape == (16, 1) and b.shape == (16, 2)
    predicted = model.predict(X, batch_size=5, verbose=0)
    assert [p.shape for p in predicted] == [(16, 1), (16, 2)]
    np.testing.assert_allclose(predicted[1], b.numpy(), rtol=1e-6)
    model.compile(optimizer="sgd", loss=squared_error)
    with pytest.raises(ValueError, match="1 inputs and 2 outputs"):
        model.fit(X, Y, verbose=0)
    assert [layer.name for layer in model.layers].count(shared.name) == 1
    block = keras.Sequential([layers.Dense(5), layers.Dense(2)])
    outer = keras.Model(inputs, block(inputs))
    assert outer(X).shape == (16, 2) and outer.outputs[0].shape == (None, 2)
    with pytest.raises(ValueError, match="not among the model's inputs"):
        keras.Model(keras.Input(shape=(3,)), head_a)
    with pytest.raises(TypeError, match="KerasTensor"):
        keras.Model(X, head_a)


def test_input_first_in_sequential_builds_every_layer(tmp_path):
    model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(2), layers.Dropout(0.5),
                              layers.Dense(1)])
    assert len(model.layers) == 3 and all(layer.built for layer in model.layers)
    assert len(model.get_weights()) == 4 and model.get_weights()[0].shape == (3, 2)
    model.compile(optimizer="sgd", loss=squared_error)
    model.save(tmp_path / "seq.npz")
    loaded = keras.load_model(tmp_path / "seq.npz", custom_objects={"squared_error": squared_error})
    np.testing.assert_array_equal(loaded.predict(X, verbose=0), model.predict(X, verbose=0))
    with pytest.raises(FileExistsError, match="overwrite=False"):
        model.save(tmp_path / "seq.npz", overwrite=False)
    model.save_weights(tmp_path / "weights.npz")
    loaded.load_weights(tmp_path / "weights.npz")
    with pytest.raises(ValueError, match="skip_mismatch=True"):
        loaded.load_weights(tmp_path / "weights.npz", skip_mismatch=True)
    with pytest.raises(ValueError, match="first entry"):
        keras.Sequential([layers.Dense(2), keras.Input(shape=(3,))])


def test_input_checks_its_arguments():
    assert keras.Input(shape=(2,), batch_size=4).shape == (4, 2)
    assert keras.Input(batch_shape=(None, 5, 3)).shape == (None, 5, 3)
    assert keras.Input(shape=(2,), dtype="float64").dtype == "float64"
    with pytest.raises(ValueError, match="sparse=True is not supported"):
        keras.Input(shape=(2,), sparse=True)
    with pytest.raises(ValueError, match="not both"):
        keras.Input(shape=(2,), batch_shape=(None, 2))
    with pytest.raises(ValueError, match="needs shape="):
        keras.Input()
    with pytest.raises(ValueError, match="expected ndim=4"):
        layers.Conv2D(2, 3)(keras.Input(shape=(4,)))


def test_fit_options_that_are_not_supported_are_refused():
    model, _ = probed_model()
    with pytest.raises(ValueError, match="steps_per_epoch=2 is not supported"):
        model.fit(X, Y, steps_per_epoch=2, verbose=0)
    with pytest.raises(ValueError, match="class_weight and sample_weight"):
        model.fit(X, Y, class_weight={0: 1.0}, sample_weight=np.ones(16), verbose=0)
    with pytest.raises(ValueError, match="steps=2 is not supported"):
        model.predict(X, steps=2)
    with pytest.raises(ValueError, match="show_trainable=True is not supported"):
        model.summary(show_trainable=True)


def test_validation_freq_and_batch_size():
    model, _ = probed_model()
    history = model.fit(X, Y, epochs=4, verbose=0, validation_data=(X, Y), validation_freq=2,
                        validation_batch_size=5)
    assert len(history.history["val_loss"]) == 2
    history = model.fit(X, Y, epochs=3, verbose=0, validation_data=(X, Y),
                        validation_freq=[1, 3])
    assert len(history.history["val_loss"]) == 2


def test_class_weight_becomes_sample_weight_as_in_keras():
    from nn.training.weighting import class_weight_to_sample_weights as weights

    np.testing.assert_array_equal(weights(np.array([0, 1, 2]), {0: 1.0, 1: 5.0}), [1, 5, 1])
    np.testing.assert_array_equal(weights(np.array([[0.2], [0.9]]), {1: 3.0}), [1, 3])
    np.testing.assert_array_equal(weights(np.eye(3)[[2, 0]], {2: 4.0}), [4, 1])
    with pytest.raises(TypeError, match="dict from class index"):
        weights([0, 1], [1.0, 2.0])


def test_model_call_of_a_tensor_keeps_the_graph():
    model = Subclassed()
    x = ag.tensor(X, requires_grad=True)
    model(x).sum().backward()
    assert x.grad is not None and x.grad.shape == X.shape


def test_sequential_of_pytorch_modules_after_input_knows_its_shapes():
    model = keras.Sequential([keras.Input(shape=(4,)), nn.Linear(4, 3), nn.ReLU(),
                              layers.Dense(2)])
    lines = []
    model.summary(print_fn=lines.append)
    assert "(None, 3)" in lines[0] and "(None, 2)" in lines[0]
    assert model.layers[2].built  # the Dense after them was built from the probed shape


def test_validation_split_with_sample_weights_splits_them_too():
    model, _ = probed_model()
    weights = np.arange(1, 17, dtype=np.float32)
    history = model.fit(X, Y, epochs=1, verbose=0, sample_weight=weights, validation_split=0.25,
                        shuffle=False)
    expected = model.evaluate(X[12:], Y[12:], sample_weight=weights[12:], verbose=0)
    assert history.history["val_loss"][0] == pytest.approx(expected, rel=1e-6)
