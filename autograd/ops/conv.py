"""Convolution and pooling primitives on channels-last images: x is (N, H, W, C).

Every op here works on an input that it pads itself (``padding`` is ``((top, bottom), (left,
right))``, already worked out by ``autograd.convolution``) and then slides a window over with
``strides`` (and ``dilation`` for convolution). Window offset ``(a, b)`` meets, for all output
pixels at once, the strided slice ``xp[:, a*dh :: sh, b*dw :: sw]`` of the padded input: the code
loops over the few offsets of a window, never over pixels.

The ops come in closed families, so that the vjp of every member is another member and gradients
of any order stay inside the family (like ``getitem`` and ``scatter_add``):

- ``conv2d(x, k)``; its vjps are ``conv2d_input_grad(g, k)`` (a transposed convolution) and
  ``conv2d_kernel_grad(x, g)``. Both are bilinear, and their own vjps are members again.
- ``avg_pool2d(x)`` and ``avg_pool2d_grad(g)`` are linear maps, each the transpose of the other.
- ``max_pool2d(x)`` sends its gradient to one winner per window through ``scatter_add``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from autograd.op import Op, call, raw_data
from autograd.ops import shape as shape_ops

# With up to this many channels, im2col copies one kernel offset at a time (long image rows are
# the contiguous runs); with more, it copies whole windows (a window row of kw*C values is).
# Both build the same matrix; measured with numpy 2.4, each is several times faster in its range.
_FEW_CHANNELS = 4
_NO_PADDING = ((0, 0), (0, 0))

# (height, width) of a window, strides or dilation; padding is ((top, bottom), (left, right))
Pair = tuple[int, ...]
Padding = tuple[tuple[int, int], tuple[int, int]]
Shape = tuple[int, ...]


def _pad(x: np.ndarray, padding: Padding, value: Any) -> np.ndarray:
    if padding == _NO_PADDING:
        return x
    return np.pad(x, ((0, 0), *padding, (0, 0)), constant_values=value)


def _crop(xp: np.ndarray, padding: Padding) -> np.ndarray:
    """Undo ``_pad``: the inner part of a padded array (copied so it owns its memory)."""
    if padding == _NO_PADDING:
        return xp
    (top, bottom), (left, right) = padding
    return np.ascontiguousarray(xp[:, top:xp.shape[1] - bottom, left:xp.shape[2] - right])


def _padded_shape(shape: Shape, padding: Padding) -> Shape:
    n, h, w, c = shape
    (top, bottom), (left, right) = padding
    return (n, h + top + bottom, w + left + right, c)


def _out_hw(padded_shape: Shape, window: Pair, strides: Pair, dilation: Pair) -> Pair:
    """Output height and width: how many window positions fit in the padded input."""
    return tuple((size - ((k - 1) * d + 1)) // s + 1
                 for size, k, s, d in zip(padded_shape[1:3], window, strides, dilation))


def _shifted(a: int, b: int, out_hw: Pair, strides: Pair,
             dilation: Pair) -> tuple[slice, slice, slice]:
    """Index of what window offset (a, b) meets in a padded (N, H, W, ...) array, per output."""
    (oh, ow), (sh, sw), (dh, dw) = out_hw, strides, dilation
    return (slice(None), slice(a * dh, a * dh + (oh - 1) * sh + 1, sh),
            slice(b * dw, b * dw + (ow - 1) * sw + 1, sw))


def _offsets(window: Pair) -> list[Pair]:
    return [(a, b) for a in range(window[0]) for b in range(window[1])]


def _im2col(xp: np.ndarray, window: Pair, strides: Pair, dilation: Pair) -> np.ndarray:
    """The (M, K) im2col matrix: row (n, i, j) per output pixel, column (a, b, c) per weight.

    Convolution is then one matmul: (M, K) @ (K, F) with M = N*OH*OW and K = kh*kw*C.
    """
    n, _, _, c = xp.shape
    (kh, kw), (oh, ow) = window, _out_hw(xp.shape, window, strides, dilation)
    if c <= _FEW_CHANNELS:
        cols = np.empty((kh, kw, c, n, oh, ow), dtype=xp.dtype)
        channels_first = xp.transpose(3, 0, 1, 2)
        for a, b in _offsets(window):
            # the index made first: in brackets, a tuple with * is Python 3.11's syntax to the
            # type checker, which targets 3.10
            index = (slice(None), *_shifted(a, b, (oh, ow), strides, dilation))
            cols[a, b] = channels_first[index]
        return cols.reshape(kh * kw * c, n * oh * ow).T
    spans = [(k - 1) * d + 1 for k, d in zip(window, dilation)]
    windows = sliding_window_view(xp, spans, axis=(1, 2))  # (N, H', W', C, span_h, span_w)
    windows = windows[:, ::strides[0], ::strides[1], :, ::dilation[0], ::dilation[1]]
    return windows.transpose(0, 1, 2, 4, 5, 3).reshape(n * oh * ow, kh * kw * c)


def _spread(parts: Callable[[int, int], np.ndarray], padded_shape: Shape, window: Pair,
            out_hw: Pair, strides: Pair, dilation: Pair, dtype: np.dtype) -> np.ndarray:
    """col2im: add ``parts(a, b)`` (N, OH, OW, C) into a zero padded input at each offset."""
    xp = np.zeros(padded_shape, dtype=dtype)
    for a, b in _offsets(window):
        xp[_shifted(a, b, out_hw, strides, dilation)] += parts(a, b)
    return xp


# --- convolution: y[n,i,j,f] = sum over a,b,c of xp[n, i*sh + a*dh, j*sw + b*dw, c] k[a,b,c,f]

def _conv2d(x: np.ndarray, kernel: np.ndarray, strides: Pair, dilation: Pair,
            padding: Padding) -> np.ndarray:
    kh, kw, _, f = kernel.shape
    xp = _pad(x, padding, 0)
    oh, ow = _out_hw(xp.shape, (kh, kw), strides, dilation)
    cols = _im2col(xp, (kh, kw), strides, dilation)
    return (cols @ kernel.reshape(-1, f)).reshape(x.shape[0], oh, ow, f)


def _conv2d_input_grad(g: np.ndarray, kernel: np.ndarray, input_shape: Shape, strides: Pair,
                       dilation: Pair, padding: Padding) -> np.ndarray:
    kh, kw, c, f = kernel.shape
    n, oh, ow, _ = g.shape
    cols = (g.reshape(-1, f) @ kernel.reshape(-1, f).T).reshape(n, oh, ow, kh, kw, c)
    xp = _spread(lambda a, b: cols[:, :, :, a, b], _padded_shape(input_shape, padding),
                 (kh, kw), (oh, ow), strides, dilation, cols.dtype)
    return _crop(xp, padding)


def _conv2d_kernel_grad(x: np.ndarray, g: np.ndarray, kernel_shape: Shape, strides: Pair,
                        dilation: Pair, padding: Padding) -> np.ndarray:
    cols = _im2col(_pad(x, padding, 0), kernel_shape[:2], strides, dilation)
    return (cols.T @ g.reshape(-1, kernel_shape[3])).reshape(kernel_shape)


conv2d: Op = Op(
    "conv2d", _conv2d,
    (lambda g, y, x, k, **p: call(conv2d_input_grad, g, k, input_shape=x.shape, **p),
     lambda g, y, x, k, **p: call(conv2d_kernel_grad, x, g, kernel_shape=k.shape, **p)),
    rule="d conv2d: transposed conv of g for x, x ⋆ g for the kernel", raw_rules=True,
    dtypes="same")

conv2d_input_grad: Op = Op(
    "conv2d_input_grad", _conv2d_input_grad,
    (lambda G, y, g, k, input_shape, **p: call(conv2d, G, k, **p),
     lambda G, y, g, k, input_shape, **p:
     call(conv2d_kernel_grad, G, g, kernel_shape=k.shape, **p)),
    label="conv2dᵀ", rule="d conv2dᵀ: conv2d(G, k) for g, G ⋆ g for k", raw_rules=True)

conv2d_kernel_grad: Op = Op(
    "conv2d_kernel_grad", _conv2d_kernel_grad,
    (lambda G, y, x, g, kernel_shape, **p:
     call(conv2d_input_grad, g, G, input_shape=x.shape, **p),
     lambda G, y, x, g, kernel_shape, **p: call(conv2d, x, G, **p)),
    label="x ⋆ g", rule="d (x ⋆ g): conv2dᵀ(g, G) for x, conv2d(x, G) for g", raw_rules=True)


# --- pooling: windows of pool_size, without dilation; 'same' padding never counts

_NO_DILATION = (1, 1)


def _lowest(dtype: np.dtype) -> Any:
    """A padding value that never beats a real value in a max."""
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def _max_pool2d(x: np.ndarray, pool_size: Pair, strides: Pair,
                padding: Padding) -> np.ndarray | None:  # None: a window of no positions
    xp = _pad(x, padding, _lowest(x.dtype))
    out_hw = _out_hw(xp.shape, pool_size, strides, _NO_DILATION)
    out = None
    for a, b in _offsets(pool_size):
        part = xp[_shifted(a, b, out_hw, strides, _NO_DILATION)]
        out = part.copy() if out is None else np.maximum(out, part, out=out)
    return out


def _is_real(a: int, b: int, input_shape: Shape, out_hw: Pair, strides: Pair,
             padding: Padding) -> np.ndarray:
    """(1, OH, OW, 1) mask: where window offset (a, b) meets a real (not padded) position."""
    masks = []
    for offset, size, out, s, (before, _) in zip((a, b), input_shape[1:3], out_hw, strides,
                                                  padding):
        position = np.arange(out) * s + offset - before
        masks.append((position >= 0) & (position < size))
    return np.logical_and.outer(*masks)[None, :, :, None]


def _winners(x: np.ndarray, y: np.ndarray, pool_size: Pair, strides: Pair,
             padding: Padding) -> np.ndarray:
    """Flat index, into the padded x, of the first maximum of each window (row-major order).

    A padded position is never chosen, since every window holds a real one. A window whose
    maximum is NaN has no position equal to it: it keeps offset (0, 0), dropped if padded.
    """
    xp = _pad(x, padding, _lowest(x.dtype))
    n, hp, wp, c = xp.shape
    (oh, ow) = out_hw = _out_hw(xp.shape, pool_size, strides, _NO_DILATION)
    offsets = _offsets(pool_size)
    # Small integers and boolean arithmetic: np.where and int64 temporaries cost several times more.
    choice = np.zeros(y.shape, dtype=np.min_scalar_type(len(offsets)))  # the winner's offset
    unclaimed = np.ones(y.shape, dtype=bool)
    for k, (a, b) in enumerate(offsets):
        hit = xp[_shifted(a, b, out_hw, strides, _NO_DILATION)] == y
        if padding != _NO_PADDING:
            hit &= _is_real(a, b, x.shape, out_hw, strides, padding)
        hit &= unclaimed
        unclaimed ^= hit
        choice += hit * choice.dtype.type(k)
    step = np.array([(a * wp + b) * c for a, b in offsets])  # from a window's first position
    first = ((np.arange(n)[:, None, None, None] * hp + np.arange(oh)[:, None, None] * strides[0])
             * wp + np.arange(ow)[:, None] * strides[1]) * c + np.arange(c)
    first += step.take(choice)
    return first.ravel()


def _max_pool2d_vjp(g: Any, y: Any, x: Any, pool_size: Pair, strides: Pair,
                    padding: Padding) -> Any:
    index = _winners(raw_data(x), raw_data(y), pool_size, strides, padding)
    padded = _padded_shape(x.shape, padding)
    flat = call(shape_ops.scatter_add, g.reshape(-1), index=index, shape=(math.prod(padded),))
    gp = flat.reshape(padded)
    if padding == _NO_PADDING:
        return gp
    (top, _), (left, _) = padding
    return gp[:, top:top + x.shape[1], left:left + x.shape[2]]


def _window_counts(input_shape: Shape, pool_size: Pair, strides: Pair, padding: Padding,
                   dtype: np.dtype) -> np.ndarray:
    """How many real (not padded) positions each window covers, shaped (OH, OW, 1)."""
    counts = []
    for size, k, s, (before, after) in zip(input_shape[1:3], pool_size, strides, padding):
        starts = np.arange((size + before + after - k) // s + 1) * s - before
        counts.append(np.minimum(starts + k, size) - np.maximum(starts, 0))
    return np.multiply.outer(*counts)[:, :, None].astype(dtype)


def _float_dtype(dtype: np.dtype) -> np.dtype:
    return dtype if dtype.kind == "f" else np.dtype(np.float64)


def _avg_pool2d(x: np.ndarray, pool_size: Pair, strides: Pair, padding: Padding) -> np.ndarray:
    xp = _pad(x, padding, 0)
    out_hw = _out_hw(xp.shape, pool_size, strides, _NO_DILATION)
    total = np.zeros((x.shape[0], *out_hw, x.shape[3]), dtype=_float_dtype(x.dtype))
    for a, b in _offsets(pool_size):
        total += xp[_shifted(a, b, out_hw, strides, _NO_DILATION)]
    return total / _window_counts(x.shape, pool_size, strides, padding, total.dtype)


def _avg_pool2d_grad(g: np.ndarray, input_shape: Shape, pool_size: Pair, strides: Pair,
                     padding: Padding) -> np.ndarray:
    share = g / _window_counts(input_shape, pool_size, strides, padding, g.dtype)
    xp = _spread(lambda a, b: share, _padded_shape(input_shape, padding), pool_size,
                 g.shape[1:3], strides, _NO_DILATION, share.dtype)
    return _crop(xp, padding)


max_pool2d = Op("max_pool2d", _max_pool2d, (_max_pool2d_vjp,),
                rule="d max_pool2d = 1 at each window's first maximum (row-major order)",
                raw_rules=True)

avg_pool2d: Op = Op(
    "avg_pool2d", _avg_pool2d,
    (lambda g, y, x, **p: call(avg_pool2d_grad, g, input_shape=x.shape, **p),),
    rule="d avg_pool2d = 1/count over each window's real positions", raw_rules=True)

# The two are each other's transpose.
avg_pool2d_grad: Op = Op(
    "avg_pool2d_grad", _avg_pool2d_grad,
    (lambda G, y, g, input_shape, **p: call(avg_pool2d, G, **p),),
    label="avg_pool2dᵀ", rule="d avg_pool2dᵀ = avg_pool2d", raw_rules=True)
