"""Keras' Dropout and BatchNormalization: training versus inference (Keras' ``training=``),
against numpy references."""

import numpy as np
import pytest

import autograd as ag
from nn import layers
from nn.training_mode import training_scope

F64 = np.float64


def leaf(values):
    return ag.tensor(np.asarray(values, dtype=F64), requires_grad=True)


# --- Dropout ---


def test_dropout_at_rate_zero_and_in_inference_is_the_identity():
    x = ag.tensor(np.arange(12.0).reshape(3, 4))
    np.testing.assert_array_equal(layers.Dropout(0.0)(x, training=True).numpy(), x.numpy())
    layer = layers.Dropout(0.5, seed=0, dtype=F64)
    assert layer(x) is x and layer(x, training=False) is x
    assert layer.train()(x) is x  # PyTorch's train() flag is not Keras' training
    assert not np.array_equal(layer(x, training=True).numpy(), x.numpy())
    with training_scope(True):
        assert not np.array_equal(layer(x).numpy(), x.numpy())


def test_dropout_at_rate_one_drops_everything_in_training():
    x = leaf(np.ones((2, 3)))
    y = layers.Dropout(1.0)(x, training=True)
    y.sum().backward()
    np.testing.assert_array_equal(y.numpy(), np.zeros((2, 3)))
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros((2, 3)))


def test_dropout_drops_the_rate_and_preserves_the_expected_value():
    rate, n = 0.3, 200_000
    y = layers.Dropout(rate, seed=np.random.default_rng(1))(ag.ones((1, n), dtype=F64),
                                                          training=True).numpy()
    kept = y != 0
    np.testing.assert_allclose(y[kept], 1 / (1 - rate))
    # The kept fraction is binomial; the mean's standard deviation is about 0.0015 here.
    assert abs(kept.mean() - (1 - rate)) < 0.005
    assert abs(y.mean() - 1.0) < 0.01


def test_dropout_uses_the_same_mask_forward_and_backward():
    x = leaf(np.ones((4, 50)))
    y = layers.Dropout(0.5, seed=3)(x, training=True)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), y.numpy())


def test_dropout_masks_follow_the_seed_and_change_between_calls():
    x = ag.ones((2, 20))
    a, b = layers.Dropout(0.5, seed=7), layers.Dropout(0.5, seed=7)
    first, second = a(x, training=True).numpy(), a(x, training=True).numpy()
    np.testing.assert_array_equal(first, b(x, training=True).numpy())
    assert not np.array_equal(first, second)


@pytest.mark.parametrize("training", [True, False])
def test_dropout_gradcheck_with_a_fixed_mask(training):
    x = leaf(np.random.default_rng(0).standard_normal((3, 4)))
    # A fresh layer with the same seed per evaluation: every call draws the same mask.
    assert ag.gradcheck(lambda x: layers.Dropout(0.4, seed=5, dtype=F64)(x, training=training),
                        (x,))


def test_dropout_noise_shape_shares_the_mask():
    y = layers.Dropout(0.5, noise_shape=(None, 1), seed=0)(ag.ones((6, 5)), training=True)
    assert all(len(set(row)) == 1 for row in y.numpy())
    with pytest.raises(ValueError, match="noise_shape"):
        layers.Dropout(0.5, noise_shape=(2, 1))(ag.ones((6, 5)), training=True)


@pytest.mark.parametrize("rate", [-0.1, 1.5, "0.5", None, True])
def test_dropout_rejects_rates_outside_zero_to_one(rate):
    with pytest.raises(ValueError, match="Expected a float value between 0 and 1"):
        layers.Dropout(rate)


# --- BatchNormalization ---


def bn_reference(batches, axis, momentum, epsilon, gamma, beta):
    """Outputs in training and the moving statistics after each batch, as Keras computes them."""
    mean_m, var_m = np.zeros_like(gamma), np.ones_like(gamma)
    outputs = []
    for x in batches:
        axes = tuple(i for i in range(x.ndim) if i != axis % x.ndim)
        shape = [1] * x.ndim
        shape[axis] = -1
        mean, var = x.mean(axis=axes), x.var(axis=axes)
        normalized = (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + epsilon)
        outputs.append(normalized * gamma.reshape(shape) + beta.reshape(shape))
        mean_m = mean_m * momentum + mean * (1 - momentum)
        var_m = var_m * momentum + var * (1 - momentum)
    return outputs, mean_m, var_m


@pytest.mark.parametrize("shape, axis", [((8, 3), -1), ((4, 5, 5, 3), -1), ((4, 3, 5), 1)])
def test_batchnorm_moving_statistics_over_several_steps(shape, axis):
    rng = np.random.default_rng(0)
    batches = [rng.normal(2.0, 3.0, shape) for _ in range(4)]
    channels = shape[axis]
    gamma, beta = rng.uniform(0.5, 2.0, channels), rng.normal(size=channels)
    layer = layers.BatchNormalization(axis=axis, momentum=0.9, dtype=F64)
    layer(batches[0][:2])  # builds
    layer.load_state_dict({"gamma": gamma, "beta": beta, "moving_mean": np.zeros(channels),
                           "moving_variance": np.ones(channels)})
    outputs, mean_m, var_m = bn_reference(batches, axis, 0.9, 1e-3, gamma, beta)
    for x, expected in zip(batches, outputs):
        np.testing.assert_allclose(layer(x, training=True).numpy(), expected, rtol=1e-10,
                                   atol=1e-12)
    np.testing.assert_allclose(layer.moving_mean.numpy(), mean_m, rtol=1e-12)
    np.testing.assert_allclose(layer.moving_variance.numpy(), var_m, rtol=1e-12)
    # Inference (the default) normalizes with the moving statistics, and leaves them alone.
    x = rng.normal(size=shape)
    stats_shape = [1] * len(shape)
    stats_shape[axis] = -1
    expected = ((x - mean_m.reshape(stats_shape)) / np.sqrt(var_m.reshape(stats_shape) + 1e-3)
                * gamma.reshape(stats_shape) + beta.reshape(stats_shape))
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(layer.moving_mean.numpy(), mean_m, rtol=1e-12)


def test_batchnorm_defaults_follow_keras():
    layer = layers.BatchNormalization(input_shape=[4])
    assert (layer.axis, layer.momentum, layer.epsilon) == (-1, 0.99, 1e-3)
    np.testing.assert_array_equal(layer.gamma.numpy(), np.ones(4))
    np.testing.assert_array_equal(layer.beta.numpy(), np.zeros(4))
    assert [n for n, _ in layer.named_parameters()] == ["gamma", "beta"]
    assert [n for n, _ in layer.named_buffers()] == ["moving_mean", "moving_variance"]
    bare = layers.BatchNormalization(center=False, scale=False, input_shape=[4])
    assert list(bare.parameters()) == []


def test_batchnorm_a_batch_of_one_in_training_gives_beta_as_in_keras():
    layer = layers.BatchNormalization(input_shape=[3], dtype=F64)
    np.testing.assert_array_equal(layer(np.ones((1, 3)), training=True).numpy(), np.zeros((1, 3)))
    np.testing.assert_allclose(layer.moving_mean.numpy(), np.full(3, 0.01))


def test_batchnorm_frozen_runs_in_inference_even_when_training():
    layer = layers.BatchNormalization(input_shape=[2], dtype=F64)
    layer.trainable = False
    x = np.array([[1.0, 2.0], [3.0, 6.0]])
    np.testing.assert_allclose(layer(x, training=True).numpy(), x / np.sqrt(1.001))
    np.testing.assert_array_equal(layer.moving_mean.numpy(), np.zeros(2))


def test_batchnorm_updates_nothing_outside_training():
    layer = layers.BatchNormalization(input_shape=[2], dtype=F64)
    layer.train()
    layer(np.array([[1.0, 2.0], [3.0, 6.0]]))
    np.testing.assert_array_equal(layer.moving_mean.numpy(), np.zeros(2))
    with training_scope(True):
        layer(np.array([[1.0, 2.0], [3.0, 6.0]]))
    np.testing.assert_allclose(layer.moving_mean.numpy(), [0.02, 0.04])


@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("shape", [(5, 3), (2, 3, 3, 2)])
def test_batchnorm_gradcheck(training, shape):
    rng = np.random.default_rng(1)
    layer = layers.BatchNormalization(momentum=0.5, dtype=F64)
    layer(rng.normal(size=shape), training=True)  # moves the statistics away from 0 and 1
    with ag.no_grad():
        layer.gamma.copy_(rng.uniform(0.5, 2.0, shape[-1]))
        layer.beta.copy_(rng.normal(size=shape[-1]))
    x = leaf(rng.normal(size=shape))
    assert ag.gradcheck(lambda x, g, b: layer(x, training=training), (x, layer.gamma, layer.beta))


def test_batchnorm_checks_its_arguments_and_inputs():
    with pytest.raises(ValueError, match="momentum in \\[0, 1\\]. Received: momentum=1.5"):
        layers.BatchNormalization(momentum=1.5)
    with pytest.raises(ValueError, match="epsilon > 0"):
        layers.BatchNormalization(epsilon=0)
    layer = layers.BatchNormalization(input_shape=[3], name="bn")
    with pytest.raises(ValueError, match="'bn' is incompatible.*input with shape \\(2, 4\\)"):
        layer(np.ones((2, 4)))
    with pytest.raises(ValueError, match="axis=3"):
        layers.BatchNormalization(axis=3)(np.ones((2, 4)))


# --- GaussianNoise, GaussianDropout, SpatialDropout2D ---


def test_noise_layers_are_random_in_training_only_and_check_their_arguments():
    x = leaf(np.ones((4, 5)))
    for layer in (layers.GaussianNoise(0.5, seed=0, dtype=F64),
                  layers.GaussianDropout(0.5, seed=0, dtype=F64)):
        assert layer(x) is x
        y = layer(x, training=True)
        assert not np.array_equal(y.numpy(), x.numpy())
    y = layers.GaussianDropout(0.5, seed=0, dtype=F64)(x, training=True)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), y.numpy())  # the noise multiplies x
    with pytest.raises(ValueError, match="Expected a float value between 0 and 1"):
        layers.GaussianNoise(1.5)
    with pytest.raises(ValueError, match="rate=1 has noise of infinite variance"):
        layers.GaussianDropout(1.0)(x, training=True)
    with pytest.raises(TypeError):
        layers.SpatialDropout2D(0.5, input_shape=(2, 2, 1))  # no **kwargs in Keras either
    with pytest.raises(ValueError, match="expected ndim=4"):
        layers.SpatialDropout2D(0.5)(np.ones((2, 3)), training=True)
