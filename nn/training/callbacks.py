"""Callbacks: code that ``fit`` calls at the start and end of training, of each epoch and batch.

The protocol is Keras': a callback overrides the hooks it needs; ``logs`` is a dict of the
latest numbers (``'loss'``, metrics, ``'val_*'``); setting ``model.stop_training = True`` ends
training after the current epoch. Callbacks that watch a metric (``EarlyStopping``,
``ModelCheckpoint``, ``ReduceLROnPlateau``) are in ``nn.training.monitoring``.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable
from typing import Any

import numpy as np

LOGS = dict[str, float]


class Callback:
    """Base class: every hook does nothing; ``model`` and ``params`` are set by ``fit``."""

    def __init__(self) -> None:
        self.model: Any = None
        self.params: dict[str, Any] = {}

    def set_model(self, model: Any) -> None:
        """Called by ``fit`` before training: the model being trained."""
        self.model = model

    def set_params(self, params: dict[str, Any]) -> None:
        """Called by ``fit`` before training: ``epochs``, ``steps``, ``verbose``."""
        self.params = params

    def on_train_begin(self, logs: LOGS | None = None) -> None:
        """Before the first epoch."""

    def on_train_end(self, logs: LOGS | None = None) -> None:
        """After the last epoch (also when training was stopped)."""

    def on_epoch_begin(self, epoch: int, logs: LOGS | None = None) -> None:
        """Before epoch ``epoch`` (counted from 0)."""

    def on_epoch_end(self, epoch: int, logs: LOGS | None = None) -> None:
        """After epoch ``epoch``, with the epoch's losses and metrics (validation included)."""

    def on_batch_begin(self, batch: int, logs: LOGS | None = None) -> None:
        """Keras' older name of ``on_train_batch_begin``, which calls it."""

    def on_batch_end(self, batch: int, logs: LOGS | None = None) -> None:
        """Keras' older name of ``on_train_batch_end``, which calls it."""

    def on_train_batch_begin(self, batch: int, logs: LOGS | None = None) -> None:
        """Before training step ``batch`` of the current epoch (calls ``on_batch_begin``, as
        Keras does for callbacks written with the older name)."""
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch: int, logs: LOGS | None = None) -> None:
        """After training step ``batch``, with the running means of the epoch so far (calls
        ``on_batch_end``, as Keras does)."""
        self.on_batch_end(batch, logs=logs)

    def on_test_begin(self, logs: LOGS | None = None) -> None:
        """Before ``evaluate`` (or ``fit``'s validation) runs its first batch."""

    def on_test_end(self, logs: LOGS | None = None) -> None:
        """After ``evaluate`` (or ``fit``'s validation), with its results (no ``val_``)."""

    def on_test_batch_begin(self, batch: int, logs: LOGS | None = None) -> None:
        """Before evaluation batch ``batch``."""

    def on_test_batch_end(self, batch: int, logs: LOGS | None = None) -> None:
        """After evaluation batch ``batch``, with the running results so far."""

    def on_predict_begin(self, logs: LOGS | None = None) -> None:
        """Before ``predict`` runs its first batch."""

    def on_predict_end(self, logs: LOGS | None = None) -> None:
        """After ``predict``'s last batch."""

    def on_predict_batch_begin(self, batch: int, logs: LOGS | None = None) -> None:
        """Before prediction batch ``batch``."""

    def on_predict_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
        """After prediction batch ``batch``; ``logs['outputs']`` holds its outputs."""


_HOOKS = tuple(name for name in vars(Callback) if name.startswith("on_"))


class CallbackList:
    """Calls the same hook on each callback in order.

    Only the callbacks that define a hook are called for it (a hook left as ``Callback``'s
    does nothing), so ``fit`` can skip the work of a batch hook that nobody listens to.
    """

    def __init__(self, callbacks: list[Callback], model: Any, params: dict[str, Any]) -> None:
        self.callbacks = list(callbacks)
        for callback in self.callbacks:
            callback.set_model(model)
            callback.set_params(params)
        self._listeners = {hook: [getattr(callback, hook) for callback in self.callbacks
                                  if _defines(callback, hook)] for hook in _HOOKS}

    def call(self, hook: str, *args: Any) -> None:
        """Run ``hook`` (a method name such as ``'on_epoch_end'``) on every callback."""
        for method in self._listeners[hook]:
            method(*args)

    def listens(self, hook: str) -> bool:
        """Whether any callback defines ``hook``."""
        return bool(self._listeners[hook])


_OLDER_NAMES = {"on_train_batch_begin": "on_batch_begin", "on_train_batch_end": "on_batch_end"}


def _defines(callback: Callback, hook: str) -> bool:
    """True when ``callback`` does something on ``hook``: its class overrides the method, or
    the instance holds its own function (``LambdaCallback``); a training-batch hook also when
    the callback writes Keras' older name for it (``on_batch_end``), which it calls."""
    def own(name: str) -> bool:
        return name in vars(callback) or getattr(type(callback), name) is not getattr(
            Callback, name)

    return own(hook) or (hook in _OLDER_NAMES and own(_OLDER_NAMES[hook]))


class History(Callback):
    """Records the logs of every epoch; ``fit`` returns it.

    Attributes:
        epoch: The epoch numbers seen (from 0, or from ``initial_epoch``).
        history: ``{'loss': [...], 'val_loss': [...], <metric>: [...]}``, one value per epoch.
    """

    def __init__(self) -> None:
        super().__init__()
        self.epoch: list[int] = []
        self.history: dict[str, list[float]] = {}

    def on_epoch_end(self, epoch: int, logs: LOGS | None = None) -> None:
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)

    def plot(self, keys: list[str] | None = None, ax: Any = None, logy: bool = False) -> Any:
        """Draw each recorded quantity against the epoch with matplotlib.

        Losses and metrics go on separate axes when both are present (two side-by-side plots),
        so a loss in the thousands does not flatten an accuracy between 0 and 1.

        Returns:
            Always one matplotlib ``Axes``: the first plot (the losses, when any). The figure is
            ``ax.figure``, and all its plots are ``ax.figure.axes``.
        """
        import matplotlib.pyplot as plt

        keys = keys or [k for k in self.history if k != "learning_rate"]
        losses = [k for k in keys if "loss" in k]
        others = [k for k in keys if k not in losses]
        groups = [group for group in (losses, others) if group]
        if ax is None:
            _, grid = plt.subplots(1, len(groups), figsize=(5.5 * len(groups), 3.8),
                                   squeeze=False)
            axes = list(grid[0])
        else:
            axes = [ax] * len(groups)
        epochs = [e + 1 for e in self.epoch]
        for axis, group in zip(axes, groups):
            for key in group:
                axis.plot(epochs, self.history[key], label=key)
            axis.set_xlabel("epoch")
            axis.set_ylabel("loss" if group is losses else "metric")
            if logy and group is losses:
                axis.set_yscale("log")
            axis.legend()
            axis.grid(alpha=0.3)
        return axes[0]


class LambdaCallback(Callback):
    """A callback made of functions: ``LambdaCallback(on_epoch_end=lambda epoch, logs: ...)``.

    Args:
        on_epoch_begin, on_epoch_end: Functions of ``(epoch, logs)``.
        on_train_begin, on_train_end: Functions of ``(logs)``.
        on_train_batch_begin, on_train_batch_end: Functions of ``(batch, logs)``.
        **kwargs: Further attributes to set on the callback, as in Keras.
    """

    def __init__(self, on_epoch_begin: Callable[..., Any] | None = None,
                 on_epoch_end: Callable[..., Any] | None = None,
                 on_train_begin: Callable[..., Any] | None = None,
                 on_train_end: Callable[..., Any] | None = None,
                 on_train_batch_begin: Callable[..., Any] | None = None,
                 on_train_batch_end: Callable[..., Any] | None = None, **kwargs: Any) -> None:
        super().__init__()
        hooks = {"on_epoch_begin": on_epoch_begin, "on_epoch_end": on_epoch_end,
                 "on_train_begin": on_train_begin, "on_train_end": on_train_end,
                 "on_train_batch_begin": on_train_batch_begin,
                 "on_train_batch_end": on_train_batch_end}
        # Other hooks (on_test_end, on_predict_begin, ...) are set from kwargs, as in Keras;
        # a name that is no hook would be silently never called: refuse it.
        ignored = sorted(name for name in kwargs if name.startswith("on_")
                         and name not in _HOOKS)
        if ignored:
            raise ValueError(f"LambdaCallback: {ignored} are not callback hooks; the hooks are "
                             f"{sorted(_HOOKS)}")
        self.__dict__.update(kwargs)
        for name, function in hooks.items():
            if function is not None:
                setattr(self, name, function)


class TerminateOnNaN(Callback):
    """Stop training as soon as a batch's loss is NaN or infinite.

    Args:
        raise_error: Raise a ``RuntimeError`` at once instead of stopping after the batch.
    """

    def __init__(self, raise_error: bool = False) -> None:
        super().__init__()
        self.raise_error = raise_error

    def on_train_batch_end(self, batch: int, logs: LOGS | None = None) -> None:
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(loss):
            if self.raise_error:
                raise RuntimeError(f"NaN or Inf loss encountered at batch {batch}. Loss value: "
                                   f"{loss}. Terminating training immediately.")
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True


def get_learning_rate(optimizer: Any) -> float:
    """The learning rate of the optimizer's first parameter group."""
    groups = getattr(optimizer, "param_groups", None)
    if groups:
        return float(groups[0]["lr"])
    return float(optimizer.defaults["lr"])


def set_learning_rate(optimizer: Any, lr: float) -> None:
    """Set the learning rate of every parameter group (and of groups added later)."""
    if isinstance(getattr(type(optimizer), "learning_rate", None), property):
        # The optimizer's own setter: it checks the rate, and a Keras optimizer that follows a
        # schedule refuses, as in Keras.
        optimizer.learning_rate = float(lr)
        return
    for group in getattr(optimizer, "param_groups", []):
        group["lr"] = float(lr)
    optimizer.defaults["lr"] = float(lr)


class LearningRateScheduler(Callback):
    """Set the learning rate at each epoch's start to ``schedule(epoch, lr)``.

    Args:
        schedule: A function of the epoch (from 0) and the current rate, returning the new rate.
        verbose: Print each change when true.
    """

    def __init__(self, schedule: Callable[..., float], verbose: int = 0) -> None:
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch: int, logs: LOGS | None = None) -> None:
        try:  # Keras' old one-argument form, schedule(epoch), works too
            lr = self.schedule(epoch, get_learning_rate(self.model.optimizer))
        except TypeError:
            lr = self.schedule(epoch)
        if not isinstance(lr, (float, np.floating)):
            raise ValueError(f"The output of the schedule function should be a float. Got: "
                             f"{lr!r}")
        lr = float(lr)
        if not math.isfinite(lr) or lr < 0:
            raise ValueError(f"LearningRateScheduler: the schedule returned an invalid "
                             f"learning rate at epoch {epoch}: {lr}")
        set_learning_rate(self.model.optimizer, lr)
        if self.verbose:
            print(f"Epoch {epoch + 1}: LearningRateScheduler setting learning rate to {lr}.")

    def on_epoch_end(self, epoch: int, logs: LOGS | None = None) -> None:
        if logs is not None:
            logs["learning_rate"] = get_learning_rate(self.model.optimizer)


class CSVLogger(Callback):
    """Write one CSV row per epoch: the epoch number and every log value, as Keras writes it
    (the columns are the first epoch's keys, sorted, with a ``val_`` twin for each when that
    epoch had no validation; a missing value is ``NA``).

    Args:
        filename: Where to write.
        separator: The column separator.
        append: Add to an existing file instead of starting a new one.
    """

    def __init__(self, filename: str, separator: str = ",", append: bool = False) -> None:
        super().__init__()
        self.filename = str(filename)
        self.separator = separator
        self.append = append
        self._file: Any = None
        self._writer: Any = None

    def on_train_begin(self, logs: LOGS | None = None) -> None:
        self._file = open(self.filename, "a" if self.append else "w", newline="")  # noqa: SIM115
        self._writer = None

    def on_epoch_end(self, epoch: int, logs: LOGS | None = None) -> None:
        logs = logs or {}
        if self._writer is None:
            self._keys = sorted(logs)
            # As Keras: without validation in the first epoch, a 'val_' column is added for
            # each key (validation_freq may validate later); missing values are written 'NA'.
            if self._keys and not any(key.startswith("val_") for key in self._keys):
                self._keys += [f"val_{key}" for key in self._keys]
            self._writer = csv.writer(self._file, delimiter=self.separator)
            if not self.append or self._file.tell() == 0:
                self._writer.writerow(["epoch", *self._keys])
        self._writer.writerow([epoch, *[logs.get(key, "NA") for key in self._keys]])
        self._file.flush()

    def on_train_end(self, logs: LOGS | None = None) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
