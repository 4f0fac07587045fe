"""Callbacks that watch one logged quantity and act when it stops improving (Keras' rules)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from nn.training.callbacks import LOGS, Callback, get_learning_rate, set_learning_rate

_MAXIMISED = ("acc", "precision", "recall", "auc", "f1", "r2", "iou")
_MINIMISED = ("loss", "error", "crossentropy", "hinge", "divergence", "mae", "mse", "mape",
              "msle", "logcosh", "poisson")


class _Monitor:
    """Keras' ``MonitorCallback`` rules: whether a value improves on the best so far.

    ``mode='auto'`` minimises ``loss``/``val_loss`` and maximises accuracies, as Keras does
    from its metrics' directions (here read from their names); a name that says neither is an
    error at the first epoch's end, as in Keras. The first value is always an improvement.
    """

    def __init__(self, who: str, monitor: str, mode: str, min_delta: float) -> None:
        if mode not in ("auto", "min", "max"):
            # Keras warns and falls back to 'auto'; a misspelt mode is refused here instead.
            raise ValueError(f"{who}: mode must be 'auto', 'min' or 'max'. Received: "
                             f"mode={mode!r}")
        self.who = who
        self.monitor = monitor
        self.mode = mode
        self.min_delta = abs(min_delta)

    def _direction(self) -> str:
        if self.mode != "auto":
            return self.mode
        name = self.monitor.removeprefix("val_")
        if any(word in name for word in _MAXIMISED):
            return "max"
        if any(word in name for word in _MINIMISED):
            return "min"
        raise ValueError(f"{self.who} callback received monitor={self.monitor}, but it is not "
                         f"able to automatically determine whether that metric should be "
                         f"maximized or minimized. Pass mode='max' in order to monitor based "
                         f"on the highest metric value, or pass mode='min' in order to use "
                         f"the lowest value.")

    def improves(self, current: float, reference: float | None) -> bool:
        """Keras' ``_is_improvement``: better than ``reference`` by more than ``min_delta``."""
        if reference is None:
            return True
        if self._direction() == "min":
            return current + self.min_delta < reference
        return current - self.min_delta > reference

    def read(self, logs: LOGS | None) -> float | None:
        self._direction()  # an undecidable 'auto' fails here, as Keras' first epoch end does
        value = (logs or {}).get(self.monitor)
        if value is None:
            warnings.warn(f"{self.who}: '{self.monitor}' is not among the logged values "
                          f"{sorted(logs or {})}; nothing is monitored", UserWarning,
                          stacklevel=3)
        return value


class EarlyStopping(Callback):
    """Stop training when the monitored quantity has not improved for ``patience`` epochs.

    Keras' rules: the first watched epoch is the first best; ``wait`` counts epochs since the
    last improvement; training stops once ``wait >= patience`` (never after epoch 0). With
    ``restore_best_weights``, the weights of the best epoch are put back when training ends,
    whether or not it stopped early.

    Args:
        monitor: The logged quantity to watch (``'val_loss'``, ``'loss'``, ``'val_accuracy'``).
        min_delta: A change smaller than this is not an improvement.
        patience: Epochs without improvement before stopping.
        verbose: Print when stopping and restoring.
        mode: ``'min'``, ``'max'``, or ``'auto'`` (max for accuracies, min for losses).
        baseline: ``wait`` restarts only for values that also beat this one.
        restore_best_weights: At the end of training, put back the weights of the best epoch.
        start_from_epoch: Epochs to wait before watching at all.

    Examples:
        >>> import nn as keras
        >>> stop = keras.callbacks.EarlyStopping(monitor="loss", patience=3)
    """

    def __init__(self, monitor: str = "val_loss", min_delta: float = 0, patience: int = 0,
                 verbose: int = 0, mode: str = "auto", baseline: float | None = None,
                 restore_best_weights: bool = False, start_from_epoch: int = 0) -> None:
        super().__init__()
        self._watch = _Monitor("EarlyStopping", monitor, mode, min_delta)
        self.monitor = monitor
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.restore_best_weights = restore_best_weights
        self.start_from_epoch = start_from_epoch
        self.wait = 0
        self.stopped_epoch = 0
        self.best: float | None = None
        self.best_epoch = 0
        self.best_weights: list[Any] | None = None

    def on_train_begin(self, logs: LOGS | None = None) -> None:
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_epoch = 0
        self.best_weights = None

    def on_epoch_end(self, epoch: int, logs: LOGS | None = None) -> None:
        current = self._watch.read(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights, self.best_epoch = self.model.get_weights(), epoch
        self.wait += 1
        if self._watch.improves(current, self.best):
            self.best, self.best_epoch = current, epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._watch.improves(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs: LOGS | None = None) -> None:
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(f"Restoring model weights from the end of the best epoch: "
                      f"{self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)


class ModelCheckpoint(Callback):
    """Save the model (or its weights) after each epoch, optionally only when it improved.

    Args:
        filepath: Where to save; may hold ``{epoch}`` and log names as format fields
            (``'ckpt-{epoch:02d}-{val_loss:.2f}.npz'``). Files are this library's ``.npz``
            (Keras writes ``.keras``/``.weights.h5``).
        monitor: The quantity that decides what "best" is.
        verbose: Print each save.
        save_best_only: Save only when ``monitor`` improved on every earlier epoch (when it
            is not logged, Keras saves anyway, with a warning, and so does this).
        save_weights_only: Save ``save_weights`` files instead of whole models.
        mode: ``'min'``, ``'max'`` or ``'auto'``.
        save_freq: Only ``'epoch'`` (saving every N batches is not supported here).
        initial_value_threshold: A value the quantity must beat for the first save.

    Examples:
        >>> import nn as keras
        >>> save = keras.callbacks.ModelCheckpoint("best.npz", monitor="loss",
        ...                                        save_best_only=True)
    """

    def __init__(self, filepath: str, monitor: str = "val_loss", verbose: int = 0,
                 save_best_only: bool = False, save_weights_only: bool = False,
                 mode: str = "auto", save_freq: str | int = "epoch",
                 initial_value_threshold: float | None = None) -> None:
        super().__init__()
        if save_freq != "epoch":
            raise ValueError(f"ModelCheckpoint: save_freq={save_freq!r} is not supported here; "
                             f"only 'epoch' (save at the end of each epoch)")
        self.filepath = str(filepath)
        self._watch = _Monitor("ModelCheckpoint", monitor, mode, 0.0)
        self.monitor = monitor
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_freq = save_freq
        self.best = initial_value_threshold

    def on_epoch_end(self, epoch: int, logs: LOGS | None = None) -> None:
        logs = logs or {}
        path = self.filepath.format(epoch=epoch + 1, **logs)
        if self.save_best_only:
            current = self._watch.read(logs)
            if current is not None:  # Keras saves when the quantity is missing
                best = "None" if self.best is None else f"{self.best:.5f}"
                if not self._watch.improves(current, self.best):
                    if self.verbose > 0:
                        print(f"Epoch {epoch + 1}: {self.monitor} did not improve from {best}")
                    return
                if self.verbose > 0:
                    print(f"Epoch {epoch + 1}: {self.monitor} improved from {best} to "
                          f"{current:.5f}, saving model to {path}")
                self.best = current
        elif self.verbose > 0:
            print(f"Epoch {epoch + 1}: saving model to {path}")
        if self.save_weights_only:
            self.model.save_weights(path)
        else:
            self.model.save(path)


class ReduceLROnPlateau(Callback):
    """Multiply the learning rate by ``factor`` when the quantity stops improving (Keras' rule).

    After each epoch: in a cooldown, the cooldown counter drops by one and ``wait`` restarts;
    an improvement becomes the best and restarts ``wait``; otherwise, outside a cooldown,
    ``wait`` grows, and at ``patience`` the rate becomes ``max(lr * factor, min_lr)`` (when it
    is above ``min_lr``) and a cooldown of ``cooldown`` epochs starts. The rate is logged as
    ``'learning_rate'``.

    Args:
        monitor: The quantity to watch.
        factor: The multiplier, below 1.
        patience: Epochs without improvement before reducing.
        verbose: Print each reduction.
        mode: ``'min'``, ``'max'`` or ``'auto'``.
        min_delta: A change smaller than this is not an improvement.
        cooldown: Epochs to wait after a reduction before counting again.
        min_lr: The learning rate never goes below this.

    Examples:
        >>> import nn as keras
        >>> plateau = keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=2)
    """

    def __init__(self, monitor: str = "val_loss", factor: float = 0.1, patience: int = 10,
                 verbose: int = 0, mode: str = "auto", min_delta: float = 1e-4,
                 cooldown: int = 0, min_lr: float = 0.0, **kwargs: Any) -> None:
        super().__init__()
        if kwargs:
            raise TypeError(f"ReduceLROnPlateau got unexpected keyword arguments "
                            f"{sorted(kwargs)}")
        if factor >= 1.0:
            raise ValueError(f"ReduceLROnPlateau does not support a factor >= 1.0. "
                             f"Received factor={factor}")
        self._watch = _Monitor("ReduceLROnPlateau", monitor, mode, min_delta)
        self.monitor = monitor
        self.factor = factor
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.min_lr = min_lr
        self.best: float | None = None
        self.cooldown_counter = 0
        self.wait = 0

    def on_train_begin(self, logs: LOGS | None = None) -> None:
        self.best, self.cooldown_counter, self.wait = None, 0, 0

    def on_epoch_end(self, epoch: int, logs: LOGS | None = None) -> None:
        optimizer: Any = self.model.optimizer
        if logs is not None:
            logs["learning_rate"] = get_learning_rate(optimizer)
        current = self._watch.read(logs)
        if current is None:
            return
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.wait = 0
        if self._watch.improves(current, self.best):
            self.best, self.wait = current, 0
        elif self.cooldown_counter <= 0:
            self.wait += 1
            if self.wait >= self.patience:
                old = get_learning_rate(optimizer)
                # Keras compares with min_lr in float32, the dtype of its learning rate.
                if np.float32(old) > np.float32(self.min_lr):
                    new = max(old * self.factor, self.min_lr)
                    set_learning_rate(optimizer, new)
                    if self.verbose > 0:
                        print(f"Epoch {epoch + 1}: ReduceLROnPlateau reducing learning rate "
                              f"to {new}.")
                    self.cooldown_counter, self.wait = self.cooldown, 0
