"""Schedules that multiply the learning rate by a factor: ``LambdaLR``, ``MultiplicativeLR``,
``ConstantLR``, ``PolynomialLR``, as PyTorch's (re-exported by ``optim.lr_scheduler``)."""

from __future__ import annotations

import copy
import numbers
import types
from collections.abc import Callable
from typing import Any

from optim._checks import check_positive_int, real
from optim.cyclic_schedules import start_schedule
from optim.optimizer import Optimizer
from optim.schedule import LRScheduler, check_optimizer


class LambdaLR(LRScheduler):
    """Set each group's learning rate to its initial one times ``lr_lambda(epoch)``.

    Closed form: ``lr = base_lr * lr_lambda(epoch)``; not chainable (it ignores the current
    rate). ``state_dict`` keeps the attributes of callable objects, not plain functions.

    Args:
        optimizer: The optimizer to schedule.
        lr_lambda: A function of the epoch (an int) returning a factor, or a list of them, one
            per parameter group.
        last_epoch: The index of the last epoch, to resume a schedule (-1: a new one).

    Examples:
        >>> import autograd as ag, optim
        >>> opt = optim.SGD([ag.tensor([1.0], requires_grad=True)], lr=0.5)
        >>> sched = optim.LambdaLR(opt, lr_lambda=lambda epoch: 1 / (epoch + 1))
        >>> for _ in range(3):
        ...     sched.step()
        >>> sched.get_last_lr()
        [0.125]
    """

    def __init__(self, optimizer: Optimizer,
                 lr_lambda: Callable[[int], float] | list[Callable[[int], float]],
                 last_epoch: int = -1) -> None:
        check_optimizer(optimizer, "LambdaLR")
        count = len(optimizer.param_groups)
        if isinstance(lr_lambda, (list, tuple)):
            if len(lr_lambda) != count:
                raise ValueError(f"LambdaLR expects one lr_lambda per parameter group: "
                                 f"{count}. Received {len(lr_lambda)}")
            self.lr_lambdas = list(lr_lambda)
        else:
            self.lr_lambdas = [lr_lambda] * count
        for i, function in enumerate(self.lr_lambdas):
            if not callable(function):
                raise TypeError(f"LambdaLR expects lr_lambda to be a function of the epoch (or "
                                f"a list of them). Received for group {i}: {function!r:.60}")
        start_schedule(self, optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """``base_lr * lr_lambda(last_epoch)`` for each group."""
        return [base * function(self.last_epoch)
                for function, base in zip(self.lr_lambdas, self.base_lrs)]

    def state_dict(self) -> dict[str, Any]:
        """The state; for ``lr_lambdas``, each callable object's attributes (None for a
        function, which cannot be saved as data)."""
        state = {k: copy.deepcopy(v) for k, v in self.__dict__.items()
                 if k not in ("optimizer", "lr_lambdas")}
        state["lr_lambdas"] = [
            None if isinstance(f, types.FunctionType) or not hasattr(f, "__dict__")
            else copy.deepcopy(f.__dict__) for f in self.lr_lambdas]
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore the state; the saved attributes of callable objects are set back on them."""
        functions = self.lr_lambdas
        super().load_state_dict(state_dict)
        self.lr_lambdas = functions
        for function, saved in zip(functions, state_dict["lr_lambdas"]):
            if saved is not None:
                function.__dict__.update(copy.deepcopy(saved))


class MultiplicativeLR(LambdaLR):
    """Multiply each group's learning rate by ``lr_lambda(epoch)`` at every epoch after 0.

    Closed form: ``lr = base_lr * prod(lr_lambda(e) for e in 1..epoch)``; chainable (it
    multiplies the current rate). The constructor's step leaves the rates as they are.

    Args:
        optimizer: The optimizer to schedule.
        lr_lambda: A function of the epoch returning a factor, or a list of them, one per group.
        last_epoch: The index of the last epoch, to resume a schedule (-1: a new one).

    Examples:
        >>> import autograd as ag, optim
        >>> opt = optim.SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
        >>> sched = optim.MultiplicativeLR(opt, lr_lambda=lambda epoch: 0.5)
        >>> for _ in range(3):
        ...     sched.step()
        >>> sched.get_last_lr()
        [0.125]
    """

    def get_lr(self) -> list[float]:
        """The current rate times ``lr_lambda(last_epoch)``, for each group."""
        if self._is_initial:
            return self._current()
        return [lr * function(self.last_epoch)
                for function, lr in zip(self.lr_lambdas, self._current())]


class ConstantLR(LRScheduler):
    """Multiply the learning rate by ``factor`` until epoch ``total_iters``, then restore it.

    Closed form: ``lr = base_lr * (factor if epoch < total_iters else 1)``; chainable.

    Args:
        optimizer: The optimizer to schedule.
        factor: The factor applied for the first ``total_iters`` epochs, in [0, 1] (default 1/3).
        total_iters: The epoch at which the factor is taken back (default 5).
        last_epoch: The index of the last epoch, to resume a schedule (-1: a new one).

    Examples:
        >>> import autograd as ag, optim
        >>> opt = optim.SGD([ag.tensor([1.0], requires_grad=True)], lr=0.9)
        >>> sched = optim.ConstantLR(opt, factor=0.5, total_iters=2)
        >>> lrs = [sched.get_last_lr()[0]]
        >>> for _ in range(3):
        ...     sched.step()
        ...     lrs.append(sched.get_last_lr()[0])
        >>> lrs
        [0.45, 0.45, 0.9, 0.9]
    """

    def __init__(self, optimizer: Optimizer, factor: float = 1.0 / 3, total_iters: int = 5,
                 last_epoch: int = -1) -> None:
        if not 0 <= real("factor", factor) <= 1:
            raise ValueError(f"Constant multiplicative factor expected to be between 0 and 1. "
                             f"Received: factor={factor!r}")
        _whole("total_iters", total_iters)
        self.factor, self.total_iters = factor, total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """Multiply by ``factor`` at epoch 0 and by ``1 / factor`` at ``total_iters``."""
        if self.last_epoch == 0:
            return [lr * self.factor for lr in self._current()]
        if self.last_epoch != self.total_iters:
            return self._current()
        return [lr * (1.0 / self.factor) for lr in self._current()]

    def _closed_form(self) -> list[float]:
        return [base * (self.factor + (self.last_epoch >= self.total_iters) * (1 - self.factor))
                for base in self.base_lrs]


class PolynomialLR(LRScheduler):
    """Decay the learning rate to zero along a polynomial, in ``total_iters`` epochs.

    Closed form: ``lr = base_lr * (1 - min(epoch, total_iters) / total_iters) ** power``;
    chainable (each step applies the ratio of two consecutive values).

    Args:
        optimizer: The optimizer to schedule.
        total_iters: The epochs the decay takes (default 5).
        power: The power of the polynomial (default 1.0: linear).
        last_epoch: The index of the last epoch, to resume a schedule (-1: a new one).

    Examples:
        >>> import autograd as ag, optim
        >>> opt = optim.SGD([ag.tensor([1.0], requires_grad=True)], lr=1.0)
        >>> sched = optim.PolynomialLR(opt, total_iters=4, power=2.0)
        >>> sched.step()
        >>> sched.get_last_lr()
        [0.5625]
    """

    def __init__(self, optimizer: Optimizer, total_iters: int = 5, power: float = 1.0,
                 last_epoch: int = -1) -> None:
        check_positive_int("total_iters", total_iters)
        self.total_iters, self.power = total_iters, real("power", power)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """Multiply by the ratio of this epoch's polynomial value to the previous one's."""
        if self._is_initial or self.last_epoch > self.total_iters:
            return self._current()
        decay = ((1.0 - self.last_epoch / self.total_iters)
                 / (1.0 - (self.last_epoch - 1) / self.total_iters)) ** self.power
        return [lr * decay for lr in self._current()]

    def _closed_form(self) -> list[float]:
        return [base * (1.0 - min(self.total_iters, self.last_epoch) / self.total_iters)
                ** self.power for base in self.base_lrs]


def _whole(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(f"Invalid {name}: {value!r} ({name} must be an integer >= 0)")
