"""2-D convolution and pooling on channels-last images, with Keras' arguments and semantics:
the primitives of Keras' ``Conv2D`` and pooling layers, named ``*_nhwc`` because PyTorch's
``conv2d`` and ``max_pool2d`` (NCHW, ``autograd.convolution_nchw``) take the plain names.

Images are (batch, height, width, channels) and kernels (kernel_h, kernel_w, in_channels,
filters), as in Keras. ``padding='valid'`` uses only whole windows; ``padding='same'`` pads so
that the output has ``ceil(size / stride)`` positions per axis, the extra row or column of
padding going to the bottom or right (TensorFlow's rule). The primitives are in
``autograd.ops.conv``; this module checks the arguments and works out the padding.
"""

from __future__ import annotations

import math
from typing import Any, Union

import numpy as np

from autograd.node import Node
from autograd.op import Op
from autograd.ops import conv as conv_ops
from autograd.tensor import Tensor

Pair = Union[int, tuple[int, int]]


def _as_tensor(value: Any, who: str, what: str) -> Tensor:
    if isinstance(value, Tensor):
        return value
    if isinstance(value, Node):
        raise TypeError(f"{who}: {what} must be a Tensor or array-like, received "
                        f"{value._describe()}; Scalars cannot be convolved")
    return Tensor(value)


def _pair(value: Any, who: str, name: str) -> tuple[int, int]:
    """An int or a pair of ints, all positive, as a pair."""
    items = (value, value) if isinstance(value, (int, np.integer)) else value
    try:
        pair = tuple(items)
    except TypeError:
        pair = ()
    whole = [isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)) for v in pair]
    if len(pair) != 2 or not all(whole) or min(pair) <= 0:
        raise ValueError(f"{who}: {name} must be a positive int or a pair of positive ints; "
                         f"received {name}={value!r}")
    return int(pair[0]), int(pair[1])


def _padding_mode(padding: Any, who: str) -> str:
    mode = padding.lower() if isinstance(padding, str) else padding
    if mode not in ("valid", "same"):
        raise ValueError(f"{who}: padding must be 'valid' or 'same'; received padding={padding!r}")
    return mode


def _check_image(x: Tensor, who: str) -> None:
    if x.ndim != 4:
        raise ValueError(
            f"{who}: expected x of shape (batch, height, width, channels); received "
            f"x.shape={x.shape}. Add the missing axis, e.g. x.unsqueeze(0) for one image or "
            f"x.unsqueeze(-1) for one channel")


def _explicit_padding(mode: str, x_shape: tuple[int, ...], window: tuple[int, ...],
                      strides: tuple[int, ...], who: str,
                      what: str) -> tuple[Any, ...]:
    """((top, bottom), (left, right)) for ``mode``; ``window`` is the effective window size."""
    pads = []
    for axis, size, k, s in zip(("height", "width"), x_shape[1:3], window, strides):
        if mode == "valid":
            if k > size:
                raise ValueError(
                    f"{who}: with padding='valid' the {what} ({k} along the {axis}) must fit in "
                    f"the input, whose {axis} is {size} (x.shape={x_shape}); use a smaller "
                    f"window or padding='same'")
            pads.append((0, 0))
        else:
            total = max((math.ceil(size / s) - 1) * s + k - size, 0)
            pads.append((total // 2, total - total // 2))
    return tuple(pads)


def conv2d_nhwc(
    x: object,
    kernel: object,
    bias: object = None,
    strides: Pair = (1, 1),
    padding: str = "valid",
    dilation_rate: Pair = (1, 1),
) -> Tensor:
    """2-D convolution (cross-correlation, as in every deep-learning library), channels last.

    ``y[n, i, j, f] = bias[f] + sum over a, b, c of
    x[n, i*sh + a*dh - top, j*sw + b*dw - left, c] * kernel[a, b, c, f]``, where positions
    outside the image read 0.

    Args:
        x: Images of shape (batch, height, width, channels).
        kernel: Weights of shape (kernel_h, kernel_w, channels, filters).
        bias: Optional, shape (filters,), added to every output pixel.
        strides: Step between windows: an int or (step_h, step_w).
        padding: ``'valid'`` (no padding) or ``'same'`` (output size ``ceil(size / stride)``).
        dilation_rate: Spacing between kernel taps: an int or a pair (1 is a plain kernel).

    Returns:
        A tensor of shape (batch, out_h, out_w, filters).

    Raises:
        ValueError: For wrong ranks, a channel or bias mismatch, non-positive strides or
            dilation, an unknown padding, or a kernel larger than the input with 'valid'.

    Examples:
        >>> import numpy as np, autograd as ag
        >>> x = ag.ones((1, 4, 4, 1))
        >>> k = ag.ones((3, 3, 1, 2))
        >>> ag.conv2d_nhwc(x, k).shape, ag.conv2d_nhwc(x, k, padding="same").shape
        ((1, 2, 2, 2), (1, 4, 4, 2))
    """
    who = "conv2d_nhwc"
    x, kernel = _as_tensor(x, who, "x"), _as_tensor(kernel, who, "kernel")
    strides, dilation = _pair(strides, who, "strides"), _pair(dilation_rate, who, "dilation_rate")
    mode = _padding_mode(padding, who)
    _check_image(x, who)
    if kernel.ndim != 4:
        raise ValueError(f"{who}: expected a kernel of shape (kernel_h, kernel_w, in_channels, "
                         f"filters); received kernel.shape={kernel.shape}")
    if kernel.shape[2] != x.shape[3]:
        raise ValueError(
            f"{who}: the kernel expects {kernel.shape[2]} input channels but x has "
            f"{x.shape[3]} (x.shape={x.shape}, kernel.shape={kernel.shape}); the third axis of "
            f"the kernel must equal the last axis of x")
    window = tuple((k - 1) * d + 1 for k, d in zip(kernel.shape[:2], dilation))
    pads = _explicit_padding(mode, x.shape, window, strides, who, "dilated kernel"
                             if dilation != (1, 1) else "kernel")
    y = conv_ops.conv2d(x, kernel, strides=strides, dilation=dilation, padding=pads)
    if bias is None:
        return y
    bias = _as_tensor(bias, who, "bias")
    if bias.shape != (kernel.shape[3],):
        raise ValueError(f"{who}: expected a bias of shape ({kernel.shape[3]},), one value per "
                         f"filter; received bias.shape={bias.shape}")
    return y + bias


def _pool(op: Op, who: str, x: object, pool_size: Pair, strides: Pair | None,
          padding: str) -> Tensor:
    x = _as_tensor(x, who, "x")
    pool_size = _pair(pool_size, who, "pool_size")
    strides = pool_size if strides is None else _pair(strides, who, "strides")
    mode = _padding_mode(padding, who)
    _check_image(x, who)
    if x.dtype.kind not in "iuf":
        raise TypeError(f"{who}: expected a numeric tensor; received dtype {x.dtype}")
    pads = _explicit_padding(mode, x.shape, pool_size, strides, who, "pool window")
    return op(x, pool_size=pool_size, strides=strides, padding=pads)


def max_pool2d_nhwc(
    x: Any, pool_size: Pair = (2, 2), strides: Pair | None = None, padding: str = "valid"
) -> Tensor:
    """The maximum of each window, channels last (Keras' ``MaxPool2D``).

    The gradient of each window goes to one position: its maximum, or at a tie the first
    maximum in row-major order (top row first, then left to right), as TensorFlow and PyTorch
    do. Overlapping windows that share a winner add their gradients there. With
    ``padding='same'`` the padded positions never win.

    Args:
        x: Images of shape (batch, height, width, channels).
        pool_size: Window size: an int or (pool_h, pool_w).
        strides: Step between windows; None (the default) means ``pool_size``.
        padding: ``'valid'`` or ``'same'``.

    Returns:
        A tensor of shape (batch, out_h, out_w, channels).

    Examples:
        >>> import numpy as np, autograd as ag
        >>> x = ag.tensor(np.arange(16.0).reshape(1, 4, 4, 1))
        >>> ag.max_pool2d_nhwc(x).numpy()[0, :, :, 0]
        array([[ 5.,  7.],
               [13., 15.]])
    """
    return _pool(conv_ops.max_pool2d, "max_pool2d_nhwc", x, pool_size, strides, padding)


def avg_pool2d_nhwc(
    x: Any, pool_size: Pair = (2, 2), strides: Pair | None = None, padding: str = "valid"
) -> Tensor:
    """The mean of each window, channels last (Keras' ``AveragePooling2D``).

    With ``padding='same'`` a window that overlaps the padding averages its real positions
    only, as TensorFlow does. Integer images give float64 means.

    Args:
        x: Images of shape (batch, height, width, channels).
        pool_size: Window size: an int or (pool_h, pool_w).
        strides: Step between windows; None (the default) means ``pool_size``.
        padding: ``'valid'`` or ``'same'``.

    Returns:
        A tensor of shape (batch, out_h, out_w, channels).

    Examples:
        >>> import numpy as np, autograd as ag
        >>> x = ag.tensor(np.arange(9.0).reshape(1, 3, 3, 1))
        >>> ag.avg_pool2d_nhwc(x, padding="same").numpy()[0, :, :, 0]
        array([[2. , 3.5],
               [6.5, 8. ]])
    """
    return _pool(conv_ops.avg_pool2d, "avg_pool2d_nhwc", x, pool_size, strides, padding)
