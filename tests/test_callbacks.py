"""Each callback changes training as Keras documents."""

import csv
import math

import numpy as np
import pytest

import nn
import optim

X = np.linspace(-1, 1, 32, dtype=np.float32)[:, None]
Y = 3 * X + 1


def line_model(lr=0.1, seed=0):
    nn.set_random_seed(seed)
    model = nn.Sequential([nn.Dense(1, input_shape=[1])])
    model.compile(optimizer=optim.SGD(lr), loss="mse")
    return model


class Scripted(nn.Callback):
    """Feeds a made-up monitored value, to test the rules without depending on training."""

    def __init__(self, values, key="val_loss"):
        super().__init__()
        self.values, self.key = values, key

    def on_epoch_end(self, epoch, logs=None):
        logs[self.key] = self.values[epoch]


def test_early_stopping_stops_after_patience_and_restores_the_best_weights():
    model = line_model()
    values = [5.0, 3.0, 4.0, 4.5, 4.2, 1.0, 0.5]
    saved = {}
    record = nn.LambdaCallback(on_epoch_end=lambda epoch, logs: saved.__setitem__(
        epoch, model.state_dict()))
    stop = nn.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
    history = model.fit(X, Y, epochs=7, verbose=0, callbacks=[Scripted(values), record, stop])
    assert history.epoch == [0, 1, 2, 3, 4]          # best at epoch 1, three worse epochs
    assert stop.stopped_epoch == 4 and stop.best_epoch == 1
    for name, value in saved[1].items():
        np.testing.assert_array_equal(model.state_dict()[name], value)


def test_early_stopping_min_delta_and_max_mode():
    model = line_model()
    stop = nn.EarlyStopping(monitor="val_accuracy", patience=1, min_delta=0.05)
    history = model.fit(X, Y, epochs=5, verbose=0,
                        callbacks=[Scripted([0.5, 0.52, 0.9, 0.91, 0.99], "val_accuracy"), stop])
    assert history.epoch == [0, 1]  # +0.02 is below min_delta in max mode


def test_reduce_lr_on_plateau():
    model = line_model(lr=0.1)
    values = [1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5]
    reduce = nn.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=2, cooldown=1,
                                  min_lr=0.02)
    history = model.fit(X, Y, epochs=7, verbose=0, callbacks=[Scripted(values), reduce])
    lrs = history.history["learning_rate"]
    assert lrs == pytest.approx([0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05])  # logged before a cut
    assert model.optimizer.param_groups[0]["lr"] == pytest.approx(0.025)


def test_learning_rate_scheduler_sets_each_epoch():
    model = line_model(lr=0.1)
    scheduler = nn.LearningRateScheduler(lambda epoch, lr: 0.1 / (epoch + 1))
    history = model.fit(X, Y, epochs=3, verbose=0, callbacks=[scheduler])
    assert history.history["learning_rate"] == pytest.approx([0.1, 0.05, 0.1 / 3])


def test_terminate_on_nan_stops_training():
    model = line_model(lr=1e6)  # diverges within a few steps
    with np.errstate(over="ignore", invalid="ignore"):
        history = model.fit(X * 1e3, Y * 1e3, epochs=50, batch_size=4, verbose=0,
                            callbacks=[nn.TerminateOnNaN()])
    assert len(history.epoch) < 50
    assert not math.isfinite(history.history["loss"][-1])


def test_csv_logger(tmp_path):
    path = tmp_path / "log.csv"
    model = line_model()
    model.fit(X, Y, epochs=3, verbose=0, callbacks=[nn.CSVLogger(path)])
    with open(path) as file:
        rows = list(csv.reader(file))
    # As Keras: a val_ column for each key when the first epoch has no validation, 'NA' in it.
    assert rows[0] == ["epoch", "loss", "val_loss"] and len(rows) == 4
    assert [row[2] for row in rows[1:]] == ["NA"] * 3


def test_model_checkpoint_saves_only_improvements(tmp_path):
    model = line_model()
    path = tmp_path / "best.npz"
    saves = []
    checkpoint = nn.ModelCheckpoint(str(path), monitor="val_loss", save_best_only=True)
    original = model.save
    model.save = lambda p: (saves.append(p), original(p))
    model.fit(X, Y, epochs=4, verbose=0, callbacks=[Scripted([3.0, 2.0, 2.5, 1.0]), checkpoint])
    assert len(saves) == 3 and path.exists()
    assert [w.shape for w in nn.load_model(path).get_weights()] == [(1, 1), (1,)]


def test_lambda_callback_rejects_hooks_fit_would_never_call():
    with pytest.raises(ValueError, match="are not callback hooks"):
        nn.LambdaCallback(on_epoch_finish=print)
    callback = nn.LambdaCallback(on_train_end=print, note="kept")  # Keras keeps other keywords
    assert callback.note == "kept" and callback.on_train_end is print


def test_the_keras_module_holds_keras_callbacks():
    import nn as keras

    assert keras.callbacks.EarlyStopping is nn.EarlyStopping
    assert sorted(keras.callbacks.__all__) == sorted(
        ["CSVLogger", "Callback", "EarlyStopping", "History", "LambdaCallback",
         "LearningRateScheduler", "ModelCheckpoint", "ReduceLROnPlateau", "TerminateOnNaN"])


def test_monitor_direction_is_decided_as_keras_decides_it():
    model = line_model()
    with pytest.raises(ValueError, match="mode must be"):
        nn.EarlyStopping(mode="best")
    odd = nn.EarlyStopping(monitor="val_score")
    with pytest.raises(ValueError, match="Pass mode='max'"):
        model.fit(X, Y, epochs=1, verbose=0, callbacks=[Scripted([1.0], "val_score"), odd])


def test_learning_rate_schedule_must_return_a_float():
    model = line_model()
    with pytest.raises(ValueError, match="should be a float"):
        model.fit(X, Y, epochs=1, verbose=0,
                  callbacks=[nn.LearningRateScheduler(lambda epoch, lr: 1)])
