"""Learning-rate schedules: change each group's ``lr`` as training goes on, as PyTorch's do.

Most schedules are chainable: ``step()`` computes a group's new learning rate from the one the
group holds now (usually by multiplying it), never from scratch. Two schedules on one optimizer
therefore combine, their factors multiplying, whichever steps first. Each docstring also gives
the closed form, which a single schedule follows. ``LambdaLR``, ``OneCycleLR``, ``CyclicLR`` and
``CosineAnnealingWarmRestarts`` set the rate from their closed form at every step instead, as
PyTorch's do.

Call ``scheduler.step()`` once per epoch, after ``optimizer.step()`` (``OneCycleLR`` and
``CyclicLR``: once per batch); creating a schedule applies its epoch-0 value at once.

This module holds the step-wise schedules and gathers torch's others from their files:
``factor_schedules`` (LambdaLR, MultiplicativeLR, ConstantLR, PolynomialLR), ``cyclic_schedules``
(OneCycleLR, CosineAnnealingWarmRestarts), ``cyclic_lr``, ``composite_schedules``
(ChainedScheduler, SequentialLR) and ``plateau`` (ReduceLROnPlateau).
"""

from __future__ import annotations

import bisect
import math

from optim._checks import check_positive_int, real
from optim.composite_schedules import ChainedScheduler, SequentialLR
from optim.cyclic_lr import CyclicLR
from optim.cyclic_schedules import CosineAnnealingWarmRestarts, OneCycleLR
from optim.factor_schedules import ConstantLR, LambdaLR, MultiplicativeLR, PolynomialLR
from optim.optimizer import Optimizer
from optim.plateau import ReduceLROnPlateau
from optim.schedule import LRScheduler

__all__ = [
    "ChainedScheduler", "ConstantLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts",
    "CyclicLR", "ExponentialLR", "LRScheduler", "LambdaLR", "LinearLR", "MultiStepLR",
    "MultiplicativeLR", "OneCycleLR", "PolynomialLR", "ReduceLROnPlateau", "SequentialLR", "StepLR",
]


class StepLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` every ``step_size`` epochs.

    Closed form: ``lr = base_lr * gamma ** (epoch // step_size)``.

    Args:
        optimizer: The optimizer to schedule.
        step_size: Epochs between two decays.
        gamma: The factor applied at each decay (default 0.1).
        last_epoch: The index of the last epoch, to resume a schedule (-1: a new one).

    Examples:
        >>> import autograd as ag, optim
        >>> opt = optim.SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
        >>> sched = optim.StepLR(opt, step_size=2, gamma=0.5)
        >>> for _ in range(4):
        ...     sched.step()
        >>> sched.get_last_lr()
        [0.25]
    """

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1,
                 last_epoch: int = -1) -> None:
        check_positive_int("step_size", step_size)
        self.step_size, self.gamma = step_size, gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """Multiply by ``gamma`` on multiples of ``step_size``."""
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return self._current()
        return [lr * self.gamma for lr in self._current()]

    def _closed_form(self) -> list[float]:
        return [base * self.gamma ** (self.last_epoch // self.step_size) for base in self.base_lrs]


class MultiStepLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` at each epoch listed in ``milestones``.

    Closed form: ``lr = base_lr * gamma ** (number of milestones <= epoch)``. A milestone listed
    twice applies ``gamma`` twice.

    Args:
        optimizer: The optimizer to schedule.
        milestones: Epoch numbers (integers), in any order.
        gamma: The factor applied at each milestone (default 0.1).
        last_epoch: The index of the last epoch, to resume a schedule (-1: a new one).
    """

    def __init__(self, optimizer: Optimizer, milestones: list[int], gamma: float = 0.1,
                 last_epoch: int = -1) -> None:
        milestones = list(milestones)
        for m in milestones:
            check_positive_int("milestones", m)
        self.milestones, self.gamma = sorted(milestones), gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """Multiply by ``gamma`` once per milestone equal to this epoch."""
        hits = self.milestones.count(self.last_epoch)
        if hits == 0:
            return self._current()
        return [lr * self.gamma**hits for lr in self._current()]

    def _closed_form(self) -> list[float]:
        passed = bisect.bisect_right(self.milestones, self.last_epoch)
        return [base * self.gamma**passed for base in self.base_lrs]


class ExponentialLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` every epoch.

    Closed form: ``lr = base_lr * gamma ** epoch``.

    Args:
        optimizer: The optimizer to schedule.
        gamma: The factor applied each epoch.
        last_epoch: The index of the last epoch, to resume a schedule (-1: a new one).
    """

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1) -> None:
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """Multiply by ``gamma`` (except at the constructor's step)."""
        if self._is_initial:
            return self._current()
        return [lr * self.gamma for lr in self._current()]

    def _closed_form(self) -> list[float]:
        return [base * self.gamma**self.last_epoch for base in self.base_lrs]


class CosineAnnealingLR(LRScheduler):
    """Lower the learning rate along half a cosine, from its start value to ``eta_min``.

    Closed form: ``lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * epoch / T_max)) / 2``.
    Past ``T_max`` the curve climbs back up, and so on periodically (SGDR without restarts).
    Each step applies the ratio of two consecutive values of that curve to the current rate.

    Args:
        optimizer: The optimizer to schedule.
        T_max: Epochs from the start value down to ``eta_min``.
        eta_min: The lowest learning rate (default 0).
        last_epoch: The index of the last epoch, to resume a schedule (-1: a new one).
    """

    def __init__(self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0,
                 last_epoch: int = -1) -> None:
        check_positive_int("T_max", T_max)
        self.T_max, self.eta_min = T_max, eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """The recursive form of the cosine curve."""
        epoch, period, low = self.last_epoch, self.T_max, self.eta_min
        if self._is_initial:
            return self._current()
        if (epoch - 1 - period) % (2 * period) == 0:
            # Leaving the bottom of the curve, where the ratio below would divide by zero.
            rise = (1 - math.cos(math.pi / period)) / 2
            return [lr + (base - low) * rise for lr, base in zip(self._current(), self.base_lrs)]
        ratio = ((1 + math.cos(math.pi * epoch / period))
                 / (1 + math.cos(math.pi * (epoch - 1) / period)))
        return [ratio * (lr - low) + low for lr in self._current()]

    def _closed_form(self) -> list[float]:
        return [self.eta_min + (base - self.eta_min)
                * (1 + math.cos(math.pi * self.last_epoch / self.T_max)) / 2
                for base in self.base_lrs]


class LinearLR(LRScheduler):
    """Scale the learning rate by a factor that moves linearly: the usual warm-up schedule.

    Closed form: ``lr = base_lr * (start_factor + (end_factor - start_factor) *
    min(epoch, total_iters) / total_iters)``.

    Args:
        optimizer: The optimizer to schedule.
        start_factor: The factor at epoch 0, in (0, 1] (default 1/3).
        end_factor: The factor from epoch ``total_iters`` on, in [0, 1] (default 1).
        total_iters: Epochs the factor takes to get from start to end (default 5).
        last_epoch: The index of the last epoch, to resume a schedule (-1: a new one).

    Examples:
        >>> import autograd as ag, optim
        >>> opt = optim.SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
        >>> warmup = optim.LinearLR(opt, start_factor=0.25, total_iters=3)
        >>> lrs = [warmup.get_last_lr()[0]]
        >>> for _ in range(4):
        ...     warmup.step()
        ...     lrs.append(warmup.get_last_lr()[0])
        >>> lrs
        [0.25, 0.5, 0.75, 1.0, 1.0]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        start_factor: float = 1.0 / 3,
        end_factor: float = 1.0,
        total_iters: int = 5,
        last_epoch: int = -1,
    ) -> None:
        if not 0 < real("start_factor", start_factor) <= 1:
            raise ValueError(f"Invalid start_factor: {start_factor!r} (start_factor must be in "
                             f"(0, 1])")
        if not 0 <= real("end_factor", end_factor) <= 1:
            raise ValueError(f"Invalid end_factor: {end_factor!r} (end_factor must be in [0, 1])")
        check_positive_int("total_iters", total_iters)
        self.start_factor, self.end_factor = start_factor, end_factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """Multiply by the ratio of this epoch's factor to the previous one's."""
        epoch, start, end = self.last_epoch, self.start_factor, self.end_factor
        if epoch == 0:
            return [lr * start for lr in self._current()]
        if self._is_initial or epoch > self.total_iters:
            return self._current()
        ratio = 1 + (end - start) / (self.total_iters * start + (epoch - 1) * (end - start))
        return [lr * ratio for lr in self._current()]

    def _closed_form(self) -> list[float]:
        return [base * (self.start_factor + (self.end_factor - self.start_factor)
                        * min(self.total_iters, self.last_epoch) / self.total_iters)
                for base in self.base_lrs]
