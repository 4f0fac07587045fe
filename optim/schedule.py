"""``LRScheduler``: the base of the learning-rate schedules (see ``optim.lr_scheduler``).

A schedule is chainable: ``step()`` computes each group's new learning rate from the one the
group holds now, never from scratch, so two schedules on one optimizer combine.
"""

from __future__ import annotations

import copy
import numbers
from typing import Any

from autograd import compiler
from optim._checks import describe
from optim.optimizer import Optimizer


class LRScheduler:
    """Base class of the schedules: the epoch counter, the chainable step, saving and loading.

    A subclass defines ``get_lr``: the learning rates for epoch ``last_epoch``, computed from the
    groups' current ones.

    Args:
        optimizer: The optimizer whose groups' ``lr`` the schedule sets; its parameters must be
            bound. The first schedule records each group's starting ``lr`` as ``'initial_lr'``.
        last_epoch: The index of the last epoch, to resume a schedule: -1 (the default) starts a
            new one; from ``k >= 0`` the schedule takes its step ``k + 1`` from the groups'
            present ``lr``, and each group needs the ``'initial_lr'`` a schedule left there (a
            ``KeyError`` otherwise, as in PyTorch).

    Attributes:
        optimizer: The optimizer.
        base_lrs: Each group's ``'initial_lr'``.
        last_epoch: How many times ``step`` has run since creation (0 right after it).
    """

    # True only during the step the constructor takes: like torch's, several schedules leave
    # the rates as they are then, even when resuming from a later epoch.
    _is_initial = False
    optimizer: Optimizer
    base_lrs: list[float]
    last_epoch: int
    _last_lr: list[float]

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        who = type(self).__name__
        if (isinstance(last_epoch, bool) or not isinstance(last_epoch, numbers.Integral)
                or last_epoch < -1):
            raise ValueError(f"Invalid last_epoch: {last_epoch!r} (last_epoch must be an integer "
                             f">= -1; -1 starts a new schedule)")
        check_optimizer(optimizer, who)
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        for i, group in enumerate(optimizer.param_groups):
            if "initial_lr" not in group:
                raise KeyError(
                    f"{who}: resuming at last_epoch={last_epoch} needs 'initial_lr' in "
                    f"param_groups[{i}], which a schedule leaves there. Load the optimizer's "
                    f"state_dict saved with the schedule first, or use last_epoch=-1 to start "
                    f"a new schedule")
        self.optimizer = optimizer
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = int(last_epoch)
        self._initial_step()

    def _initial_step(self) -> None:
        """The constructor's step (``SequentialLR`` also starts a schedule with it)."""
        self._is_initial = True
        try:
            self.step()
        finally:
            del self._is_initial  # back to the class's False, and out of state_dict

    def _jump_to(self, epoch: int) -> None:
        """Set ``last_epoch`` and the rates of that epoch from the closed form where the
        schedule has one (``_closed_form``), else from ``get_lr``: how ``SequentialLR`` starts
        the next schedule at a milestone, as torch's ``_update_lr(epoch)`` does."""
        self.last_epoch = epoch
        closed = getattr(self, "_closed_form", None)
        values = closed() if closed is not None else self.get_lr()
        for group, lr in zip(self.optimizer.param_groups, values):
            group["lr"] = lr
        self._last_lr = self._current()

    def get_lr(self) -> list[float]:
        """The learning rates of epoch ``last_epoch``, one per group (the chainable form)."""
        raise NotImplementedError(f"{type(self).__name__} must define get_lr")

    @compiler.disable
    def step(self, epoch: int | None = None) -> None:
        """Move to the next epoch and write its learning rates into the optimizer's groups.

        Args:
            epoch: PyTorch's deprecated way to jump to an epoch; only None (the default) is
                supported, any other value is a ``ValueError``.
        """
        if epoch is not None:
            raise ValueError(f"{type(self).__name__}.step(epoch={epoch!r}): the epoch argument "
                             f"is deprecated in PyTorch and not supported here; call step() "
                             f"once per epoch, or create the schedule with last_epoch to resume")
        self.last_epoch += 1
        for group, lr in zip(self.optimizer.param_groups, self.get_lr()):
            group["lr"] = lr
        self._last_lr = self._current()

    def get_last_lr(self) -> list[float]:
        """The learning rates the last ``step`` left in the groups."""
        return list(self._last_lr)

    def state_dict(self) -> dict[str, Any]:
        """Everything but the optimizer, as plain data (numbers and lists)."""
        return {k: copy.deepcopy(v) for k, v in self.__dict__.items() if k != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore what ``state_dict`` returned; its entries must be this schedule's."""
        expected, given = set(self.state_dict()), set(state_dict)
        if expected != given:
            raise ValueError(f"{type(self).__name__}.load_state_dict: missing entries "
                             f"{sorted(expected - given)}, unexpected entries "
                             f"{sorted(given - expected)}")
        self.__dict__.update(copy.deepcopy(state_dict))

    def _current(self) -> list[float]:
        return [group["lr"] for group in self.optimizer.param_groups]


def check_optimizer(optimizer: Any, who: str) -> None:
    """A schedule needs an optimizer whose parameters are bound."""
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"{who}: expected an optimizer, got {describe(optimizer)}")
    if not optimizer.param_groups:
        raise RuntimeError(f"{who}: the optimizer has no parameters yet; bind them first "
                           f"(optimizer.bind(params), or model.compile)")
