"""``nn.callbacks`` against Keras 3: each callback's effect on the same short fit (same data,
same initial weights, SGD, one batch per epoch, no shuffling): the epochs trained, the losses,
the learning rates logged, the weights at the end, the files written."""

import csv
import math

import numpy as np
import pytest

import autograd as ag
import nn
from tests.conformance.borrowed import keras, signature_differences
from tests.conformance.keras_callbacks import ENTRIES

RNG = np.random.default_rng(5)
X = RNG.normal(size=(24, 2)).astype(np.float32)
Y = (X @ np.array([[1.5], [-2.0]], np.float32) + 0.5).astype(np.float32)
START = [np.array([[0.1], [0.2]], np.float32), np.array([0.0], np.float32)]


@pytest.mark.parametrize("entry", ENTRIES, ids=str)
def test_signature_is_keras(entry):
    assert signature_differences(entry.our_object(), entry.their_object()) == []


def squared_error(y_true, y_pred):
    """The mean squared error, written once for both (a named function: Keras saves it)."""
    if isinstance(y_pred, ag.Tensor) or isinstance(y_true, ag.Tensor):
        return ((y_pred - y_true) ** 2).mean()
    k = keras()
    return k.ops.mean(k.ops.square(y_pred - y_true))


def _squared_error(lib):
    return squared_error


def _fit(lib, make_callbacks, epochs=8, lr=0.05, y=Y):
    model = lib.Sequential([lib.Input(shape=(2,)), lib.layers.Dense(1)])
    model.set_weights(START)
    model.compile(optimizer=lib.optimizers.SGD(lr), loss=_squared_error(lib))
    callbacks = make_callbacks(lib.callbacks, model)
    history = model.fit(X, y, batch_size=len(X), epochs=epochs, shuffle=False, verbose=0,
                        callbacks=callbacks)
    return model, history, callbacks


def _both(make_callbacks, **options):
    k = keras()
    return _fit(k, make_callbacks, **options), _fit(nn, make_callbacks, **options)


def _same_history(theirs, ours):
    assert ours.epoch == theirs.epoch
    assert sorted(ours.history) == sorted(theirs.history)
    for key, values in theirs.history.items():
        np.testing.assert_allclose(ours.history[key], values, rtol=1e-5, err_msg=key)


def _same_weights(their_model, our_model):
    for mine, their in zip(our_model.get_weights(), their_model.get_weights()):
        np.testing.assert_allclose(mine, their, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("options", [
    dict(monitor="loss", min_delta=0.5, patience=2),
    dict(monitor="loss", min_delta=0.5, patience=2, restore_best_weights=True),
    dict(monitor="loss", patience=1, baseline=0.5, restore_best_weights=True),
    dict(monitor="loss", min_delta=0.5, patience=1, start_from_epoch=3),
    dict(monitor="loss", mode="max", patience=2, restore_best_weights=True),
], ids=str)
def test_early_stopping_stops_and_restores_as_keras(options):
    (k_model, k_history, k_cb), (model, history, cb) = _both(
        lambda callbacks, m: [callbacks.EarlyStopping(**options)], epochs=10)
    _same_history(k_history, history)
    _same_weights(k_model, model)
    assert (cb[0].stopped_epoch, cb[0].best_epoch, cb[0].wait) == (
        k_cb[0].stopped_epoch, k_cb[0].best_epoch, k_cb[0].wait)


@pytest.mark.parametrize("options", [
    dict(monitor="loss", factor=0.5, patience=1, min_delta=0.3),
    dict(monitor="loss", factor=0.2, patience=2, min_delta=0.2, cooldown=2, min_lr=0.004),
    dict(monitor="loss", factor=0.5, patience=0, mode="max"),
], ids=str)
def test_reduce_lr_on_plateau_rates_per_epoch_as_keras(options):
    (k_model, k_history, _), (model, history, _) = _both(
        lambda callbacks, m: [callbacks.ReduceLROnPlateau(**options)], epochs=10)
    _same_history(k_history, history)  # 'learning_rate' is logged by both
    _same_weights(k_model, model)


@pytest.mark.parametrize("schedule", [lambda epoch, lr: lr * 0.7,
                                      lambda epoch: 0.1 / (epoch + 1)], ids=["two", "one"])
def test_learning_rate_scheduler_as_keras(schedule):
    (k_model, k_history, _), (model, history, _) = _both(
        lambda callbacks, m: [callbacks.LearningRateScheduler(schedule)])
    _same_history(k_history, history)
    _same_weights(k_model, model)


@np.errstate(all="ignore")  # the weights overflow on purpose
def test_terminate_on_nan_stops_after_the_same_epoch():
    (k_model, k_history, _), (model, history, _) = _both(
        lambda callbacks, m: [callbacks.TerminateOnNaN()], lr=40.0, epochs=60)
    assert history.epoch == k_history.epoch and len(history.epoch) < 60
    assert not math.isfinite(history.history["loss"][-1])
    np.testing.assert_allclose(history.history["loss"][:-2], k_history.history["loss"][:-2],
                               rtol=1e-4)


@np.errstate(all="ignore")
def test_terminate_on_nan_can_raise():
    for lib in (keras(), nn):
        with pytest.raises(RuntimeError, match="NaN or Inf loss"):
            _fit(lib, lambda callbacks, m: [callbacks.TerminateOnNaN(raise_error=True)],
                 lr=40.0, epochs=60)


def test_csv_logger_writes_keras_rows(tmp_path):
    k = keras()
    files = {}
    for lib, name in ((k, "keras.csv"), (nn, "ours.csv")):
        path = tmp_path / name
        _fit(lib, lambda callbacks, m: [callbacks.CSVLogger(str(path)),
                                        callbacks.LearningRateScheduler(lambda e, lr: lr)],
             epochs=3)
        _fit(lib, lambda callbacks, m: [callbacks.CSVLogger(str(path), separator=";",
                                                            append=True)], epochs=2)
        files[name] = path.read_text().splitlines()
    theirs, ours = files["keras.csv"], files["ours.csv"]
    assert len(ours) == len(theirs)
    for their_line, our_line in zip(theirs, ours):
        their_cells, our_cells = their_line.split(","), our_line.split(",")
        if len(their_cells) == 1:  # the appended rows use ';'
            their_cells, our_cells = their_line.split(";"), our_line.split(";")
        assert len(our_cells) == len(their_cells)
        for mine, their in zip(our_cells, their_cells):
            try:
                assert float(mine) == pytest.approx(float(their), rel=1e-5)
            except ValueError:
                assert mine == their
    with open(tmp_path / "ours.csv") as handle:
        assert next(csv.reader(handle)) == ["epoch", "loss", "val_loss"]


def test_lambda_callback_and_hook_order_as_keras():
    k = keras()
    orders = []
    for lib in (k, nn):
        seen = []

        class Recorder(lib.callbacks.Callback):
            def on_train_begin(self, logs=None):
                seen.append("train_begin")

            def on_epoch_begin(self, epoch, logs=None):
                seen.append(f"epoch_begin {epoch}")

            def on_train_batch_begin(self, batch, logs=None):
                seen.append(f"batch_begin {batch}")

            def on_train_batch_end(self, batch, logs=None):
                seen.append(f"batch_end {batch} {sorted(logs)}")

            def on_epoch_end(self, epoch, logs=None):
                seen.append(f"epoch_end {epoch} {sorted(logs)}")

            def on_train_end(self, logs=None):
                seen.append("train_end")

        lambdas = lib.callbacks.LambdaCallback(
            on_epoch_end=lambda epoch, logs: seen.append(f"lambda {epoch}"),
            on_train_end=lambda logs: seen.append("lambda end"))
        _fit(lib, lambda callbacks, m: [Recorder(), lambdas], epochs=2)
        orders.append(seen)
    assert orders[1] == orders[0]


@pytest.mark.parametrize("options", [dict(monitor="loss", save_best_only=True),
                                     dict(monitor="loss", save_best_only=True, mode="max"),
                                     dict(monitor="loss", save_best_only=True,
                                          initial_value_threshold=3.0),
                                     dict(monitor="loss")], ids=str)
def test_model_checkpoint_saves_the_epochs_keras_saves(tmp_path, options):
    k = keras()
    saved = []
    for lib, suffix in ((k, ".keras"), (nn, ".npz")):
        folder = tmp_path / suffix[1:]
        folder.mkdir()
        _fit(lib, lambda callbacks, m: [callbacks.ModelCheckpoint(
            str(folder / ("model-{epoch:02d}" + suffix)), **options)], epochs=6)
        saved.append(sorted(p.name.split(".")[0] for p in folder.iterdir()))
    assert saved[1] == saved[0]
    assert saved[1], "the case should save at least one epoch"


def test_model_checkpoint_files_reload_to_the_best_weights(tmp_path):
    path = str(tmp_path / "best.npz")
    model, history, _ = _fit(nn, lambda callbacks, m: [callbacks.ModelCheckpoint(
        path, monitor="loss", save_best_only=True)], epochs=5)
    # The custom loss is found through custom_objects, as Keras' load_model requires.
    loaded = nn.load_model(path, custom_objects={"squared_error": squared_error})
    np.testing.assert_array_equal(loaded.get_weights()[0], model.get_weights()[0])


def test_history_is_keras_history():
    (k_model, k_history, _), (model, history, _) = _both(lambda callbacks, m: [], epochs=4)
    assert isinstance(history, nn.callbacks.History) and history is model.history
    _same_history(k_history, history)
    _same_weights(k_model, model)
