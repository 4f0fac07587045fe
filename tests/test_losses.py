"""Keras' losses in Keras' order, ``fn(y_true, y_pred)``: gradients, stability at extreme
inputs, the refusals that replace Keras' silent numbers, and ``get``. The values themselves
are checked against Keras in tests/conformance/test_keras_losses.py."""

import warnings

import numpy as np
import pytest

import autograd as ag
from nn import losses
from tests.conformance.keras_losses import DATA, PAIRS
from tests.conformance.test_keras_losses import data

CLASS_OF = {function: cls for cls, (function, _) in PAIRS.items()}


def test_the_labels_come_first_as_in_keras():
    y_true, y_pred = [[0.0, 1.0, 0.0]], [[0.05, 0.9, 0.05]]
    value = losses.categorical_crossentropy(y_true, y_pred).numpy()
    np.testing.assert_allclose(value, [-np.log(0.9)], rtol=1e-6)
    loss = losses.CategoricalCrossentropy()
    assert loss(y_true, y_pred).item() == pytest.approx(-np.log(0.9), rel=1e-6)


@pytest.mark.parametrize("function", sorted(DATA))
def test_gradcheck_in_float64(function):
    kind, variants = DATA[function]
    y_true, y_pred = data(kind)
    for options in variants:
        def loss(p, options=options):
            return getattr(losses, function)(y_true, p, **options)
        assert ag.gradcheck(loss, (ag.tensor(y_pred, requires_grad=True),))


def test_a_loss_subclass_writes_call_and_gets_reductions_and_weights():
    class Squares(losses.Loss):
        def call(self, y_true, y_pred):
            return ((y_pred - y_true) ** 2).mean(axis=-1)

    y_true, y_pred = np.zeros((2, 2)), np.array([[1.0, 1.0], [3.0, 3.0]])
    assert Squares()(y_true, y_pred).item() == 5.0
    assert Squares(reduction="sum")(y_true, y_pred, sample_weight=[1.0, 0.5]).item() == 5.5
    assert Squares().name == "squares"
    with pytest.raises(ValueError, match="Invalid value for argument `reduction`"):
        Squares(reduction="avg")


EXTREME = [
    ("binary_crossentropy", np.array([[1000.0, -1000.0, 1000.0, -1000.0]]),
     np.array([[1.0, 0.0, 0.0, 1.0]]), [500.0]),  # (0 + 0 + 1000 + 1000) / 4
    ("categorical_crossentropy", np.array([[1000.0, -1000.0], [-1000.0, 1000.0]]),
     np.array([[0.0, 1.0], [0.0, 1.0]]), [2000.0, 0.0]),
    ("sparse_categorical_crossentropy", np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 0.0]]),
     np.array([1, 1]), [2000.0, 0.0]),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name, logits, y_true, expected", EXTREME, ids=[e[0] for e in EXTREME])
def test_logits_of_plus_minus_1000_stay_finite_without_warnings(name, logits, y_true, expected,
                                                                dtype):
    x = ag.tensor(logits.astype(dtype), requires_grad=True)
    with warnings.catch_warnings(), np.errstate(divide="raise", over="raise", invalid="raise"):
        warnings.simplefilter("error")
        per_sample = getattr(losses, name)(y_true, x, from_logits=True)
        per_sample.sum().backward()
    np.testing.assert_allclose(per_sample.numpy(), expected, rtol=1e-6)
    assert np.isfinite(x.grad.numpy()).all()


@pytest.mark.parametrize("name", ["binary_crossentropy", "categorical_crossentropy",
                                  "sparse_categorical_crossentropy"])
def test_probabilities_of_exactly_0_and_1_are_clipped(name):
    p = np.array([[1.0, 0.0], [0.0, 1.0]])
    t = np.array([1, 0]) if name.startswith("sparse") else np.array([[0.0, 1.0], [0.0, 1.0]])
    x = ag.tensor(p, requires_grad=True)
    loss = getattr(losses, name)(t, x)
    loss.sum().backward()
    assert np.isfinite(loss.numpy()).all() and np.isfinite(x.grad.numpy()).all()
    assert loss.numpy().max() == pytest.approx(-np.log(1e-7), rel=1e-6)


@pytest.mark.parametrize("name", ["binary_crossentropy", "binary_focal_crossentropy"])
def test_binary_cross_entropy_refuses_labels_outside_0_1(name):
    with pytest.raises(ValueError, match=rf"{name}: y_true must hold labels .* in \[0, 1\]; "
                                         r"received values from -1\.0 to 1\.0"):
        getattr(losses, name)(np.array([[-1.0, 1.0]]), np.array([[0.2, 0.7]]))
    with pytest.raises(ValueError, match=r"from -1\.0 to 1\.0"):
        losses.BinaryCrossentropy()([-1.0, 1.0], [[0.2], [0.7]])


@pytest.mark.parametrize("name", ["hinge", "squared_hinge", "kl_divergence", "poisson",
                                  "binary_crossentropy", "categorical_crossentropy"])
def test_shapes_keras_would_broadcast_are_refused(name):
    # Keras broadcasts (4,) against (4, 1) into a (4, 4) loss here: silently wrong numbers.
    with pytest.raises(ValueError, match=rf"{name}: y_true has shape \(4,\) but y_pred has "
                                         r"shape \(4, 1\)"):
        getattr(losses, name)(np.ones(4), np.full((4, 1), 0.5))
    if name != "categorical_crossentropy":  # (one class: Keras warns)
        # The classes align a trailing axis of size 1 first, as Keras' do.
        loss = getattr(losses, CLASS_OF[name])(reduction="none")
        assert loss(np.ones(4), np.full((4, 1), 0.5)).shape == (4,)


def test_functions_keras_aligns_compare_a_column_with_a_vector():
    p, t = np.arange(4.0).reshape(4, 1), np.array([1.0, 1.0, 1.0, 5.0])
    for y_pred, y_true in [(p, t), (p.ravel(), t.reshape(4, 1))]:
        out = losses.mean_squared_error(y_true, ag.tensor(y_pred))
        np.testing.assert_array_equal(out.numpy(), [1.0, 0.0, 1.0, 4.0])
    # Beyond 1-D the trailing axis of size 1 is dropped instead, as Keras does.
    assert losses.mean_squared_error(np.ones((2, 3)), ag.zeros(2, 3, 1)).shape == (2,)


def test_y_true_may_be_a_list_and_takes_the_prediction_dtype():
    out = losses.mean_absolute_error([3, 3], ag.tensor([[1.0], [2.0]]))
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out.numpy(), [2.0, 1.0])


def test_hinge_maps_0_and_1_labels_to_minus_1_and_1():
    p = ag.tensor([[0.3, -0.4, 2.0]], dtype=np.float64)
    assert losses.hinge([[1, 0, 0]], p).item() == losses.hinge([[1, -1, -1]], p).item()


@pytest.mark.parametrize("y_true, message", [
    (np.array([0, 3]), r"class indices in \[0, 2\] for 3 classes; received values from 0 to 3"),
    (np.array([-1, 0]), r"in \[0, 2\].*from -1 to 0"),
    (np.array([0.5, 1.0]), r"whole class indices.*0\.5"),
    (np.array([[0, 1]]), r"y_true of shape \(2,\).*received y_true of shape \(1, 2\)"),
])
def test_sparse_labels_out_of_range_or_malformed_raise(y_true, message):
    with pytest.raises(ValueError, match=message):
        losses.sparse_categorical_crossentropy(y_true, ag.zeros(2, 3), from_logits=True)


def test_sparse_labels_may_be_whole_floats_a_column_or_ignored():
    p = ag.tensor(np.random.default_rng(0).standard_normal((3, 4)))
    expected = losses.sparse_categorical_crossentropy([2, 0, 3], p, from_logits=True).numpy()
    for y_true in (np.array([2.0, 0.0, 3.0]), np.array([[2], [0], [3]]), ag.tensor([2, 0, 3])):
        out = losses.sparse_categorical_crossentropy(y_true, p, True).numpy()
        np.testing.assert_array_equal(out, expected)
    with pytest.raises(TypeError, match="integer class indices"):
        losses.sparse_categorical_crossentropy(np.array(["a", "b", "c"]), p)
    ignored = losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0)
    assert ignored([2, 0, 3], p).item() == pytest.approx((expected[0] + expected[2]) / 2)


def test_bad_delta_and_axis_raise():
    with pytest.raises(ValueError, match=r"delta=0"):
        losses.huber([1.0], [1.0], delta=0)
    with pytest.raises(ValueError, match=r"Huber: delta must be positive"):
        losses.Huber(delta=-1.0)
    with pytest.raises(ValueError, match=r"`axis` must be of type `int`"):
        losses.categorical_crossentropy([[1.0]], [[1.0]], axis=True)


def test_get_resolves_names_classes_objects_and_functions():
    assert losses.get("mse") is losses.mean_squared_error
    assert losses.get("bce") is losses.binary_crossentropy
    assert isinstance(losses.get("Huber"), losses.Huber)
    assert isinstance(losses.get(losses.Poisson), losses.Poisson)
    huber = losses.Huber(delta=2.0)
    assert losses.get(huber) is huber

    def mine(y_true, y_pred):
        return (y_pred - y_true).abs()

    assert losses.get(mine) is mine and losses.get(None) is None
    with pytest.raises(ValueError, match="Could not interpret loss identifier: 'msee'"):
        losses.get("msee")
    with pytest.raises(ValueError, match="Could not interpret loss identifier: 3"):
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
        loss = (losses.sparse_categorical_crossentropy(classes, z, from_logits=True) if sparse
                else losses.categorical_crossentropy(one_hot, z, from_logits=True))
        loss.sum().backward()
        results.append((loss.numpy(), z.grad.numpy()))
    (sparse_loss, sparse_grad), (dense_loss, dense_grad) = results
    np.testing.assert_array_equal(sparse_loss, dense_loss)
    np.testing.assert_array_equal(sparse_grad, dense_grad)


def test_the_unweighted_mean_squared_error_is_one_recorded_operation():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.normal(size=(6, 3)), ag.tensor(rng.normal(size=(6, 1, 3)),
                                                            requires_grad=True)
    loss = losses.MeanSquaredError(dtype="float64")
    fused = loss(y_true[:, None, :], y_pred)
    assert fused.op == "mean_squared_error"
    composed = losses.mean_squared_error(y_true[:, None, :], y_pred).mean()
    assert fused.item() == pytest.approx(composed.item(), rel=1e-12)
    weighted = loss(y_true[:, None, :], y_pred, sample_weight=np.ones(6))
    assert weighted.op != "mean_squared_error"
    assert weighted.item() == pytest.approx(composed.item(), rel=1e-12)


def test_a_loss_object_computes_in_the_prediction_dtype_unless_given_one():
    y_pred = ag.tensor(np.array([[0.25, 0.5]]), requires_grad=True)   # float64
    assert losses.MeanAbsoluteError()([[0.0, 1.0]], y_pred).dtype == np.float64
    as_float32 = losses.MeanAbsoluteError(dtype="float32")([[0.0, 1.0]], y_pred)
    assert as_float32.dtype == np.float32 and losses.MeanAbsoluteError().dtype == "float32"
    as_float32.backward()
    assert y_pred.grad.dtype == np.float64
