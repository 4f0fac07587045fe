"""Shared constants: what a Python number written in an expression becomes.

``x * 0.5`` lifts ``0.5`` to a constant node of ``x``'s kind and dtype (``Node._lift``). Every
expression that uses the same number with the same dtype gets the same constant node: a chain of
such operations then leaves one object per operation for Python's cyclic collector to rescan,
its output, instead of two (W6). Being shared, these constants refuse to change, and drawings
show one per use, where the number was written.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from autograd.node import Node

_N = TypeVar("_N", bound="Node")

# By id: a weak set would compare two tensors with ==, which is elementwise on tensors.
_SHARED: weakref.WeakValueDictionary[int, Node] = weakref.WeakValueDictionary()
_KEPT = 256  # per cache: a program may write any number of different numbers


def share_number(cache: dict[Any, _N], key: Any, number: Any, constant: _N) -> _N:
    """Keep ``constant`` in ``cache`` as the node that ``number`` lifts to, and return it.

    Zero and NaN are not shared (``constant`` is returned for this use only): 0.0 == -0.0 and
    NaN != NaN, so a cache by value would mix them up.
    """
    if number and number == number:
        if len(cache) >= _KEPT:
            cache.clear()
        cache[key] = constant
        _SHARED[id(constant)] = constant
    return constant


def is_shared_number(node: Node) -> bool:
    """True for the shared constant that a Python number in an expression was lifted to."""
    return _SHARED.get(id(node)) is node


def refuse_if_shared(node: Node, what: str) -> None:
    """Raise when ``what`` (a change) is attempted on a shared constant."""
    # A shared constant never requires grad: a parameter is told apart without the lookup.
    if not node.requires_grad and _SHARED.get(id(node)) is node:
        raise RuntimeError(
            f"{what}: {node._describe()} is the constant that a number written in an "
            f"expression becomes, shared by every expression that uses the same number, so it "
            f"cannot change. Make a value of your own instead (Scalar(...) or "
            f"autograd.tensor(...))."
        )
