"""Convolution and pooling layers for images, channels last as in Keras: ``(N, H, W, C)``.

The computations are autograd's ``conv2d``, ``max_pool2d`` and ``avg_pool2d`` (im2col and one
matrix product, no Python loop over pixels); these layers keep the kernel and the settings.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import autograd as ag
from autograd import Tensor
from nn import _checks, activations, initializers, regularizers
from nn.layers.layer import KerasShape, Layer, refuse_unsupported

_PADDINGS = ("valid", "same")
_FORMATS = ("channels_last", "channels_first")


def _output_size(size: int | None, window: int, stride: int, padding: str) -> int | None:
    """Positions along one axis: whole windows only (valid), or ``ceil(size / stride)``."""
    if size is None:
        return None
    if padding == "same":
        return math.ceil(size / stride)
    return (size - window) // stride + 1 if size >= window else 0


class _Spatial(Layer):
    """What convolution and pooling share: 4-D inputs, padding, data format, output shapes."""

    ndim = 4

    def __init__(self, padding: str, data_format: str | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        who = type(self).__name__
        if isinstance(padding, str):
            padding = padding.lower()  # Keras accepts "SAME" and "same" alike
        self.padding = _checks.choice(padding, _PADDINGS, who, "padding")
        self.data_format = _checks.choice(data_format or "channels_last", _FORMATS, who,
                                          "data_format")

    def _to_channels_last(self, x: Tensor) -> Tensor:
        return x.permute(0, 2, 3, 1) if self.data_format == "channels_first" else x

    def _from_channels_last(self, y: Tensor) -> Tensor:
        return y.permute(0, 3, 1, 2) if self.data_format == "channels_first" else y

    def _channel_axis(self) -> int:
        return 1 if self.data_format == "channels_first" else 3

    def _spatial_output(self, input_shape: KerasShape, window: tuple[int, ...],
                        strides: tuple[int, ...],
                        channels: int | None) -> tuple[Any, ...]:
        shape = tuple(input_shape)
        height, width = (shape[2], shape[3]) if self.data_format == "channels_first" \
            else (shape[1], shape[2])
        out = [_output_size(s, k, st, self.padding)
               for s, k, st in zip((height, width), window, strides)]
        if 0 in out:
            raise ValueError(f"Layer '{self.name}': a window of {window} does not fit in the "
                             f"input of shape {shape} with padding='valid'. Use a smaller "
                             f"window, a larger input, or padding='same'.")
        if self.data_format == "channels_first":
            return (shape[0], channels, out[0], out[1])
        return (shape[0], out[0], out[1], channels)


class Conv2D(_Spatial):
    """A 2-D convolution layer: ``filters`` kernels slide over the image, each giving one
    output channel, ``activation(conv2d(x, kernel) + bias)`` (``keras.layers.Conv2D``).

    Args:
        filters: The number of output channels, > 0.
        kernel_size: The window, an int or ``(height, width)``.
        strides: The step between windows, an int or a pair.
        padding: ``"valid"`` (whole windows only) or ``"same"`` (output size
            ``ceil(input / stride)``).
        data_format: ``"channels_last"`` for ``(N, H, W, C)`` (None means it, as Keras'
            default image format) or ``"channels_first"`` for ``(N, C, H, W)``.
        dilation_rate: The spacing between kernel taps, an int or a pair.
        groups: Only 1 (Keras' default) is supported.
        activation: A name, a function or None.
        use_bias: Whether to add a bias per filter.
        kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer: As in
            ``Dense``; the kernel has shape ``(kh, kw, in_channels, filters)``.
        activity_regularizer, kernel_constraint, bias_constraint: Only None is supported.
        **kwargs: ``input_shape``, ``name``, ``dtype``, ``trainable``, ``seed``: see ``Layer``.

    Examples:
        >>> import autograd as ag
        >>> from nn import layers
        >>> conv = layers.Conv2D(16, 3, padding="same", activation="relu", seed=0)
        >>> conv(ag.zeros((2, 28, 28, 1))).shape, conv.kernel.shape
        ((2, 28, 28, 16), (3, 3, 1, 16))
    """

    def __init__(self, filters: int, kernel_size: Any, strides: Any = (1, 1),
                 padding: str = "valid", data_format: str | None = None,
                 dilation_rate: Any = (1, 1), groups: int = 1, activation: Any = None,
                 use_bias: bool = True, kernel_initializer: Any = "glorot_uniform",
                 bias_initializer: Any = "zeros", kernel_regularizer: Any = None,
                 bias_regularizer: Any = None, activity_regularizer: Any = None,
                 kernel_constraint: Any = None, bias_constraint: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(padding, data_format, activity_regularizer=activity_regularizer,
                         **kwargs)
        refuse_unsupported("Conv2D", groups=(groups, 1),
                           kernel_constraint=(kernel_constraint, None),
                           bias_constraint=(bias_constraint, None))
        self.filters = _checks.positive_int(filters, "Conv2D", "filters")
        self.kernel_size = _checks.int_pair(kernel_size, "Conv2D", "kernel_size")
        self.strides = _checks.int_pair(strides, "Conv2D", "strides")
        self.dilation_rate = _checks.int_pair(dilation_rate, "Conv2D", "dilation_rate")
        self.activation: Callable[[Tensor], Tensor] = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self._build_if_declared()

    def build(self, input_shape: KerasShape) -> None:
        """Create ``kernel`` ``(kh, kw, in_channels, filters)`` and ``bias`` ``(filters,)``."""
        channels = input_shape[self._channel_axis()] if len(input_shape) == 4 else None
        if channels is None:
            raise ValueError(f"Conv2D needs 4-D inputs with a known number of channels. "
                             f"Received: input_shape={input_shape}")
        self.kernel = self.add_weight(shape=(*self.kernel_size, channels, self.filters),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer, name="kernel")
        self.bias = (self.add_weight(shape=(self.filters,), initializer=self.bias_initializer,
                                     regularizer=self.bias_regularizer, name="bias")
                     if self.use_bias else None)
        super().build(input_shape)

    def forward(self, x: Tensor) -> Tensor:
        """``activation(conv2d(x, kernel) + bias)``."""
        expected = self.kernel.shape[2]
        if x.shape[self._channel_axis()] != expected:
            raise ValueError(
                f"Input 0 of layer '{self.name}' is incompatible with the layer: expected axis "
                f"{self._channel_axis()} of input shape to have value {expected} (channels), "
                f"but received input with shape {tuple(x.shape)}")
        y = ag.conv2d_nhwc(self._to_channels_last(x), self.kernel, self.bias, strides=self.strides,
                      padding=self.padding, dilation_rate=self.dilation_rate)
        return self.activation(self._from_channels_last(y))

    def compute_output_shape(self, input_shape: KerasShape) -> KerasShape:
        """``(batch, out_h, out_w, filters)`` (channels first: ``(batch, filters, ...)``)."""
        window = tuple((k - 1) * d + 1 for k, d in zip(self.kernel_size, self.dilation_rate))
        return self._spatial_output(input_shape, window, self.strides, self.filters)

    def extra_repr(self) -> str:
        return (f"filters={self.filters}, kernel_size={self.kernel_size}, "
                f"strides={self.strides}, padding={self.padding!r}, "
                f"activation={activations.name_of(self.activation)}")


class _Pool2D(_Spatial):
    """Shared by the pooling layers: a window, its strides, and the function applied."""

    def __init__(self, pool_size: Any = (2, 2), strides: Any = None, padding: str = "valid",
                 data_format: str | None = None, name: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(padding, data_format, name=name, **kwargs)
        who = type(self).__name__
        self.pool_size = _checks.int_pair(pool_size, who, "pool_size")
        self.strides = self.pool_size if strides is None else _checks.int_pair(strides, who,
                                                                                "strides")
        self._build_if_declared()

    #: The pooling function of the subclass, ``function(x, pool_size, strides, padding)``.
    function = staticmethod(ag.max_pool2d_nhwc)

    def forward(self, x: Tensor) -> Tensor:
        """Pool each channel of ``x`` over windows of ``pool_size``."""
        y = self.function(self._to_channels_last(x), self.pool_size, self.strides, self.padding)
        return self._from_channels_last(y)

    def compute_output_shape(self, input_shape: KerasShape) -> KerasShape:
        """The pooled height and width; the channels are kept."""
        channels = tuple(input_shape)[self._channel_axis()]
        return self._spatial_output(input_shape, self.pool_size, self.strides, channels)

    def extra_repr(self) -> str:
        return (f"pool_size={self.pool_size}, strides={self.strides}, "
                f"padding={self.padding!r}")


class MaxPooling2D(_Pool2D):
    """The maximum of each window, per channel: ``MaxPooling2D()`` halves height and width
    (``keras.layers.MaxPooling2D``, also named ``MaxPool2D``).

    Args:
        pool_size: The window, an int or a pair.
        strides: The step between windows; None means ``pool_size``.
        padding: ``"valid"`` or ``"same"``.
        data_format: ``"channels_last"`` (None means it) or ``"channels_first"``.
        name: See ``Layer``.
        **kwargs: ``input_shape``, ``dtype``, ``trainable``: see ``Layer``.

    Examples:
        >>> import autograd as ag
        >>> from nn import layers
        >>> layers.MaxPooling2D()(ag.zeros((2, 28, 28, 16))).shape
        (2, 14, 14, 16)
    """

    function = staticmethod(ag.max_pool2d_nhwc)


class AveragePooling2D(_Pool2D):
    """The mean of each window, per channel (with ``"same"`` padding, of its real pixels)
    (``keras.layers.AveragePooling2D``, also named ``AvgPool2D``).

    Args:
        pool_size: The window, an int or a pair (no default, as in Keras).
        strides: The step between windows; None means ``pool_size``.
        padding: ``"valid"`` or ``"same"``.
        data_format: ``"channels_last"`` (None means it) or ``"channels_first"``.
        name: See ``Layer``.
        **kwargs: ``input_shape``, ``dtype``, ``trainable``: see ``Layer``.

    Examples:
        >>> import autograd as ag
        >>> from nn import layers
        >>> layers.AveragePooling2D(pool_size=4)(ag.ones((1, 8, 8, 3))).shape
        (1, 2, 2, 3)
    """

    function = staticmethod(ag.avg_pool2d_nhwc)

    def __init__(self, pool_size: Any, strides: Any = None, padding: str = "valid",
                 data_format: str | None = None, name: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(pool_size, strides, padding, data_format, name, **kwargs)


# Keras offers both spellings; courses written for Keras use either.
MaxPool2D = MaxPooling2D
AvgPool2D = AveragePooling2D
