"""``nn.activations`` against ``keras.activations`` (Keras 3 on JAX): signatures, values and
gradients in float64 (JAX's x64 mode and Keras' floatx float64), on inputs away from every
function's kinks; ``get``, ``serialize`` and ``deserialize`` by name."""

import contextlib

import numpy as np
import pytest

import autograd as ag
from nn import activations
from tests.conformance.borrowed import keras, signature_differences
from tests.conformance.keras_activations import (
    CASES,
    DIFFERENT,
    ENTRIES,
    FLOAT32_INSIDE,
    REQUIRED,
)

# Away from 0, +-0.5, +-1 and 6, where some of the functions turn.
X = np.array([[-3.1, -1.7, -0.8, -0.3], [-0.1, 0.15, 0.35, 0.7], [1.3, 2.9, 4.2, 6.5]])


@pytest.mark.parametrize("entry", ENTRIES, ids=str)
def test_signature_is_keras(entry):
    assert signature_differences(entry.our_object(), entry.their_object()) == []


def test_every_public_name_has_an_entry_and_a_case():
    assert sorted(e.ours.rsplit(".", 1)[1] for e in ENTRIES) == sorted(activations.__all__)
    assert set(CASES) | DIFFERENT == set(activations.__all__) - {"get", "serialize",
                                                                   "deserialize"}


@contextlib.contextmanager
def _float64(k, jax):
    floatx = k.config.floatx()
    with jax.enable_x64(True):
        k.config.set_floatx("float64")
        try:
            yield
        finally:
            k.config.set_floatx(floatx)


def _cases():
    for name, variants in CASES.items():
        for arguments in [{}, *variants]:
            if name in REQUIRED and not arguments:
                continue
            yield pytest.param(name, arguments, id=f"{name}-{arguments}" if arguments else name)


@pytest.mark.parametrize("name, arguments", list(_cases()))
def test_values_and_gradients_are_keras(name, arguments):
    k = keras()
    import jax
    import jax.numpy as jnp

    r = np.random.default_rng(0).normal(size=X.shape)
    theirs = getattr(k.activations, name)
    with _float64(k, jax):
        their_y = np.asarray(theirs(jnp.asarray(X), **arguments))
        their_g = np.asarray(jax.grad(lambda x: jnp.sum(theirs(x, **arguments)
                                                         * r[:, :their_y.shape[1]]))(
            jnp.asarray(X)))
    x = ag.tensor(X, requires_grad=True)
    y = getattr(activations, name)(x, **arguments)
    (y * ag.tensor(r[:, :their_y.shape[1]])).sum().backward()
    tolerance = ({"rtol": 1e-5, "atol": 1e-6} if name in FLOAT32_INSIDE
                 else {"rtol": 1e-9, "atol": 1e-12})
    np.testing.assert_allclose(y.numpy(), their_y, **tolerance)
    np.testing.assert_allclose(x.grad.numpy(), their_g, **tolerance)


def test_get_serialize_and_deserialize_by_name_as_keras():
    k = keras()
    for name in CASES:
        assert activations.get(name) is getattr(activations, name)
        assert activations.serialize(activations.get(name)) == k.activations.serialize(
            k.activations.get(name))
        assert activations.deserialize(name) is getattr(activations, name)
    assert activations.get(None) is activations.linear
    for bad in ("ReLU", "relu7"):
        with pytest.raises(ValueError, match="Could not interpret activation function"):
            k.activations.get(bad)
        with pytest.raises(ValueError, match="Could not interpret activation function"):
            activations.get(bad)


def _sparsemax_reference(z):
    """The published sparsemax of each row, by bisection on tau (sum max(z - tau, 0) = 1)."""
    low, high = z.min(axis=-1, keepdims=True) - 1, z.max(axis=-1, keepdims=True)
    for _ in range(200):
        tau = (low + high) / 2
        above = np.maximum(z - tau, 0).sum(axis=-1, keepdims=True) > 1
        low, high = np.where(above, tau, low), np.where(above, high, tau)
    return np.maximum(z - (low + high) / 2, 0)


def test_sparsemax_is_the_published_one_and_keras_where_one_entry_is_kept():
    k = keras()
    import jax

    x = ag.tensor(X, requires_grad=True)
    y = activations.sparsemax(x)
    np.testing.assert_allclose(y.numpy(), _sparsemax_reference(X), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(y.numpy().sum(axis=-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(activations.sparsemax(X, axis=0).numpy(),
                               _sparsemax_reference(X.T).T, rtol=1e-9, atol=1e-12)
    assert ag.gradcheck(lambda t: activations.sparsemax(t), (x,))
    # One entry kept in each row: Keras' formula gives the same numbers.
    spread = np.array([[0.0, 1.5, -2.0], [3.0, 0.2, 1.0]])
    with _float64(k, jax):
        theirs = np.asarray(k.activations.sparsemax(spread))
    np.testing.assert_allclose(activations.sparsemax(spread).numpy(), theirs, rtol=1e-12)
