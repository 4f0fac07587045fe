"""Dropout and BatchNormalization: training versus evaluation, against numpy references."""

import numpy as np
import pytest

import autograd as ag
import nn
import nn.functional as F

F64 = np.float64


def leaf(values):
    return ag.tensor(np.asarray(values, dtype=F64), requires_grad=True)


# --- Dropout ---


def test_dropout_at_rate_zero_and_in_evaluation_is_the_identity():
    x = ag.tensor(np.arange(12.0).reshape(3, 4))
    np.testing.assert_array_equal(nn.Dropout(0.0)(x).numpy(), x.numpy())
    layer = nn.Dropout(0.5, seed=0)
    np.testing.assert_array_equal(layer.eval()(x).numpy(), x.numpy())
    np.testing.assert_array_equal(layer.train()(x, training=False).numpy(), x.numpy())
    assert not np.array_equal(layer(x).numpy(), x.numpy())


def test_dropout_drops_the_rate_and_preserves_the_expected_value():
    rate, n = 0.3, 200_000
    y = nn.Dropout(rate, seed=np.random.default_rng(1))(ag.ones((1, n), dtype=F64)).numpy()
    kept = y != 0
    np.testing.assert_allclose(y[kept], 1 / (1 - rate))
    # The kept fraction is binomial; the mean's standard deviation is about 0.0015 here.
    assert abs(kept.mean() - (1 - rate)) < 0.005
    assert abs(y.mean() - 1.0) < 0.01


def test_dropout_uses_the_same_mask_forward_and_backward():
    x = leaf(np.ones((4, 50)))
    y = nn.Dropout(0.5, seed=3)(x)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), y.numpy())


def test_dropout_masks_follow_the_seed_and_change_between_calls():
    x = ag.ones((2, 20))
    a, b = nn.Dropout(0.5, seed=7), nn.Dropout(0.5, seed=7)
    first, second = a(x).numpy(), a(x).numpy()
    np.testing.assert_array_equal(first, b(x).numpy())
    assert not np.array_equal(first, second)


@pytest.mark.parametrize("training", [True, False])
def test_dropout_gradcheck_with_a_fixed_mask(training):
    x = leaf(np.random.default_rng(0).standard_normal((3, 4)))
    # A fresh layer with the same seed per evaluation: every call draws the same mask.
    assert ag.gradcheck(lambda x: nn.Dropout(0.4, seed=5)(x, training=training), (x,))


def test_dropout_noise_shape_shares_the_mask():
    y = nn.Dropout(0.5, noise_shape=(None, 1), seed=0)(ag.ones((6, 5))).numpy()
    assert all(len(set(row)) == 1 for row in y)
    with pytest.raises(ValueError, match="noise_shape"):
        nn.Dropout(0.5, noise_shape=(2, 1))(ag.ones((6, 5)))


@pytest.mark.parametrize("rate", [-0.1, 1, 1.0, 1.5, "0.5", None, True])
def test_dropout_rejects_rates_outside_zero_to_one(rate):
    with pytest.raises(ValueError, match="Dropout expects rate to be a number in \\[0, 1\\)"):
        nn.Dropout(rate)


def test_functional_dropout_with_a_seed_repeats_its_mask():
    x = ag.ones(10)
    first, again = F.dropout(x, 0.5, rng=2), F.dropout(x, 0.5, rng=2)
    np.testing.assert_array_equal(first.numpy(), again.numpy())
    assert F.dropout(x, 0.5, training=False) is x
    with pytest.raises(ValueError, match="dropout expects rate"):
        F.dropout(x, 1.0)


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
    layer = nn.BatchNormalization(axis=axis, momentum=0.9, dtype=F64)
    layer(batches[0][:2])  # builds (and takes one step, undone below)
    layer.load_state_dict({"gamma": gamma, "beta": beta, "moving_mean": np.zeros(channels),
                           "moving_variance": np.ones(channels)})
    outputs, mean_m, var_m = bn_reference(batches, axis, 0.9, 1e-3, gamma, beta)
    for x, expected in zip(batches, outputs):
        np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(layer.moving_mean.numpy(), mean_m, rtol=1e-12)
    np.testing.assert_allclose(layer.moving_variance.numpy(), var_m, rtol=1e-12)
    # Evaluation normalizes with the moving statistics, and leaves them alone.
    x = rng.normal(size=shape)
    stats_shape = [1] * len(shape)
    stats_shape[axis] = -1
    expected = ((x - mean_m.reshape(stats_shape)) / np.sqrt(var_m.reshape(stats_shape) + 1e-3)
                * gamma.reshape(stats_shape) + beta.reshape(stats_shape))
    np.testing.assert_allclose(layer.eval()(x).numpy(), expected, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(layer.moving_mean.numpy(), mean_m, rtol=1e-12)


def test_batchnorm_defaults_follow_keras():
    layer = nn.BatchNormalization(input_shape=[4])
    assert (layer.axis, layer.momentum, layer.epsilon) == (-1, 0.99, 1e-3)
    np.testing.assert_array_equal(layer.gamma.numpy(), np.ones(4))
    np.testing.assert_array_equal(layer.beta.numpy(), np.zeros(4))
    assert [n for n, _ in layer.named_parameters()] == ["gamma", "beta"]
    assert [n for n, _ in layer.named_buffers()] == ["moving_mean", "moving_variance"]
    bare = nn.BatchNormalization(center=False, scale=False, input_shape=[4])
    assert list(bare.parameters()) == []


def test_batchnorm_refuses_a_batch_of_one_in_training_only():
    layer = nn.BatchNormalization(input_shape=[3])
    with pytest.raises(ValueError, match="more than one value per channel"):
        layer(np.ones((1, 3)))
    assert layer.eval()(np.ones((1, 3))).shape == (1, 3)
    # One image still has many values per channel.
    assert nn.BatchNormalization()(np.random.default_rng(0).normal(size=(1, 4, 4, 2))).shape \
        == (1, 4, 4, 2)


@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("shape", [(5, 3), (2, 3, 3, 2)])
def test_batchnorm_gradcheck(training, shape):
    rng = np.random.default_rng(1)
    layer = nn.BatchNormalization(momentum=0.5, dtype=F64)
    layer(rng.normal(size=shape))  # builds and moves the statistics away from 0 and 1
    with ag.no_grad():
        layer.gamma.copy_(rng.uniform(0.5, 2.0, shape[-1]))
        layer.beta.copy_(rng.normal(size=shape[-1]))
    x = leaf(rng.normal(size=shape))
    assert ag.gradcheck(lambda x, g, b: layer(x, training=training), (x, layer.gamma, layer.beta))


def test_batchnorm_checks_its_arguments_and_inputs():
    with pytest.raises(ValueError, match="momentum in \\[0, 1\\]. Received: momentum=1.5"):
        nn.BatchNormalization(momentum=1.5)
    with pytest.raises(ValueError, match="epsilon > 0"):
        nn.BatchNormalization(epsilon=0)
    layer = nn.BatchNormalization(input_shape=[3], name="bn")
    with pytest.raises(ValueError, match="'bn' is incompatible.*input with shape \\(2, 4\\)"):
        layer(np.ones((2, 4)))
    with pytest.raises(ValueError, match="axis=3"):
        nn.BatchNormalization(axis=3)(np.ones((2, 4)))


def test_functional_batch_norm_needs_moving_statistics_in_evaluation():
    with pytest.raises(ValueError, match="pass moving_mean and moving_variance"):
        F.batch_norm(ag.ones((2, 2)), None, None)
    out = F.batch_norm(ag.tensor([[1.0], [3.0]]), None, None, training=True, epsilon=0.0)
    np.testing.assert_allclose(out.numpy(), [[-1.0], [1.0]])
