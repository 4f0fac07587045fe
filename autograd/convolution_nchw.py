"""PyTorch's convolution on NCHW images: ``conv2d`` with ``torch.nn.functional``'s arguments.

Images are (N, C, H, W) (or one unbatched (C, H, W)) and convolution weights (out_channels,
in_channels / groups, kh, kw), as in PyTorch. The work is done by autograd's channels-last
primitive (im2col convolution): the image is permuted to channels last, padded
explicitly as PyTorch pads it, and the result permuted back, so every step is differentiable.
"""

from __future__ import annotations

from typing import Any

import autograd as ag
from autograd import Tensor
from nn.functional._args import image, is_int, pair, tensor


def _to_channels_last(x: Tensor) -> Tensor:
    return ag.permute(x, (0, 2, 3, 1))


def _to_channels_first(x: Tensor) -> Tensor:
    return ag.permute(x, (0, 3, 1, 2))


def _pad_hw(x: Tensor, pads: tuple, value: float) -> Tensor:
    """Pad the H and W axes of a channels-last batch: ``pads`` is ((top, bottom), (left, right));
    a negative bottom or right drops rows or columns that no window reaches."""
    if any(a < 0 for _, a in pads):
        x = x[:, :x.shape[1] + min(pads[0][1], 0), :x.shape[2] + min(pads[1][1], 0)]
        pads = tuple((b, max(a, 0)) for b, a in pads)
    if not any(b or a for b, a in pads):
        return x
    return ag.pad(x, ((0, 0), *pads, (0, 0)), constant_values=value)


def _conv_padding(padding: Any, window: tuple, stride: tuple) -> tuple:
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

    Example:
        >>> import autograd as torch, nn.functional as F
        >>> x, w = torch.ones((1, 2, 4, 4)), torch.ones((3, 2, 3, 3))
        >>> F.conv2d(x, w).shape, F.conv2d(x, w, padding=1).shape
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
    xl = _pad_hw(_to_channels_last(x), pads, 0.0)
    kernel = ag.permute(w, (2, 3, 1, 0))  # (kh, kw, in / groups, out): autograd's layout
    per_in, per_out = channels // groups, out_channels // groups
    parts = [ag.conv2d(xl[..., g * per_in:(g + 1) * per_in],
                       kernel[..., g * per_out:(g + 1) * per_out],
                       strides=stride, padding="valid", dilation_rate=dilation)
             for g in range(groups)]
    y = parts[0] if groups == 1 else ag.cat(parts, axis=3)
    if bias is not None:
        b = tensor(bias, "conv2d")
        if tuple(b.shape) != (out_channels,):
            raise ValueError(f"conv2d expects a bias of shape ({out_channels},). Received: "
                             f"bias shape {tuple(b.shape)}")
        y = y + b
    y = _to_channels_first(y)
    return y.reshape(*y.shape[1:]) if unbatched else y
