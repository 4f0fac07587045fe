"""PyTorch's ``batch_norm`` and ``layer_norm``: channels on axis 1, momentum 0.1 applied as
``running = (1 - momentum) * running + momentum * batch``, and an unbiased running variance."""

from __future__ import annotations

import math
import numbers
from typing import Any

import autograd as ag
from autograd import Tensor
from nn.functional._args import is_int, tensor


def _mean(x: Tensor, axes: tuple[int, ...]) -> Tensor:
    return x.mean(axis=axes, keepdims=True)


def _shaped(value: Any, shape: tuple[int, ...], who: str, name: str, size: int) -> Tensor:
    t = tensor(value, who)
    if math.prod(t.shape) != size:
        raise ValueError(f"{who} expects {name} to hold {size} values, one per channel. "
                         f"Received: {name} of shape {tuple(t.shape)}")
    return t.reshape(shape)


def batch_norm(input: Any, running_mean: Tensor | None, running_var: Tensor | None,
               weight: Any = None, bias: Any = None, training: bool = False,
               momentum: float = 0.1, eps: float = 1e-05) -> Tensor:
    """Normalize each channel (axis 1) to mean 0 and variance 1, then scale by ``weight`` and
    shift by ``bias``, as ``torch.nn.functional.batch_norm``.

    In training the statistics are the batch's, over every axis but 1 (the variance divided by
    n), and the running statistics, when given, are updated in place:
    ``running = (1 - momentum) * running + momentum * batch``, with the batch's unbiased
    variance (divided by n - 1). Otherwise the running statistics normalize.

    Examples:
        >>> import autograd as torch, nn.functional as F
        >>> x = torch.tensor([[1.0], [5.0]])
        >>> mean, var = torch.zeros(1), torch.ones(1)
        >>> F.batch_norm(x, mean, var, training=True, eps=0.0).numpy()
        array([[-1.],
               [ 1.]], dtype=float32)
        >>> mean.numpy(), var.numpy()
        (array([0.3], dtype=float32), array([1.7], dtype=float32))
    """
    x = tensor(input, "batch_norm")
    if x.ndim < 2:
        raise ValueError(f"batch_norm expects an input of 2 or more axes (N, C, ...). "
                         f"Received: input of shape {tuple(x.shape)}")
    channels = x.shape[1]
    shape = (1, channels) + (1,) * (x.ndim - 2)
    axes = (0, *range(2, x.ndim))
    for name, value in (("momentum", momentum), ("eps", eps)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"batch_norm expects {name} to be a number. Received: {value!r}")
    if training:
        count = math.prod(x.shape) // max(channels, 1)
        if count <= 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got input "
                             f"size {tuple(x.shape)}")
        mean = _mean(x, axes)
        centered = x - mean
        variance = _mean(centered * centered, axes)
        with ag.no_grad():
            if running_mean is not None:
                _update(running_mean, mean, momentum, 1.0)
            if running_var is not None:
                _update(running_var, variance, momentum, count / (count - 1))
    else:
        if running_mean is None or running_var is None:
            raise ValueError("batch_norm with training=False normalizes with the running "
                             "statistics: pass running_mean and running_var (or training=True)")
        # Copies: a later update of the running statistics must not alter this graph.
        with ag.no_grad():
            mean = tensor(running_mean, "batch_norm").reshape(shape).clone()
            variance = tensor(running_var, "batch_norm").reshape(shape).clone()
        centered = x - mean
    out = centered / (variance + float(eps)).sqrt()
    if weight is not None:
        out = out * _shaped(weight, shape, "batch_norm", "weight", channels)
    if bias is not None:
        out = out + _shaped(bias, shape, "batch_norm", "bias", channels)
    return out


def _update(running: Any, batch: Tensor, momentum: float, correction: float) -> None:
    """``running = (1 - momentum) * running + correction * momentum * batch``, in place, with
    tensor operations (under no_grad): a captured step (autograd.compile) repeats them."""
    size = math.prod(batch.shape)
    if not isinstance(running, Tensor) or math.prod(running.shape) != size:
        raise ValueError(f"batch_norm expects running statistics as Tensors of one value per "
                         f"channel ({size}). Received: {running!r:.80}")
    new = running * (1.0 - momentum) + batch.reshape(running.shape) * (correction * momentum)
    running.copy_(new if new.dtype == running.dtype else new.astype(running.dtype))


def layer_norm(input: Any, normalized_shape: Any, weight: Any = None, bias: Any = None,
               eps: float = 1e-05) -> Tensor:
    """Give each example mean 0 and variance 1 (divided by n) over its last axes, whose shape is
    ``normalized_shape``, then scale by ``weight`` and shift by ``bias`` (both of that shape).

    Examples:
        >>> import autograd as torch, nn.functional as F
        >>> F.layer_norm(torch.tensor([[1.0, 3.0]]), (2,), eps=0.0).numpy()
        array([[-1.,  1.]], dtype=float32)
    """
    x = tensor(input, "layer_norm")
    shape = normalized(normalized_shape, "layer_norm")
    n = len(shape)
    if x.ndim < n or tuple(x.shape[x.ndim - n:]) != shape:
        raise ValueError(f"layer_norm: the input's last {n} axes must have the shape "
                         f"normalized_shape={shape}. Received: input shape {tuple(x.shape)}")
    axes = tuple(range(x.ndim - n, x.ndim))
    centered = x - _mean(x, axes)
    y = centered / (_mean(centered * centered, axes) + float(eps)).sqrt()
    for name, value in (("weight", weight), ("bias", bias)):
        if value is None:
            continue
        t = tensor(value, "layer_norm")
        if tuple(t.shape) != shape:
            raise ValueError(f"layer_norm expects {name} of shape {shape}. Received: "
                             f"{tuple(t.shape)}")
        y = y * t if name == "weight" else y + t
    return y


def normalized(value: Any, who: str) -> tuple[int, ...]:
    """``normalized_shape`` (an int or a sequence of ints > 0) as a tuple."""
    items = [value] if is_int(value) else value
    try:
        shape = tuple(items)
    except TypeError:
        shape = ()
    if not shape or not all(is_int(n) and n > 0 for n in shape):
        raise ValueError(f"{who} expects normalized_shape to be an int > 0 or a non-empty "
                         f"sequence of them. Received: normalized_shape={value!r}")
    return tuple(int(n) for n in shape)
