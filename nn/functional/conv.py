"""PyTorch's convolution and pooling on NCHW images: ``conv2d``, ``max_pool2d``, ``avg_pool2d``
and ``adaptive_avg_pool2d`` with ``torch.nn.functional``'s arguments.

Images are (N, C, H, W) (or one unbatched (C, H, W)) and convolution weights (out_channels,
in_channels / groups, kh, kw), as in PyTorch. The work is done by autograd's channels-last
primitives (im2col convolution, window pooling): the image is permuted to channels last, padded
explicitly as PyTorch pads it, and the result permuted back, so every step is differentiable.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

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


def _pool_geometry(x: Tensor, kernel_size: Any, stride: Any, padding: Any, ceil_mode: bool,
                   who: str) -> tuple:
    """Window, stride, padding and the ((top, bottom), (left, right)) pads, bottom and right
    grown so that ceil mode's last window fits; PyTorch's output-size rule."""
    window = pair(kernel_size, who, "kernel_size")
    stride = window if stride is None or (isinstance(stride, (list, tuple)) and not stride) \
        else pair(stride, who, "stride")
    padding = pair(padding, who, "padding", minimum=0)
    if any(p > k // 2 for p, k in zip(padding, window)):
        raise ValueError(f"{who}: pad should be at most half of effective kernel size. "
                         f"Received: kernel_size={window}, padding={padding}")
    if not isinstance(ceil_mode, (bool, np.bool_)):
        raise TypeError(f"{who} expects ceil_mode to be True or False. Received: {ceil_mode!r}")
    pads = []
    for size, k, s, p in zip(x.shape[2:], window, stride, padding):
        span = size + 2 * p - k
        if span < 0:
            raise ValueError(f"{who}: the window ({k}) is larger than the padded input "
                             f"({size + 2 * p}). Received: input shape {tuple(x.shape)}")
        out = (math.ceil(span / s) if ceil_mode else span // s) + 1
        if ceil_mode and (out - 1) * s >= size + p:
            out -= 1  # the last window must start inside the input or the left padding
        pads.append((p, (out - 1) * s + k - size - p))
    return window, stride, padding, tuple(pads)


def max_pool2d(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0,
               dilation: Any = 1, ceil_mode: bool = False, return_indices: bool = False
               ) -> Tensor:
    """The maximum of each window of NCHW images (padding never wins), as PyTorch's.

    Args:
        input: (N, C, H, W) or (C, H, W).
        kernel_size: An int or (kh, kw).
        stride: An int or a pair; None (the default) means ``kernel_size``.
        padding: Implicit -inf added on both sides, at most half the window.
        dilation: Only 1 is supported.
        ceil_mode: Round the output size up instead of down.
        return_indices: Only False is supported.

    Example:
        >>> import numpy as np, autograd as torch, nn.functional as F
        >>> x = torch.tensor(np.arange(16.0).reshape(1, 1, 4, 4))
        >>> F.max_pool2d(x, 2).numpy()[0, 0]
        array([[ 5.,  7.],
               [13., 15.]])
    """
    if pair(dilation, "max_pool2d", "dilation") != (1, 1):
        raise ValueError(f"max_pool2d: dilation={dilation!r} is not supported; use dilation=1")
    if return_indices is not False:
        raise ValueError(f"max_pool2d: return_indices={return_indices!r} is not supported; "
                         f"use return_indices=False")
    x, unbatched = image(tensor(input, "max_pool2d"), "max_pool2d")
    window, stride, _, pads = _pool_geometry(x, kernel_size, stride, padding, ceil_mode,
                                             "max_pool2d")
    lowest = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    xl = _pad_hw(_to_channels_last(x), pads, lowest)
    y = _to_channels_first(ag.max_pool2d(xl, window, stride, padding="valid"))
    return y.reshape(*y.shape[1:]) if unbatched else y


def avg_pool2d(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0,
               ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: int | None = None) -> Tensor:
    """The mean of each window of NCHW images, as PyTorch's.

    Args:
        input: (N, C, H, W) or (C, H, W).
        kernel_size: An int or (kh, kw).
        stride: An int or a pair; None (the default) means ``kernel_size``.
        padding: Zeros added on both sides, at most half the window.
        ceil_mode: Round the output size up instead of down.
        count_include_pad: Whether the zero padding counts in each window's divisor (the
            positions that ceil mode adds beyond it never do).
        divisor_override: Divide every window's sum by this instead.

    Example:
        >>> import numpy as np, autograd as torch, nn.functional as F
        >>> x = torch.tensor(np.arange(16.0).reshape(1, 1, 4, 4))
        >>> F.avg_pool2d(x, 2).numpy()[0, 0]
        array([[ 2.5,  4.5],
               [10.5, 12.5]])
    """
    x, unbatched = image(tensor(input, "avg_pool2d"), "avg_pool2d")
    window, stride, padding, pads = _pool_geometry(x, kernel_size, stride, padding, ceil_mode,
                                                   "avg_pool2d")
    if divisor_override is not None and (not is_int(divisor_override) or divisor_override <= 0):
        raise ValueError(f"avg_pool2d expects divisor_override to be None or a positive int. "
                         f"Received: divisor_override={divisor_override!r}")
    y = _to_channels_first(ag.avg_pool2d(_pad_hw(_to_channels_last(x), pads, 0.0), window,
                                         stride, padding="valid"))
    # The primitive divided each window's sum by kh * kw; PyTorch's divisor may differ.
    divisors = [_divisors(n, k, s, p, out, count_include_pad)
                for n, k, s, p, out in zip(x.shape[2:], window, stride, padding, y.shape[2:])]
    divisor = np.multiply.outer(*divisors) if divisor_override is None \
        else np.full(y.shape[2:], float(divisor_override))
    factor = window[0] * window[1] / divisor
    if not np.all(factor == 1.0):
        y = y * Tensor(factor.astype(y.dtype))
    return y.reshape(*y.shape[1:]) if unbatched else y


def _divisors(size: int, k: int, s: int, p: int, out: int, count_include_pad: bool
              ) -> np.ndarray:
    start = np.arange(out) * s - p
    end = np.minimum(start + k, size + p)  # the explicit padding counts, ceil's overhang not
    if count_include_pad:
        return (end - start).astype(np.float64)
    return (np.minimum(end, size) - np.maximum(start, 0)).astype(np.float64)


def adaptive_avg_pool2d(input: Any, output_size: Any) -> Tensor:
    """Average NCHW images over a grid of ``output_size`` windows that tile each image:
    window ``i`` of an axis of size n into m spans ``[floor(i n / m), ceil((i + 1) n / m))``.

    Args:
        input: (N, C, H, W) or (C, H, W).
        output_size: An int, or (oh, ow) where None keeps the input's size.

    Example:
        >>> import numpy as np, autograd as torch, nn.functional as F
        >>> x = torch.tensor(np.arange(16.0).reshape(1, 1, 4, 4))
        >>> F.adaptive_avg_pool2d(x, 1).numpy().ravel()
        array([7.5])
    """
    x, unbatched = image(tensor(input, "adaptive_avg_pool2d"), "adaptive_avg_pool2d")
    sizes = [output_size] * 2 if is_int(output_size) or output_size is None \
        else list(output_size)
    if len(sizes) != 2 or not all(s is None or is_int(s) and s > 0 for s in sizes):
        raise ValueError(f"adaptive_avg_pool2d expects output_size to be a positive int or a "
                         f"pair of them (None keeps the input's size). Received: "
                         f"output_size={output_size!r}")
    dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.float64)
    rows, cols = (_averaging(n, n if m is None else m, dtype)
                  for n, m in zip(x.shape[2:], sizes))
    y = Tensor(rows) @ ag.astype(x, dtype) @ Tensor(np.ascontiguousarray(cols.T))
    return y.reshape(*y.shape[1:]) if unbatched else y


def _averaging(n: int, m: int, dtype: Any) -> np.ndarray:
    """The (m, n) matrix whose row i averages the i-th adaptive window of n positions."""
    matrix = np.zeros((m, n))
    for i in range(m):
        start, end = (i * n) // m, -((-(i + 1) * n) // m)
        matrix[i, start:end] = 1.0 / (end - start)
    return matrix.astype(dtype)
