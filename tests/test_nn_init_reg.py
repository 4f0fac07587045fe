"""Initializers (statistics, bounds, seeding) and regularizers (values, names, gradients)."""

import math

import numpy as np
import pytest

import autograd as ag
import nn
from nn import initializers, regularizers

SHAPE = (400, 300)        # fan_in 400, fan_out 300: 120 000 samples
CONV = (3, 3, 20, 30)     # receptive field 9: fan_in 180, fan_out 270
FAN_AVG = (400 + 300) / 2


def _uniform(limit):
    return 0.0, limit**2 / 3, limit


def _normal(std, cut=None):
    return 0.0, std**2, cut


# name -> (expected mean, expected variance, bound on |w| or None)
STATISTICS = {
    "glorot_uniform": _uniform(math.sqrt(6 / (400 + 300))),
    "glorot_normal": _normal(math.sqrt(1 / FAN_AVG), 2 * math.sqrt(1 / FAN_AVG) / 0.8796256610),
    "he_uniform": _uniform(math.sqrt(6 / 400)),
    "he_normal": _normal(math.sqrt(2 / 400), 2 * math.sqrt(2 / 400) / 0.8796256610),
    "lecun_uniform": _uniform(math.sqrt(3 / 400)),
    "lecun_normal": _normal(math.sqrt(1 / 400), 2 * math.sqrt(1 / 400) / 0.8796256610),
    "random_normal": _normal(0.05),
    "random_uniform": _uniform(0.05),
    "truncated_normal": (0.0, (0.05 * 0.8796256610) ** 2, 0.1),
}


@pytest.mark.parametrize("name", sorted(STATISTICS))
def test_initializer_statistics_follow_the_formulas(name):
    mean, variance, bound = STATISTICS[name]
    w = initializers.get(name)(SHAPE, dtype=np.float64, rng=0)
    assert w.shape == SHAPE and w.dtype == np.float64
    # With 120 000 samples the sample mean and variance are within about 1% of the truth.
    assert abs(w.mean() - mean) < 0.02 * math.sqrt(variance)
    assert abs(w.var() / variance - 1) < 0.03
    if bound is not None:
        assert np.abs(w).max() <= bound * (1 + 1e-9)


def test_conv_kernels_count_the_receptive_field():
    assert initializers.compute_fans(CONV) == (180, 270)
    assert initializers.compute_fans((5,)) == (5, 5)
    assert initializers.compute_fans(()) == (1, 1)
    w = initializers.HeUniform(seed=0)(CONV)
    assert np.abs(w).max() <= math.sqrt(6 / 180)
    assert abs(w.var() / (2 / 180) - 1) < 0.1


def test_constant_initializers():
    assert (initializers.get("zeros")((2, 3)) == 0).all()
    assert (initializers.get("ones")((2,)) == 1).all()
    np.testing.assert_array_equal(initializers.Constant(0.5)((2, 2)), np.full((2, 2), 0.5))
    assert initializers.get("zeros")((2,)).dtype == np.float32


def test_orthogonal():
    for shape in [(6, 4), (4, 6), (2, 3, 8)]:
        w = initializers.Orthogonal(gain=2.0, seed=0)(shape, dtype=np.float64)
        flat = w.reshape(-1, shape[-1])
        small = flat.T @ flat if flat.shape[0] >= flat.shape[1] else flat @ flat.T
        np.testing.assert_allclose(small, 4.0 * np.eye(min(flat.shape)), atol=1e-12)
    with pytest.raises(ValueError, match="at least two axes"):
        initializers.Orthogonal()((3,))


def test_seeding_is_reproducible():
    a = initializers.GlorotUniform(seed=3)((4, 5))
    np.testing.assert_array_equal(a, initializers.GlorotUniform(seed=3)((4, 5)))
    # An int seed gives the same values at every call, as in Keras.
    np.testing.assert_array_equal(a, initializers.GlorotUniform(seed=3)((4, 5)))
    generator = initializers.RandomNormal(seed=np.random.default_rng(3))
    assert not np.array_equal(generator((4, 5)), generator((4, 5)))
    # Unseeded initializers take the caller's rng: a seeded layer is reproducible.
    np.testing.assert_array_equal(nn.Dense(5, input_shape=[4], seed=9).kernel.numpy(),
                                  nn.Dense(5, input_shape=[4], seed=9).kernel.numpy())
    assert not np.array_equal(nn.Dense(5, input_shape=[4], seed=9).kernel.numpy(),
                              nn.Dense(5, input_shape=[4], seed=10).kernel.numpy())
    # The initializer's own seed wins over the layer's.
    own = nn.Dense(5, input_shape=[4], seed=1, kernel_initializer=initializers.HeNormal(seed=4))
    np.testing.assert_array_equal(own.kernel.numpy(), initializers.HeNormal(seed=4)((4, 5)))


def test_initializers_by_name_object_or_callable():
    assert isinstance(initializers.get("GlorotUniform"), initializers.GlorotUniform)
    assert isinstance(initializers.get("uniform"), initializers.RandomUniform)
    he = initializers.HeNormal()
    assert initializers.get(he) is he and initializers.get(None) is None
    layer = nn.Dense(2, input_shape=[3], kernel_initializer=lambda shape, dtype: np.ones(shape))
    np.testing.assert_array_equal(layer.kernel.numpy(), np.ones((3, 2)))
    with pytest.raises(ValueError, match="Could not interpret initializer identifier: 'xavier'"):
        initializers.get("xavier")
    with pytest.raises(ValueError, match="Could not interpret initializer"):
        initializers.get(3)  # a ValueError, as in Keras
    with pytest.raises(ValueError, match="mode to be one of"):
        initializers.VarianceScaling(mode="fan_sum")
    with pytest.raises(ValueError, match="minval < maxval"):
        initializers.RandomUniform(1.0, 0.0)
    with pytest.raises(TypeError, match="seed"):
        initializers.HeNormal(seed="0")


def test_layer_dtype_sets_the_weights_dtype():
    assert nn.Dense(2, input_shape=[2]).kernel.dtype == np.float32
    assert nn.Dense(2, input_shape=[2], dtype=np.float64).kernel.dtype == np.float64
    with pytest.raises(TypeError, match="floating-point dtype"):
        nn.Dense(2, dtype=np.int32)


# --- regularizers ---


def test_regularizer_values_and_defaults():
    w = ag.tensor(np.array([[1.0, -2.0], [0.5, 0.0]]))
    assert regularizers.L1()(w).item() == pytest.approx(0.01 * 3.5)
    assert regularizers.L2()(w).item() == pytest.approx(0.01 * 5.25)
    assert regularizers.L1L2(l1=0.1, l2=0.2)(w).item() == pytest.approx(0.35 + 1.05)
    assert regularizers.L1L2()(w).item() == 0.0
    # Keras' names: 'l1l2' gives the class defaults (0, 0); l1, l2, l1_l2 are the classes.
    combined = regularizers.get("l1l2")
    assert (combined.l1, combined.l2) == (0.0, 0.0)
    assert regularizers.l1_l2 is regularizers.L1L2 and regularizers.l2 is regularizers.L2
    assert repr(regularizers.get("l1")) == "L1(l1=0.01)"
    assert regularizers.L1(None).l1 == 0.01


def test_regularizer_lookup_and_validation():
    l2 = regularizers.L2(0.1)
    assert regularizers.get(l2) is l2 and regularizers.get(None) is None
    for unknown in ("l3", "l1_l2", 3):  # Keras' get knows no 'l1_l2' either
        with pytest.raises(ValueError, match="Could not interpret regularizer identifier"):
            regularizers.get(unknown)
    with pytest.raises(ValueError, match="expected a non-negative float. Received: l2=-1"):
        regularizers.L2(-1)
    record = regularizers.get({"class_name": "L1L2", "config": {"l1": 0.5, "l2": 0.25}})
    assert record.get_config() == {"l1": 0.5, "l2": 0.25}


def test_regularizer_gradients_reach_the_weights():
    w = ag.tensor(np.array([1.5, -0.5, 2.0]), requires_grad=True)
    assert ag.gradcheck(lambda w: regularizers.L1L2(0.3, 0.7)(w), (w,))


def test_penalties_are_reported_apart_from_the_data_loss():
    layer = nn.Dense(1, input_shape=[2], kernel_initializer="ones", bias_initializer="ones",
                     kernel_regularizer=regularizers.L2(0.5), bias_regularizer="l1",
                     dtype=np.float64)
    data_loss = (layer(np.ones((3, 2))) ** 2).mean()
    penalty = layer.regularization_loss()
    assert data_loss.item() == 9.0 and penalty.item() == pytest.approx(1.0 + 0.01)
    (data_loss + penalty).backward()
    np.testing.assert_allclose(layer.kernel.grad.numpy(), 6.0 + 0.5 * 2 * np.ones((2, 1)))
