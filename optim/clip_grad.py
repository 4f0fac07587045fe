"""Gradient clipping: limit the gradients in place before the optimizer step.

Tensor gradients are changed in their own arrays (and their version counters bumped); a
``Scalar``'s gradient is a float, so it is replaced.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from autograd import Node, Tensor
from optim._checks import at_least, check_norm_type, describe, writable_data


def clip_grad_norm_(
    parameters: Node | Iterable[Node],
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
) -> float:
    """Scale all gradients together so that their joint norm is at most ``max_norm``.

    The joint norm is the ``norm_type``-norm of all gradient elements taken as one vector (the
    norm of the per-parameter norms). When it exceeds ``max_norm`` every gradient is multiplied
    by ``max_norm / (total_norm + 1e-6)``, so the direction of the update is kept. Parameters
    without a gradient are skipped.

    Args:
        parameters: A parameter or an iterable of parameters (``model.parameters()``).
        max_norm: The largest joint norm allowed.
        norm_type: The order of the norm: 2.0 (Euclidean), 1.0, any p > 0, or ``math.inf``
            (largest absolute element).
        error_if_nonfinite: Raise if the joint norm is NaN or infinite instead of leaving the
            gradients as they are.

    Returns:
        The joint norm of the gradients before clipping, as a float.

    Example:
        >>> import autograd as ag, optim
        >>> w = ag.tensor([0.0, 0.0], requires_grad=True)
        >>> w.grad = ag.tensor([3.0, 4.0])
        >>> optim.clip_grad_norm_([w], max_norm=1.0)
        5.0
        >>> w.grad.numpy().round(3)
        array([0.6, 0.8], dtype=float32)
    """
    at_least("max_norm", max_norm, 0.0)
    norm_type = check_norm_type(norm_type)
    params = [p for p in _parameters(parameters) if p.grad is not None]
    if not params:
        return 0.0
    grads = [_grad_array(p) for p in params]
    if math.isinf(norm_type):
        total = max(float(np.max(np.abs(g))) if g.size else 0.0 for g in grads)
    else:
        norms = [np.linalg.norm(g.ravel(), norm_type) for g in grads]
        total = float(np.linalg.norm(np.array(norms, dtype=np.float64), norm_type))
    if not math.isfinite(total):
        if error_if_nonfinite:
            raise RuntimeError(
                f"clip_grad_norm_: the total norm of order {norm_type} of the gradients is "
                f"{total}, so they cannot be clipped; look for a NaN or Inf in the loss, or "
                f"pass error_if_nonfinite=False to skip clipping"
            )
        return total
    coef = max_norm / (total + 1e-6)
    if coef < 1.0:
        for p in params:
            _scale_grad(p, coef)
    return total


def clip_grad_value_(parameters: Node | Iterable[Node], clip_value: float) -> None:
    """Clip every gradient element into ``[-clip_value, clip_value]``, in place.

    Args:
        parameters: A parameter or an iterable of parameters (``model.parameters()``).
        clip_value: The largest absolute value a gradient element may keep.

    Example:
        >>> import autograd as ag, optim
        >>> w = ag.tensor([0.0, 0.0], requires_grad=True)
        >>> w.grad = ag.tensor([-3.0, 0.5])
        >>> optim.clip_grad_value_([w], clip_value=1.0)
        >>> w.grad.numpy()
        array([-1. ,  0.5], dtype=float32)
    """
    at_least("clip_value", clip_value, 0.0)
    c = float(clip_value)
    for p in _parameters(parameters):
        if p.grad is not None:
            _clip_grad(p, c)


def _parameters(parameters: Node | Iterable[Node]) -> list[Node]:
    params = [parameters] if isinstance(parameters, Node) else list(parameters)
    for i, p in enumerate(params):
        if not isinstance(p, Node):
            raise TypeError(f"gradient clipping: item {i} is a {describe(p)}, not a Tensor or "
                            f"Scalar parameter")
    return params


def _grad_array(p: Node) -> np.ndarray:
    grad = p.grad
    return np.asarray(grad.data) if isinstance(grad, Node) else np.asarray(grad, dtype=np.float64)


def _scale_grad(p: Node, coef: float) -> None:
    if isinstance(p.grad, Tensor):
        data = writable_data(p.grad)
        np.multiply(data, coef, out=data)
        p.grad.data = data  # counts the in-place change
    else:
        p.grad = float(p.grad) * coef


def _clip_grad(p: Node, c: float) -> None:
    if isinstance(p.grad, Tensor):
        data = writable_data(p.grad)
        np.clip(data, -c, c, out=data)
        p.grad.data = data  # counts the in-place change
    else:
        p.grad = min(max(float(p.grad), -c), c)
