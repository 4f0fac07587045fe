"""``nn.losses`` against ``keras.losses`` (Keras 3 on JAX): signatures, values and gradients.

Every function runs on the same inputs as Keras' with each option in ``DATA``; every class runs
under every reduction, with and without ``sample_weight``. Values and gradients (with respect to
``y_pred``, against ``jax.grad`` of Keras' loss) are compared in float64 (JAX's x64 mode, the
classes built with ``dtype='float64'``) to rtol 1e-6, and in the default float32 to rtol 1e-5.
Keras' JAX ``mean`` accumulates a float64 input in float32 (its promotion rules make
``result_type('float64', 'float32')`` float32), so a tighter float64 tolerance would measure
Keras' rounding, not ours.
"""

import zlib

import numpy as np
import pytest

import autograd as ag
from nn import losses
from tests.conformance.borrowed import keras, signature_differences
from tests.conformance.keras_losses import DATA, ENTRIES, PAIRS

REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None]


@pytest.mark.parametrize("entry", ENTRIES, ids=str)
def test_signature_is_keras(entry):
    assert signature_differences(entry.our_object(), entry.their_object()) == []


def data(kind, seed=0, shape=(5, 4)):
    """``(y_true, y_pred)`` as float64 arrays inside the domain of a kind of loss."""
    rng = np.random.default_rng(seed)
    if kind == "real":
        return rng.normal(size=shape), rng.normal(size=shape)
    if kind == "positive":
        return rng.uniform(0.0, 3.0, shape), rng.uniform(0.2, 3.0, shape)
    if kind == "signs":
        return rng.choice([-1.0, 1.0], shape), rng.normal(size=shape) * 0.7
    if kind == "binary":
        return rng.integers(0, 2, shape).astype(float), rng.uniform(0.05, 0.95, shape)
    classes = rng.integers(0, shape[-1], shape[:-1])
    classes[0] = 2  # so that ignore_class=2 leaves a row out
    probabilities = rng.uniform(0.05, 1.0, shape)
    if kind == "sparse":
        return classes.astype(float), probabilities
    if kind == "one_hot":
        return np.eye(shape[-1])[classes], probabilities
    if kind == "distributions":
        t = rng.uniform(0.05, 1.0, shape)
        return t / t.sum(-1, keepdims=True), probabilities / probabilities.sum(-1, keepdims=True)
    raise AssertionError(kind)


def _cases():
    for function, (kind, variants) in DATA.items():
        for options in variants:
            yield pytest.param(function, kind, options,
                               id=f"{function}-{options}" if options else function)


def _ours(fn, y_true, y_pred, dtype):
    p = ag.tensor(y_pred.astype(dtype), requires_grad=True)
    value = fn(y_true.astype(dtype), p)
    value.sum().backward()
    return value.numpy(), p.grad.numpy()


def _theirs(fn, y_true, y_pred, dtype):
    import jax
    import jax.numpy as jnp

    def total(p):
        return jnp.sum(fn(y_true.astype(dtype), p))

    with jax.enable_x64(dtype == np.float64):
        p = jnp.asarray(y_pred.astype(dtype))
        return np.asarray(fn(y_true.astype(dtype), p)), np.asarray(jax.grad(total)(p))


def _close(ours, theirs, dtype):
    rtol = 1e-6 if dtype == np.float64 else 1e-5
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=rtol * 1e-2)


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("function, kind, options", list(_cases()))
def test_function_values_and_gradients_are_keras(function, kind, options, dtype):
    k = keras()
    y_true, y_pred = data(kind, seed=zlib.crc32(function.encode()))
    ours = _ours(lambda t, p: getattr(losses, function)(t, p, **options), y_true, y_pred, dtype)
    theirs = _theirs(lambda t, p: getattr(k.losses, function)(t, p, **options), y_true, y_pred,
                     dtype)
    assert ours[0].shape == theirs[0].shape
    assert ours[0].dtype == dtype
    _close(ours[0], theirs[0], dtype)
    _close(ours[1], theirs[1], dtype)


def _class_cases():
    for cls, (function, forwarded) in PAIRS.items():
        kind, variants = DATA[function]
        # the richest set of options whose values stay one per row (sample weights are)
        options = max((v for v in variants if v.get("axis", -1) == -1), key=len)
        assert set(options) <= set(forwarded)
        for reduction in REDUCTIONS:
            for weighted in (False, True):
                yield pytest.param(cls, kind, options, reduction, weighted,
                                   id=f"{cls}-{reduction}-{'weighted' if weighted else 'plain'}")


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("cls, kind, options, reduction, weighted", list(_class_cases()))
def test_class_reductions_and_sample_weights_are_keras(cls, kind, options, reduction,
                                                       weighted, dtype):
    k = keras()
    y_true, y_pred = data(kind, seed=zlib.crc32(cls.encode()))
    weights = np.linspace(0.0, 2.0, len(y_true)) if weighted else None
    name = np.dtype(dtype).name
    ours_loss = getattr(losses, cls)(reduction=reduction, dtype=name, **options)
    their_loss = getattr(k.losses, cls)(reduction=reduction, dtype=name, **options)
    ours = _ours(lambda t, p: ours_loss(t, p, sample_weight=weights), y_true, y_pred, dtype)
    theirs = _theirs(lambda t, p: their_loss(t, p, sample_weight=weights), y_true, y_pred,
                     dtype)
    assert ours[0].shape == theirs[0].shape
    _close(ours[0], theirs[0], dtype)
    _close(ours[1], theirs[1], dtype)
    assert ours_loss.name == their_loss.name and ours_loss.dtype == their_loss.dtype


@pytest.mark.parametrize("y_true_shape, y_pred_shape", [((6,), (6, 1)), ((6, 1), (6,)),
                                                        ((3, 2, 1), (3, 2))])
@pytest.mark.parametrize("cls", ["MeanSquaredError", "Hinge", "BinaryCrossentropy"])
def test_classes_align_a_trailing_axis_of_one_as_keras(cls, y_true_shape, y_pred_shape):
    k = keras()
    rng = np.random.default_rng(1)
    y_true = rng.integers(0, 2, y_true_shape).astype(np.float32)
    y_pred = rng.uniform(0.1, 0.9, y_pred_shape).astype(np.float32)
    for reduction in ("none", "sum_over_batch_size"):
        ours = getattr(losses, cls)(reduction=reduction)(y_true, y_pred).numpy()
        theirs = np.asarray(getattr(k.losses, cls)(reduction=reduction)(y_true, y_pred))
        assert ours.shape == theirs.shape
        np.testing.assert_allclose(ours, theirs, rtol=1e-5)


@pytest.mark.parametrize("identifier", ["mse", "MSE", "mean_squared_error", "mae", "mape",
                                        "msle", "kld", "bce", "binary_crossentropy",
                                        "categorical_crossentropy", "huber", "log_cosh",
                                        "sparse_categorical_crossentropy", "squared_hinge",
                                        "MeanSquaredError", "Huber", "KLDivergence"])
def test_get_resolves_keras_names_to_the_same_loss(identifier):
    k = keras()
    ours, theirs = losses.get(identifier), k.losses.get(identifier)
    if isinstance(theirs, k.losses.Loss):
        assert isinstance(ours, losses.Loss) and type(ours).__name__ == type(theirs).__name__
    else:
        assert ours.__name__ == theirs.__name__


@pytest.mark.parametrize("identifier", ["huber_loss", "logcosh", "crossentropy", "nope"])
def test_get_refuses_what_keras_refuses(identifier):
    k = keras()
    with pytest.raises(ValueError):
        k.losses.get(identifier)
    with pytest.raises(ValueError, match="Could not interpret loss identifier"):
        losses.get(identifier)
