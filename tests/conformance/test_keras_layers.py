"""``nn.layers`` against ``keras.layers`` (Keras 3 on JAX): signatures, outputs, gradients.

For each case of ``CASES``, our layer is built in float64 with random weights, which are copied
into the Keras layer with ``set_weights``; both then run on the same input in training and in
inference. Outputs, the gradients of a weighted sum of the outputs (with respect to the input
and every trainable weight; Keras' through ``jax.grad`` of ``stateless_call``), and
BatchNormalization's moving statistics after the call are compared in float64 (JAX's x64 mode,
with Keras' floatx float64 too: Keras promotes a float64 tensor with a Python float, such as an
epsilon, to floatx, so under float32 it would round its own float64 work to float32).
"""

import contextlib

import numpy as np
import pytest

import autograd as ag
from nn import layers
from tests.conformance.borrowed import keras, signature_differences
from tests.conformance.keras_layers import CASES, ENTRIES, FLOAT32_INSIDE

RTOL, ATOL = 1e-9, 1e-12


@pytest.mark.parametrize("entry", ENTRIES, ids=str)
def test_signature_is_keras(entry):
    assert signature_differences(entry.our_object(), entry.their_object()) == []


def test_every_public_name_has_an_entry_and_a_case():
    assert sorted(e.ours.rsplit(".", 1)[1] for e in ENTRIES) == sorted(layers.__all__)
    random_layers = {"Dropout", "SpatialDropout2D", "GaussianNoise", "GaussianDropout"}
    # Input and InputLayer compute nothing: test_keras_models checks their shapes and configs.
    untested = (set(layers.__all__) - set(CASES) - random_layers
                - {"Layer", "Input", "InputLayer"})
    assert not untested, f"no numerical case for {sorted(untested)}"


def test_input_is_the_models_input_as_in_keras():
    import nn

    k = keras()
    assert layers.Input is nn.Input and k.layers.Input is k.Input
    assert layers.Input(shape=(3,)).shape == k.layers.Input(shape=(3,)).shape == (None, 3)


def _shown(arguments):
    """The arguments for a test id: functions by name (their repr holds an address)."""
    return {key: getattr(value, "__name__", value) if callable(value) else value
            for key, value in arguments.items()}


def _cases():
    for name, variants in CASES.items():
        for arguments, shape in variants:
            for training in (True, False):
                yield pytest.param(name, arguments, shape, training,
                                   id=f"{name}-{_shown(arguments)}-{shape}-training={training}")


def _inputs(name, arguments, shape, rng):
    if name == "Embedding":
        return rng.integers(0, arguments["input_dim"], shape)
    return rng.uniform(0.2, 2.0, shape) * rng.choice([-1.0, 1.0], shape)


def _randomize(layer, rng):
    """Random weights: variances positive, everything away from the default values."""
    with ag.no_grad():
        for name, tensor in [*layer.named_parameters(), *layer.named_buffers()]:
            values = (rng.uniform(0.5, 2.0, tensor.shape) if "variance" in name
                      else rng.normal(size=tensor.shape))
            tensor.copy_(values)


@contextlib.contextmanager
def _float64(k, jax):
    floatx = k.config.floatx()
    with jax.enable_x64(True):
        k.config.set_floatx("float64")
        try:
            yield
        finally:
            k.config.set_floatx(floatx)


@pytest.mark.parametrize("name, arguments, shape, training", list(_cases()))
def test_outputs_gradients_and_state_are_keras(name, arguments, shape, training):
    k = keras()
    import jax
    import jax.numpy as jnp

    rng = np.random.default_rng(0)
    x = _inputs(name, arguments, shape, rng)
    ours = getattr(layers, name)(**arguments, dtype="float64")
    ours.build((None, *shape[1:]))
    _randomize(ours, rng)
    weights = [w.numpy().copy() for w in ours.weights]

    with _float64(k, jax):
        theirs = getattr(k.layers, name)(**arguments, dtype="float64")
        theirs.build((None, *shape[1:]))
        theirs.set_weights(weights)
        their_y = np.asarray(theirs(x, training=training))
        r = np.random.default_rng(1).normal(size=their_y.shape)

        # stateless_call passes training= on only to a call that takes it.
        mode = {"training": training} if "training" in theirs.call_signature_parameters else {}

        def loss(trainable, non_trainable, inputs):
            y, _ = theirs.stateless_call(trainable, non_trainable, inputs, **mode)
            return jnp.sum(y * r)

        trainable = [jnp.asarray(w) for w in weights[:len(theirs.trainable_weights)]]
        non_trainable = [jnp.asarray(w) for w in weights[len(theirs.trainable_weights):]]
        differentiable = name != "Embedding"
        argnums = (0, 2) if differentiable else (0,)
        grads = jax.grad(loss, argnums=argnums)(trainable, non_trainable,
                                                jnp.asarray(x) if differentiable else x)
        their_state = [np.asarray(w) for w in theirs.non_trainable_weights]

    tolerance = {"rtol": RTOL, "atol": ATOL}
    if name in FLOAT32_INSIDE:
        tolerance = {"rtol": 1e-6, "atol": 1e-7}
    inputs = ag.tensor(x, requires_grad=True) if differentiable else x
    our_y = ours(inputs, training=training)
    np.testing.assert_allclose(our_y.numpy(), their_y, **tolerance)
    (our_y * ag.tensor(r)).sum().backward()
    for ours_w, theirs_g in zip(ours.trainable_weights, grads[0]):
        np.testing.assert_allclose(ours_w.grad.numpy(), np.asarray(theirs_g), **tolerance,
                                   err_msg=f"gradient of {ours_w.name}")
    assert len(ours.trainable_weights) == len(grads[0])
    if differentiable:
        np.testing.assert_allclose(inputs.grad.numpy(), np.asarray(grads[1]), **tolerance,
                                   err_msg="gradient of the input")
    for ours_s, theirs_s in zip(ours.non_trainable_weights, their_state):
        np.testing.assert_allclose(ours_s.numpy(), theirs_s, **tolerance,
                                   err_msg=f"{ours_s.name} after the call")


@pytest.mark.parametrize("rate", [0.0, 0.3, 0.75, 1.0])
def test_dropout_identity_in_inference_and_statistics_in_training(rate):
    k = keras()
    x = np.random.default_rng(0).uniform(1.0, 2.0, (50, 400)).astype(np.float32)
    ours, theirs = layers.Dropout(rate, seed=0), k.layers.Dropout(rate, seed=0)
    for layer in (ours, theirs):
        assert np.array_equal(np.asarray(layer(x)), x)
        assert np.array_equal(np.asarray(layer(x, training=False)), x)
    for y in (np.asarray(ours(x, training=True)), np.asarray(theirs(x, training=True))):
        kept = y != 0
        if rate < 1.0:
            # Kept values are scaled by 1 / (1 - rate); the kept fraction is binomial (its
            # standard deviation is below 0.0025 for 20,000 draws).
            np.testing.assert_allclose(y[kept], x[kept] / (1.0 - rate), rtol=1e-6)
            assert abs(kept.mean() - (1.0 - rate)) < 0.01
        else:
            assert not kept.any()


def test_dropout_noise_shape_shares_draws_as_keras_does():
    k = keras()
    x = np.ones((6, 5, 4), np.float32)
    for layer in (layers.Dropout(0.5, noise_shape=(None, 1, 4), seed=0),
                  k.layers.Dropout(0.5, noise_shape=(None, 1, 4), seed=0)):
        y = np.asarray(layer(x, training=True))
        assert all(np.array_equal(y[:, 0], y[:, i]) for i in range(5))


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_spatial_dropout_drops_whole_channels_as_keras_does(data_format):
    k = keras()
    last = data_format == "channels_last"
    shape, channel = ((40, 3, 3, 40), (1, 2)) if last else ((40, 40, 3, 3), (2, 3))
    x = np.random.default_rng(0).uniform(1.0, 2.0, shape).astype(np.float32)
    for layer in (layers.SpatialDropout2D(0.4, data_format=data_format, seed=0),
                  k.layers.SpatialDropout2D(0.4, data_format=data_format, seed=0)):
        assert np.array_equal(np.asarray(layer(x)), x)
        y = np.asarray(layer(x, training=True))
        kept = y != 0
        # Each (example, channel) is kept or dropped whole.
        assert np.array_equal(kept.all(axis=channel), kept.any(axis=channel))
        np.testing.assert_allclose(y[kept], x[kept] / 0.6, rtol=1e-6)
        # 1,600 (example, channel) draws: the kept fraction within 4 standard errors.
        assert abs(kept.all(axis=channel).mean() - 0.6) < 0.05


@pytest.mark.parametrize("name, argument, mean, std", [
    ("GaussianNoise", 0.3, lambda x: x, lambda x: 0.3 + 0 * x),
    ("GaussianDropout", 0.2, lambda x: x, lambda x: np.abs(x) * np.sqrt(0.2 / 0.8)),
])
def test_gaussian_noise_layers_statistics_are_keras(name, argument, mean, std):
    k = keras()
    x = np.random.default_rng(0).uniform(1.0, 2.0, (200, 300)).astype(np.float32)
    for layer in (getattr(layers, name)(argument, seed=0), getattr(k.layers, name)(argument,
                                                                                   seed=0)):
        assert np.array_equal(np.asarray(layer(x)), x)
        z = (np.asarray(layer(x, training=True)) - mean(x)) / std(x)
        # 60,000 standardized draws: mean 0 within a few standard errors, variance 1 within 2%.
        assert abs(z.mean()) < 0.02 and abs(z.std() - 1.0) < 0.02
