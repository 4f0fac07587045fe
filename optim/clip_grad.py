"""Gradient clipping, as ``torch.nn.utils`` does it: limit the gradients in place before a step.

``clip_grad_norm_`` is ``get_total_norm`` of the gradients followed by
``clip_grads_with_norm_``, as in torch. Tensor gradients are changed in their own arrays (and
their version counters bumped); a ``Scalar``'s gradient is a float, so it is replaced.
``nn.utils`` re-exports these functions under torch's names.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from autograd import Node, Tensor, compiler, tensor
from optim._checks import at_least, describe, real, writable_data


@compiler.disable
def get_total_norm(
    tensors: Node | Iterable[Node],
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """The ``norm_type``-norm of all the given tensors' elements taken as one vector.

    Computed as torch does: the norm of the per-tensor norms. Any real order works as in
    ``torch.linalg.vector_norm``: 2.0, 1.0, ``math.inf`` (largest absolute element), 0 (the
    count of non-zero elements), fractional and negative orders. ``foreach`` chooses torch's
    implementation, not the result: None, True and False are all accepted.

    Args:
        tensors: A tensor or an iterable of tensors (gradients, for clipping).
        norm_type: The order of the norm; a string such as ``'inf'`` is read with ``float``.
        error_if_nonfinite: Raise if the norm is NaN or infinite.
        foreach: Accepted (None, True or False) for torch's signature.

    Returns:
        The norm, a 0-d Tensor in the tensors' dtype (float32 when there are none).

    Examples:
        >>> import autograd as ag, optim
        >>> optim.get_total_norm([ag.tensor([3.0]), ag.tensor([4.0])]).item()
        5.0
    """
    _check_foreach(foreach)
    arrays = [np.asarray(t.data, dtype=None if isinstance(t, Tensor) else np.float64)
              for t in _items(tensors, "get_total_norm")]
    return _total_norm(arrays, _norm_type(norm_type), error_if_nonfinite)


def _total_norm(arrays: list[np.ndarray], norm_type: float, error_if_nonfinite: bool) -> Tensor:
    if not arrays:
        return tensor(np.float32(0.0))
    dtype = np.result_type(*arrays)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        norms = [_vector_norm(a.ravel(), norm_type) for a in arrays]
        total = dtype.type(_vector_norm(np.array(norms, dtype=np.float64), norm_type))
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is non-finite "
            f"({total}), so it cannot be clipped. Look for a NaN or Inf in the loss, or set "
            f"`error_if_nonfinite=False`")
    return tensor(np.asarray(total, dtype=dtype))


@compiler.disable
def clip_grads_with_norm_(
    parameters: Node | Iterable[Node],
    max_norm: float,
    total_norm: Tensor | float,
    foreach: bool | None = None,
) -> None:
    """Multiply every gradient by ``min(max_norm / (total_norm + 1e-6), 1)``, in place.

    As in torch the multiplication always happens: a NaN or infinite ``total_norm`` spreads
    into the gradients (``clip_grad_norm_(..., error_if_nonfinite=True)`` raises instead).

    Args:
        parameters: A parameter or an iterable of parameters; those without a gradient are
            skipped.
        max_norm: The largest norm allowed (>= 0; torch would flip the gradients for a negative
            one, so it is refused).
        total_norm: The norm of the gradients, from ``get_total_norm``.
        foreach: Accepted (None, True or False) for torch's signature.
    """
    at_least("max_norm", max_norm, 0.0)
    _check_foreach(foreach)
    norm = total_norm.item() if isinstance(total_norm, Node) else real("total_norm", total_norm)
    with np.errstate(invalid="ignore", divide="ignore"):
        coef = min(float(max_norm) / (norm + 1e-6), 1.0) if not math.isnan(norm) else math.nan
    for p in _items(parameters, "clip_grads_with_norm_"):
        if p.grad is not None:
            _scale_grad(p, coef)


@compiler.disable
def clip_grad_norm_(
    parameters: Node | Iterable[Node],
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """Scale all gradients together so that their joint norm is at most ``max_norm``.

    The joint norm is ``get_total_norm`` of the gradients; every gradient is then multiplied by
    ``min(max_norm / (total_norm + 1e-6), 1)``, so the direction of the update is kept.
    Parameters without a gradient are skipped.

    Args:
        parameters: A parameter or an iterable of parameters (``model.parameters()``).
        max_norm: The largest joint norm allowed (>= 0).
        norm_type: The order of the norm: 2.0 (Euclidean), 1.0, ``math.inf`` (largest
            absolute element), any real order as in ``torch.linalg.vector_norm``.
        error_if_nonfinite: Raise if the joint norm is NaN or infinite; otherwise, as in
            torch, the gradients are multiplied all the same (and become NaN or zero).
        foreach: Accepted (None, True or False) for torch's signature.

    Returns:
        The joint norm of the gradients before clipping, a 0-d Tensor.

    Examples:
        >>> import autograd as ag, optim
        >>> w = ag.tensor([0.0, 0.0], requires_grad=True)
        >>> w.grad = ag.tensor([3.0, 4.0])
        >>> optim.clip_grad_norm_([w], max_norm=1.0).item()
        5.0
        >>> w.grad.numpy().round(3)
        array([0.6, 0.8], dtype=float32)
    """
    at_least("max_norm", max_norm, 0.0)
    _check_foreach(foreach)
    params = [p for p in _items(parameters, "clip_grad_norm_") if p.grad is not None]
    grads = [np.asarray(p.grad.numpy()) if isinstance(p.grad, Tensor)
             else np.asarray(p.grad, dtype=np.float64) for p in params]
    total = _total_norm(grads, _norm_type(norm_type), error_if_nonfinite)
    clip_grads_with_norm_(params, max_norm, total, foreach)
    return total


@compiler.disable
def clip_grad_value_(
    parameters: Node | Iterable[Node],
    clip_value: float,
    foreach: bool | None = None,
) -> None:
    """Clip every gradient element into ``[-clip_value, clip_value]``, in place.

    Args:
        parameters: A parameter or an iterable of parameters (``model.parameters()``).
        clip_value: The largest absolute value a gradient element may keep (>= 0; torch would
            set every element to ``clip_value`` for a negative one, so it is refused).
        foreach: Accepted (None, True or False) for torch's signature.

    Examples:
        >>> import autograd as ag, optim
        >>> w = ag.tensor([0.0, 0.0], requires_grad=True)
        >>> w.grad = ag.tensor([-3.0, 0.5])
        >>> optim.clip_grad_value_([w], clip_value=1.0)
        >>> w.grad.numpy()
        array([-1. ,  0.5], dtype=float32)
    """
    at_least("clip_value", clip_value, 0.0)
    _check_foreach(foreach)
    c = float(clip_value)
    for p in _items(parameters, "clip_grad_value_"):
        if p.grad is not None:
            _clip_grad(p, c)


def _norm_type(value: object) -> float:
    # torch reads norm_type with float(): 'inf' is a valid order there.
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            raise TypeError(f"norm_type must be a real number (or a string float() reads, such "
                            f"as 'inf'), got str ({value!r})") from None
    return real("norm_type", value)


def _vector_norm(x: np.ndarray, order: float) -> float:
    """``torch.linalg.vector_norm`` of a 1-d array (numpy's vector norm has the same orders)."""
    if x.size == 0:
        return 0.0
    return float(np.linalg.norm(x.astype(np.float64, copy=False), order))


def _check_foreach(foreach: object) -> None:
    if foreach is not None and not isinstance(foreach, bool):
        raise TypeError(f"foreach must be None, True or False. Received: foreach={foreach!r}")


def _items(values: Node | Iterable[Node], who: str) -> list[Node]:
    items = [values] if isinstance(values, Node) else list(values)
    for i, p in enumerate(items):
        if not isinstance(p, Node):
            raise TypeError(f"{who}: item {i} is a {describe(p)}, not a Tensor or Scalar")
    return items


def _scale_grad(p: Node, coef: float) -> None:
    if isinstance(p.grad, Tensor):
        data = writable_data(p.grad)
        # the coefficient in the gradient's dtype, as torch's tensor coefficient is
        with np.errstate(invalid="ignore"):  # inf * 0 is NaN, as in torch
            np.multiply(data, data.dtype.type(coef), out=data)
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
