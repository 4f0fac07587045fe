"""``nn.initializers`` against ``keras.initializers`` (Keras 3 on JAX): signatures, the values
of deterministic initializers, the distributions of random ones (their draws come from numpy,
so only their statistics can agree), seeding, names, ``serialize``/``deserialize``."""

import numpy as np
import pytest

from nn import initializers
from tests.conformance.borrowed import keras, signature_differences
from tests.conformance.keras_initializers import DETERMINISTIC_CASES, ENTRIES, RANDOM_CASES

SHAPE = (300, 200)


@pytest.mark.parametrize("entry", ENTRIES, ids=str)
def test_signature_is_keras(entry):
    assert signature_differences(entry.our_object(), entry.their_object()) == []


def test_every_public_name_has_an_entry():
    assert sorted(e.ours.rsplit(".", 1)[1] for e in ENTRIES) == sorted(initializers.__all__)


@pytest.mark.parametrize("name, arguments, shape", DETERMINISTIC_CASES)
def test_deterministic_values_are_keras(name, arguments, shape):
    k = keras()
    ours = getattr(initializers, name)(**arguments)(shape, dtype="float32")
    theirs = np.asarray(getattr(k.initializers, name)(**arguments)(shape, dtype="float32"))
    assert ours.dtype == theirs.dtype
    np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("name, arguments", RANDOM_CASES)
def test_random_distributions_are_keras(name, arguments):
    k = keras()
    ours = getattr(initializers, name)(**arguments, seed=0)(SHAPE, dtype="float32")
    theirs = np.asarray(getattr(k.initializers, name)(**arguments, seed=0)(SHAPE,
                                                                         dtype="float32"))
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    spread = theirs.std()
    # 60,000 draws: the means agree within a few standard errors, the spreads within 2%.
    assert abs(ours.mean() - theirs.mean()) < 5 * spread / np.sqrt(ours.size)
    assert ours.std() == pytest.approx(spread, rel=0.02)
    low, high = theirs.min(), theirs.max()
    if "distribution" not in arguments or arguments["distribution"] != "untruncated_normal":
        if name not in ("RandomNormal",):
            # Bounded draws (uniform, or cut at two standard deviations) stay within the
            # bounds Keras' own draws reach, give or take the last draws' luck.
            margin = 0.02 * (high - low)
            assert low - margin <= ours.min() and ours.max() <= high + margin


@pytest.mark.parametrize("gain, shape", [(1.0, (6, 4)), (2.0, (4, 6)), (1.5, (3, 3, 2, 5))])
def test_orthogonal_is_orthogonal_as_keras(gain, shape):
    k = keras()
    for init in (initializers.Orthogonal(gain, seed=0), k.initializers.Orthogonal(gain, seed=0)):
        w = np.asarray(init(shape, dtype="float64" if init.__module__.startswith("nn") else
                            "float32"), dtype=np.float64).reshape(-1, shape[-1])
        small = w.T @ w if w.shape[0] >= w.shape[1] else w @ w.T
        np.testing.assert_allclose(small, gain ** 2 * np.eye(len(small)), atol=1e-5)


@pytest.mark.parametrize("name", ["GlorotUniform", "HeNormal", "RandomUniform", "Orthogonal"])
def test_an_int_seed_repeats_its_values_as_in_keras(name):
    k = keras()
    for module in (initializers, k.initializers):
        init = getattr(module, name)(seed=3)
        np.testing.assert_array_equal(np.asarray(init((4, 5))), np.asarray(init((4, 5))))


def test_names_serialize_and_deserialize_as_keras():
    k = keras()
    # Keras' own get("constant") fails (Constant.from_config needs a value): ours gives 0s.
    assert isinstance(initializers.get("constant"), initializers.Constant)
    for name in ["zeros", "ones", "identity", "random_normal", "random_uniform",
                 "truncated_normal", "variance_scaling", "glorot_uniform", "glorot_normal",
                 "he_uniform", "he_normal", "lecun_uniform", "lecun_normal", "orthogonal",
                 "normal", "uniform", "GlorotUniform", "HeNormal"]:
        assert type(initializers.get(name)).__name__ == type(k.initializers.get(name)).__name__
    for make in [lambda m: m.GlorotUniform(seed=1), lambda m: m.Constant(2.0),
                 lambda m: m.Zeros(), lambda m: m.VarianceScaling(2.0, "fan_out", "uniform"),
                 lambda m: m.RandomNormal(1.0, 0.5, seed=4), lambda m: m.Orthogonal(2.0, seed=1)]:
        ours, theirs = initializers.serialize(make(initializers)), k.initializers.serialize(
            make(k.initializers))
        assert ours == theirs
        again = initializers.deserialize(ours)
        assert initializers.serialize(again) == ours
    # Keras' Identity stores no gain (its config is empty, so a loaded one has gain 1); ours
    # keeps it rather than lose a setting.
    assert initializers.deserialize(initializers.serialize(initializers.Identity(3.0))).gain == 3
    for bad in ["xavier", 3]:
        with pytest.raises(ValueError, match="Could not interpret initializer identifier"):
            k.initializers.get(bad)
        with pytest.raises(ValueError, match="Could not interpret initializer identifier"):
            initializers.get(bad)


def test_unsupported_keras_arguments_are_refused():
    with pytest.raises(ValueError, match="input_axes=.*not supported"):
        initializers.GlorotUniform(input_axes=[0])
