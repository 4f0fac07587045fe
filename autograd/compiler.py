"""PyTorch's ``torch.compiler`` namespace: what code says to a captured step.

``disable`` marks a function that runs anew at every replay instead of being recorded (an
optimizer's update, a random draw); ``is_compiling`` says whether a step is being recorded now;
``reset`` forgets the recordings of the given compiled functions.
"""

from __future__ import annotations

from autograd.capture.state import disable, is_compiling


def reset() -> None:
    """Forget what every compiled function recorded: their next calls record again
    (``torch.compiler.reset``).

    Examples:
        >>> import autograd as torch
        >>> step = torch.compile(lambda x: x * 2)
        >>> torch.compiler.reset()
    """
    from autograd.capture.compiled import reset_all

    reset_all()


__all__ = ["disable", "is_compiling", "reset"]
