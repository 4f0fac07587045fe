"""Metrics against hand-computed values, by name and by object, accumulated over batches."""

import numpy as np
import pytest

import nn
from nn import metrics


def test_accuracy_picks_binary_categorical_or_sparse():
    acc = metrics.get("accuracy")
    acc.update_state(np.array([[0.9], [0.2], [0.6]]), np.array([1, 0, 0]))
    assert acc.result() == pytest.approx(2 / 3)
    acc.reset_state()
    scores = np.array([[0.1, 0.9], [0.8, 0.2]])
    acc.update_state(scores, np.array([[0, 1], [0, 1]]))          # one-hot targets
    assert acc.result() == pytest.approx(0.5)
    acc.reset_state()
    acc.update_state(scores, np.array([1, 0]))                     # integer targets
    assert acc.result() == 1.0


def test_results_are_means_over_samples_across_batches():
    mae = metrics.get("mae")
    mae.update_state(np.array([[1.0], [2.0]]), np.array([0.0, 0.0]))
    mae.update_state(np.array([[4.0]]), np.array([0.0]))
    assert mae.result() == pytest.approx(7 / 3) and mae.name == "mae"
    mse = metrics.MeanSquaredError()
    mse.update_state(np.array([1.0, 3.0]), np.array([0.0, 0.0]))
    assert mse.result() == 5.0


def test_precision_and_recall():
    prediction = np.array([0.9, 0.8, 0.1, 0.7, 0.3])
    target = np.array([1, 0, 1, 1, 0])
    precision, recall = metrics.Precision(), metrics.Recall()
    for metric in (precision, recall):
        metric.update_state(prediction, target)
    assert precision.result() == pytest.approx(2 / 3)   # tp=2, fp=1
    assert recall.result() == pytest.approx(2 / 3)      # tp=2, fn=1
    assert metrics.Precision().result() == 0.0


def test_metrics_in_fit_history():
    nn.set_random_seed(0)
    x = np.random.default_rng(0).normal(size=(64, 2)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.float32)
    model = nn.Sequential([nn.Dense(1, activation="sigmoid", input_shape=[2])])
    model.compile(optimizer="adam", loss="binary_crossentropy",
                  metrics=["accuracy", metrics.Precision(), "recall"])
    history = model.fit(x, y, epochs=2, verbose=0)
    assert set(history.history) == {"loss", "accuracy", "precision", "recall"}
    assert 0.0 <= history.history["accuracy"][-1] <= 1.0


def test_unknown_metric_names_the_choices():
    with pytest.raises(ValueError, match="Unknown metric: 'acuracy'.*accuracy"):
        metrics.get("acuracy")
