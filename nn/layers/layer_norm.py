"""``LayerNorm``: normalize each example over its last axes, as PyTorch's layer does."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

import autograd as ag
from autograd import Tensor
from nn import _checks
from nn.module import Module
from nn.parameter import Parameter


class LayerNorm(Module):
    """Give each example zero mean and unit variance over its last ``len(normalized_shape)`` axes.

    ``y = (x - mean) / sqrt(var + eps) * weight + bias``, where the mean and the (biased, divide
    by n) variance are taken over the trailing axes whose shape is ``normalized_shape``, for
    every example separately; unlike batch normalization, nothing depends on the batch and
    training and evaluation compute the same thing. Built from differentiable autograd ops.

    Args:
        normalized_shape: The shape of the trailing axes to normalize: an int for the last axis
            alone, or a tuple of ints.
        eps: Added to the variance, so that a constant input does not divide by zero.
        elementwise_affine: Learn a per-element scale ``weight`` (starting at ones) and shift
            ``bias`` (starting at zeros), both of shape ``normalized_shape``.
        bias: With ``elementwise_affine``, whether to learn the shift (False: scale only).
        dtype: The parameters' floating-point dtype (default: autograd's default dtype).

    Example:
        >>> import numpy as np, nn
        >>> norm = nn.LayerNorm(4)
        >>> norm
        LayerNorm((4,), eps=1e-05, elementwise_affine=True, bias=True)
        >>> y = norm(np.array([[1.0, 2.0, 3.0, 4.0]], dtype=np.float32))
        >>> np.round(y.numpy(), 4)
        array([[-1.3416, -0.4472,  0.4472,  1.3416]], dtype=float32)
    """

    def __init__(self, normalized_shape: int | tuple[int, ...], eps: float = 1e-5,
                 elementwise_affine: bool = True, bias: bool = True, *,
                 dtype: Any = None) -> None:
        super().__init__()
        self.normalized_shape = _normalized_shape(normalized_shape)
        if isinstance(eps, bool) or not isinstance(eps, numbers.Real) or not eps >= 0:
            raise ValueError(f"LayerNorm expects eps to be a number >= 0. Received: eps={eps!r}")
        self.eps = eps
        for flag, value in (("elementwise_affine", elementwise_affine), ("bias", bias)):
            if not isinstance(value, (bool, np.bool_)):
                raise TypeError(f"LayerNorm expects {flag} to be True or False. "
                                f"Received: {flag}={value!r}")
        self.elementwise_affine = bool(elementwise_affine)
        dtype = ag.get_default_dtype() if dtype is None else np.dtype(dtype)
        if dtype.kind != "f":
            raise TypeError(f"LayerNorm expects a floating-point dtype. Received: dtype={dtype}")
        self.dtype = str(dtype)
        if self.elementwise_affine:
            self.weight = Parameter(np.ones(self.normalized_shape, dtype))
            self.bias = Parameter(np.zeros(self.normalized_shape, dtype)) if bias else None
        else:
            self.weight = None
            self.bias = None

    def reset_parameters(self) -> None:
        """Set ``weight`` back to ones and ``bias`` to zeros."""
        with ag.no_grad():
            if self.weight is not None:
                self.weight.fill_(1.0)
            if self.bias is not None:
                self.bias.zero_()

    def forward(self, input: Any) -> Tensor:
        """Normalize over the trailing axes, then scale and shift."""
        x = _checks.as_node(input)
        if not isinstance(x, Tensor):
            raise TypeError(f"LayerNorm '{self.name}' expects a Tensor or array-like input. "
                            f"Received: {type(input).__name__}")
        n = len(self.normalized_shape)
        if x.ndim < n or tuple(x.shape[x.ndim - n:]) != self.normalized_shape:
            raise ValueError(
                f"LayerNorm '{self.name}': the input's last {n} axes must have the shape "
                f"normalized_shape={self.normalized_shape}. Received: input shape "
                f"{tuple(x.shape)}")
        axes = tuple(range(x.ndim - n, x.ndim))
        centered = x - x.mean(axis=axes, keepdims=True)
        variance = (centered * centered).mean(axis=axes, keepdims=True)
        y = centered / (variance + self.eps).sqrt()
        if self.weight is not None:
            y = y * self.weight
        if self.bias is not None:
            y = y + self.bias
        return y

    def get_config(self) -> dict[str, Any]:
        """The constructor's arguments as JSON-able data, for ``Sequential.save``."""
        return {"normalized_shape": list(self.normalized_shape), "eps": self.eps,
                "elementwise_affine": self.elementwise_affine,
                "bias": self.bias is not None or not self.elementwise_affine,
                "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> LayerNorm:
        """A new layer from ``get_config()`` data."""
        return cls(**config)

    def extra_repr(self) -> str:
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}, bias={self.bias is not None}")


def _normalized_shape(value: Any) -> tuple[int, ...]:
    items = (value,) if isinstance(value, (int, np.integer)) else value
    try:
        shape = tuple(items)
    except TypeError:
        shape = None
    if not shape or not all(isinstance(n, (int, np.integer)) and not isinstance(n, bool)
                            and n > 0 for n in shape):
        raise ValueError(f"LayerNorm expects normalized_shape to be an int > 0 or a non-empty "
                         f"tuple of them. Received: normalized_shape={value!r}")
    return tuple(int(n) for n in shape)
