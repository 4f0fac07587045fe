"""Keras' layers that move values around without weights: ``Reshape``, ``Permute``,
``RepeatVector``, ``ZeroPadding2D``, ``UpSampling2D``, ``Identity``, ``Rescaling``, and the
global pooling layers ``GlobalAveragePooling2D`` and ``GlobalMaxPooling2D``."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import autograd as ag
from autograd import Tensor
from nn import _checks
from nn.layers.conv_layers import MaxPooling2D
from nn.layers.layer import KerasShape, Layer, refuse_unsupported

_FORMATS = ("channels_last", "channels_first")


def _data_format(value: str | None, who: str) -> str:
    return _checks.choice(value or "channels_last", _FORMATS, who, "data_format")


class Reshape(Layer):
    """Give each example the shape ``target_shape`` (one entry may be -1).

    Examples:
        >>> import autograd as ag
        >>> from nn import layers
        >>> layers.Reshape((3, 4))(ag.zeros((2, 12))).shape
        (2, 3, 4)
    """

    def __init__(self, target_shape: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        shape = tuple(int(n) for n in target_shape)
        if sum(n == -1 for n in shape) > 1 or any(n == 0 or n < -1 for n in shape):
            raise ValueError(f"Reshape expects a target_shape of positive sizes with at most "
                             f"one -1. Received: target_shape={target_shape!r}")
        self.target_shape = shape
        self._build_if_declared()

    def forward(self, x: Tensor) -> Tensor:
        """``x`` reshaped to ``(batch, *target_shape)``."""
        return x.reshape(x.shape[0], *self.target_shape)

    def compute_output_shape(self, input_shape: KerasShape) -> KerasShape:
        """``(batch, *target_shape)``, a -1 worked out when the input size is known."""
        shape: list[int | None] = list(self.target_shape)
        if -1 in shape:
            rest = input_shape[1:]
            # (the target's sizes are ints; rest holds no None where it is multiplied)
            known = math.prod(n for n in shape if n != -1)  # type: ignore[misc]
            shape[shape.index(-1)] = (None if None in rest
                                      else math.prod(rest) // known)  # type: ignore[arg-type]
        return (input_shape[0], *shape)


class Permute(Layer):
    """Reorder the axes of each example: ``dims`` numbers them from 1 (the batch stays first).

    Examples:
        >>> import autograd as ag
        >>> from nn import layers
        >>> layers.Permute((2, 1))(ag.zeros((5, 3, 4))).shape
        (5, 4, 3)
    """

    def __init__(self, dims: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        dims = tuple(int(d) for d in dims)
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError(f"Invalid permutation argument `dims` for Permute Layer. The set "
                             f"of indices in `dims` must be consecutive and start from 1. "
                             f"Received dims={dims!r}")
        self.dims = dims
        self._build_if_declared()

    def forward(self, x: Tensor) -> Tensor:
        """``x`` with its example axes in the order ``dims``."""
        return x.permute(0, *self.dims)

    def compute_output_shape(self, input_shape: KerasShape) -> KerasShape:
        """The input's sizes, reordered."""
        return (input_shape[0], *(input_shape[d] for d in self.dims))


class RepeatVector(Layer):
    """Repeat each example's vector ``n`` times: ``(batch, features)`` ->
    ``(batch, n, features)``."""

    ndim = 2

    def __init__(self, n: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.n = _checks.positive_int(n, "RepeatVector", "n")
        self._build_if_declared()

    def forward(self, x: Tensor) -> Tensor:
        """``x`` repeated along a new axis 1."""
        return x.reshape(x.shape[0], 1, x.shape[1]).broadcast_to(
            (x.shape[0], self.n, x.shape[1]))

    def compute_output_shape(self, input_shape: KerasShape) -> KerasShape:
        """``(batch, n, features)``."""
        return (input_shape[0], self.n, input_shape[1])


class Identity(Layer):
    """Its input, unchanged (a placeholder in a list of layers)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._build_if_declared()

    def forward(self, x: Tensor) -> Tensor:
        """``x``."""
        return x

    def compute_output_shape(self, input_shape: KerasShape) -> KerasShape:
        """The input shape."""
        return tuple(input_shape)


class Rescaling(Layer):
    """``x * scale + offset``: ``Rescaling(1 / 255)`` brings pixels to ``[0, 1]``.

    Examples:
        >>> from nn import layers
        >>> layers.Rescaling(1 / 255)([[0.0, 255.0]]).numpy()
        array([[0., 1.]], dtype=float32)
    """

    def __init__(self, scale: Any, offset: Any = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.scale, self.offset = scale, offset
        self._build_if_declared()

    def forward(self, x: Tensor) -> Tensor:
        """``x * scale + offset``, in the layer's dtype."""
        dtype = x.dtype
        return x * Tensor(np.asarray(self.scale, dtype)) + Tensor(np.asarray(self.offset, dtype))

    def compute_output_shape(self, input_shape: KerasShape) -> KerasShape:
        """The input shape."""
        return tuple(input_shape)


def _padding_pairs(padding: Any) -> tuple[tuple[int, int], tuple[int, int]]:
    if isinstance(padding, (int, np.integer)):
        return ((int(padding),) * 2,) * 2
    pairs = tuple(padding)
    if len(pairs) != 2:
        raise ValueError(f"ZeroPadding2D expects padding as an int, 2 ints or 2 pairs of ints. "
                         f"Received: padding={padding!r}")
    if all(isinstance(p, (int, np.integer)) for p in pairs):
        return ((int(pairs[0]),) * 2, (int(pairs[1]),) * 2)
    return tuple((int(a), int(b)) for a, b in pairs)  # type: ignore[return-value]  # (two pairs)


class ZeroPadding2D(Layer):
    """Add rows and columns of zeros around each image: ``padding`` is an int (all sides), a
    pair ``(rows, columns)`` or ``((top, bottom), (left, right))``."""

    ndim = 4

    def __init__(self, padding: Any = (1, 1), data_format: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.padding = _padding_pairs(padding)
        if any(n < 0 for pair in self.padding for n in pair):
            raise ValueError(f"ZeroPadding2D expects padding >= 0. Received: padding={padding!r}")
        self.data_format = _data_format(data_format, "ZeroPadding2D")
        self._build_if_declared()

    def _widths(self) -> list[tuple[int, int]]:
        spatial = list(self.padding)
        if self.data_format == "channels_first":
            return [(0, 0), (0, 0), *spatial]
        return [(0, 0), *spatial, (0, 0)]

    def forward(self, x: Tensor) -> Tensor:
        """``x`` with its zero border."""
        return ag.pad(x, self._widths())

    def compute_output_shape(self, input_shape: KerasShape) -> KerasShape:
        """The input shape, height and width grown by the padding."""
        return tuple(None if n is None else n + a + b
                     for n, (a, b) in zip(input_shape, self._widths()))

    def get_config(self) -> dict[str, Any]:
        """The padding as Keras stores it, ``((top, bottom), (left, right))``."""
        result = super().get_config()
        result["padding"] = [list(pair) for pair in self.padding]
        return result


class UpSampling2D(Layer):
    """Repeat each pixel ``size`` times along height and width (nearest neighbour)."""

    ndim = 4

    def __init__(self, size: Any = (2, 2), data_format: str | None = None,
                 interpolation: str = "nearest", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        refuse_unsupported("UpSampling2D", interpolation=(interpolation, "nearest"))
        self.size = _checks.int_pair(size, "UpSampling2D", "size")
        self.data_format = _data_format(data_format, "UpSampling2D")
        self.interpolation = interpolation
        self._build_if_declared()

    def forward(self, x: Tensor) -> Tensor:
        """Each pixel of ``x`` as a ``size`` block."""
        first = self.data_format == "channels_first"
        if first:
            x = x.permute(0, 2, 3, 1)
        n, h, w, c = x.shape
        sh, sw = self.size
        y = x.reshape(n, h, 1, w, 1, c).broadcast_to((n, h, sh, w, sw, c))
        y = y.reshape(n, h * sh, w * sw, c)
        return y.permute(0, 3, 1, 2) if first else y

    def compute_output_shape(self, input_shape: KerasShape) -> KerasShape:
        """Height and width multiplied by ``size``."""
        n, a, b, c = input_shape
        if self.data_format == "channels_first":
            n, c, a, b = input_shape
        a = None if a is None else a * self.size[0]
        b = None if b is None else b * self.size[1]
        return (n, c, a, b) if self.data_format == "channels_first" else (n, a, b, c)


class _GlobalPooling2D(Layer):
    ndim = 4

    def __init__(self, data_format: str | None = None, keepdims: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.data_format = _data_format(data_format, type(self).__name__)
        self.keepdims = bool(keepdims)
        self._build_if_declared()

    def _axes(self) -> tuple[int, ...]:
        return (2, 3) if self.data_format == "channels_first" else (1, 2)

    def compute_output_shape(self, input_shape: KerasShape) -> KerasShape:
        """One value per channel (the pooled axes kept as 1 with ``keepdims``)."""
        axes = self._axes()
        if self.keepdims:
            return tuple(1 if i in axes else n for i, n in enumerate(input_shape))
        return tuple(n for i, n in enumerate(input_shape) if i not in axes)


class GlobalAveragePooling2D(_GlobalPooling2D):
    """The mean of each channel over the whole image: ``(N, H, W, C)`` -> ``(N, C)``."""

    def forward(self, x: Tensor) -> Tensor:
        """The mean over height and width."""
        return x.mean(axis=self._axes(), keepdims=self.keepdims)


class GlobalAveragePooling1D(_GlobalPooling2D):
    """The mean of each channel over the steps of a sequence: ``(N, steps, C)`` -> ``(N, C)``
    (``(N, C, steps)`` with ``data_format='channels_first'``; ``keepdims`` keeps the steps axis
    as 1).

    Examples:
        >>> import numpy as np, nn
        >>> nn.layers.GlobalAveragePooling1D()(np.ones((2, 5, 3), np.float32)).shape
        (2, 3)
    """

    ndim = 3

    def _axes(self) -> tuple[int, ...]:
        return (2,) if self.data_format == "channels_first" else (1,)

    def forward(self, x: Tensor) -> Tensor:
        """The mean over the steps."""
        return x.mean(axis=self._axes(), keepdims=self.keepdims)


class GlobalMaxPooling2D(_GlobalPooling2D):
    """The maximum of each channel over the whole image: ``(N, H, W, C)`` -> ``(N, C)``."""

    def forward(self, x: Tensor) -> Tensor:
        """The maximum over height and width, as one pooling window over the whole image."""
        first = self.data_format == "channels_first"
        if first:
            x = x.permute(0, 2, 3, 1)
        n, h, w, c = x.shape
        y = MaxPooling2D.function(x, (h, w), (h, w), "valid")  # (n, 1, 1, c)
        if first:
            y = y.permute(0, 3, 1, 2)
        return y if self.keepdims else y.reshape(n, c)
