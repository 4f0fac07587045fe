"""Argument checks shared by the layers, worded in Keras' style: what was expected, and the
value received (``Dense expects units > 0. Received: units=0``)."""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from autograd import Node, tensor

_name_counts: dict[str, int] = {}


def snake_case(name: str) -> str:
    """``BatchNormalization`` -> ``batch_normalization``, as Keras names its layers."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def unique_name(base: str) -> str:
    """``dense``, then ``dense_1``, ``dense_2``...: distinct names keep drawings' boxes apart."""
    count = _name_counts.get(base, 0)
    _name_counts[base] = count + 1
    return base if count == 0 else f"{base}_{count}"


def positive_int(value: Any, who: str, arg: str) -> int:
    """``value`` as an int greater than 0, or a ValueError naming ``who`` and ``arg``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{who} expects {arg} to be an int > 0. Received: {arg}={value!r}")
    if value <= 0:
        raise ValueError(f"{who} expects {arg} > 0. Received: {arg}={value!r}")
    return int(value)


def int_pair(value: Any, who: str, arg: str) -> tuple[int, int]:
    """An int or a pair of ints > 0 (``kernel_size=3`` means ``(3, 3)``), as a tuple."""
    items = (value, value) if isinstance(value, (int, np.integer)) else value
    try:
        pair = tuple(items)
    except TypeError:
        pair = ()
    if len(pair) != 2 or not all(
            isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v > 0 for v in pair):
        raise ValueError(f"{who} expects {arg} to be an int > 0 or a pair of them. "
                         f"Received: {arg}={value!r}")
    return int(pair[0]), int(pair[1])


def choice(value: Any, options: tuple[str, ...], who: str, arg: str) -> str:
    """``value`` lower-cased if it is one of ``options``, else a ValueError listing them."""
    if isinstance(value, str) and value.lower() in options:
        return value.lower()
    raise ValueError(f"{who} expects {arg} to be one of {', '.join(map(repr, options))}. "
                     f"Received: {arg}={value!r}")


def shape_tuple(shape: Any, who: str, arg: str) -> tuple[int | None, ...]:
    """A shape given as an int, a list or a tuple, as a tuple of ints (None allowed)."""
    items = (shape,) if isinstance(shape, (int, np.integer)) else shape
    try:
        result = tuple(None if n is None else int(n) for n in items)
    except (TypeError, ValueError):
        result = None
    if result is None or any(n is not None and n <= 0 for n in result):
        raise ValueError(f"{who} expects {arg} to be a tuple of positive ints (or None for an "
                         f"unknown size). Received: {arg}={shape!r}")
    return result


def as_node(x: Any) -> Any:
    """A ``Tensor`` or ``Scalar`` as it is; lists, numbers and arrays as a ``Tensor``."""
    return x if isinstance(x, Node) else tensor(x)
