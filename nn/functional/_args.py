"""Argument checks shared by the functions of ``nn.functional``: PyTorch's argument forms
(an int or a pair, ``inplace`` flags), refused with an error that names the function."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor
from nn._checks import as_node


def tensor(x: Any, who: str) -> Tensor:
    """``x`` as a Tensor (array-like data is converted), else a TypeError naming ``who``."""
    x = as_node(x)
    if not isinstance(x, Tensor):
        raise TypeError(f"{who} expects a Tensor or array-like data. Received: {x!r:.80}")
    return x


def is_int(value: Any) -> bool:
    """Whether ``value`` is an integer (not a bool)."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def pair(value: Any, who: str, name: str, minimum: int = 1) -> tuple[int, int]:
    """An int or a sequence of two ints (a one-element sequence counts for both), each
    ``>= minimum``, as a pair."""
    items = [value] if is_int(value) else value
    try:
        items = list(items)
    except TypeError:
        items = []
    if len(items) == 1:
        items = items * 2
    if len(items) != 2 or not all(is_int(v) and v >= minimum for v in items):
        raise ValueError(f"{who} expects {name} to be an int >= {minimum} or a pair of them. "
                         f"Received: {name}={value!r}")
    return int(items[0]), int(items[1])


def no_inplace(inplace: Any, who: str) -> None:
    """Refuse ``inplace=True``: results here are always new tensors."""
    if inplace is not False:
        raise ValueError(f"{who}: inplace={inplace!r} is not supported; use inplace=False (the "
                         f"default), which gives the same values in a new tensor")
