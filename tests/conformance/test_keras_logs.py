"""What fit, evaluate and the callbacks report, against Keras 3: the same keys (a regularized
model's penalty is inside 'loss', not reported apart) and the same hooks' logs
(``on_train_end`` gets the last epoch's)."""

import csv

import numpy as np
import pytest

import nn
from tests.conformance.borrowed import keras

RNG = np.random.default_rng(8)
X = RNG.normal(size=(20, 4)).astype(np.float32)
Y = (X[:, :1] * 2.0 - X[:, 1:2]).astype(np.float32)


def _regularized(lib):
    model = lib.Sequential([lib.Input(shape=(4,)),
                            lib.layers.Dense(1, kernel_regularizer=lib.regularizers.L2(0.1))])
    model.set_weights([np.full((4, 1), 0.5, np.float32), np.zeros(1, np.float32)])
    model.compile(optimizer=lib.optimizers.SGD(0.05), loss="mse", metrics=["mae"])
    return model


def _recorder(lib):
    class Recorder(lib.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seen = []

        def on_epoch_end(self, epoch, logs=None):
            self.seen.append(("epoch_end", dict(logs)))

        def on_train_batch_end(self, batch, logs=None):
            self.seen.append(("batch_end", sorted(logs)))

        def on_train_end(self, logs=None):
            self.seen.append(("train_end", dict(logs or {})))

    return Recorder()


def _run(lib, tmp_path, epochs=3):
    model = _regularized(lib)
    recorder = _recorder(lib)
    log_file = tmp_path / f"{lib.__name__}.csv"
    history = model.fit(X, Y, epochs=epochs, batch_size=10, shuffle=False, verbose=0,
                        validation_split=0.25,
                        callbacks=[recorder, lib.callbacks.CSVLogger(str(log_file))])
    with open(log_file, newline="") as f:
        header = next(csv.reader(f), [])  # no epoch, no header
    evaluated = model.evaluate(X, Y, verbose=0, return_dict=True)
    return history.history, recorder.seen, header, evaluated


def test_regularized_logs_have_keras_keys_and_values(tmp_path):
    ours = _run(nn, tmp_path)
    theirs = _run(keras(), tmp_path)
    (history, seen, header, evaluated), (k_history, k_seen, k_header, k_evaluated) = ours, theirs
    assert sorted(history) == sorted(k_history) == ["loss", "mae", "val_loss", "val_mae"]
    assert header == k_header
    assert sorted(evaluated) == sorted(k_evaluated)
    assert [(kind, sorted(logs)) if isinstance(logs, dict) else (kind, logs)
            for kind, logs in seen] == \
        [(kind, sorted(logs)) if isinstance(logs, dict) else (kind, logs)
         for kind, logs in k_seen]
    for key in history:
        np.testing.assert_allclose(history[key], k_history[key], rtol=1e-5)
    assert evaluated == pytest.approx(k_evaluated, rel=1e-5)


@pytest.mark.parametrize("epochs", [0, 3])
def test_on_train_end_gets_the_last_epochs_logs(tmp_path, epochs):
    for lib in (nn, keras()):
        _, seen, _, _ = _run(lib, tmp_path, epochs)
        ends = [logs for kind, logs in seen if kind == "epoch_end"]
        assert seen[-1] == ("train_end", ends[-1] if ends else {}), lib.__name__


def _hook_recorder(lib):
    class Hooks(lib.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seen = []

        def _record(self, name, *args):
            *numbers, logs = args
            logs = {key: (np.shape(value) if key == "outputs" else value)
                    for key, value in (logs or {}).items()}
            self.seen.append((name, *numbers, logs))

    for name in ("on_test_begin", "on_test_end", "on_predict_begin", "on_predict_end",
                 "on_epoch_end"):
        setattr(Hooks, name, (lambda hook: lambda self, *a: self._record(hook, *a))(name))
    for name in ("on_test_batch_begin", "on_test_batch_end", "on_predict_batch_begin",
                 "on_predict_batch_end"):
        setattr(Hooks, name, (lambda hook: lambda self, b, logs=None: self._record(
            hook, b, logs))(name))
    return Hooks()


def _assert_same_hooks(ours, theirs):
    assert [entry[:-1] for entry in ours] == [entry[:-1] for entry in theirs]
    for mine, their in zip(ours, theirs):
        assert sorted(mine[-1]) == sorted(their[-1])
        for key, value in mine[-1].items():
            if isinstance(value, tuple):
                assert value == tuple(their[-1][key])
            else:
                assert value == pytest.approx(their[-1][key], rel=1e-5)


def test_evaluate_predict_and_validation_call_keras_test_and_predict_hooks():
    runs = []
    for lib in (nn, keras()):
        model = _regularized(lib)
        hooks = _hook_recorder(lib)
        result = model.evaluate(X, Y, batch_size=8, verbose=0, callbacks=[hooks])
        model.predict(X, batch_size=8, verbose=0, callbacks=[hooks])
        model.fit(X, Y, epochs=1, batch_size=8, shuffle=False, verbose=0,
                  validation_split=0.4, callbacks=[hooks])
        runs.append((result, hooks.seen, hooks.params))
    (result, seen, params), (k_result, k_seen, k_params) = runs
    assert result == pytest.approx(k_result, rel=1e-5)
    _assert_same_hooks(seen, k_seen)
    assert params == k_params


def test_older_batch_hook_names_and_lambda_test_hooks_are_called_as_in_keras():
    calls = []
    for lib in (nn, keras()):
        seen = []

        class Older(lib.callbacks.Callback):
            def on_batch_end(self, batch, logs=None):
                seen.append(("batch_end", batch, sorted(logs)))

        ends = lib.callbacks.LambdaCallback(
            on_test_end=lambda logs: seen.append(("test_end", sorted(logs))),
            on_predict_end=lambda logs: seen.append(("predict_end", logs)))
        model = _regularized(lib)
        model.fit(X, Y, epochs=1, batch_size=10, verbose=0, callbacks=[Older()])
        model.evaluate(X, Y, verbose=0, callbacks=[ends])
        model.predict(X, verbose=0, callbacks=[ends])
        calls.append(seen)
    assert calls[0] == calls[1]
