"""PyTorch's convolution on NCHW images: ``conv2d`` (``torch.conv2d``, which is also
``torch.nn.functional.conv2d``), and the argument checks PyTorch's pooling shares with it.

Images are (N, C, H, W) (or one unbatched (C, H, W)) and convolution weights (out_channels,
in_channels / groups, kh, kw), as in PyTorch. The work is done by the channels-last primitive
(im2col convolution, ``conv2d_nhwc``): the image is permuted to channels last, padded explicitly
as PyTorch pads it, and the result permuted back, so every step is differentiable.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import functions as fn
from autograd.convolution import conv2d_nhwc
from autograd.node import Node
from autograd.tensor import Tensor


def tensor(x: Any, who: str) -> Tensor:
    """``x`` as a Tensor (array-like data is converted), else a TypeError naming ``who``."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, Node):
        raise TypeError(f"{who} expects a Tensor or array-like data. Received: {x!r:.80}")
    return Tensor(x)


def is_int(value: Any) -> bool:
    """Whether ``value`` is an integer (not a bool)."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def pair(value: Any, who: str, name: str, minimum: int = 1) -> tuple[int, int]:
    """An int or a sequence of two ints (a one-element sequence counts for both), each
    ``>= minimum``, as a pair."""
    items = [value] if is_int(value) else value
    try:
        items = list(items)
    except TypeError:
        items = []
    if len(items) == 1:
        items = items * 2
    if len(items) != 2 or not all(is_int(v) and v >= minimum for v in items):
        raise ValueError(f"{who} expects {name} to be an int >= {minimum} or a pair of them. "
                         f"Received: {name}={value!r}")
    return int(items[0]), int(items[1])


def image(x: Tensor, who: str) -> tuple[Tensor, bool]:
    """``x`` as a batch of images (N, C, H, W), and whether it was one unbatched (C, H, W)."""
    if x.ndim == 3:
        return x.reshape(1, *x.shape), True
    if x.ndim != 4:
        raise ValueError(f"{who} expects a 3-D (C, H, W) or 4-D (N, C, H, W) input. Received: "
                         f"input of shape {tuple(x.shape)}")
    return x, False


def to_channels_last(x: Tensor) -> Tensor:
    """(N, C, H, W) to (N, H, W, C)."""
    return fn.permute(x, (0, 2, 3, 1))


def to_channels_first(x: Tensor) -> Tensor:
    """(N, H, W, C) to (N, C, H, W)."""
    return fn.permute(x, (0, 3, 1, 2))


def pad_hw(x: Tensor, pads: tuple[tuple[int, int], ...], value: float) -> Tensor:
    """Pad the H and W axes of a channels-last batch: ``pads`` is ((top, bottom), (left, right));
    a negative bottom or right drops rows or columns that no window reaches."""
    if any(a < 0 for _, a in pads):
        x = x[:, :x.shape[1] + min(pads[0][1], 0), :x.shape[2] + min(pads[1][1], 0)]
        pads = tuple((b, max(a, 0)) for b, a in pads)
    if not any(b or a for b, a in pads):
        return x
    return fn.pad(x, ((0, 0), *pads, (0, 0)), constant_values=value)


def _conv_padding(padding: Any, window: tuple[int, ...],
                  stride: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
    """((top, bottom), (left, right)) for PyTorch's ``padding`` (ints, 'valid' or 'same')."""
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0), (0, 0))
        if padding != "same":
            raise ValueError(f"conv2d expects padding to be 'valid', 'same', an int or a pair. "
                             f"Received: padding={padding!r}")
        if stride != (1, 1):
            raise ValueError("padding='same' is not supported for strided convolutions")
        # PyTorch puts the odd pixel of a 'same' padding at the bottom or right.
        return tuple((total // 2, total - total // 2) for total in (k - 1 for k in window))
    top, left = pair(padding, "conv2d", "padding", minimum=0)
    return ((top, top), (left, left))


def conv2d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1, groups: int = 1) -> Tensor:
    """2-D convolution (cross-correlation) of NCHW images, as ``torch.nn.functional.conv2d``.

    Args:
        input: Images (N, C, H, W), or one image (C, H, W).
        weight: (out_channels, C / groups, kh, kw).
        bias: None or (out_channels,).
        stride: An int or (sh, sw).
        padding: Zeros added on both sides: an int, (ph, pw), ``'valid'`` (none) or ``'same'``
            (the output keeps H and W; stride 1 only).
        dilation: Spacing between kernel taps: an int or (dh, dw).
        groups: Split the channels into this many groups, each convolved with its own filters.

    Examples:
        >>> import autograd as torch
        >>> x, w = torch.ones((1, 2, 4, 4)), torch.ones((3, 2, 3, 3))
        >>> torch.conv2d(x, w).shape, torch.conv2d(x, w, padding=1).shape
        ((1, 3, 2, 2), (1, 3, 4, 4))
    """
    x, unbatched = image(tensor(input, "conv2d"), "conv2d")
    w = tensor(weight, "conv2d")
    stride, dilation = pair(stride, "conv2d", "stride"), pair(dilation, "conv2d", "dilation")
    if not is_int(groups) or groups < 1:
        raise ValueError(f"conv2d expects groups to be a positive int. Received: groups={groups!r}")
    channels, out_channels = x.shape[1], w.shape[0] if w.ndim == 4 else -1
    if w.ndim != 4 or channels % groups or out_channels % groups \
            or w.shape[1] * groups != channels:
        raise ValueError(
            f"conv2d expects weight of shape (out_channels, in_channels / groups, kh, kw) with "
            f"in_channels and out_channels divisible by groups. Received: input shape "
            f"{tuple(x.shape)}, weight shape {tuple(w.shape)}, groups={groups}")
    window = tuple((k - 1) * d + 1 for k, d in zip(w.shape[2:], dilation))
    pads = _conv_padding(padding, window, stride)
    padded = tuple(n + b + a for n, (b, a) in zip(x.shape[2:], pads))
    if any(k > n for k, n in zip(window, padded)):
        raise ValueError(f"conv2d: calculated padded input size per channel: {padded}; kernel "
                         f"size (dilated): {window}. Kernel size can't be greater than actual "
                         f"input size")
    xl = pad_hw(to_channels_last(x), pads, 0.0)
    kernel = fn.permute(w, (2, 3, 1, 0))  # (kh, kw, in / groups, out): autograd's layout
    per_in, per_out = channels // groups, out_channels // groups
    parts = [conv2d_nhwc(xl[..., g * per_in:(g + 1) * per_in],
                       kernel[..., g * per_out:(g + 1) * per_out],
                       strides=stride, padding="valid", dilation_rate=dilation)
             for g in range(groups)]
    y = parts[0] if groups == 1 else fn.cat(parts, axis=3)
    if bias is not None:
        b = tensor(bias, "conv2d")
        if tuple(b.shape) != (out_channels,):
            raise ValueError(f"conv2d expects a bias of shape ({out_channels},). Received: "
                             f"bias shape {tuple(b.shape)}")
        y = y + b
    y = to_channels_first(y)
    return y.reshape(*y.shape[1:]) if unbatched else y
