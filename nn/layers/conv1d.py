"""Keras 3's ``Conv1D``: a convolution along a sequence, computed as ``Conv2D``'s convolution
over an image one row high (``autograd.conv2d_nhwc``), so both share one tested primitive."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import autograd as ag
from autograd import Tensor
from nn import _checks, activations, initializers, regularizers
from nn.layers.layer import KerasShape, Layer, refuse_unsupported


def _one_int(value: Any, arg: str) -> int:
    """An int, or a tuple or list of one int (Keras' forms for a 1-D size)."""
    if isinstance(value, (tuple, list)):
        if len(value) != 1:
            raise ValueError(f"Conv1D: {arg} must be an int or a tuple of 1 int. Received: "
                             f"{arg}={value!r}")
        value = value[0]
    return _checks.positive_int(value, "Conv1D", arg)


class Conv1D(Layer):
    """A 1-D convolution layer: ``filters`` kernels slide along the steps,
    ``activation(conv1d(x, kernel) + bias)`` (``keras.layers.Conv1D``).

    Args:
        filters: The number of output channels, > 0.
        kernel_size: The window length, an int (or a tuple of one).
        strides: The step between windows.
        padding: ``"valid"``, ``"same"`` (output length ``ceil(steps / strides)``) or
            ``"causal"`` (zeros before the sequence, so step t sees no later step).
        data_format: ``"channels_last"`` for ``(N, steps, C)`` (None means it) or
            ``"channels_first"`` for ``(N, C, steps)``.
        dilation_rate: The spacing between kernel taps.
        groups: Only 1 (Keras' default) is supported.
        activation: A name, a function or None.
        use_bias: Whether to add a bias per filter.
        kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer: As in
            ``Dense``; the kernel has shape ``(kernel_size, in_channels, filters)``.
        activity_regularizer, kernel_constraint, bias_constraint: Only None is supported.
        **kwargs: ``input_shape``, ``name``, ``dtype``, ``trainable``, ``seed``: see ``Layer``.

    Examples:
        >>> import autograd as ag
        >>> from nn import layers
        >>> conv = layers.Conv1D(8, 3, padding="causal", seed=0)
        >>> conv(ag.zeros((2, 10, 4))).shape, conv.kernel.shape
        ((2, 10, 8), (3, 4, 8))
    """

    ndim = 3

    def __init__(self, filters: int, kernel_size: Any, strides: Any = 1,
                 padding: str = "valid", data_format: str | None = None,
                 dilation_rate: Any = 1, groups: int = 1, activation: Any = None,
                 use_bias: bool = True, kernel_initializer: Any = "glorot_uniform",
                 bias_initializer: Any = "zeros", kernel_regularizer: Any = None,
                 bias_regularizer: Any = None, activity_regularizer: Any = None,
                 kernel_constraint: Any = None, bias_constraint: Any = None,
                 **kwargs: Any) -> None:
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        refuse_unsupported("Conv1D", groups=(groups, 1),
                           kernel_constraint=(kernel_constraint, None),
                           bias_constraint=(bias_constraint, None))
        self.filters = _checks.positive_int(filters, "Conv1D", "filters")
        self.kernel_size = _one_int(kernel_size, "kernel_size")
        self.strides = _one_int(strides, "strides")
        self.padding = _checks.choice(padding, ("valid", "same", "causal"), "Conv1D",
                                      "padding")
        self.data_format = _checks.choice(data_format or "channels_last",
                                          ("channels_last", "channels_first"), "Conv1D",
                                          "data_format")
        self.dilation_rate = _one_int(dilation_rate, "dilation_rate")
        self.activation: Callable[[Tensor], Tensor] = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self._build_if_declared()

    def _channel_axis(self) -> int:
        return 1 if self.data_format == "channels_first" else -1

    def build(self, input_shape: KerasShape) -> None:
        """Create ``kernel`` ``(kernel_size, in_channels, filters)`` and ``bias``."""
        channels = input_shape[self._channel_axis()] if len(input_shape) == 3 else None
        if channels is None:
            raise ValueError(f"Conv1D needs 3-D inputs with a known number of channels. "
                             f"Received: input_shape={input_shape}")
        self.kernel = self.add_weight(shape=(self.kernel_size, channels, self.filters),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer, name="kernel")
        self.bias = (self.add_weight(shape=(self.filters,), initializer=self.bias_initializer,
                                     regularizer=self.bias_regularizer, name="bias")
                     if self.use_bias else None)
        super().build(input_shape)

    def _window(self) -> int:
        return (self.kernel_size - 1) * self.dilation_rate + 1

    def forward(self, x: Tensor) -> Tensor:
        """``activation(conv1d(x, kernel) + bias)``."""
        if self.data_format == "channels_first":
            x = x.permute(0, 2, 1)
        expected = self.kernel.shape[1]
        if x.shape[-1] != expected:
            raise ValueError(
                f"Input 0 of layer '{self.name}' is incompatible with the layer: expected the "
                f"channel axis of input shape to have value {expected}, but received input "
                f"with shape {tuple(x.shape)}")
        padding = self.padding
        if padding == "causal":  # zeros before the sequence only, then whole windows
            x = ag.pad(x, ((0, 0), (self._window() - 1, 0), (0, 0)))
            padding = "valid"
        n, steps, channels = x.shape
        kernel = self.kernel.reshape(1, *self.kernel.shape)
        y = ag.conv2d_nhwc(x.reshape(n, 1, steps, channels), kernel, self.bias,
                           strides=(1, self.strides), padding=padding,
                           dilation_rate=(1, self.dilation_rate))
        y = y.reshape(n, y.shape[2], self.filters)
        if self.data_format == "channels_first":
            y = y.permute(0, 2, 1)
        return self.activation(y)

    def compute_output_shape(self, input_shape: KerasShape) -> KerasShape:
        """``(batch, out_steps, filters)`` (channels first: ``(batch, filters, out_steps)``)."""
        first = self.data_format == "channels_first"
        steps = input_shape[2] if first else input_shape[1]
        if steps is None:
            out = None
        elif self.padding in ("same", "causal"):
            out = math.ceil(steps / self.strides) if self.padding == "same" else (
                (steps - 1) // self.strides + 1)
        else:
            out = (steps - self._window()) // self.strides + 1 if steps >= self._window() else 0
        if out == 0:
            raise ValueError(f"Layer '{self.name}': a window of {self._window()} does not fit "
                             f"in the input of shape {tuple(input_shape)} with padding='valid'")
        return (input_shape[0], self.filters, out) if first else (input_shape[0], out,
                                                                   self.filters)

    def extra_repr(self) -> str:
        return (f"filters={self.filters}, kernel_size={self.kernel_size}, "
                f"strides={self.strides}, padding={self.padding!r}, "
                f"activation={activations.name_of(self.activation)}")
