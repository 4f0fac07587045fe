"""``ReduceLROnPlateau``: lower the learning rate when a monitored metric stops improving."""

from __future__ import annotations

import math
from typing import Any

from autograd import Node, compiler
from optim._checks import at_least, real
from optim.optimizer import Optimizer
from optim.schedule import LRScheduler, check_optimizer


class ReduceLROnPlateau(LRScheduler):
    """Multiply the learning rate by ``factor`` when a metric has stopped improving.

    ``step(metric)`` is called with the monitored value (a validation loss, say). An epoch
    improves on the best value so far when, for ``mode='min'``, the metric is below
    ``best * (1 - threshold)`` (``threshold_mode='rel'``) or ``best - threshold`` (``'abs'``);
    for ``mode='max'``, above ``best * (1 + threshold)`` or ``best + threshold``. After more than
    ``patience`` epochs without improvement each group's rate becomes ``max(lr * factor,
    min_lr)`` (unless that changes it by ``eps`` or less), then ``cooldown`` epochs pass during
    which bad epochs are not counted.

    Args:
        optimizer: The optimizer to schedule.
        mode: ``'min'`` when lower is better, ``'max'`` when higher is.
        factor: The factor applied on a plateau, in [0, 1) (default 0.1).
        patience: Epochs without improvement tolerated before reducing (default 10).
        threshold: The margin an improvement must beat (default 1e-4).
        threshold_mode: ``'rel'`` (margin relative to the best value) or ``'abs'``.
        cooldown: Epochs after a reduction during which bad epochs are not counted.
        min_lr: A floor for the learning rate: one number, or one per group.
        eps: Reductions smaller than this are skipped.

    Examples:
        >>> import autograd as ag, optim
        >>> opt = optim.SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
        >>> sched = optim.ReduceLROnPlateau(opt, factor=0.5, patience=1)
        >>> for val_loss in [0.9, 0.8, 0.8, 0.8, 0.8, 0.8]:
        ...     sched.step(val_loss)
        >>> sched.get_last_lr()
        [0.25]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        mode: str = "min",
        factor: float = 0.1,
        patience: int = 10,
        threshold: float = 1e-4,
        threshold_mode: str = "rel",
        cooldown: int = 0,
        min_lr: float | list[float] = 0.0,
        eps: float = 1e-8,
    ) -> None:
        check_optimizer(optimizer, "ReduceLROnPlateau")
        _choice("mode", mode, ("min", "max"))
        _choice("threshold_mode", threshold_mode, ("rel", "abs"))
        if not 0 <= real("factor", factor) < 1:
            raise ValueError(f"Invalid factor: {factor!r} (factor must be in [0, 1): it "
                             f"multiplies the learning rate to reduce it)")
        for name, value in (("patience", patience), ("cooldown", cooldown)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"Invalid {name}: {value!r} ({name} must be an integer >= 0)")
        at_least("threshold", threshold, 0.0)
        at_least("eps", eps, 0.0)
        groups = optimizer.param_groups
        min_lrs = list(min_lr) if isinstance(min_lr, (list, tuple)) else [min_lr] * len(groups)
        if len(min_lrs) != len(groups):
            raise ValueError(f"ReduceLROnPlateau: min_lr has {len(min_lrs)} values for "
                             f"{len(groups)} parameter groups")
        self.optimizer = optimizer
        self.mode, self.factor, self.patience = mode, factor, patience
        self.threshold, self.threshold_mode, self.cooldown = threshold, threshold_mode, cooldown
        self.min_lrs, self.eps = min_lrs, eps
        self.best = math.inf if mode == "min" else -math.inf
        self.num_bad_epochs, self.cooldown_counter, self.last_epoch = 0, 0, 0
        self._last_lr = self._current()

    @compiler.disable
    def step(self, metrics: Any, epoch: int | None = None) -> None:  # type: ignore[override]  # PyTorch's own signature
        """Record this epoch's metric and reduce the learning rate if it has plateaued.

        Args:
            metrics: The monitored value (a number or a one-element tensor).
            epoch: The epoch number to record instead of ``last_epoch + 1`` (deprecated in
                PyTorch, which still honours it; so does this).
        """
        value = metrics.item() if isinstance(metrics, Node) else real("metrics", metrics)
        self.last_epoch = self.last_epoch + 1 if epoch is None else int(epoch)
        if self._improves(value):
            self.best, self.num_bad_epochs = value, 0
        else:
            self.num_bad_epochs += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            for group, floor in zip(self.optimizer.param_groups, self.min_lrs):
                new_lr = max(group["lr"] * self.factor, floor)
                if group["lr"] - new_lr > self.eps:
                    group["lr"] = new_lr
            self.cooldown_counter, self.num_bad_epochs = self.cooldown, 0
        self._last_lr = self._current()

    def _improves(self, value: float) -> bool:
        best, threshold = self.best, self.threshold
        if self.mode == "min":
            bar = best * (1 - threshold) if self.threshold_mode == "rel" else best - threshold
            return value < bar
        bar = best * (1 + threshold) if self.threshold_mode == "rel" else best + threshold
        return value > bar


def _choice(name: str, value: Any, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"Invalid {name}: {value!r} ({name} must be one of {allowed})")
