"""``CyclicLR``: the learning rate cycles between two bounds, as PyTorch's (re-exported by
``optim.lr_scheduler``)."""

from __future__ import annotations

import copy
import math
import types
from collections.abc import Callable
from typing import Any

from optim._checks import check_flag, real
from optim.cyclic_schedules import per_group
from optim.optimizer import Optimizer
from optim.schedule import LRScheduler, check_optimizer

_MODES = ("triangular", "triangular2", "exp_range")


class CyclicLR(LRScheduler):
    """Cycle the learning rate between ``base_lr`` and ``max_lr`` (Smith's cyclical rates).

    Call ``step()`` after every batch. Each cycle rises for ``step_size_up`` steps and falls for
    ``step_size_down``; with ``t = last_epoch``, ``T = step_size_up + step_size_down``,
    ``cycle = floor(1 + t / T)``, ``x = 1 + t / T - cycle`` and ``s = x / r`` while ``x <= r =
    step_size_up / T`` (else ``(x - 1) / (r - 1)``), the rate is ``base_lr + (max_lr - base_lr)
    * s * scale``. ``scale`` is 1 (``'triangular'``), ``1 / 2**(cycle - 1)``
    (``'triangular2'``), ``gamma**t`` (``'exp_range'``), or ``scale_fn`` of the cycle or of ``t``
    (``scale_mode``). With ``cycle_momentum`` the momentum (or Adam's ``betas[0]``) moves the
    opposite way, from ``max_momentum`` down to ``base_momentum``.

    Args:
        optimizer: The optimizer to schedule; creating the schedule sets its rates to
            ``base_lr``.
        base_lr: The lower bound, or one per group.
        max_lr: The upper bound, or one per group.
        step_size_up: Steps in the rising half of a cycle (default 2000).
        step_size_down: Steps in the falling half (default: ``step_size_up``).
        mode: ``'triangular'``, ``'triangular2'`` or ``'exp_range'`` (ignored with scale_fn).
        gamma: The base of ``'exp_range'``'s scale.
        scale_fn: A function of one number giving the scale, replacing ``mode``.
        scale_mode: ``'cycle'`` or ``'iterations'``: what ``scale_fn`` is a function of.
        cycle_momentum: Move the momentum inversely to the learning rate.
        base_momentum, max_momentum: The momentum's bounds (or one per group).
        last_epoch: The index of the last step taken, to resume a schedule (-1: a new one).

    Examples:
        >>> import autograd as ag, optim
        >>> opt = optim.SGD([ag.tensor([1.0], requires_grad=True)], lr=0.1, momentum=0.9)
        >>> sched = optim.CyclicLR(opt, base_lr=0.1, max_lr=0.5, step_size_up=2)
        >>> lrs = [sched.get_last_lr()[0]]
        >>> for _ in range(4):
        ...     sched.step()
        ...     lrs.append(round(sched.get_last_lr()[0], 6))
        >>> lrs
        [0.1, 0.3, 0.5, 0.3, 0.1]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        base_lr: float | list[float],
        max_lr: float | list[float],
        step_size_up: int = 2000,
        step_size_down: int | None = None,
        mode: str = "triangular",
        gamma: float = 1.0,
        scale_fn: Callable[[float], float] | None = None,
        scale_mode: str = "cycle",
        cycle_momentum: bool = True,
        base_momentum: float = 0.8,
        max_momentum: float = 0.9,
        last_epoch: int = -1,
    ) -> None:
        check_optimizer(optimizer, "CyclicLR")
        base_lrs = per_group("base_lr", optimizer, base_lr)
        self.max_lrs = per_group("max_lr", optimizer, max_lr)
        up = real("step_size_up", step_size_up)
        down = up if step_size_down is None else real("step_size_down", step_size_down)
        if not (up > 0 and down >= 0):
            raise ValueError(f"CyclicLR needs step_size_up > 0 and step_size_down >= 0. "
                             f"Received: step_size_up={step_size_up!r}, "
                             f"step_size_down={step_size_down!r}")
        self.total_size = up + down
        self.step_ratio = up / self.total_size
        if mode not in _MODES and scale_fn is None:
            raise ValueError(f"mode is invalid and scale_fn is None: mode must be one of "
                             f"{_MODES} (received {mode!r}), or give scale_fn")
        if scale_fn is not None and not callable(scale_fn):
            raise TypeError(f"scale_fn must be a function of one number. Received: "
                            f"{scale_fn!r:.60}")
        if scale_fn is None:  # the mode decides what the scale is a function of, as in torch
            scale_mode = "iterations" if mode == "exp_range" else "cycle"
        elif scale_mode not in ("cycle", "iterations"):
            raise ValueError(f"scale_mode must be 'cycle' or 'iterations'. Received: "
                             f"{scale_mode!r}")
        self.mode, self.gamma, self.scale_mode = mode, gamma, scale_mode
        self._scale_fn_custom = scale_fn
        check_flag("cycle_momentum", cycle_momentum)
        self.cycle_momentum = cycle_momentum
        if last_epoch == -1:
            for group, lr in zip(optimizer.param_groups, base_lrs):
                group["lr"] = lr
        if cycle_momentum:
            if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
                raise ValueError("optimizer must support momentum or beta1 with `cycle_momentum` "
                                 "option enabled (or pass cycle_momentum=False)")
            self.use_beta1 = "betas" in optimizer.defaults
            self.base_momentums = per_group("base_momentum", optimizer, base_momentum)
            self.max_momentums = per_group("max_momentum", optimizer, max_momentum)
            if last_epoch == -1:
                for group, high, low in zip(optimizer.param_groups, self.max_momentums,
                                            self.base_momentums):
                    self._set_momentum(group, high)
                    group["max_momentum"], group["base_momentum"] = high, low
        super().__init__(optimizer, last_epoch)
        self.base_lrs = base_lrs

    def scale_fn(self, x: float) -> float:
        """The scale of the cycle's height at ``x`` (the cycle number or the step)."""
        if self._scale_fn_custom is not None:
            return self._scale_fn_custom(x)
        if self.mode == "triangular":
            return 1.0
        scale: float  # (float ** float is typed Any: it may be complex)
        if self.mode == "triangular2":
            scale = 1 / (2.0 ** (x - 1))
        else:
            scale = self.gamma**x
        return scale

    def get_lr(self) -> list[float]:
        """The rates of step ``last_epoch`` (and, with ``cycle_momentum``, set the momenta)."""
        cycle = math.floor(1 + self.last_epoch / self.total_size)
        x = 1.0 + self.last_epoch / self.total_size - cycle
        if x <= self.step_ratio:
            factor = x / self.step_ratio
        else:
            factor = (x - 1) / (self.step_ratio - 1)
        scale = self.scale_fn(cycle if self.scale_mode == "cycle" else self.last_epoch)
        lrs = [base + (high - base) * factor * scale
               for base, high in zip(self.base_lrs, self.max_lrs)]
        if self.cycle_momentum:
            for group, low, high in zip(self.optimizer.param_groups, self.base_momentums,
                                        self.max_momentums):
                self._set_momentum(group, high - (high - low) * factor * scale)
        return lrs

    def _set_momentum(self, group: dict[str, Any], value: float) -> None:
        if self.use_beta1:
            group["betas"] = (value, *group["betas"][1:])
        else:
            group["momentum"] = value

    def state_dict(self) -> dict[str, Any]:
        """The state; a custom ``scale_fn`` is kept as its attributes (None for a function)."""
        state = {k: copy.deepcopy(v) for k, v in self.__dict__.items()
                 if k not in ("optimizer", "_scale_fn_custom")}
        fn = self._scale_fn_custom
        state["_scale_fn_custom"] = (None if fn is None or isinstance(fn, types.FunctionType)
                                     else copy.deepcopy(fn.__dict__))
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore the state; a saved ``scale_fn``'s attributes are set back on it."""
        fn = self._scale_fn_custom
        saved = state_dict["_scale_fn_custom"]
        super().load_state_dict(state_dict)
        self._scale_fn_custom = fn
        if saved is not None and fn is not None:
            fn.__dict__.update(copy.deepcopy(saved))
