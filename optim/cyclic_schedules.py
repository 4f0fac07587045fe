"""Cycles: ``OneCycleLR`` (once per batch) and ``CosineAnnealingWarmRestarts``, exactly as
PyTorch computes them.

Also ``start_schedule``, the start shared by the schedules that take PyTorch's ``last_epoch``
argument (``LambdaLR`` and ``OneCycleLR``). The classes are re-exported by
``optim.lr_scheduler`` and ``optim``.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

from autograd import compiler
from optim._checks import check_flag, real
from optim.optimizer import Optimizer
from optim.schedule import LRScheduler, check_optimizer


def start_schedule(scheduler: LRScheduler, optimizer: Optimizer, last_epoch: int) -> None:
    """Run ``LRScheduler.__init__`` with ``last_epoch``: a schedule that sets attributes before
    starting (``LambdaLR``, ``OneCycleLR``) calls this at the end of its constructor."""
    LRScheduler.__init__(scheduler, optimizer, last_epoch)


def per_group(name: str, optimizer: Optimizer, value: Any) -> list[float]:
    """One number per parameter group: a list or tuple as given (of the right length), or
    a single number repeated."""
    count = len(optimizer.param_groups)
    if isinstance(value, (list, tuple)):
        if len(value) != count:
            raise ValueError(f"{name} must hold one value per parameter group: expected "
                             f"{count}, received {len(value)} ({value!r:.80})")
        return [real(f"{name}[{i}]", v) for i, v in enumerate(value)]
    return [real(name, value)] * count


def _total_steps(total_steps: Any, epochs: Any, steps_per_epoch: Any) -> int:
    def positive(name: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
            raise ValueError(f"Expected positive integer {name}, but got {value!r}")
        return int(value)

    if total_steps is not None:
        return positive("total_steps", total_steps)
    if epochs is not None and steps_per_epoch is not None:
        return positive("epochs", epochs) * positive("steps_per_epoch", steps_per_epoch)
    raise ValueError(f"OneCycleLR needs the length of the cycle: total_steps, or both epochs and "
                     f"steps_per_epoch. Received: total_steps={total_steps!r}, epochs={epochs!r}, "
                     f"steps_per_epoch={steps_per_epoch!r}")


class OneCycleLR(LRScheduler):
    """Warm the learning rate up to ``max_lr``, then anneal it far below its start: one cycle.

    Call ``step()`` after every batch. With ``T = total_steps`` and ``p = pct_start`` the rate
    goes, by steps, from ``initial_lr = max_lr / div_factor`` up to ``max_lr`` at step
    ``p*T - 1``, then down to ``min_lr = initial_lr / final_div_factor`` at step ``T - 1``.
    With ``three_phase`` it first comes back to ``initial_lr`` at step ``2*p*T - 2`` and only
    then falls to ``min_lr``. Within a phase running from step ``s0`` to ``s1``, with
    ``pct = (step - s0) / (s1 - s0)``, the value moves from ``a`` to ``b`` as
    ``b + (a - b) * (1 + cos(pi * pct)) / 2`` (``'cos'``) or ``a + (b - a) * pct``
    (``'linear'``). Stepping past ``total_steps`` is an error.

    With ``cycle_momentum``, the momentum (SGD's and RMSprop's ``momentum``, Adam's
    ``betas[0]``) moves the opposite way, between ``max_momentum`` and ``base_momentum``.
    Each group also gets ``'initial_lr'``, ``'max_lr'``, ``'min_lr'`` (and ``'max_momentum'``,
    ``'base_momentum'``) entries. Unlike the chainable schedules, every step sets the rate
    from this closed form.

    Args:
        optimizer: The optimizer to schedule.
        max_lr: The peak learning rate, or one per group.
        total_steps: The number of steps in the cycle; or give ``epochs`` and
            ``steps_per_epoch``, whose product it then is.
        epochs, steps_per_epoch: See ``total_steps``.
        pct_start: The share of the cycle spent warming up, a float in [0, 1].
        anneal_strategy: ``'cos'`` or ``'linear'``.
        cycle_momentum: Move the momentum inversely to the learning rate.
        base_momentum, max_momentum: The momentum's low and high values (or one per group).
        div_factor: ``initial_lr = max_lr / div_factor``.
        final_div_factor: ``min_lr = initial_lr / final_div_factor``.
        three_phase: Come back down to ``initial_lr`` symmetrically before the final anneal.
        last_epoch: The index of the last step taken, to resume a schedule (-1: a new one).

    Examples:
        >>> import autograd as ag, optim
        >>> opt = optim.SGD([ag.tensor([1.0], requires_grad=True)], lr=0.1, momentum=0.9)
        >>> sched = optim.OneCycleLR(opt, max_lr=1.0, total_steps=5, pct_start=0.4,
        ...                          anneal_strategy="linear")
        >>> lrs = [sched.get_last_lr()[0]]
        >>> for _ in range(4):
        ...     _ = opt.step()
        ...     sched.step()
        ...     lrs.append(sched.get_last_lr()[0])
        >>> [round(lr, 6) for lr in lrs], opt.param_groups[0]["momentum"]
        ([0.04, 1.0, 0.666668, 0.333336, 4e-06], 0.95)
    """

    def __init__(
        self,
        optimizer: Optimizer,
        max_lr: float | list[float],
        total_steps: int | None = None,
        epochs: int | None = None,
        steps_per_epoch: int | None = None,
        pct_start: float = 0.3,
        anneal_strategy: str = "cos",
        cycle_momentum: bool = True,
        base_momentum: float | list[float] = 0.85,
        max_momentum: float | list[float] = 0.95,
        div_factor: float = 25.0,
        final_div_factor: float = 1e4,
        three_phase: bool = False,
        last_epoch: int = -1,
    ) -> None:
        check_optimizer(optimizer, "OneCycleLR")
        self.total_steps = _total_steps(total_steps, epochs, steps_per_epoch)
        # PyTorch refuses an int here too (pct_start=0 must be written 0.0).
        if not isinstance(pct_start, float) or not 0 <= pct_start <= 1:
            raise ValueError(f"Expected float between 0 and 1 pct_start, but got {pct_start!r}")
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(f"anneal_strategy must be 'cos' or 'linear'. Received: "
                             f"anneal_strategy={anneal_strategy!r}")
        check_flag("cycle_momentum", cycle_momentum)
        check_flag("three_phase", three_phase)
        for name, value in (("div_factor", div_factor), ("final_div_factor", final_div_factor)):
            if not real(name, value) > 0:
                raise ValueError(f"Invalid {name}: {value!r} ({name} must be > 0)")
        self.anneal_strategy = anneal_strategy
        self.phases = _phases(self.total_steps, pct_start, three_phase)
        max_lrs = per_group("max_lr", optimizer, max_lr)
        if last_epoch == -1:
            for group, peak in zip(optimizer.param_groups, max_lrs):
                group["initial_lr"] = peak / div_factor
                group["max_lr"] = peak
                group["min_lr"] = group["initial_lr"] / final_div_factor
        self.cycle_momentum = cycle_momentum
        self.use_beta1 = "betas" in optimizer.defaults
        if cycle_momentum:
            if "momentum" not in optimizer.defaults and not self.use_beta1:
                raise ValueError(f"OneCycleLR with cycle_momentum=True needs an optimizer with "
                                 f"a momentum or betas option; {type(optimizer).__name__} has "
                                 f"neither. Pass cycle_momentum=False")
            highs = per_group("max_momentum", optimizer, max_momentum)
            lows = per_group("base_momentum", optimizer, base_momentum)
            if last_epoch == -1:
                for group, high, low in zip(optimizer.param_groups, highs, lows):
                    self._set_momentum(group, high)
                    group["max_momentum"], group["base_momentum"] = high, low
        start_schedule(self, optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """The rates of step ``last_epoch`` (and, with ``cycle_momentum``, set the momenta)."""
        step = self.last_epoch
        if step > self.total_steps:
            raise ValueError(f"OneCycleLR was stepped {step} times, but the cycle has only "
                             f"total_steps={self.total_steps}: create the schedule with more "
                             f"steps to train longer")
        start = 0.0
        for i, phase in enumerate(self.phases):
            end = phase[0]
            if step <= end or i == len(self.phases) - 1:
                pct = (step - start) / (end - start)
                break
            start = end
        _, lr_from, lr_to, momentum_from, momentum_to = phase
        lrs = []
        for group in self.optimizer.param_groups:
            lrs.append(self._anneal(group[lr_from], group[lr_to], pct))
            if self.cycle_momentum:
                self._set_momentum(group, self._anneal(group[momentum_from], group[momentum_to],
                                                       pct))
        return lrs

    def _anneal(self, start: float, end: float, pct: float) -> float:
        if self.anneal_strategy == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
        return (end - start) * pct + start

    def _set_momentum(self, group: dict[str, Any], value: float) -> None:
        if self.use_beta1:
            group["betas"] = (value, *group["betas"][1:])
        else:
            group["momentum"] = value


def _phases(total: int, pct_start: float, three_phase: bool) -> list[list[Any]]:
    """``[end_step, lr from, lr to, momentum from, momentum to]`` per phase (group keys)."""
    warm_end = float(pct_start * total) - 1
    if three_phase:
        return [[warm_end, "initial_lr", "max_lr", "max_momentum", "base_momentum"],
                [float(2 * pct_start * total) - 2, "max_lr", "initial_lr", "base_momentum",
                 "max_momentum"],
                [total - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"]]
    return [[warm_end, "initial_lr", "max_lr", "max_momentum", "base_momentum"],
            [total - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"]]


class CosineAnnealingWarmRestarts(LRScheduler):
    """Cosine annealing from the initial rate to ``eta_min``, restarted every ``T_i`` epochs.

    With ``T_cur`` the epochs since the last restart, ``lr = eta_min + (base_lr - eta_min) *
    (1 + cos(pi * T_cur / T_i)) / 2``; the first period lasts ``T_0`` epochs and each next one
    ``T_mult`` times longer (SGDR). ``step(epoch)`` may be given a fractional epoch, to anneal
    within an epoch (``scheduler.step(epoch + i / iters)`` after batch ``i``), as in PyTorch.

    Args:
        optimizer: The optimizer to schedule.
        T_0: The length of the first period, an integer >= 1.
        T_mult: The factor by which each period is longer than the previous (integer >= 1).
        eta_min: The lowest learning rate (default 0).
        last_epoch: The index of the last epoch, to resume a schedule (-1: a new one).

    Examples:
        >>> import autograd as ag, optim
        >>> opt = optim.SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
        >>> sched = optim.CosineAnnealingWarmRestarts(opt, T_0=2)
        >>> lrs = [sched.get_last_lr()[0]]
        >>> for _ in range(3):
        ...     sched.step()
        ...     lrs.append(round(sched.get_last_lr()[0], 6))
        >>> lrs
        [1.0, 0.5, 1.0, 0.5]
    """

    def __init__(self, optimizer: Optimizer, T_0: int, T_mult: int = 1, eta_min: float = 0.0,
                 last_epoch: int = -1) -> None:
        if isinstance(T_0, bool) or not isinstance(T_0, int) or T_0 <= 0:
            raise ValueError(f"Expected positive integer T_0, but got {T_0!r}")
        if isinstance(T_mult, bool) or not isinstance(T_mult, int) or T_mult < 1:
            raise ValueError(f"Expected integer T_mult >= 1, but got {T_mult!r}")
        real("eta_min", eta_min)
        self.T_0, self.T_i, self.T_mult, self.eta_min = T_0, T_0, T_mult, eta_min
        self.T_cur: float = last_epoch
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """The cosine of ``T_cur / T_i``, between ``eta_min`` and each group's base rate."""
        return [self.eta_min + (base - self.eta_min) * (1 + math.cos(math.pi * self.T_cur
                                                                     / self.T_i)) / 2
                for base in self.base_lrs]

    @compiler.disable
    def step(self, epoch: float | None = None) -> None:
        """Move to the next epoch, or to ``epoch`` (fractional allowed), and set the rates."""
        if epoch is None and self.last_epoch < 0:
            epoch = 0
        if epoch is None:
            epoch = self.last_epoch + 1
            self.T_cur = self.T_cur + 1
            if self.T_cur >= self.T_i:
                self.T_cur = self.T_cur % self.T_i
                self.T_i = self.T_i * self.T_mult
        else:
            if real("epoch", epoch) < 0:
                raise ValueError(f"Expected non-negative epoch, but got {epoch!r}")
            if epoch >= self.T_0:
                if self.T_mult == 1:
                    self.T_cur = epoch % self.T_0
                else:
                    n = int(math.log(epoch / self.T_0 * (self.T_mult - 1) + 1, self.T_mult))
                    self.T_cur = epoch - self.T_0 * (self.T_mult**n - 1) / (self.T_mult - 1)
                    self.T_i = self.T_0 * self.T_mult**n
            else:
                self.T_i = self.T_0
                self.T_cur = epoch
        self.last_epoch = math.floor(epoch)
        for group, lr in zip(self.optimizer.param_groups, self.get_lr()):
            group["lr"] = lr
        self._last_lr = self._current()
