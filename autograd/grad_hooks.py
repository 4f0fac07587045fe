"""Tensor hooks of the backward pass: ``Tensor.register_hook`` and
``Tensor.register_post_accumulate_grad_hook``.

PyTorch's meanings. ``register_hook(hook)``: ``hook(grad)`` runs each time the gradient with
respect to the tensor is computed, once per backward with the total over all its uses, and a
tensor it returns replaces that gradient (for a leaf, what is accumulated into ``.grad``; for a
non-leaf, what flows on to its inputs and what ``retain_grad`` keeps). ``grad()`` runs the hooks
of the inputs it returns and of the values between them and the outputs. A post-accumulate-grad
hook, ``hook(tensor)``, runs right after a leaf's ``.grad`` was accumulated, after its gradient
hooks. The engine stores a hooked leaf's gradient, and runs its hooks, as soon as the last value
that feeds the leaf has been processed rather than after the whole loop, so that work on
finished gradients (``DistributedOptimizer``'s buckets start their reduction there) overlaps the
rest of backward.

The hooks are kept here, by the tensor's id with a weak reference to it, rather than on the
tensor: the engine asks ``registered()`` and ``gradient_hooks_registered()`` once per backward,
so that graphs without hooks, the common case, pay nothing for them.
"""

from __future__ import annotations

import functools
import itertools
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from autograd.tensor import Tensor

Hook = Callable[[Any], Any]


class _Hooks(dict[int, Hook]):
    """A value's hooks by handle number, in registration order; ``key`` is the id of the value
    they belong to now (an in-place change hands a value's hooks to its old version)."""

    key: int


# id(value) -> (a weak reference to the value, its hooks)
Table = dict[int, tuple[weakref.ref[Any], _Hooks]]

_hooks: Table = {}  # post-accumulate-grad hooks
_gradient_hooks: Table = {}  # register_hook's
_numbers = itertools.count()


class RemovableHandle:
    """What ``register_hook`` and ``register_post_accumulate_grad_hook`` return: ``remove()``
    unregisters the hook (PyTorch's ``torch.utils.hooks.RemovableHandle``; removing twice does
    nothing; leaving a ``with`` block removes it too).

    Attributes:
        id: The hook's number, unique in this process.
    """

    def __init__(self, hooks: _Hooks, number: int, table: Table) -> None:
        # A weak reference, as torch's: a handle kept after its tensor is gone holds nothing.
        self._hooks = weakref.ref(hooks)
        self._table = table
        self.id = number

    def remove(self) -> None:
        """Unregister the hook; a later backward no longer calls it."""
        hooks = self._hooks()
        if hooks is None:
            return
        hooks.pop(self.id, None)
        entry = self._table.get(hooks.key)
        if not hooks and entry is not None and entry[1] is hooks:
            del self._table[hooks.key]

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


class GradientHookMethods:
    """``Tensor.register_hook``, inherited by ``Tensor`` (through ``TorchMethods``)."""

    __slots__ = ()

    def register_hook(self, hook: Callable[[Tensor], Tensor | None]) -> RemovableHandle:
        """Call ``hook(grad)`` each time a gradient with respect to this tensor is computed
        (PyTorch's method). The hook gets the total gradient of this backward, once; a tensor it
        returns replaces the gradient: for a leaf, what is accumulated into ``.grad``; for a
        non-leaf, what flows on to the values it was computed from, and what ``retain_grad``
        stores. Several hooks run in registration order, each on the previous one's result.
        Under ``create_graph=True`` the gradient is recorded, and so is what the hook computes.

        Args:
            hook: Called with the gradient; returns None or a tensor of the same shape and dtype.

        Returns:
            A handle whose ``remove()`` unregisters the hook.

        Raises:
            RuntimeError: This tensor does not require grad.

        Examples:
            >>> import autograd as torch
            >>> x = torch.tensor([1.0, 2.0], requires_grad=True)
            >>> y = x * 3
            >>> handle = y.register_hook(lambda grad: grad * 10)
            >>> y.sum().backward()
            >>> x.grad.tolist()
            [30.0, 30.0]
            >>> handle.remove()
        """
        # A mixin of Tensor's only (mypy's self-type check refuses ``self: Tensor`` here)
        tensor = cast("Tensor", self)
        if not tensor.requires_grad:
            raise RuntimeError(f"cannot register a hook on a tensor that doesn't require "
                               f"gradient ({tensor._describe()}): no gradient is computed for it. "
                               f"Create it with requires_grad=True, or from one that has it")
        if not callable(hook):
            raise TypeError(f"register_hook expects a callable hook(grad). Received: "
                            f"{type(hook).__name__}")
        return register(tensor, hook, _gradient_hooks)


def register(value: Any, hook: Hook, table: Table | None = None) -> RemovableHandle:
    """Add ``hook`` to ``value``'s hooks in ``table`` (default: the post-accumulate-grad ones)."""
    table = _hooks if table is None else table
    entry = table.get(id(value))
    if entry is None or entry[0]() is not value:
        entry = _enter(table, value, _Hooks())
    number = next(_numbers)
    entry[1][number] = hook
    return RemovableHandle(entry[1], number, table)


def _enter(table: Table, value: Any, hooks: _Hooks) -> tuple[weakref.ref[Any], _Hooks]:
    key = hooks.key = id(value)
    # The entry goes when the value does (its id may then be reused by another object).
    entry = table[key] = (weakref.ref(value, functools.partial(_forget, table, key)), hooks)
    return entry


def hand_over(value: Any, old: Any) -> None:
    """Give ``value``'s ``register_hook`` hooks to ``old``, the node that now holds the record
    ``value`` had, when an in-place operation makes ``value`` a new result: as in PyTorch, the
    hooks registered before the change see the gradient of the value before it."""
    hooks = _hooks_of(_gradient_hooks, value)
    if hooks is not None:
        del _gradient_hooks[id(value)]
        _enter(_gradient_hooks, old, hooks)


def _forget(hooks: Table, key: int, reference: weakref.ref[Any]) -> None:
    # ``hooks`` is bound early: at interpreter exit the module's globals may be gone already.
    entry = hooks.get(key)
    if entry is not None and entry[0] is reference:
        del hooks[key]


def _hooks_of(table: Table, value: Any) -> _Hooks | None:
    entry = table.get(id(value))
    return None if entry is None or entry[0]() is not value else entry[1]


def registered() -> bool:
    """Whether any live leaf has a post-accumulate-grad hook (else backward skips them)."""
    return bool(_hooks)


def has_hooks(leaf: Any) -> bool:
    """Whether ``leaf`` has a post-accumulate-grad hook."""
    return _hooks_of(_hooks, leaf) is not None


def run(leaf: Any) -> None:
    """Call ``leaf``'s post-accumulate-grad hooks, in registration order, with ``leaf``; each
    must return None."""
    hooks = _hooks_of(_hooks, leaf)
    if hooks is None:
        return
    for hook in list(hooks.values()):  # a hook may remove itself
        result = hook(leaf)
        if result is not None:
            raise TypeError(f"a post accumulate grad hook must return None (it may change "
                            f"the tensor and its .grad in place). Received: "
                            f"{type(result).__name__}")


def gradient_hooks_registered() -> bool:
    """Whether any live value has a ``register_hook`` hook (else backward skips them)."""
    return bool(_gradient_hooks)


def has_gradient_hooks(value: Any) -> bool:
    """Whether ``value`` has a ``register_hook`` hook."""
    return _hooks_of(_gradient_hooks, value) is not None


def run_gradient_hooks(value: Any, grad: Any) -> Any:
    """``grad``, the gradient of ``value``, passed through ``value``'s ``register_hook`` hooks
    in registration order: each gets the previous one's result, and None keeps it."""
    hooks = _hooks_of(_gradient_hooks, value)
    if hooks is None:
        return grad
    for hook in list(hooks.values()):  # a hook may remove itself
        result = hook(grad)
        if result is None:
            continue
        name = getattr(hook, "__name__", type(hook).__name__)
        if not isinstance(result, type(grad)):
            raise TypeError(f"hook '{name}' must return a {type(grad).__name__} or None, as "
                            f"the gradient it replaces. Received: {type(result).__name__}")
        if result.shape != grad.shape:
            raise RuntimeError(f"hook '{name}' has changed the size of value: the gradient has "
                               f"shape {tuple(grad.shape)}, the hook returned shape "
                               f"{tuple(result.shape)}")
        if result.dtype != grad.dtype:
            raise RuntimeError(f"hook '{name}' has changed the type of value (was "
                               f"{grad.dtype} got {result.dtype}); return a gradient of the "
                               f"tensor's dtype")
        grad = result
    return grad
