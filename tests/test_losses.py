"""Losses against numpy versions of Keras' formulas, their gradients, stability and errors."""

import warnings

import numpy as np
import pytest

import autograd as ag
from nn import losses

EPS = 1e-7


def _log_softmax(z):
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _hinge_targets(t):
    return 2 * t - 1 if np.isin(t, (0, 1)).all() else t


def ref_per_sample(name, p, t, from_logits=False, delta=1.0):
    """Keras' per-sample losses, written directly in numpy."""
    if name == "mse":
        return np.mean((p - t) ** 2, axis=-1)
    if name == "mae":
        return np.mean(np.abs(p - t), axis=-1)
    if name == "huber":
        e = np.abs(p - t)
        return np.mean(np.where(e <= delta, 0.5 * e**2, delta * e - 0.5 * delta**2), axis=-1)
    if name == "bce":
        if from_logits:  # TensorFlow's sigmoid_cross_entropy_with_logits
            values = np.maximum(p, 0) - p * t + np.log1p(np.exp(-np.abs(p)))
        else:
            q = np.clip(p, EPS, 1 - EPS)
            values = -(t * np.log(q) + (1 - t) * np.log(1 - q))
        return np.mean(values, axis=-1)
    if name in ("cce", "sparse"):
        if name == "sparse":
            t = np.eye(p.shape[-1])[t]
        if from_logits:
            return -np.sum(t * _log_softmax(p), axis=-1)
        q = np.clip(p / p.sum(axis=-1, keepdims=True), EPS, 1 - EPS)
        return -np.sum(t * np.log(q), axis=-1)
    if name == "hinge":
        return np.mean(np.maximum(1 - _hinge_targets(t) * p, 0), axis=-1)
    raise AssertionError(name)


FUNCTIONS = {"mse": losses.mean_squared_error, "mae": losses.mean_absolute_error,
             "huber": losses.huber, "bce": losses.binary_crossentropy,
             "cce": losses.categorical_crossentropy,
             "sparse": losses.sparse_categorical_crossentropy, "hinge": losses.hinge}


def _data(name, from_logits=False, shape=(5, 3), seed=0):
    """Predictions and targets inside each loss's domain, away from its kinks."""
    rng = np.random.default_rng(seed)
    sign = rng.choice([-1.0, 1.0], size=shape)
    if name in ("mse", "mae"):
        return rng.standard_normal(shape), rng.standard_normal(shape) + sign * 0.3
    if name == "huber":  # errors in 0.1..0.8 or 1.2..2.5, none near delta = 1
        error = sign * np.where(rng.random(shape) < 0.5, rng.uniform(0.1, 0.8, shape),
                                rng.uniform(1.2, 2.5, shape))
        t = rng.standard_normal(shape)
        return t + error, t
    if name == "bce":
        t = rng.random(shape).round()
        p = rng.standard_normal(shape) * 3 if from_logits else rng.uniform(0.05, 0.95, shape)
        return p, t
    if name == "cce":
        t = rng.dirichlet(np.ones(shape[-1]), size=shape[:-1])
        p = rng.standard_normal(shape) * 2 if from_logits else rng.uniform(0.1, 1.0, shape)
        return p, t
    if name == "sparse":
        p = rng.standard_normal(shape) * 2 if from_logits else rng.uniform(0.1, 1.0, shape)
        return p, rng.integers(0, shape[-1], size=shape[:-1])
    if name == "hinge":  # margins 1 - t p kept away from 0
        t = rng.choice([-1.0, 1.0], size=shape)
        return t * (1 + sign * rng.uniform(0.2, 1.5, shape)), t
    raise AssertionError(name)


CASES = [("mse", {}), ("mae", {}), ("huber", {}), ("huber", {"delta": 0.5}), ("bce", {}),
         ("bce", {"from_logits": True}), ("cce", {}), ("cce", {"from_logits": True}),
         ("sparse", {}), ("sparse", {"from_logits": True}), ("hinge", {})]
IDS = [name + "".join(f"-{k}={v}" for k, v in options.items()) for name, options in CASES]


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name, options", CASES, ids=IDS)
def test_forward_matches_the_keras_formula(name, options, reduction):
    p, t = _data(name, options.get("from_logits", False))
    out = FUNCTIONS[name](ag.tensor(p), t, reduction=reduction, **options)
    per_sample = ref_per_sample(name, p, t, **options)
    expected = {"mean": per_sample.mean(), "sum": per_sample.sum(), "none": per_sample}
    assert out.shape == np.shape(expected[reduction])
    np.testing.assert_allclose(out.numpy(), expected[reduction], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name, options", CASES, ids=IDS)
def test_float32_predictions_give_float32_losses(name, options):
    p, t = _data(name, options.get("from_logits", False), shape=(4, 2, 3))
    out = FUNCTIONS[name](ag.tensor(p.astype(np.float32)), t, **options)
    assert out.dtype == np.float32
    expected = ref_per_sample(name, p.astype(np.float32).astype(np.float64), t, **options)
    np.testing.assert_allclose(out.item(), expected.mean(), rtol=1e-5)


@pytest.mark.parametrize("reduction", ["mean", "none"])
@pytest.mark.parametrize("name, options", CASES, ids=IDS)
def test_gradcheck(name, options, reduction):
    p, t = _data(name, options.get("from_logits", False), shape=(3, 4))
    x = ag.tensor(p, requires_grad=True)
    assert ag.gradcheck(lambda x: FUNCTIONS[name](x, t, reduction=reduction, **options), (x,))


def test_gradients_reach_a_target_that_requires_grad():
    p, t = _data("mse")
    x, y = ag.tensor(p, requires_grad=True), ag.tensor(t, requires_grad=True)
    assert ag.gradcheck(lambda x, y: losses.mean_squared_error(x, y, reduction="sum"), (x, y))
    assert ag.gradcheck(lambda x, y: losses.categorical_crossentropy(x, y, True),
                        (ag.tensor(p, requires_grad=True), ag.tensor(t ** 2, requires_grad=True)))


EXTREME = [
    ("bce", np.array([[1000.0, -1000.0, 1000.0, -1000.0]]), np.array([[1.0, 0.0, 0.0, 1.0]]),
     [500.0]),  # (0 + 0 + 1000 + 1000) / 4
    ("cce", np.array([[1000.0, -1000.0], [-1000.0, 1000.0]]), np.array([[0.0, 1.0], [0.0, 1.0]]),
     [2000.0, 0.0]),
    ("sparse", np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 0.0]]), np.array([1, 1]),
     [2000.0, 0.0]),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name, logits, target, expected", EXTREME, ids=[e[0] for e in EXTREME])
def test_logits_of_plus_minus_1000_stay_finite_without_warnings(name, logits, target, expected,
                                                                dtype):
    x = ag.tensor(logits.astype(dtype), requires_grad=True)
    with warnings.catch_warnings(), np.errstate(divide="raise", over="raise", invalid="raise"):
        warnings.simplefilter("error")
        per_sample = FUNCTIONS[name](x, target, from_logits=True, reduction="none")
        per_sample.sum().backward()
    np.testing.assert_allclose(per_sample.numpy(), expected, rtol=1e-6)
    assert np.isfinite(x.grad.numpy()).all()
    if name != "bce":  # d/dz = softmax(z) - target
        np.testing.assert_allclose(x.grad.numpy().sum(axis=-1), 0, atol=1e-6)


@pytest.mark.parametrize("name", ["bce", "cce", "sparse"])
def test_probabilities_of_exactly_0_and_1_are_clipped(name):
    p = np.array([[1.0, 0.0], [0.0, 1.0]])
    t = np.array([1, 0]) if name == "sparse" else np.array([[0.0, 1.0], [0.0, 1.0]])
    x = ag.tensor(p, requires_grad=True)
    loss = FUNCTIONS[name](x, t)
    loss.backward()
    np.testing.assert_allclose(loss.item(), ref_per_sample(name, p, t).mean())
    assert np.isfinite(loss.item()) and np.isfinite(x.grad.numpy()).all()


@pytest.mark.parametrize("name", ["mse", "mae", "huber", "bce", "cce", "hinge"])
def test_mismatched_shapes_raise_naming_both(name):
    with pytest.raises(ValueError, match=r"shape \(4, 3\) but the target has shape \(4, 2\)"):
        FUNCTIONS[name](ag.zeros(4, 3), np.zeros((4, 2)))
    with pytest.raises(ValueError, match=r"shape \(1, 4\) but the target has shape \(4,\)"):
        FUNCTIONS[name](ag.zeros(1, 4), np.zeros(4))


def test_a_column_against_a_vector_compares_as_two_columns():
    p, t = np.arange(4.0).reshape(4, 1), np.array([1.0, 1.0, 1.0, 5.0])
    for prediction, target in [(p, t), (p.ravel(), t.reshape(4, 1))]:
        out = losses.mean_squared_error(ag.tensor(prediction), target, reduction="none")
        np.testing.assert_array_equal(out.numpy(), [1.0, 0.0, 1.0, 4.0])
    # Beyond 1-D the trailing axis of size 1 is dropped instead, as Keras does.
    out = losses.mean_squared_error(ag.zeros(2, 3, 1), np.ones((2, 3)), reduction="none")
    assert out.shape == (2,)


def test_targets_may_be_lists_and_take_the_prediction_dtype():
    out = losses.mean_absolute_error(ag.tensor([[1.0], [2.0]]), [3, 3])
    assert out.dtype == np.float32 and out.item() == 1.5
    assert losses.mean_absolute_error([1.0, 2.0], np.array([3.0, 3.0])).dtype == np.float32


def test_hinge_maps_0_and_1_targets_to_minus_1_and_1():
    p = ag.tensor([[0.3, -0.4, 2.0]], dtype=np.float64)
    assert losses.hinge(p, [[1, 0, 0]]).item() == losses.hinge(p, [[1, -1, -1]]).item()


@pytest.mark.parametrize("target, message", [
    (np.array([0, 3]), r"class indices in \[0, 2\] for 3 classes; received values from 0 to 3"),
    (np.array([-1, 0]), r"in \[0, 2\].*from -1 to 0"),
    (np.array([0.5, 1.0]), r"whole class indices.*0\.5"),
    (np.array([[0, 1]]), r"targets of shape \(2,\).*received targets of shape \(1, 2\)"),
])
def test_sparse_targets_out_of_range_or_malformed_raise(target, message):
    with pytest.raises(ValueError, match=message):
        losses.sparse_categorical_crossentropy(ag.zeros(2, 3), target, from_logits=True)


def test_sparse_targets_may_be_whole_floats_or_a_column():
    p = ag.tensor(np.random.default_rng(0).standard_normal((3, 4)))
    expected = losses.sparse_categorical_crossentropy(p, [2, 0, 3], from_logits=True).item()
    for target in (np.array([2.0, 0.0, 3.0]), np.array([[2], [0], [3]]), ag.tensor([2, 0, 3])):
        assert losses.sparse_categorical_crossentropy(p, target, True).item() == expected
    with pytest.raises(TypeError, match="integer class indices"):
        losses.sparse_categorical_crossentropy(p, np.array([True, False, True]))


def test_unknown_reduction_and_bad_delta_raise():
    with pytest.raises(ValueError, match=r"mean_squared_error: reduction .*'avg'"):
        losses.mean_squared_error([1.0], [1.0], reduction="avg")
    with pytest.raises(ValueError, match=r"sparse_categorical_crossentropy: reduction"):
        losses.sparse_categorical_crossentropy([[1.0]], [0], reduction="auto")
    with pytest.raises(ValueError, match=r"delta=0"):
        losses.huber([1.0], [1.0], delta=0)
    with pytest.raises(ValueError, match=r"Huber: delta must be positive"):
        losses.Huber(delta=-1.0)
    with pytest.raises(ValueError, match=r"BinaryCrossentropy: reduction"):
        losses.BinaryCrossentropy(reduction="max")


CLASSES = [(losses.MeanSquaredError(), "mse", {}), (losses.MeanAbsoluteError(), "mae", {}),
           (losses.Huber(0.5), "huber", {"delta": 0.5}), (losses.Hinge(), "hinge", {}),
           (losses.BinaryCrossentropy(from_logits=True), "bce", {"from_logits": True}),
           (losses.CategoricalCrossentropy(), "cce", {}),
           (losses.SparseCategoricalCrossentropy(True, "sum"), "sparse", {"from_logits": True})]


@pytest.mark.parametrize("loss, name, options", CLASSES, ids=[c[1] for c in CLASSES])
def test_loss_objects_call_their_function_with_their_options(loss, name, options):
    p, t = _data(name, options.get("from_logits", False))
    expected = FUNCTIONS[name](ag.tensor(p), t, reduction=loss.reduction, **options).item()
    assert loss(ag.tensor(p), t).item() == expected
    assert repr(loss).startswith(type(loss).__name__ + f"(reduction={loss.reduction!r}")


def test_get_resolves_keras_names_classes_objects_and_callables():
    assert losses.get("mse") is losses.get("Mean_Squared_Error") is losses.mean_squared_error
    assert losses.get("mae") is losses.mean_absolute_error
    for name in ["huber", "binary_crossentropy", "categorical_crossentropy",
                 "sparse_categorical_crossentropy", "hinge"]:
        assert losses.get(name) is getattr(losses, name)
    assert isinstance(losses.get("SparseCategoricalCrossentropy"),
                      losses.SparseCategoricalCrossentropy)
    assert isinstance(losses.get(losses.Huber), losses.Huber)
    mine = losses.BinaryCrossentropy(from_logits=True)
    assert losses.get(mine) is mine
    custom = lambda prediction, target: (prediction - target).abs().sum()  # noqa: E731
    assert losses.get(custom) is custom


def test_get_rejects_unknown_names_and_non_callables():
    with pytest.raises(ValueError, match=r"Unknown loss 'crossentropy'.*binary_crossentropy.*"
                                         r"mse.*sparse_categorical_crossentropy"):
        losses.get("crossentropy")
    with pytest.raises(TypeError, match=r"received int \(3\)"):
        losses.get(3)


def test_fused_cross_entropies_match_their_compositions():
    from autograd.ops import loss as fused

    rng = np.random.default_rng(0)
    z = ag.tensor(rng.normal(size=(5, 4)) * 3, requires_grad=True)
    t = ag.tensor(rng.dirichlet(np.ones(4), size=5), requires_grad=True)
    pairs = [
        (fused.softmax_cross_entropy(z, t, axis=-1),
         -(t * z.log_softmax(axis=-1)).sum(axis=-1)),
        (fused.sigmoid_cross_entropy(z, t), z.softplus() - z * t),
        (fused.mean_squared_error(z, t), ((z - t) * (z - t)).mean()),
    ]
    for one_op, composed in pairs:
        np.testing.assert_allclose(one_op.numpy(), composed.numpy(), rtol=1e-12)
        fused_grads = ag.grad(one_op.sum(), [z, t])
        composed_grads = ag.grad(composed.sum(), [z, t])
        for a, b in zip(fused_grads, composed_grads):
            np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-12, atol=1e-15)


def test_slices_of_only_infinite_ties_share_equally():
    x = ag.tensor(np.array([[np.inf, np.inf, 0.0], [-np.inf, -np.inf, -np.inf]]))
    with np.errstate(all="raise"):
        probabilities = x.softmax(axis=-1).numpy()
        totals = x.logsumexp(axis=-1).numpy()
    np.testing.assert_array_equal(probabilities, [[0.5, 0.5, 0.0], [1 / 3, 1 / 3, 1 / 3]])
    np.testing.assert_array_equal(totals, [np.inf, -np.inf])


@pytest.mark.parametrize("logits", [
    np.random.default_rng(0).standard_normal((6, 5)),
    np.array([[np.inf, 0.0, 1.0], [-np.inf, 2.0, 0.0], [-np.inf, -np.inf, -np.inf],
              [1e30, -1e30, 0.0]]),
    np.random.default_rng(1).standard_normal((2, 3, 4)),
])
def test_sparse_cross_entropy_gives_the_bits_of_the_one_hot_one(logits):
    # From logits, the sparse loss is its own primitive on the class indices; with the one-hot
    # target, the dense one computes the same numbers, forward and backward.
    rng = np.random.default_rng(2)
    classes = rng.integers(0, logits.shape[-1], logits.shape[:-1])
    one_hot = (classes[..., None] == np.arange(logits.shape[-1])).astype(np.float32)
    results = []
    for sparse in (True, False):
        z = ag.tensor(logits.astype(np.float32), requires_grad=True)
        loss = (losses.sparse_categorical_crossentropy(z, classes, from_logits=True) if sparse
                else losses.categorical_crossentropy(z, one_hot, from_logits=True))
        loss.backward()
        results.append((loss.numpy(), z.grad.numpy()))
    (sparse_loss, sparse_grad), (dense_loss, dense_grad) = results
    np.testing.assert_array_equal(sparse_loss, dense_loss)
    np.testing.assert_array_equal(sparse_grad, dense_grad)
