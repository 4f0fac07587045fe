"""What the rest of the library asks of a capture in progress: one module-level switch.

``recording`` is the ``Recording`` of a captured step while its function runs eagerly, else None.
Code outside this package reads it only through the two decorators below, so the eager engine
pays one global read per decorated call and nothing per operation.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, overload

F = TypeVar("F", bound=Callable[..., Any])

class CaptureError(RuntimeError):
    """A step does something a captured replay could not repeat exactly."""


recording: Any = None
"""The ``Recording`` in progress, or None (set and cleared by ``autograd.capture``)."""


@overload
def disable(fn: F, recursive: bool = True, *, reason: str | None = None) -> F: ...


@overload
def disable(fn: None = None, recursive: bool = True, *,
            reason: str | None = None) -> Callable[[F], F]: ...


def disable(fn: F | None = None, recursive: bool = True, *, reason: str | None = None) -> Any:
    """Run ``fn`` as Python at every call of a captured step, never replayed from a record
    (PyTorch's ``torch.compiler.disable``).

    A captured step replays what it recorded; a function decorated with this is called again
    instead, with the same arguments, and the tensors it returns take part in the replay. This
    is how work that must be new at each step stays live: an optimizer's update (it reads its
    learning rate and state when it runs), a learning-rate schedule, a dropout mask drawn from a
    generator. Outside a capture it only calls ``fn``.

    Args:
        fn: The function; without it, a decorator is returned (``@disable(reason=...)``).
        recursive: PyTorch's switch for the functions ``fn`` calls; only True is supported
            (nothing inside ``fn`` is recorded).
        reason: Why it is excluded; kept for error messages.

    Examples:
        >>> import numpy as np, autograd as torch
        >>> @torch.compiler.disable
        ... def noise(shape):
        ...     return torch.tensor(np.random.default_rng().normal(size=shape))
        >>> noise((2,)).shape
        (2,)
    """
    if not recursive:
        raise NotImplementedError("disable(recursive=False) is not supported: nothing that a "
                                  "disabled function calls is recorded")
    if fn is None:
        return functools.partial(disable, recursive=recursive, reason=reason)

    @functools.wraps(fn)
    def live(*args: Any, **kwargs: Any) -> Any:
        if recording is None:
            return fn(*args, **kwargs)
        return recording.live_call(fn, args, kwargs)

    live.__wrapped_live__ = fn  # type: ignore[attr-defined]
    return live


def deterministic(fn: F) -> F:
    """Mark ``fn``'s result as a constant that depends only on its arguments (``zeros``,
    ``full``): a capture may keep it as it is instead of refusing a tensor made from data."""

    @functools.wraps(fn)
    def marked(*args: Any, **kwargs: Any) -> Any:
        out = fn(*args, **kwargs)
        if recording is not None:
            recording.mark_constant(out)
        return out

    return marked  # type: ignore[return-value]


def is_compiling() -> bool:
    """True while a captured step records its function (PyTorch's
    ``torch.compiler.is_compiling``): code can take another path while it is being captured.

    Examples:
        >>> import autograd as torch
        >>> torch.compiler.is_compiling()
        False
    """
    return recording is not None
