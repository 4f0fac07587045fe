"""Callbacks that watch one logged quantity and act when it stops improving (Keras' rules)."""

from __future__ import annotations

import math
import warnings
from typing import Any

import optim
from nn.training.callbacks import LOGS, Callback, get_learning_rate, set_learning_rate


class _Monitor:
    """Decides whether a value improves on another, for a quantity to minimise or maximise."""

    def __init__(self, who: str, monitor: str, mode: str, min_delta: float) -> None:
        if mode not in ("auto", "min", "max"):
            raise ValueError(f"{who}: mode must be 'auto', 'min' or 'max'. Received: "
                             f"mode={mode!r}")
        if mode == "auto":
            maximise = any(word in monitor for word in ("acc", "precision", "recall", "auc"))
            mode = "max" if maximise else "min"
        self.who = who
        self.monitor = monitor
        self.mode = mode
        self.min_delta = abs(min_delta)

    @property
    def worst(self) -> float:
        return math.inf if self.mode == "min" else -math.inf

    def improves(self, current: float, reference: float) -> bool:
        if self.mode == "min":
            return current < reference - self.min_delta
        return current > reference + self.min_delta

    def read(self, logs: LOGS | None) -> float | None:
        value = (logs or {}).get(self.monitor)
        if value is None:
            warnings.warn(f"{self.who}: '{self.monitor}' is not among the logged values "
                          f"{sorted(logs or {})}; nothing is monitored", UserWarning,
                          stacklevel=3)
        return value


class EarlyStopping(Callback):
    """Stop training when the monitored quantity has not improved for ``patience`` epochs.

    Args:
        monitor: The logged quantity to watch (``'val_loss'``, ``'loss'``, ``'val_accuracy'``).
        min_delta: A change smaller than this is not an improvement.
        patience: Epochs without improvement before stopping.
        verbose: Print when stopping.
        mode: ``'min'``, ``'max'``, or ``'auto'`` (max for accuracies, else min).
        baseline: Training stops unless the quantity beats this within ``patience`` epochs.
        restore_best_weights: On stopping, put back the weights of the best epoch.
        start_from_epoch: Epochs to wait before watching at all.
    """

    def __init__(self, monitor: str = "val_loss", min_delta: float = 0.0, patience: int = 0,
                 verbose: int = 0, mode: str = "auto", baseline: float | None = None,
                 restore_best_weights: bool = False, start_from_epoch: int = 0) -> None:
        super().__init__()
        self._watch = _Monitor("EarlyStopping", monitor, mode, min_delta)
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.restore_best_weights = restore_best_weights
        self.start_from_epoch = start_from_epoch

    def on_train_begin(self, logs: LOGS | None = None) -> None:
        self.wait = 0
        self.stopped_epoch = 0
        self.best = self._watch.worst
        self.best_epoch = 0
        self.best_weights: dict | None = None

    def on_epoch_end(self, epoch: int, logs: LOGS | None = None) -> None:
        current = self._watch.read(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self.model.state_dict()
        self.wait += 1
        if self._watch.improves(current, self.best):
            self.best, self.best_epoch = current, epoch
            if self.restore_best_weights:
                self.best_weights = self.model.state_dict()
            if self.baseline is None or self._watch.improves(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True
            if self.restore_best_weights and self.best_weights is not None:
                self.model.load_state_dict(self.best_weights)
                if self.verbose:
                    print(f"Restoring the weights of epoch {self.best_epoch + 1}.")

    def on_train_end(self, logs: LOGS | None = None) -> None:
        if self.stopped_epoch and self.verbose:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")


class ModelCheckpoint(Callback):
    """Save the model (or its weights) after epochs, optionally only when it improved.

    Args:
        filepath: Where to save; may hold ``{epoch}`` and log names as format fields
            (``'ckpt-{epoch:02d}-{val_loss:.2f}.npz'``).
        monitor: The quantity that decides what "best" is.
        verbose: Print each save.
        save_best_only: Save only when ``monitor`` improved on every earlier epoch.
        save_weights_only: Save ``save_weights`` files instead of whole models.
        mode: ``'min'``, ``'max'`` or ``'auto'``.
        initial_value_threshold: A value the quantity must beat for the first save.
    """

    def __init__(self, filepath: str, monitor: str = "val_loss", verbose: int = 0,
                 save_best_only: bool = False, save_weights_only: bool = False,
                 mode: str = "auto", initial_value_threshold: float | None = None) -> None:
        super().__init__()
        self.filepath = str(filepath)
        self._watch = _Monitor("ModelCheckpoint", monitor, mode, 0.0)
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.best = self._watch.worst if initial_value_threshold is None else (
            initial_value_threshold)

    def on_epoch_end(self, epoch: int, logs: LOGS | None = None) -> None:
        logs = logs or {}
        path = self.filepath.format(epoch=epoch + 1, **logs)
        if self.save_best_only:
            current = self._watch.read(logs)
            if current is None or not self._watch.improves(current, self.best):
                return
            if self.verbose:
                print(f"Epoch {epoch + 1}: {self._watch.monitor} improved from {self.best:.5f} "
                      f"to {current:.5f}, saving the model to {path}")
            self.best = current
        elif self.verbose:
            print(f"Epoch {epoch + 1}: saving the model to {path}")
        if self.save_weights_only:
            self.model.save_weights(path)
        else:
            self.model.save(path)


class ReduceLROnPlateau(Callback):
    """Multiply the learning rate by ``factor`` when the quantity stops improving.

    Keras' callback over ``optim.ReduceLROnPlateau`` (PyTorch's scheduler), which holds the
    algorithm: this class reads the monitored value from the epoch's logs and translates Keras'
    counting into PyTorch's. Keras reduces once ``patience`` bad epochs have been seen and counts
    the last epoch of a cooldown again; PyTorch waits for more than ``patience`` bad epochs and
    skips the whole cooldown, hence the scheduler gets ``patience - 1`` and ``cooldown - 1``.
    ``min_delta`` is an absolute margin (PyTorch's ``threshold_mode='abs'``).

    Args:
        monitor: The quantity to watch.
        factor: The multiplier, in (0, 1).
        patience: Epochs without improvement before reducing.
        verbose: Print each reduction.
        mode: ``'min'``, ``'max'`` or ``'auto'``.
        min_delta: A change smaller than this is not an improvement.
        cooldown: Epochs to wait after a reduction before watching again.
        min_lr: The learning rate never goes below this.
    """

    def __init__(self, monitor: str = "val_loss", factor: float = 0.1, patience: int = 10,
                 verbose: int = 0, mode: str = "auto", min_delta: float = 1e-4,
                 cooldown: int = 0, min_lr: float = 0.0) -> None:
        super().__init__()
        if not 0.0 < factor < 1.0:
            raise ValueError(f"ReduceLROnPlateau: factor must be between 0 and 1 (exclusive). "
                             f"Received: factor={factor}")
        self._watch = _Monitor("ReduceLROnPlateau", monitor, mode, min_delta)
        self.factor = factor
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.min_lr = min_lr
        self.scheduler: optim.ReduceLROnPlateau | None = None

    @property
    def best(self) -> float:
        """The best value seen so far (infinitely bad before the first epoch)."""
        return self._watch.worst if self.scheduler is None else self.scheduler.best

    def on_train_begin(self, logs: LOGS | None = None) -> None:
        self.scheduler = optim.ReduceLROnPlateau(
            self.model.optimizer, mode=self._watch.mode, factor=self.factor,
            patience=max(self.patience - 1, 0), threshold=self._watch.min_delta,
            threshold_mode="abs", cooldown=max(self.cooldown - 1, 0), min_lr=self.min_lr,
            eps=0.0)

    def on_epoch_end(self, epoch: int, logs: LOGS | None = None) -> None:
        optimizer: Any = self.model.optimizer
        old = get_learning_rate(optimizer)
        if logs is not None:
            logs["learning_rate"] = old
        current = self._watch.read(logs)
        if current is None:
            return
        self.scheduler.step(current)
        new = get_learning_rate(optimizer)
        if new < old:
            set_learning_rate(optimizer, new)  # every group, and groups added later
            if self.verbose:
                print(f"Epoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new}.")
