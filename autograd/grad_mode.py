"""Grad mode: whether operations are recorded for backpropagation.

The switch is thread-local, as in PyTorch: ``no_grad()`` in one thread does not stop recording in
another. Each context manager also works as a decorator.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class _State(threading.local):
    """Per-thread switches read by every operation."""

    grad_enabled = True
    anomaly_enabled = False
    scope: tuple[str, ...] = ()  # names of the enclosing name_scope blocks, outermost first


state = _State()


def is_grad_enabled() -> bool:
    """Return True when new operations are recorded for backward."""
    return state.grad_enabled


class _GradModeContext:
    """Base for context managers that set grad mode and restore the previous mode on exit."""

    _mode: bool

    def __enter__(self) -> None:
        self._previous = state.grad_enabled
        state.grad_enabled = self._mode

    def __exit__(self, *exc_info: object) -> None:
        state.grad_enabled = self._previous

    def __call__(self, func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with type(self)._fresh(self):
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]  # (wraps keeps func's signature)

    def _fresh(self) -> _GradModeContext:
        # A decorated function may be re-entered (recursion, threads): give each call its own
        # saved state instead of sharing the decorator instance's.
        clone = object.__new__(type(self))
        clone._mode = self._mode
        return clone


class no_grad(_GradModeContext):
    """Context manager and decorator that stops recording operations.

    Examples:
        >>> import autograd as ag
        >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
        >>> with ag.no_grad():
        ...     y = x * 2
        >>> y.requires_grad
        False
    """

    _mode = False


class enable_grad(_GradModeContext):
    """Context manager and decorator that turns recording back on inside ``no_grad``.

    As in PyTorch, ``@enable_grad`` decorates without parentheses too.
    """

    _mode = True

    def __new__(cls, orig_func: Any = None) -> Any:
        if orig_func is not None:  # @enable_grad, without parentheses
            return cls()(orig_func)
        return super().__new__(cls)


class set_grad_enabled(_GradModeContext):
    """Set grad mode to ``mode``: at once when called, or for a ``with`` block.

    Examples:
        >>> import autograd as ag
        >>> with ag.set_grad_enabled(False):
        ...     ag.is_grad_enabled()
        False
    """

    def __init__(self, mode: bool) -> None:
        self._mode = bool(mode)
        self._previous = state.grad_enabled
        self._applied = True
        state.grad_enabled = self._mode

    def __enter__(self) -> None:
        # Called right after __init__, the mode is already set and the previous one saved.
        if not getattr(self, "_applied", False):
            super().__enter__()
        self._applied = False

    def __call__(self, func: F) -> F:
        # Used as a decorator, the mode must apply inside calls only: undo what __init__ did.
        state.grad_enabled = self._previous
        self._applied = False
        return super().__call__(func)


class inference_mode(_GradModeContext):
    """``torch.inference_mode(mode=True)``: no recording inside, as ``no_grad``.

    As in PyTorch, ``inference_mode(False)`` turns recording on (even inside ``no_grad``), and
    ``@inference_mode`` decorates without parentheses too. PyTorch's inference tensors, which
    later refuse to take part in recorded operations, do not exist here: tensors made inside
    are ordinary tensors that do not require grad.

    Examples:
        >>> import autograd as torch
        >>> with torch.inference_mode():
        ...     torch.is_grad_enabled()
        False
    """

    def __new__(cls, mode: Any = True) -> Any:
        if callable(mode):  # @inference_mode, without parentheses
            return cls()(mode)
        return super().__new__(cls)

    def __init__(self, mode: bool = True) -> None:
        self._mode = not bool(mode)


class name_scope:
    """Context manager: operations recorded inside belong to a named group (for drawings).

    Scopes nest; ``nn`` modules open one per call, so a drawing can show each layer as a box.

    Examples:
        >>> import autograd as ag
        >>> x = ag.tensor([1.0], requires_grad=True)
        >>> with ag.name_scope("double"):
        ...     y = x * 2
        >>> y._ctx.scope
        ('double',)
    """

    def __init__(self, name: str) -> None:
        self.name = str(name)

    def __enter__(self) -> name_scope:
        self._previous = state.scope
        state.scope = self._previous + (self.name,)
        return self

    def __exit__(self, *exc_info: object) -> None:
        state.scope = self._previous
