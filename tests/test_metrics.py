"""Metrics against hand-computed values, in Keras' order ``update_state(y_true, y_pred)``, and
what ``compile(metrics=[...])`` makes of names, objects and plain functions."""

import numpy as np
import pytest

import nn
from nn import metrics


def test_update_state_takes_y_true_first():
    precision = metrics.Precision()
    # y_true = [0, 1, 1, 1], y_pred = [1, 0, 1, 1]: tp = 2, fp = 1 (swapped it would be fn)
    precision.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    assert precision.result() == pytest.approx(2 / 3)
    recall = metrics.Recall()
    recall.update_state([0, 1, 1, 1], [1, 0, 0, 1])
    assert recall.result() == pytest.approx(1 / 3)


def test_accuracy_is_exact_equality_as_in_keras():
    m = metrics.Accuracy()
    m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
    assert m.result() == 0.75
    m.update_state([[1]], [[0.9]])  # no threshold: 0.9 is not 1
    assert m.result() == pytest.approx(3 / 5)


def test_results_are_weighted_means_over_samples_across_batches():
    mae = metrics.MeanAbsoluteError()
    mae.update_state([0.0, 0.0], [[1.0], [2.0]])
    mae.update_state([0.0], [[4.0]])
    assert mae.result() == pytest.approx(7 / 3) and mae.name == "mean_absolute_error"
    mae.reset_state()
    mae.update_state([[0.0], [0.0]], [[1.0], [3.0]], sample_weight=[3.0, 1.0])
    assert mae.result() == pytest.approx((3 * 1 + 1 * 3) / 4)
    rmse = metrics.RootMeanSquaredError()
    rmse.update_state([[0.0, 0.0]], [[3.0, 4.0]])
    assert rmse.result() == pytest.approx(np.sqrt(12.5))
    assert metrics.Mean().result() == 0.0


def test_precision_thresholds_top_k_and_class_id():
    y_true, y_pred = [[0, 0, 1, 1]], [[1.0, 1.0, 1.0, 0.0]]
    at_several = metrics.Precision(thresholds=[0.0, 0.5, 1.0])
    at_several.update_state(y_true, y_pred)
    np.testing.assert_allclose(at_several.result(), [1 / 3, 1 / 3, 0.0])
    top = metrics.Precision(top_k=2)
    top.update_state([[0, 0, 1, 1]], [[0.1, 0.9, 0.8, 0.2]])   # top 2: classes 1 and 2
    assert top.result() == 0.5
    one_class = metrics.Recall(class_id=2)
    one_class.update_state([[0, 0, 1], [0, 0, 1]], [[0.2, 0.2, 0.6], [0.6, 0.2, 0.2]])
    assert one_class.result() == 0.5
    with pytest.raises(ValueError, match="threshold values must be in \\[0, 1\\]"):
        metrics.Precision(thresholds=1.5)


def test_get_follows_keras_names():
    assert isinstance(metrics.get("mae"), metrics.MeanAbsoluteError)
    assert isinstance(metrics.get("accuracy"), metrics.Accuracy)
    assert isinstance(metrics.get("RootMeanSquaredError"), metrics.RootMeanSquaredError)
    with pytest.raises(ValueError, match="Could not interpret metric identifier: 'acuracy'"):
        metrics.get("acuracy")


def _binary_model():
    nn.set_random_seed(0)
    x = np.random.default_rng(0).normal(size=(64, 2)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.float32)
    model = nn.Sequential([nn.Dense(1, activation="sigmoid", input_shape=[2])])
    return model, x, y


def test_compile_takes_names_objects_and_plain_functions():
    model, x, y = _binary_model()

    def hits(y_true, y_pred):  # a user's metric, Keras' order: one value per sample
        return ((y_pred.numpy() > 0.5) == (y_true.numpy() > 0.5)).mean(axis=-1)

    model.compile(optimizer="adam", loss="binary_crossentropy",
                  metrics=["accuracy", metrics.Precision(), "recall", hits, "mae"])
    history = model.fit(x, y, epochs=2, verbose=0)
    assert list(history.history) == ["loss", "accuracy", "precision", "recall", "hits", "mae"]
    assert history.history["hits"] == pytest.approx(history.history["accuracy"])
    prediction = model.predict(x)
    logs = model.evaluate(x, y, return_dict=True, verbose=0)
    assert logs["hits"] == pytest.approx(np.mean((prediction[:, 0] > 0.5) == (y > 0.5)))
    assert logs["mae"] == pytest.approx(np.mean(np.abs(prediction[:, 0] - y)), rel=1e-5)


def test_compile_accuracy_follows_the_shapes():
    nn.set_random_seed(0)
    x = np.random.default_rng(1).normal(size=(30, 3)).astype(np.float32)
    labels = np.argmax(x, axis=1)
    model = nn.Sequential([nn.Dense(3, input_shape=[3])])
    model.compile(optimizer="adam", loss=nn.losses.SparseCategoricalCrossentropy(
        from_logits=True), metrics=["acc"])
    sparse = model.evaluate(x, labels, return_dict=True, verbose=0)["acc"]
    expected = np.mean(np.argmax(model.predict(x), axis=1) == labels)
    assert sparse == pytest.approx(expected)
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    one_hot = model.evaluate(x, np.eye(3)[labels], return_dict=True, verbose=0)["accuracy"]
    assert one_hot == pytest.approx(expected)


def test_compile_calls_a_custom_loss_as_keras_does():
    model, x, y = _binary_model()
    seen = []

    def loss(y_true, y_pred):
        seen.append((y_true.shape, tuple(np.unique(y_true.numpy()))))
        return nn.losses.binary_crossentropy(y_true, y_pred)

    model.compile(optimizer="adam", loss=loss)
    model.evaluate(x, y, verbose=0)
    assert seen[0] == ((32, 1), (0.0, 1.0))   # the labels come first


def test_compile_calls_a_pytorch_loss_module_in_its_own_order():
    model, x, y = _binary_model()
    model.compile(optimizer="adam", loss=nn.BCELoss())   # BCELoss(input, target)
    keras_order = model.evaluate(x, y, verbose=0)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    assert keras_order == pytest.approx(model.evaluate(x, y, verbose=0), rel=1e-5)
    # Class indices reach nn.CrossEntropyLoss as integers (as floats they would be read as
    # probabilities).
    nn.set_random_seed(0)
    three = nn.Sequential([nn.Dense(3, input_shape=[2])])
    labels = (x[:, 0] > 0).astype(np.int64) + (x[:, 1] > 0)
    three.compile(optimizer="adam", loss=nn.CrossEntropyLoss())
    torch_loss = three.evaluate(x, labels, verbose=0)
    three.compile(optimizer="adam",
                  loss=nn.losses.SparseCategoricalCrossentropy(from_logits=True))
    assert torch_loss == pytest.approx(three.evaluate(x, labels, verbose=0), rel=1e-5)


def test_unknown_metric_names_the_choices():
    model, _, _ = _binary_model()
    with pytest.raises(ValueError, match="Unknown metric: 'acuracy'.*accuracy"):
        model.compile(optimizer="adam", loss="mse", metrics=["acuracy"])


def test_loss_names_as_metrics_report_the_mean_loss():
    model, x, y = _binary_model()
    model.compile(optimizer="adam", loss="binary_crossentropy",
                  metrics=["binary_crossentropy", metrics.Hinge()])
    logs = model.evaluate(x, y, return_dict=True, verbose=0)
    assert logs["binary_crossentropy"] == pytest.approx(logs["loss"], rel=1e-5)
    expected = nn.losses.hinge(y[:, None], model.predict(x)).numpy().mean()
    assert logs["hinge"] == pytest.approx(expected, rel=1e-5)


def test_weighted_metrics_get_the_sample_weights_and_metrics_do_not():
    model, x, y = _binary_model()
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"],
                  weighted_metrics=["accuracy"])
    weights = (x[:, 1] > 0).astype(np.float64)  # only half of the samples count
    history = model.fit(x, y, epochs=1, sample_weight=weights, verbose=0)
    assert list(history.history) == ["loss", "accuracy", "weighted_accuracy"]
    logs = model.evaluate(x, y, sample_weight=weights, return_dict=True, verbose=0)
    hits = (model.predict(x)[:, 0] > 0.5) == (y > 0.5)
    assert logs["accuracy"] == pytest.approx(hits.mean())
    assert logs["weighted_accuracy"] == pytest.approx(hits[weights > 0].mean())
