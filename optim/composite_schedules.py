"""Schedules made of schedules: ``ChainedScheduler`` and ``SequentialLR``, as PyTorch's
(re-exported by ``optim.lr_scheduler``)."""

from __future__ import annotations

import bisect
import copy
from collections.abc import Sequence
from typing import Any

from autograd import compiler
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

    Examples:
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

    @compiler.disable
    def step(self) -> None:  # type: ignore[override]  # PyTorch's own signature
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


class SequentialLR(LRScheduler):
    """Run schedules one after the other, switching at the given epochs (e.g. a warm-up, then
    a decay).

    Schedule ``i`` runs from ``milestones[i - 1]`` (0 for the first) until the next milestone.
    As in PyTorch, creating it puts the rates back to each group's ``initial_lr`` and undoes the
    step each schedule took when it was created; the first schedule then starts, and at each
    milestone the next one starts at its epoch 0 (from its closed form where it has one).

    Args:
        optimizer: The optimizer all the schedules belong to.
        schedulers: The schedules, in order (``ReduceLROnPlateau`` is refused).
        milestones: The epochs at which the next schedule takes over, one fewer than
            ``schedulers``.
        last_epoch: The index of the last epoch (default -1: a new sequence).

    Examples:
        >>> import autograd as ag, optim
        >>> opt = optim.SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
        >>> warmup = optim.LinearLR(opt, start_factor=0.5, total_iters=2)
        >>> decay = optim.ExponentialLR(opt, gamma=0.5)
        >>> sched = optim.SequentialLR(opt, [warmup, decay], milestones=[2])
        >>> lrs = [sched.get_last_lr()[0]]
        >>> for _ in range(4):
        ...     sched.step()
        ...     lrs.append(sched.get_last_lr()[0])
        >>> lrs
        [0.5, 0.75, 1.0, 0.5, 0.25]
    """

    def __init__(self, optimizer: Optimizer, schedulers: list[LRScheduler],
                 milestones: list[int], last_epoch: int = -1) -> None:
        self._schedulers = check_schedulers(self, schedulers, optimizer)
        milestones = list(milestones)
        if len(milestones) != len(self._schedulers) - 1:
            raise ValueError(f"Sequential Schedulers expects number of schedulers provided to be "
                             f"one more than the number of milestone points, but got number of "
                             f"schedulers {len(self._schedulers)} and the number of milestones "
                             f"to be equal to {len(milestones)}")
        self._milestones = milestones
        self.last_epoch = last_epoch + 1
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            group["lr"] = group["initial_lr"]
        _undo_steps(self)
        first = self._schedulers[bisect.bisect_right(milestones, 0)]
        first._initial_step()
        self._last_lr = first.get_last_lr()

    @compiler.disable
    def step(self) -> None:  # type: ignore[override]  # PyTorch's own signature
        """Step the schedule of this epoch, starting it at its epoch 0 on its milestone."""
        self.last_epoch += 1
        index = bisect.bisect_right(self._milestones, self.last_epoch)
        scheduler = self._schedulers[index]
        if index > 0 and self._milestones[index - 1] == self.last_epoch:
            scheduler._jump_to(0)
        else:
            scheduler.step()
        self._last_lr = scheduler.get_last_lr()

    state_dict = ChainedScheduler.state_dict
    load_state_dict = ChainedScheduler.load_state_dict


def _undo_steps(scheduler: LRScheduler) -> None:
    """Take back the step each schedule (nested ones included) took when it was created."""
    inner = getattr(scheduler, "_schedulers", None)
    if inner is not None:
        for s in inner:
            _undo_steps(s)
    else:
        scheduler.last_epoch -= 1


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
