"""Anomaly detection: stop at the first NaN or Inf, naming the operation and the user's line.

Off by default because it costs a check of every output and a stack walk per operation.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from autograd.grad_mode import _GradModeContext, state

if TYPE_CHECKING:
    from types import FrameType

    from autograd.graph import Value
    from autograd.op import Op

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


class detect_anomaly(_GradModeContext):
    """Context manager and decorator: raise at the first NaN or Inf in forward or backward.

    The error names the operation and, for backward, the source line where the operation was
    created in forward.

    Examples:
        >>> import autograd as ag
        >>> x = ag.tensor([-1.0], requires_grad=True)
        >>> with ag.detect_anomaly():
        ...     x.log()
        Traceback (most recent call last):
        ...
        FloatingPointError: log produced NaN in its output ...
    """

    _mode = True

    def __enter__(self) -> None:
        self._previous = state.anomaly_enabled
        state.anomaly_enabled = self._mode

    def __exit__(self, *exc_info: object) -> None:
        state.anomaly_enabled = self._previous


def user_source_line() -> str:
    """``file:line in function`` of the innermost frame outside the autograd package."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(
        _PACKAGE_DIR + os.sep
    ):
        frame = frame.f_back
    if frame is None:
        return "<unknown>"
    return f"{frame.f_code.co_filename}:{frame.f_lineno} in {frame.f_code.co_name}"


def _bad_values(data: object) -> str | None:
    array = np.asarray(data)
    if array.dtype.kind not in "fc":
        return None
    if np.isnan(array).any():
        return "NaN"
    if np.isinf(array).any():
        return "Inf"
    return None


def check_forward(op: Op, out: Value) -> None:
    """Raise FloatingPointError when ``op``'s output holds NaN or Inf."""
    bad = _bad_values(out._data)
    if bad:
        raise FloatingPointError(
            f"{op.name} produced {bad} in its output ({out._describe()}), "
            f"at {user_source_line()}"
        )


def check_backward(op: Op, index: int, grad: Value, trace: str | None) -> None:
    """Raise FloatingPointError when the gradient ``op`` passes to input ``index`` is bad."""
    bad = _bad_values(grad._data)
    if bad:
        where = f"; the operation was created at {trace}" if trace else ""
        raise FloatingPointError(
            f"backward of {op.name} produced {bad} in the gradient of input {index}{where}"
        )


class backward_checks:
    """Context manager around the engine's backward loop; gives the loop its ``on_gradient``.

    Outside ``detect_anomaly`` it gives back ``on_gradient`` unchanged. Inside, it gives a watch
    that checks every gradient the loop passes (then calls ``on_gradient``), and meanwhile turns
    off the per-operation checks, so that an error names the op being differentiated rather
    than an operation inside its rule, and numpy's own warnings, which would come first.
    """

    __slots__ = ("_on_gradient", "_on", "_errstate")

    def __init__(self, on_gradient: Callable[..., None] | None) -> None:
        self._on_gradient = on_gradient

    def __enter__(self) -> Callable[..., None] | None:
        self._on = state.anomaly_enabled
        if not self._on:
            return self._on_gradient
        state.anomaly_enabled = False
        self._errstate = np.errstate(all="ignore")
        self._errstate.__enter__()
        then = self._on_gradient

        def watch(node: Value, g: Value, index: int, grad: Value, total: Value) -> None:
            # the loop passes gradients through recorded nodes only: _op is set
            check_backward(node._op, index, grad, node._trace)  # type: ignore[arg-type]
            if then is not None:
                then(node, g, index, grad, total)

        return watch

    def __exit__(self, *exc_info: Any) -> None:
        if self._on:
            self._errstate.__exit__(*exc_info)
            state.anomaly_enabled = True
