"""PyTorch's pooling on NCHW images: ``max_pool2d`` (and ``max_pool2d_with_indices``),
``avg_pool2d`` and ``adaptive_avg_pool2d``, with ``torch.nn.functional``'s arguments and
output-size rules; ``nn.functional`` re-exports them (its ``max_pool2d`` adds
``return_indices``)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from autograd import functions as fn
from autograd.convolution import avg_pool2d_nhwc
from autograd.convolution_nchw import (
    image,
    is_int,
    pad_hw,
    pair,
    tensor,
    to_channels_first,
    to_channels_last,
)
from autograd.tensor import Tensor


def _pool_geometry(x: Tensor, kernel_size: Any, stride: Any, padding: Any, ceil_mode: bool,
                   who: str, dilation: tuple[int, ...] = (1, 1)) -> tuple[Any, ...]:
    """Window, stride, padding and the ((top, bottom), (left, right)) pads, bottom and right
    grown (or cut, negative) so that exactly the output's windows fit; PyTorch's output-size
    rule, in which the last window must start inside the input or its left padding."""
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
    for size, k, s, p, d in zip(x.shape[2:], window, stride, padding, dilation):
        k = (k - 1) * d + 1  # the dilated window's span
        span = size + 2 * p - k
        if span < 0:
            raise ValueError(f"{who}: the window ({k}) is larger than the padded input "
                             f"({size + 2 * p}). Received: input shape {tuple(x.shape)}")
        out = (math.ceil(span / s) if ceil_mode else span // s) + 1
        if ceil_mode and (out - 1) * s >= size + p:
            out -= 1  # the last window must start inside the input or the left padding
        pads.append((p, (out - 1) * s + k - size - p))
    return window, stride, padding, tuple(pads)


def max_pool2d_with_indices(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0,
                            dilation: Any = 1, ceil_mode: bool = False
                            ) -> tuple[Tensor, Tensor]:
    """The maximum of each window of NCHW images, and each winner's flat index ``h * W + w``
    in its channel (int64), as PyTorch's ``max_pool2d(..., return_indices=True)``.

    Each output is the input value at its window's winner, the first maximum in row-major order
    (a NaN wins over numbers: the last NaN), found among the window's real positions (padding
    never wins). The output gathers those values, so the gradient of each output goes to its
    winner, as in PyTorch.

    Args:
        input: (N, C, H, W) or (C, H, W).
        kernel_size: An int or (kh, kw).
        stride: An int or a pair; None or ``()`` (the default) means ``kernel_size``.
        padding: Implicit -inf added on both sides, at most half the window.
        dilation: Spacing between the window's taps: an int or (dh, dw).
        ceil_mode: Round the output size up instead of down.

    Examples:
        >>> import numpy as np, autograd as torch
        >>> x = torch.tensor(np.arange(16.0).reshape(1, 1, 4, 4))
        >>> values, indices = torch.max_pool2d_with_indices(x, 2)
        >>> values.numpy()[0, 0], indices.numpy()[0, 0]
        (array([[ 5.,  7.],
               [13., 15.]]), array([[ 5,  7],
               [13, 15]]))
    """
    x, unbatched = image(tensor(input, "max_pool2d"), "max_pool2d")
    if x.dtype.kind not in "iuf":
        raise TypeError(f"max_pool2d expects a numeric tensor. Received: dtype {x.dtype}")
    dilation = pair(dilation, "max_pool2d", "dilation")
    window, stride, _, pads = _pool_geometry(x, kernel_size, stride, padding, ceil_mode,
                                             "max_pool2d", dilation)
    n, c, h, w = x.shape
    index = _winners(x.numpy(), window, stride, dilation, pads)
    y = x.reshape(n, c, h * w)[np.arange(n)[:, None, None, None],
                               np.arange(c)[None, :, None, None], index]
    if unbatched:
        y, index = y.reshape(*y.shape[1:]), index[0]
    return y, Tensor(index)


def max_pool2d(input: Any, kernel_size: Any, stride: Any = (), padding: Any = 0,
               dilation: Any = 1, ceil_mode: bool = False) -> Tensor:
    """The maximum of each window of NCHW images: ``torch.max_pool2d`` (the values of
    ``max_pool2d_with_indices``; ``nn.functional.max_pool2d`` can return the indices too).

    Examples:
        >>> import numpy as np, autograd as torch
        >>> x = torch.tensor(np.arange(16.0).reshape(1, 1, 4, 4))
        >>> torch.max_pool2d(x, 2).numpy()[0, 0]
        array([[ 5.,  7.],
               [13., 15.]])
    """
    return max_pool2d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)[0]


def _winners(data: np.ndarray, window: tuple[int, ...], stride: tuple[int, ...],
             dilation: tuple[int, ...], pads: tuple[tuple[int, int], ...]
             ) -> np.ndarray:
    """(N, C, OH, OW) flat indices ``h * W + w`` of each window's winner (see max_pool2d)."""
    n, c, h, w = data.shape
    widths = ((0, 0), (0, 0), *((b, max(a, 0)) for b, a in pads))
    real = np.pad(np.ones((h, w), bool), widths[2:])
    values = np.pad(data, widths)
    spans = [(k - 1) * d + 1 for k, d in zip(window, dilation)]
    out = [(size + b + a - span) // s + 1
           for size, (b, a), span, s in zip((h, w), pads, spans, stride)]

    def windows(array: np.ndarray) -> np.ndarray:
        view = sliding_window_view(array, spans, axis=(-2, -1))
        view = view[..., :out[0] * stride[0]:stride[0], :out[1] * stride[1]:stride[1], :, :]
        view = view[..., ::dilation[0], ::dilation[1]]
        return view.reshape(*view.shape[:-2], -1)  # (..., OH, OW, kh * kw)

    v, r = windows(values), windows(real)
    # The first maximum among real positions; a NaN (which compares false) wins, the last one.
    best = np.where(r, v, -np.inf if v.dtype.kind == "f" else np.iinfo(v.dtype).min).max(-1)
    first = (r & (v == best[..., None])).argmax(-1)
    if v.dtype.kind == "f":
        nan = r & np.isnan(v)
        last_nan = nan.shape[-1] - 1 - nan[..., ::-1].argmax(-1)
        first = np.where(nan.any(-1), last_nan, first)
    a, b = np.divmod(first, window[1])
    rows: np.ndarray = np.arange(out[0])[:, None] * stride[0] + a * dilation[0] - pads[0][0]
    cols: np.ndarray = np.arange(out[1])[None, :] * stride[1] + b * dilation[1] - pads[1][0]
    flat: np.ndarray = (rows * w + cols).astype(np.int64)
    return flat


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

    Examples:
        >>> import numpy as np, autograd as torch
        >>> x = torch.tensor(np.arange(16.0).reshape(1, 1, 4, 4))
        >>> torch.avg_pool2d(x, 2).numpy()[0, 0]
        array([[ 2.5,  4.5],
               [10.5, 12.5]])
    """
    x, unbatched = image(tensor(input, "avg_pool2d"), "avg_pool2d")
    window, stride, padding, pads = _pool_geometry(x, kernel_size, stride, padding, ceil_mode,
                                                   "avg_pool2d")
    if divisor_override is not None and (not is_int(divisor_override) or divisor_override <= 0):
        raise ValueError(f"avg_pool2d expects divisor_override to be None or a positive int. "
                         f"Received: divisor_override={divisor_override!r}")
    y = to_channels_first(avg_pool2d_nhwc(pad_hw(to_channels_last(x), pads, 0.0), window,
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

    Examples:
        >>> import numpy as np, autograd as torch
        >>> x = torch.tensor(np.arange(16.0).reshape(1, 1, 4, 4))
        >>> torch.adaptive_avg_pool2d(x, 1).numpy().ravel()
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
    y = Tensor(rows) @ fn.astype(x, dtype) @ Tensor(np.ascontiguousarray(cols.T))
    return y.reshape(*y.shape[1:]) if unbatched else y


def _averaging(n: int, m: int, dtype: Any) -> np.ndarray:
    """The (m, n) matrix whose row i averages the i-th adaptive window of n positions."""
    matrix = np.zeros((m, n))
    for i in range(m):
        start, end = (i * n) // m, -((-(i + 1) * n) // m)
        matrix[i, start:end] = 1.0 / (end - start)
    return matrix.astype(dtype)
