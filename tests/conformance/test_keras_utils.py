"""``nn.utils.to_categorical`` and ``nn.utils.set_random_seed`` against Keras 3's."""

import numpy as np
import pytest

import autograd as ag
import nn
from tests.conformance.borrowed import keras, signature_differences
from tests.conformance.keras_utils import CASES, ENTRIES


@pytest.mark.parametrize("entry", ENTRIES, ids=str)
def test_signature_is_keras(entry):
    assert signature_differences(entry.our_object(), entry.their_object()) == []


@pytest.mark.parametrize("labels,num_classes", CASES, ids=str)
def test_to_categorical_equals_keras(labels, num_classes):
    k = keras()
    theirs = k.utils.to_categorical(labels, num_classes)
    ours = nn.utils.to_categorical(labels, num_classes)
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    np.testing.assert_array_equal(ours, theirs)


def test_out_of_range_labels_fail_as_in_keras():
    k = keras()
    with pytest.raises(IndexError):
        k.utils.to_categorical([0, 3], 3)
    with pytest.raises(IndexError):
        nn.utils.to_categorical([0, 3], 3)


def test_a_tensor_gives_a_tensor():
    out = nn.utils.to_categorical(ag.tensor(np.array([[2], [0]])), 3)
    assert isinstance(out, ag.Tensor) and out.dtype == np.float32
    np.testing.assert_array_equal(out.numpy(), [[0, 0, 1], [1, 0, 0]])
    with pytest.raises(ValueError, match="pass num_classes="):
        nn.utils.to_categorical([])


def test_set_random_seed_makes_new_layers_repeat_as_in_keras():
    k = keras()
    for lib in (k, nn):
        weights = []
        for seed in (3, 3, 4):
            lib.utils.set_random_seed(seed)
            model = lib.Sequential([lib.Input(shape=(3,)), lib.layers.Dense(4)])
            weights.append(model.get_weights()[0])
        assert np.array_equal(weights[0], weights[1])
        assert not np.array_equal(weights[0], weights[2])
