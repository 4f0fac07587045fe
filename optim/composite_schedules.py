"""Schedules made of schedules: ``ChainedScheduler``, as PyTorch's (re-exported by
``optim.lr_scheduler``)."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from optim._checks import describe
from optim.optimizer import Optimizer
from optim.plateau import ReduceLROnPlateau
from optim.schedule import LRScheduler


class ChainedScheduler(LRScheduler):
    """Step several chainable schedules together, with one ``step()`` call.

    Each ``step()`` steps every schedule in order; since each multiplies the rate the group
    holds, their factors combine. Creating it changes nothing (the schedules have started).

    Args:
        schedulers: The schedules, all on one optimizer; ``ReduceLROnPlateau`` is refused (its
            ``step`` needs a metric).
        optimizer: That optimizer (default: the first schedule's).

    Example:
        >>> import autograd as ag, optim
        >>> opt = optim.SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
        >>> both = optim.ChainedScheduler([optim.ConstantLR(opt, factor=0.5, total_iters=2),
        ...                                optim.ExponentialLR(opt, gamma=0.9)])
        >>> both.step()
        >>> both.get_last_lr()
        [0.45]
    """

    def __init__(self, schedulers: Sequence[LRScheduler],
                 optimizer: Optimizer | None = None) -> None:
        self._schedulers = check_schedulers(self, schedulers, optimizer)
        self.optimizer = optimizer or schedulers[0].optimizer
        self._last_lr = self._current()

    def step(self) -> None:  # type: ignore[override]
        """Step each schedule, in order."""
        for scheduler in self._schedulers:
            scheduler.step()
        self._last_lr = self._current()

    def state_dict(self) -> dict[str, Any]:
        """The state, with each schedule's own ``state_dict`` under ``'_schedulers'``."""
        state = {k: copy.deepcopy(v) for k, v in self.__dict__.items()
                 if k not in ("optimizer", "_schedulers")}
        state["_schedulers"] = [s.state_dict() for s in self._schedulers]
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore the state and each schedule's."""
        saved = state_dict["_schedulers"]
        if len(saved) != len(self._schedulers):
            raise ValueError(f"{type(self).__name__}.load_state_dict: {len(saved)} saved "
                             f"schedules for {len(self._schedulers)}")
        self.__dict__.update({k: copy.deepcopy(v) for k, v in state_dict.items()
                              if k != "_schedulers"})
        for scheduler, state in zip(self._schedulers, saved):
            scheduler.load_state_dict(state)


def check_schedulers(owner: LRScheduler, schedulers: Sequence[Any],
                     optimizer: Optimizer | None) -> list[LRScheduler]:
    """Schedules to combine: at least one, none a ``ReduceLROnPlateau``, all on one optimizer."""
    who = type(owner).__name__
    schedulers = list(schedulers)
    if not schedulers:
        raise ValueError(f"{who} expects at least one scheduler, but got no scheduler.")
    optimizer = optimizer or getattr(schedulers[0], "optimizer", None)
    for i, scheduler in enumerate(schedulers):
        if not isinstance(scheduler, LRScheduler):
            raise TypeError(f"{who}: the scheduler at index {i} is {describe(scheduler)}, not a "
                            f"learning-rate schedule")
        if isinstance(scheduler, ReduceLROnPlateau):
            raise ValueError(f"{who} does not support `ReduceLROnPlateau` scheduler as it requires "
                             f"additional kwargs to be specified when calling `step`, but got one "
                             f"at index {i} in the given schedulers sequence.")
        if scheduler.optimizer is not optimizer:
            raise ValueError(f"{who} expects all schedulers to belong to the same optimizer, but "
                             f"the scheduler at index {i} ({type(scheduler).__name__}) has "
                             f"another one")
    return schedulers
