"""``Identity``, ``Linear`` and ``Bilinear``: PyTorch's fully connected modules, weights stored
(out, in) and drawn from PyTorch's distributions (``kaiming_uniform_(a=sqrt(5))``, which is
uniform in ``[-1/sqrt(fan_in), 1/sqrt(fan_in)]``, for the weight and the bias alike)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import autograd as ag
from autograd import Tensor
from nn import _checks
from nn import functional as F
from nn import random as nn_random
from nn.parameter import Parameter
from nn.torch_modules.base import TorchModule, factory_dtype


def uniform_(param: Parameter, bound: float) -> None:
    """Fill ``param`` in place, uniform in ``[-bound, bound)``, from ``nn``'s generator."""
    with ag.no_grad():
        param.copy_(nn_random.generator(None).uniform(-bound, bound, param.shape)
                    .astype(param.dtype))


def _flag(value: Any, who: str, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{who} expects {name} to be True or False. Received: {name}={value!r}")
    return bool(value)


class Identity(TorchModule):
    """Return the input unchanged; any constructor arguments are accepted and unused, as in
    PyTorch (so that it can stand in for another module).

    Examples:
        >>> import autograd as torch, nn
        >>> x = torch.ones(2)
        >>> nn.Identity(54, unused="argument")(x) is x
        True
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: Any) -> Any:
        """``input`` itself."""
        return input


class Linear(TorchModule):
    """Apply ``y = x @ weight.T + bias`` along the last axis of the input.

    The weight has shape ``(out_features, in_features)`` and the bias ``(out_features,)``, as in
    PyTorch, and both start uniform in ``[-1/sqrt(in_features), 1/sqrt(in_features)]`` (what
    PyTorch's Kaiming-uniform initialization with ``a=sqrt(5)`` amounts to). They are drawn
    from the generator ``nn.set_random_seed`` controls.

    Args:
        in_features: The size of the input's last axis, > 0.
        out_features: The size of the output's last axis, > 0.
        bias: Whether to learn an additive bias (False leaves ``bias`` as None).
        device: None or ``'cpu'`` (the only device here).
        dtype: The parameters' floating-point dtype (default: autograd's default dtype).

    Examples:
        >>> import numpy as np, nn
        >>> layer = nn.Linear(2, 3)
        >>> layer
        Linear(in_features=2, out_features=3, bias=True)
        >>> layer.weight.shape, layer.bias.shape
        ((3, 2), (3,))
        >>> layer(np.ones((5, 2), dtype=np.float32)).shape
        (5, 3)
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self.in_features = _checks.positive_int(in_features, "Linear", "in_features")
        self.out_features = _checks.positive_int(out_features, "Linear", "out_features")
        dtype = factory_dtype(device, dtype, "Linear")
        self.weight = Parameter(np.empty((self.out_features, self.in_features), dtype))
        with_bias = _flag(bias, "Linear", "bias")
        self.bias = Parameter(np.empty((self.out_features,), dtype)) if with_bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw new weights (and bias) uniformly in ``[-1/sqrt(in_features), +...]``.

        Examples:
            >>> import nn
            >>> layer = nn.Linear(4, 2)
            >>> layer.reset_parameters()
            >>> bool(abs(layer.weight.numpy()).max() <= 0.5)
            True
        """
        bound = 1.0 / math.sqrt(self.in_features)
        uniform_(self.weight, bound)
        if self.bias is not None:
            uniform_(self.bias, bound)

    def forward(self, input: Any) -> Tensor:
        """``input @ weight.T + bias``; the input's last axis must be ``in_features`` long."""
        x = _checks.as_node(input)
        if not isinstance(x, Tensor):
            raise TypeError(f"Linear '{self.name}' expects a Tensor or array-like input. "
                            f"Received: {type(input).__name__}")
        if x.ndim == 0 or x.shape[-1] != self.in_features:
            raise ValueError(
                f"Linear '{self.name}': the input's last axis must have size in_features="
                f"{self.in_features}. Received: input shape {tuple(x.shape)}, weight shape "
                f"{tuple(self.weight.shape)} (out_features, in_features)")
        if self.bias is None:
            return x @ self.weight.T
        # The fused x @ W + b primitive: one recorded op; W.T is a view, not a copy.
        return ag.linear(x, self.weight.T, self.bias)

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class Bilinear(TorchModule):
    """``y[..., k] = x1 @ weight[k] @ x2 + bias[k]``, as PyTorch's ``nn.Bilinear``.

    The weight has shape ``(out_features, in1_features, in2_features)``; weight and bias start
    uniform in ``[-1/sqrt(in1_features), 1/sqrt(in1_features)]``, as in PyTorch.

    Examples:
        >>> import autograd as torch, nn
        >>> layer = nn.Bilinear(2, 3, 4)
        >>> layer(torch.ones((5, 2)), torch.ones((5, 3))).shape
        (5, 4)
    """

    def __init__(self, in1_features: int, in2_features: int, out_features: int,
                 bias: bool = True, device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self.in1_features = _checks.positive_int(in1_features, "Bilinear", "in1_features")
        self.in2_features = _checks.positive_int(in2_features, "Bilinear", "in2_features")
        self.out_features = _checks.positive_int(out_features, "Bilinear", "out_features")
        dtype = factory_dtype(device, dtype, "Bilinear")
        shape = (self.out_features, self.in1_features, self.in2_features)
        self.weight = Parameter(np.empty(shape, dtype))
        with_bias = _flag(bias, "Bilinear", "bias")
        self.bias = Parameter(np.empty((self.out_features,), dtype)) if with_bias else None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw new weights (and bias) uniformly in ``[-1/sqrt(in1_features), +...]``."""
        bound = 1.0 / math.sqrt(self.in1_features)
        uniform_(self.weight, bound)
        if self.bias is not None:
            uniform_(self.bias, bound)

    def forward(self, input1: Any, input2: Any) -> Tensor:
        """``F.bilinear(input1, input2, weight, bias)``."""
        return F.bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
                f"out_features={self.out_features}, bias={self.bias is not None}")
