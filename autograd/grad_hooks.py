"""Hooks that run once a leaf's gradient is final: ``Tensor.register_post_accumulate_grad_hook``.

PyTorch's meaning: ``hook(tensor)`` runs during backward right after ``tensor.grad`` was
accumulated, for leaves only. The engine stores a hooked leaf's gradient, and runs its hooks, as
soon as the last value that feeds the leaf has been processed rather than after the whole loop,
so that work on finished gradients (``DistributedOptimizer``'s buckets start their reduction
there) overlaps the rest of backward.

The hooks are kept here, by the leaf's id with a weak reference to it, rather than on the leaf:
the engine asks ``registered()`` once per backward, so that graphs without hooks, the common
case, pay nothing for them.
"""

from __future__ import annotations

import functools
import itertools
import weakref
from collections.abc import Callable
from typing import Any

Hook = Callable[[Any], None]

# id(leaf) -> (a weak reference to the leaf, its hooks by handle number, in registration order)
_hooks: dict[int, tuple[weakref.ref[Any], dict[int, Hook]]] = {}
_numbers = itertools.count()


class RemovableHandle:
    """What ``register_post_accumulate_grad_hook`` returns: ``remove()`` unregisters the hook
    (PyTorch's ``torch.utils.hooks.RemovableHandle``; removing twice does nothing).

    Attributes:
        id: The hook's number, unique in this process.
    """

    def __init__(self, reference: weakref.ref[Any], number: int) -> None:
        self._reference = reference
        self.id = number

    def remove(self) -> None:
        """Unregister the hook; a later backward no longer calls it."""
        leaf = self._reference()
        entry = None if leaf is None else _hooks.get(id(leaf))
        if entry is not None and entry[0] is self._reference:
            entry[1].pop(self.id, None)
            if not entry[1]:
                del _hooks[id(leaf)]

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


def register(leaf: Any, hook: Hook) -> RemovableHandle:
    """Call ``hook(leaf)`` after each backward has accumulated ``leaf.grad``."""
    key = id(leaf)
    entry = _hooks.get(key)
    if entry is None or entry[0]() is not leaf:
        # The entry goes when the leaf does (its id may then be reused by another object).
        reference = weakref.ref(leaf, functools.partial(_forget, _hooks, key))
        entry = _hooks[key] = (reference, {})
    number = next(_numbers)
    entry[1][number] = hook
    return RemovableHandle(entry[0], number)


def _forget(hooks: dict[int, Any], key: int, reference: weakref.ref[Any]) -> None:
    # ``hooks`` is bound early: at interpreter exit the module's globals may be gone already.
    entry = hooks.get(key)
    if entry is not None and entry[0] is reference:
        del hooks[key]


def registered() -> bool:
    """Whether any live leaf has a hook (else backward skips everything here)."""
    return bool(_hooks)


def has_hooks(leaf: Any) -> bool:
    """Whether ``leaf`` has a hook."""
    entry = _hooks.get(id(leaf))
    return entry is not None and entry[0]() is leaf


def run(leaf: Any) -> None:
    """Call ``leaf``'s hooks, in registration order, with ``leaf``; each must return None."""
    entry = _hooks.get(id(leaf))
    if entry is None or entry[0]() is not leaf:
        return
    for hook in list(entry[1].values()):  # a hook may remove itself
        result = hook(leaf)
        if result is not None:
            raise TypeError(f"a post accumulate grad hook must return None (it may change "
                            f"the tensor and its .grad in place). Received: "
                            f"{type(result).__name__}")
