"""Argument checks and reductions shared by the PyTorch-named losses (``nn.losses.torch_losses``).

Every check raises with the loss's name, the value received and what to do instead.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from autograd import Tensor
from nn.losses.keras_loss_base import as_prediction as as_prediction  # (checks.as_prediction)

REDUCTIONS = ("mean", "sum", "none")


def legacy_reduction(size_average: Any, reduce: Any, reduction: str) -> str:
    """PyTorch's deprecated ``size_average`` and ``reduce``: when either is given, they decide
    the reduction as torch's ``legacy_get_string`` does (with its warning); else ``reduction``."""
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    result = "mean" if size_average and reduce else "sum" if reduce else "none"
    warnings.warn(f"size_average and reduce args will be deprecated, please use "
                  f"reduction='{result}' instead.", UserWarning, stacklevel=3)
    return result


def check_reduction(reduction: Any, who: str, allowed: tuple[Any, ...] = REDUCTIONS) -> None:
    """A ValueError unless ``reduction`` is one of ``allowed``."""
    if not isinstance(reduction, str) or reduction not in allowed:
        raise ValueError(f"{who}: reduction must be one of {', '.join(map(repr, allowed))}; "
                         f"received reduction={reduction!r}")


def as_float(value: Any, like: Tensor, who: str, what: str) -> Tensor:
    """``value`` in ``like``'s dtype; a float tensor stays in the graph (gradients reach it)."""
    if isinstance(value, Tensor) and value.dtype.kind == "f":
        return value.astype(like.dtype)
    data = value.numpy() if isinstance(value, Tensor) else np.asarray(value)
    if data.dtype.kind not in "biuf":
        raise TypeError(f"{who}: expected a numeric {what}; received {type(value).__name__} "
                        f"of dtype {data.dtype}")
    return Tensor(data, dtype=like.dtype)


# How torch's losses meet a float target of another dtype than the input: most compute in the
# promoted dtype; huber_loss keeps the input's; binary_cross_entropy refuses.
_KEEPS_INPUT_DTYPE = {"huber_loss"}
_REFUSES_OTHER_DTYPE = {"binary_cross_entropy"}


def _meet_dtypes(x: Tensor, target: Tensor, who: str) -> tuple[Tensor, Tensor]:
    """The input and a float target of another dtype, both in the dtype torch computes in."""
    if who in _REFUSES_OTHER_DTYPE:
        raise RuntimeError(f"{who}: the target has dtype {target.dtype} and the input "
                           f"{x.dtype}; PyTorch refuses the mix: convert one with .to(dtype)")
    dtype = x.dtype if who in _KEEPS_INPUT_DTYPE else np.promote_types(x.dtype, target.dtype)
    return x.astype(dtype), target.astype(dtype)


def input_and_target(input: Any, target: Any, reduction: Any, who: str,
                     allowed: tuple[Any, ...] = REDUCTIONS, floating_target: bool = False
                     ) -> tuple[Tensor, Tensor]:
    """Checked reduction, input and target; the shapes must be equal (never broadcast).
    With ``floating_target`` an integer or boolean target is refused, as PyTorch refuses it
    in the losses that read the target as probabilities."""
    check_reduction(reduction, who, allowed)
    x = as_prediction(input, who)
    if floating_target:
        kind = (target.dtype if isinstance(target, Tensor) else np.asarray(target).dtype).kind
        if kind in "biu":
            raise TypeError(f"{who}: the target must be floating point, as in PyTorch; received "
                            f"an integer or boolean target. Convert it with .float()")
    t = as_float(target, x, who, "target")
    if isinstance(target, Tensor) and target.dtype.kind == "f" and target.dtype != x.dtype:
        x, t = _meet_dtypes(x, target, who)
    if t.shape != x.shape:
        raise ValueError(f"{who}: the input has shape {x.shape} and the target has shape "
                         f"{t.shape}; they must be equal (they are not broadcast). Reshape the "
                         f"target to {x.shape}")
    return x, t


def weight_array(value: Any, x: Tensor, who: str, what: str, shape: tuple[int, ...] | None = None
                 ) -> np.ndarray:
    """A constant of numbers >= 0 in ``x``'s dtype: of ``shape`` when given, else of a shape
    that broadcasts to ``x``'s without enlarging it."""
    data = np.asarray(value.numpy() if isinstance(value, Tensor) else value)
    if data.dtype.kind not in "biuf":
        raise TypeError(f"{who}: expected a numeric {what}; received dtype {data.dtype}")
    try:
        fits = np.broadcast_shapes(data.shape, x.shape) == x.shape
    except ValueError:
        fits = False
    if (shape is not None and data.shape != shape) or (shape is None and not fits):
        wanted = shape if shape is not None else f"{x.shape} or one that broadcasts to it"
        raise ValueError(f"{who}: {what} must have shape {wanted}; received {what} of shape "
                         f"{data.shape} for an input of shape {x.shape}")
    if not np.all(data >= 0):
        raise ValueError(f"{who}: {what} must hold numbers >= 0; received the value "
                         f"{data[~(data >= 0)].flat[0].item()!r}. Use 0 to leave an entry out")
    return data.astype(x.dtype)


def number(value: Any, who: str, name: str, accept: Callable[[float], bool], wanted: str
           ) -> float:
    """``value`` as a float when it is a real number that ``accept`` accepts, else a ValueError
    saying it should be ``wanted`` (``'> 0'``)."""
    real = isinstance(value, (int, float, np.number)) and not isinstance(value, bool)
    if not (real and accept(value)):
        raise ValueError(f"{who}: {name} must be a number {wanted}; received {name}={value!r}")
    return float(value)


def mean_of(total: Tensor, count: float) -> Tensor:
    """``total / count``; PyTorch's mean over nothing (count 0) is nan, here without numpy's
    division warning."""
    return total / count if count else total + float("nan")


def reduce(values: Tensor, reduction: str) -> Tensor:
    """The values themselves ('none'), their sum ('sum') or their mean ('mean')."""
    if reduction == "none":
        return values
    if reduction == "sum":
        return values.sum()
    return values.mean() if values.numel() else mean_of(values.sum(), 0)


def reduce_weighted(values: Tensor, weight: Any, x: Tensor, reduction: str, who: str,
                    by_weight: bool) -> Tensor:
    """Values times a weight of ``x``'s shape, reduced; 'mean' divides by the weights' sum when
    ``by_weight``, else by the number of elements (PyTorch's ``huber_loss`` does the latter)."""
    if weight is None:
        return reduce(values, reduction)
    w = weight_array(weight, x, who, "weight", shape=x.shape)
    values = values * w
    if reduction == "mean" and by_weight:
        return mean_of(values.sum(), float(w.sum()))
    return reduce(values, reduction)
