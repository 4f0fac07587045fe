"""``nn.regularizers`` against Keras 3: signatures, penalties and their gradients, ``get``."""

import numpy as np
import pytest

import autograd as ag
import nn
from nn import layers
from tests.conformance.borrowed import keras, signature_differences
from tests.conformance.keras_regularizers import CASES, ENTRIES

WEIGHTS = np.random.default_rng(3).normal(size=(4, 3)).astype(np.float32)


@pytest.mark.parametrize("entry", ENTRIES, ids=str)
def test_signature_is_keras(entry):
    assert signature_differences(entry.our_object(), entry.their_object()) == []


def _keras_penalty_and_gradient(k, regularizer, weights):
    import jax

    value = float(regularizer(k.ops.convert_to_tensor(weights)))
    gradient = np.asarray(jax.grad(lambda w: regularizer(w))(weights))
    return value, gradient


@pytest.mark.parametrize("name,options", CASES, ids=lambda c: str(c))
def test_penalty_and_gradient_equal_keras(name, options):
    k = keras()
    theirs, their_grad = _keras_penalty_and_gradient(
        k, getattr(k.regularizers, name)(**options), WEIGHTS)
    w = ag.tensor(WEIGHTS.copy(), requires_grad=True)
    penalty = getattr(nn.regularizers, name)(**options)(w)
    if penalty.requires_grad:
        penalty.backward()
    ours_grad = np.zeros_like(WEIGHTS) if w.grad is None else w.grad.numpy()
    np.testing.assert_allclose(penalty.item(), theirs, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(ours_grad, their_grad, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("identifier", ["l1", "l2", "l1l2", "L1", "L2", "L1L2",
                                        {"class_name": "L2", "config": {"l2": 0.5}}])
def test_get_gives_keras_object_with_keras_settings(identifier):
    k = keras()
    ours, theirs = nn.regularizers.get(identifier), k.regularizers.get(identifier)
    assert type(ours).__name__ == type(theirs).__name__
    for key, value in theirs.get_config().items():
        assert ours.get_config()[key] == pytest.approx(float(value), rel=1e-6)


@pytest.mark.parametrize("identifier", ["l1_l2", "nope", 3])
def test_get_refuses_what_keras_refuses(identifier):
    k = keras()
    with pytest.raises(ValueError):
        k.regularizers.get(identifier)
    with pytest.raises(ValueError, match="Could not interpret regularizer identifier"):
        nn.regularizers.get(identifier)


@pytest.mark.parametrize("value", [-1, "a"])
def test_invalid_factors_are_refused_as_keras_does(value):
    k = keras()
    with pytest.raises(ValueError):
        k.regularizers.L1(value)
    with pytest.raises(ValueError, match="expected a non-negative float"):
        nn.regularizers.L1(value)


def test_dense_reports_the_penalty_keras_adds_to_its_losses():
    k = keras()
    kernel = WEIGHTS[:, :2]
    theirs = k.layers.Dense(2, kernel_regularizer=k.regularizers.l2(0.01),
                            bias_regularizer=k.regularizers.l1(0.1))
    theirs.build((None, 4))
    theirs.set_weights([kernel, np.array([0.5, -2.0], np.float32)])
    theirs(np.ones((1, 4), np.float32))
    ours = layers.Dense(2, kernel_regularizer=nn.regularizers.l2(0.01),
                        bias_regularizer=nn.regularizers.l1(0.1))
    ours.build((None, 4))
    ours.set_weights([kernel, np.array([0.5, -2.0], np.float32)])
    expected = sum(float(loss) for loss in theirs.losses)
    np.testing.assert_allclose(ours.regularization_loss().item(), expected, rtol=1e-6)
