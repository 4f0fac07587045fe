"""``Conv2d``, ``MaxPool2d``, ``AvgPool2d`` and ``AdaptiveAvgPool2d``: PyTorch's image modules
on NCHW images, with its constructor arguments, weight layout and initialization."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd import Tensor
from nn import _checks
from nn import functional as F
from nn.functional._args import pair
from nn.parameter import Parameter
from nn.torch_modules.base import TorchModule, factory_dtype
from nn.torch_modules.linear import uniform_

_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


class Conv2d(TorchModule):
    """2-D convolution of NCHW images: ``F.conv2d(x, weight, bias, stride, padding, dilation,
    groups)``, with the padding of ``padding_mode``.

    The weight has shape ``(out_channels, in_channels / groups, kh, kw)``; weight and bias start
    uniform in ``[-1/sqrt(fan_in), 1/sqrt(fan_in)]``, ``fan_in = in_channels / groups * kh * kw``,
    as PyTorch's ``kaiming_uniform_(a=sqrt(5))`` makes them.

    Args:
        in_channels: Channels of the input.
        out_channels: Channels of the output (filters).
        kernel_size: An int or (kh, kw).
        stride: An int or (sh, sw).
        padding: An int, (ph, pw), ``'valid'`` or ``'same'`` (stride 1 only).
        dilation: An int or (dh, dw).
        groups: Both channel counts must be divisible by it.
        bias: Whether to learn a bias per output channel.
        padding_mode: ``'zeros'``, ``'reflect'``, ``'replicate'`` or ``'circular'``.
        device: None or ``'cpu'``.
        dtype: The parameters' floating-point dtype.

    Examples:
        >>> import autograd as torch, nn
        >>> conv = nn.Conv2d(3, 8, kernel_size=3, padding=1)
        >>> conv.weight.shape, conv(torch.zeros((2, 3, 5, 5))).shape
        ((8, 3, 3, 3), (2, 8, 5, 5))
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, dilation: Any = 1, groups: int = 1, bias: bool = True,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        who = "Conv2d"
        self.in_channels = _checks.positive_int(in_channels, who, "in_channels")
        self.out_channels = _checks.positive_int(out_channels, who, "out_channels")
        self.groups = _checks.positive_int(groups, who, "groups")
        if self.in_channels % self.groups or self.out_channels % self.groups:
            raise ValueError(f"{who}: in_channels and out_channels must be divisible by groups. "
                             f"Received: {in_channels}, {out_channels}, groups={groups}")
        self.kernel_size = pair(kernel_size, who, "kernel_size")
        self.stride = pair(stride, who, "stride")
        self.dilation = pair(dilation, who, "dilation")
        if isinstance(padding, str):
            if padding not in ("valid", "same"):
                raise ValueError(f"{who}: padding must be 'valid', 'same', an int or a pair. "
                                 f"Received: padding={padding!r}")
            if padding == "same" and self.stride != (1, 1):
                raise ValueError("padding='same' is not supported for strided convolutions")
            self.padding: str | tuple[int, int] = padding
        else:
            self.padding = pair(padding, who, "padding", minimum=0)
        if padding_mode not in _PADDING_MODES:
            raise ValueError(f"{who}: padding_mode must be one of {_PADDING_MODES}. Received: "
                             f"padding_mode={padding_mode!r}")
        self.padding_mode = padding_mode
        dtype = factory_dtype(device, dtype, who)
        shape = (self.out_channels, self.in_channels // self.groups, *self.kernel_size)
        self.weight = Parameter(np.empty(shape, dtype))
        if not isinstance(bias, (bool, np.bool_)):
            raise TypeError(f"{who} expects bias to be True or False. Received: bias={bias!r}")
        self.bias = Parameter(np.empty((self.out_channels,), dtype)) if bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw weight and bias uniformly in ``[-1/sqrt(fan_in), 1/sqrt(fan_in)]``."""
        fan_in = self.in_channels // self.groups * math.prod(self.kernel_size)
        bound = 1.0 / math.sqrt(fan_in)
        uniform_(self.weight, bound)
        if self.bias is not None:
            uniform_(self.bias, bound)

    def _explicit_pad(self) -> tuple[int, int, int, int]:
        """(left, right, top, bottom), as ``F.pad`` takes them, for the non-zero modes."""
        if self.padding == "valid":
            return (0, 0, 0, 0)
        if self.padding == "same":
            totals = [d * (k - 1) for k, d in zip(self.kernel_size, self.dilation)]
            (top, bottom), (left, right) = ((t // 2, t - t // 2) for t in totals)
            return (left, right, top, bottom)
        ph: int
        pw: int
        # (a pair: the strings returned above)
        ph, pw = self.padding  # type: ignore[str-unpack, assignment]
        return (pw, pw, ph, ph)

    def forward(self, input: Any) -> Tensor:
        """The convolution of ``input`` (N, C, H, W) or (C, H, W)."""
        if self.padding_mode == "zeros":
            return F.conv2d(input, self.weight, self.bias, self.stride, self.padding,
                            self.dilation, self.groups)
        padded = F.pad(input, self._explicit_pad(), mode=self.padding_mode)
        return F.conv2d(padded, self.weight, self.bias, self.stride, 0, self.dilation,
                        self.groups)

    def extra_repr(self) -> str:
        text = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}")
        if self.padding != (0, 0):
            text += f", padding={self.padding}"
        if self.dilation != (1, 1):
            text += f", dilation={self.dilation}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        if self.padding_mode != "zeros":
            text += f", padding_mode={self.padding_mode}"
        return text


class MaxPool2d(TorchModule):
    """The maximum of each window of NCHW images: ``F.max_pool2d`` with these settings.

    Examples:
        >>> import autograd as torch, nn
        >>> nn.MaxPool2d(2)(torch.zeros((1, 3, 4, 4))).shape
        (1, 3, 2, 2)
    """

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0,
                 dilation: Any = 1, return_indices: bool = False,
                 ceil_mode: bool = False) -> None:
        super().__init__()
        pair(dilation, "MaxPool2d", "dilation")
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding
        self.dilation, self.return_indices, self.ceil_mode = dilation, return_indices, ceil_mode
        pair(kernel_size, "MaxPool2d", "kernel_size")

    def forward(self, input: Any) -> Tensor | tuple[Tensor, Tensor]:
        """The pooled images (and the winners' indices, with ``return_indices``)."""
        return F.max_pool2d(input, self.kernel_size, self.stride, self.padding, self.dilation,
                            self.ceil_mode, self.return_indices)

    def extra_repr(self) -> str:
        stride = self.kernel_size if self.stride is None else self.stride
        return (f"kernel_size={self.kernel_size}, stride={stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class AvgPool2d(TorchModule):
    """The mean of each window of NCHW images: ``F.avg_pool2d`` with these settings.

    Examples:
        >>> import autograd as torch, nn
        >>> nn.AvgPool2d(2, stride=1)(torch.ones((1, 1, 3, 3))).numpy()[0, 0]
        array([[1., 1.],
               [1., 1.]], dtype=float32)
    """

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0,
                 ceil_mode: bool = False, count_include_pad: bool = True,
                 divisor_override: int | None = None) -> None:
        super().__init__()
        pair(kernel_size, "AvgPool2d", "kernel_size")
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad
        self.divisor_override = divisor_override

    def forward(self, input: Any) -> Tensor:
        """The pooled images."""
        return F.avg_pool2d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad, self.divisor_override)

    def extra_repr(self) -> str:
        stride = self.kernel_size if self.stride is None else self.stride
        return f"kernel_size={self.kernel_size}, stride={stride}, padding={self.padding}"


class AdaptiveAvgPool2d(TorchModule):
    """Average NCHW images onto an ``output_size`` grid: ``F.adaptive_avg_pool2d``.

    Examples:
        >>> import autograd as torch, nn
        >>> nn.AdaptiveAvgPool2d((1, 1))(torch.ones((2, 8, 7, 5))).shape
        (2, 8, 1, 1)
    """

    def __init__(self, output_size: Any) -> None:
        super().__init__()
        self.output_size = output_size

    def forward(self, input: Any) -> Tensor:
        """The pooled images."""
        return F.adaptive_avg_pool2d(input, self.output_size)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"
