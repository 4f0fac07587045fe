"""Weight penalties (L1, L2) that layers add to the loss to keep their weights small.

A layer given ``kernel_regularizer="l2"`` reports ``0.01 * sum(kernel ** 2)`` through
``module.regularization_loss()``, a Tensor in the graph, kept apart from the data loss so both
can be watched; training minimizes their sum. The formulas and defaults are Keras'.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from autograd import Tensor


def _factor(value: Any, who: str, arg: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ValueError(f"{who} expects {arg} to be a number >= 0. Received: {arg}={value!r}")
    return float(value)


class Regularizer:
    """Base class: ``regularizer(weight)`` returns a scalar penalty Tensor."""

    def __call__(self, weight: Tensor) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} must define __call__(weight)")

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v}" for k, v in vars(self).items())
        return f"{type(self).__name__}({settings})"


class L1(Regularizer):
    """``l1 * sum(|w|)``: pushes weights to exactly zero, keeping few of them.

    Example:
        >>> import autograd as ag, nn
        >>> float(nn.regularizers.L1(0.5)(ag.tensor([1.0, -3.0])).item())
        2.0
    """

    def __init__(self, l1: float = 0.01) -> None:
        self.l1 = _factor(l1, "L1", "l1")

    def __call__(self, weight: Tensor) -> Tensor:
        return weight.abs().sum() * self.l1


class L2(Regularizer):
    """``l2 * sum(w ** 2)`` (weight decay): shrinks every weight in proportion to its size.

    Example:
        >>> import autograd as ag, nn
        >>> float(nn.regularizers.L2(0.5)(ag.tensor([1.0, -3.0])).item())
        5.0
    """

    def __init__(self, l2: float = 0.01) -> None:
        self.l2 = _factor(l2, "L2", "l2")

    def __call__(self, weight: Tensor) -> Tensor:
        return (weight * weight).sum() * self.l2


class L1L2(Regularizer):
    """``l1 * sum(|w|) + l2 * sum(w ** 2)``. The class defaults are 0 (as in Keras); the name
    ``"l1_l2"`` gives 0.01 for both."""

    def __init__(self, l1: float = 0.0, l2: float = 0.0) -> None:
        self.l1 = _factor(l1, "L1L2", "l1")
        self.l2 = _factor(l2, "L1L2", "l2")

    def __call__(self, weight: Tensor) -> Tensor:
        return weight.abs().sum() * self.l1 + (weight * weight).sum() * self.l2


_BY_NAME: dict[str, Callable[[], Regularizer]] = {
    "l1": L1, "l2": L2, "l1_l2": lambda: L1L2(0.01, 0.01), "l1l2": lambda: L1L2(0.01, 0.01),
}


def get(identifier: Any) -> Regularizer | Callable | None:
    """A regularizer from a name (``"l1"``, ``"l2"``, ``"l1_l2"``), an object or a callable.

    Example:
        >>> import nn
        >>> nn.regularizers.get("l2")
        L2(l2=0.01)
    """
    if identifier is None or isinstance(identifier, Regularizer):
        return identifier
    if isinstance(identifier, str):
        make = _BY_NAME.get(identifier.lower())
        if make is None:
            raise ValueError(f"Unknown regularizer: {identifier!r}. Known names: "
                             f"{', '.join(_BY_NAME)}")
        return make()
    if callable(identifier):
        return identifier
    raise TypeError(f"Could not interpret regularizer identifier: {identifier!r}. Use a name, "
                    f"a Regularizer or a function(weight) -> Tensor")
