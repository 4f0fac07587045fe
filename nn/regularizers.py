"""Keras' weight penalties (``keras.regularizers``): L1, L2 and both, by object or by name.

A layer given ``kernel_regularizer=keras.regularizers.l2(0.01)`` reports
``0.01 * sum(kernel ** 2)`` through ``module.regularization_loss()``, a Tensor in the graph, kept
apart from the data loss so both can be watched; training minimizes their sum. Names, defaults
and formulas are Keras 3's: ``l1``, ``l2`` and ``l1_l2`` are the classes ``L1``, ``L2`` and
``L1L2`` under other names, and ``get`` knows the names ``'l1'``, ``'l2'``, ``'l1l2'`` (the class
defaults: 0.01, 0.01, and 0.0 for both) but not ``'l1_l2'``, as in Keras.

Examples:
    >>> import nn as keras
    >>> from nn import layers
    >>> layer = layers.Dense(2, kernel_regularizer=keras.regularizers.l2(0.01))
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from autograd import Tensor

__all__ = ["L1", "L1L2", "L2", "Regularizer", "get", "l1", "l1_l2", "l2"]


def _factor(value: Any, name: str) -> float:
    """Keras' check: a non-negative number (None means the default, handled by the caller)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)) \
            or not np.isfinite(value) or value < 0:
        raise ValueError(f"Invalid value for argument {name}: expected a non-negative float. "
                         f"Received: {name}={value!r}")
    return float(value)


class Regularizer:
    """Base class: ``regularizer(weight)`` returns a scalar penalty Tensor.

    Subclasses write ``__call__`` and, to be saved with a model, ``get_config``.
    """

    def __call__(self, weight: Tensor) -> Tensor:
        """The penalty for ``weight``; every subclass defines it."""
        raise NotImplementedError(f"{type(self).__name__} must define __call__(weight)")

    def get_config(self) -> dict[str, Any]:
        """The constructor's arguments, to rebuild the regularizer with ``from_config``."""
        raise NotImplementedError(f"{type(self).__name__} must define get_config() to be "
                                  f"saved")

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Regularizer:
        """A regularizer from ``get_config()`` data."""
        return cls(**config)

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({settings})"


class L1(Regularizer):
    """``l1 * sum(|w|)``: pushes weights to exactly zero, keeping few of them.

    Args:
        l1: The factor, >= 0 (None means 0.01).

    Examples:
        >>> import autograd as ag, nn
        >>> float(nn.regularizers.L1(0.5)(ag.tensor([1.0, -3.0])).item())
        2.0
    """

    def __init__(self, l1: float = 0.01) -> None:
        self.l1 = _factor(0.01 if l1 is None else l1, "l1")

    def __call__(self, weight: Tensor) -> Tensor:
        return weight.abs().sum() * self.l1

    def get_config(self) -> dict[str, Any]:
        """``{'l1': ...}``."""
        return {"l1": self.l1}


class L2(Regularizer):
    """``l2 * sum(w ** 2)`` (weight decay): shrinks every weight in proportion to its size.

    Args:
        l2: The factor, >= 0 (None means 0.01).

    Examples:
        >>> import autograd as ag, nn
        >>> float(nn.regularizers.L2(0.5)(ag.tensor([1.0, -3.0])).item())
        5.0
    """

    def __init__(self, l2: float = 0.01) -> None:
        self.l2 = _factor(0.01 if l2 is None else l2, "l2")

    def __call__(self, weight: Tensor) -> Tensor:
        return (weight * weight).sum() * self.l2

    def get_config(self) -> dict[str, Any]:
        """``{'l2': ...}``."""
        return {"l2": self.l2}


class L1L2(Regularizer):
    """``l1 * sum(|w|) + l2 * sum(w ** 2)``; both factors default to 0, as in Keras.

    Args:
        l1: The L1 factor, >= 0 (None means 0).
        l2: The L2 factor, >= 0 (None means 0).

    Examples:
        >>> import autograd as ag, nn
        >>> float(nn.regularizers.l1_l2(l1=0.5, l2=0.5)(ag.tensor([1.0, -3.0])).item())
        7.0
    """

    def __init__(self, l1: float = 0.0, l2: float = 0.0) -> None:
        self.l1 = _factor(0.0 if l1 is None else l1, "l1")
        self.l2 = _factor(0.0 if l2 is None else l2, "l2")

    def __call__(self, weight: Tensor) -> Tensor:
        # Keras adds a term only when its factor is non-zero.
        total: Any = 0.0
        if self.l1:
            total = weight.abs().sum() * self.l1
        if self.l2:
            total = total + (weight * weight).sum() * self.l2
        if isinstance(total, float):  # both factors 0: a constant zero of the weight's dtype
            return Tensor(np.zeros((), dtype=weight.dtype))
        value: Tensor = total
        return value

    def get_config(self) -> dict[str, Any]:
        """``{'l1': ..., 'l2': ...}``."""
        return {"l1": self.l1, "l2": self.l2}


# Keras' functional names are the classes themselves.
l1 = L1
l2 = L2
l1_l2 = L1L2

_BY_NAME: dict[str, Callable[[], Regularizer]] = {
    "l1": L1, "l2": L2, "l1l2": L1L2, "L1": L1, "L2": L2, "L1L2": L1L2,
}


def get(identifier: Any) -> Regularizer | Callable[..., Any] | None:
    """A regularizer from a name (``'l1'``, ``'l2'``, ``'l1l2'``), a ``{'class_name': ...,
    'config': ...}`` record, an object or a function (kept as is), as ``keras.regularizers.get``.

    Examples:
        >>> import nn
        >>> nn.regularizers.get("l2")
        L2(l2=0.01)
    """
    if identifier is None or isinstance(identifier, Regularizer):
        return identifier
    if isinstance(identifier, dict) and set(identifier) >= {"class_name", "config"}:
        cls = _BY_NAME.get(identifier["class_name"])
        if cls is not None:
            return cls(**identifier["config"])
    elif isinstance(identifier, str):
        make = _BY_NAME.get(identifier)
        if make is not None:
            return make()
    elif callable(identifier):
        result: Regularizer | Callable[..., Any] | None = identifier
        return result
    raise ValueError(f"Could not interpret regularizer identifier: {identifier!r}. Use a name "
                     f"({', '.join(sorted(_BY_NAME))}), a Regularizer or a function "
                     f"(weight) -> Tensor")
