"""``nn.metrics`` against ``keras.metrics`` (Keras 3 on JAX): signatures, and results over
several batches of different sizes, with and without ``sample_weight``, to float32 precision
(Keras keeps its state in float32 variables)."""

import re
import zlib

import numpy as np
import pytest

from nn import losses, metrics
from tests.conformance.borrowed import keras, signature_differences
from tests.conformance.keras_metrics import CASES, ENTRIES, FUNCTIONS


@pytest.mark.parametrize("entry", ENTRIES, ids=str)
def test_signature_is_keras(entry):
    assert signature_differences(entry.our_object(), entry.their_object()) == []


def batch(kind, rows, rng):
    """``(y_true, y_pred)`` of one kind, ``rows`` samples."""
    if kind == "integers":
        return rng.integers(0, 3, (rows, 1)), rng.integers(0, 3, (rows, 1))
    if kind == "binary":
        return rng.integers(0, 2, (rows, 1)).astype(np.float32), rng.uniform(0, 1, (rows, 1))
    if kind == "binary_logits":
        return rng.integers(0, 2, (rows, 1)).astype(np.float32), rng.normal(size=(rows, 1)) * 2
    if kind == "multi_label":
        return rng.integers(0, 2, (rows, 4)).astype(np.float32), rng.uniform(0, 1, (rows, 4))
    if kind == "signs":
        return rng.choice([-1.0, 1.0], (rows, 3)), rng.normal(size=(rows, 3))
    if kind == "distributions":
        t, p = rng.uniform(0.05, 1, (rows, 4)), rng.uniform(0.05, 1, (rows, 4))
        return t / t.sum(-1, keepdims=True), p / p.sum(-1, keepdims=True)
    if kind == "sparse_ties":  # scores rounded so that ties occur
        return rng.integers(0, 4, rows), np.round(rng.normal(size=(rows, 4)))
    if kind == "sorted_ids":
        ids = np.argsort(-rng.normal(size=(rows, 4)), axis=-1).astype(np.float32)
        return rng.integers(0, 4, rows), ids
    if kind in ("one_hot", "sparse", "sparse_column", "one_hot_probabilities"):
        labels, scores = rng.integers(0, 4, rows), rng.normal(size=(rows, 4))
        if kind == "one_hot_probabilities":
            return np.eye(4, dtype=np.float32)[labels], rng.uniform(0.05, 1, (rows, 4))
        if kind == "one_hot":
            return np.eye(4, dtype=np.float32)[labels], scores
        return (labels if kind == "sparse" else labels[:, None]), scores
    if kind == "real":
        return rng.normal(size=(rows, 3)), rng.normal(size=(rows, 3))
    if kind == "positive":
        return rng.uniform(0, 3, (rows, 3)), rng.uniform(0, 3, (rows, 3))
    raise AssertionError(kind)


def _cases():
    for name, variants in CASES.items():
        for kind, options in variants:
            for weighted in (False, True):
                yield pytest.param(name, kind, options, weighted,
                                   id=f"{name}-{kind}-{options}-{'weighted' if weighted else ''}")


def _run(metric, batches):
    for y_true, y_pred, weights in batches:
        metric.update_state(y_true, y_pred, sample_weight=weights)
    return np.asarray(metric.result(), dtype=np.float64)


@pytest.mark.parametrize("name, kind, options, weighted", list(_cases()))
def test_results_over_batches_are_keras(name, kind, options, weighted):
    k = keras()
    rng = np.random.default_rng(zlib.crc32(f"{name}{kind}{options}".encode()))
    batches = []
    for rows in (5, 8, 3):
        y_true, y_pred = batch(kind, rows, rng)
        y_pred = y_pred.astype(np.float32)
        batches.append((y_true, y_pred, rng.uniform(0, 2, rows) if weighted else None))
    ours, theirs = getattr(metrics, name)(**options), getattr(k.metrics, name)(**options)
    np.testing.assert_allclose(_run(ours, batches), _run(theirs, batches), rtol=1e-5,
                               atol=1e-6)
    # Keras numbers the second and later objects of a class (precision_1, ...).
    assert theirs.name in (ours.name, *[f"{ours.name}_{i}" for i in range(1, 200)])
    ours.reset_state()
    theirs.reset_state()
    np.testing.assert_allclose(_run(ours, batches[:1]), _run(theirs, batches[:1]), rtol=1e-5,
                               atol=1e-6)


@pytest.mark.parametrize("weighted", [False, True])
def test_mean_is_keras(weighted):
    k = keras()
    rng = np.random.default_rng(0)
    ours, theirs = metrics.Mean(), k.metrics.Mean()
    for shape in ((4,), (3, 2), (5,)):
        values = rng.normal(size=shape)
        weights = rng.uniform(0, 2, shape[0]) if weighted else None
        ours.update_state(values, sample_weight=weights)
        theirs.update_state(values, sample_weight=weights)
    np.testing.assert_allclose(ours.result(), np.asarray(theirs.result()), rtol=1e-5)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_accuracy_functions_are_keras(name):
    k = keras()
    y_true, y_pred = batch(FUNCTIONS[name], 7, np.random.default_rng(3))
    ours = getattr(metrics, name)(y_true, y_pred)
    theirs = np.asarray(getattr(k.metrics, name)(y_true, y_pred))
    assert ours.shape == theirs.shape
    np.testing.assert_array_equal(ours, theirs)


def test_a_function_wrapped_as_keras_wraps_it():
    k = keras()
    rng = np.random.default_rng(4)
    y_true, y_pred = rng.normal(size=(6, 3)), rng.normal(size=(6, 3))
    ours = metrics.MeanMetricWrapper(losses.mean_absolute_error)
    theirs = k.metrics.MeanMetricWrapper(k.losses.mean_absolute_error)
    assert ours.name == theirs.name
    ours.update_state(y_true, y_pred, sample_weight=np.arange(6.0))
    theirs.update_state(y_true, y_pred, sample_weight=np.arange(6.0))
    np.testing.assert_allclose(ours.result(), np.asarray(theirs.result()), rtol=1e-5)


def _twice_the_sparse_loss(losses_module):
    def loss(y_true, y_pred):  # a user's loss, in Keras' order
        return losses_module.sparse_categorical_crossentropy(y_true, y_pred,
                                                             from_logits=True) * 2.0
    return loss


@pytest.mark.parametrize("case", ["objects", "strings", "custom", "weighted_metrics"])
def test_compiled_evaluate_reports_what_keras_reports(case):
    # The same weights, data and sample weights through compile and evaluate on both sides:
    # the loss (weighted) and the metrics (not weighted) must agree.
    import nn

    k = keras()
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50, 4)).astype(np.float32)
    labels = rng.integers(0, 3, 50)
    weights = rng.uniform(0, 2, 50)
    activation, y = None, labels
    if case == "objects":
        ours = (losses.SparseCategoricalCrossentropy(from_logits=True),
                ["accuracy", metrics.SparseCategoricalAccuracy()])
        theirs = (k.losses.SparseCategoricalCrossentropy(from_logits=True),
                  ["accuracy", k.metrics.SparseCategoricalAccuracy()])
        y = labels
    elif case == "strings":
        activation, y = "softmax", np.eye(3)[labels]
        ours = theirs = ("categorical_crossentropy", ["acc", "mse", "mae"])
    elif case == "custom":
        ours = (_twice_the_sparse_loss(losses), ["accuracy"])
        theirs = (_twice_the_sparse_loss(k.losses), ["accuracy"])
    else:  # the same names weighted and not: Keras reports the weighted as weighted_<name>
        ours = theirs = ("sparse_categorical_crossentropy", ["accuracy"],
                         ["accuracy", "sparse_categorical_crossentropy"])
        activation = "softmax"
    their_model = k.Sequential([k.Input((4,)), k.layers.Dense(3, activation=activation)])
    kernel, bias = their_model.get_weights()
    our_model = nn.Sequential([nn.layers.Dense(3, activation=activation, input_shape=[4])])
    our_model.layers[0].kernel.data, our_model.layers[0].bias.data = kernel.copy(), bias.copy()
    our_model.compile(optimizer="adam", loss=ours[0], metrics=ours[1],
                      weighted_metrics=ours[2] if len(ours) > 2 else None)
    their_model.compile(optimizer="adam", loss=theirs[0], metrics=theirs[1],
                        weighted_metrics=theirs[2] if len(theirs) > 2 else None)
    got = our_model.evaluate(x, y, sample_weight=weights, return_dict=True, verbose=0)
    expected = their_model.evaluate(x, y, sample_weight=weights, return_dict=True, verbose=0)
    assert sorted(got) == sorted(expected)
    for key, value in expected.items():
        assert got[key] == pytest.approx(float(value), rel=1e-5), key


NAMES = ["TruePositives", "true_positives", "TrueNegatives", "true_negatives", "FalsePositives",
         "false_positives", "FalseNegatives", "false_negatives", "F1Score", "f1_score",
         "FBetaScore", "f_beta_score", "fbeta_score", "R2Score", "r2_score", "tp", "f1"]


@pytest.mark.parametrize("name", NAMES)
def test_get_resolves_the_names_keras_resolves(name):
    k = keras()
    try:
        expected = type(k.metrics.get(name)).__name__
    except ValueError:
        with pytest.raises(ValueError):
            metrics.get(name)
        return
    ours, theirs = metrics.get(name), k.metrics.get(name)
    assert type(ours).__name__ == expected
    # Keras numbers the second and later objects of a class (f1_score_1, ...).
    assert re.fullmatch(re.escape(ours.name) + r"(_\d+)?", theirs.name)


@pytest.mark.parametrize("arguments", [dict(beta=1), dict(beta=-1.0), dict(average="sum"),
                                       dict(threshold=1), dict(threshold=1.5)])
def test_fbeta_score_refuses_what_keras_refuses(arguments):
    k = keras()
    with pytest.raises(ValueError):
        k.metrics.FBetaScore(**arguments)
    with pytest.raises(ValueError):
        metrics.FBetaScore(**arguments)
