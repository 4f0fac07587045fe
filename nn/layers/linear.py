"""``Linear``: PyTorch's fully connected layer, ``x @ weight.T + bias``, weight stored (out, in).

``Dense`` is the Keras form of the same layer (``Dense(units)``, kernel stored ``(in, out)``,
input size found at the first call). ``Linear`` is for code written the PyTorch way: both sizes
are given, the weights exist at once, and a ``state_dict`` has PyTorch's names and layouts.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import autograd as ag
from autograd import Tensor
from nn import _checks
from nn import functional as F
from nn import random as nn_random
from nn.module import Module
from nn.parameter import Parameter


class Linear(Module):
    """Apply ``y = x @ weight.T + bias`` along the last axis of the input.

    The weight has shape ``(out_features, in_features)`` and the bias ``(out_features,)``, as in
    PyTorch, and both start uniform in ``[-1/sqrt(in_features), 1/sqrt(in_features)]`` (what
    PyTorch's Kaiming-uniform initialization with ``a=sqrt(5)`` amounts to). They are drawn
    from the generator ``nn.set_random_seed`` controls.

    Args:
        in_features: The size of the input's last axis, > 0.
        out_features: The size of the output's last axis, > 0.
        bias: Whether to learn an additive bias (False leaves ``bias`` as None).
        dtype: The parameters' floating-point dtype (default: autograd's default dtype).

    Example:
        >>> import numpy as np, nn
        >>> layer = nn.Linear(2, 3)
        >>> layer
        Linear(in_features=2, out_features=3, bias=True)
        >>> layer.weight.shape, layer.bias.shape
        ((3, 2), (3,))
        >>> layer(np.ones((5, 2), dtype=np.float32)).shape
        (5, 3)
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, *,
                 dtype: Any = None) -> None:
        super().__init__()
        self.in_features = _checks.positive_int(in_features, "Linear", "in_features")
        self.out_features = _checks.positive_int(out_features, "Linear", "out_features")
        if not isinstance(bias, (bool, np.bool_)):
            raise TypeError(f"Linear expects bias to be True or False. Received: bias={bias!r}")
        dtype = ag.get_default_dtype() if dtype is None else np.dtype(dtype)
        if dtype.kind != "f":
            raise TypeError(f"Linear expects a floating-point dtype. Received: dtype={dtype}")
        self.weight = Parameter(np.empty((self.out_features, self.in_features), dtype))
        if bias:
            self.bias = Parameter(np.empty((self.out_features,), dtype))
        else:
            self.bias = None
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw new weights (and bias) uniformly in ``[-1/sqrt(in_features), +...]``.

        Example:
            >>> import nn
            >>> layer = nn.Linear(4, 2)
            >>> layer.reset_parameters()
            >>> bool(abs(layer.weight.numpy()).max() <= 0.5)
            True
        """
        rng = nn_random.generator(None)
        bound = 1.0 / math.sqrt(self.in_features)
        with ag.no_grad():
            self.weight.copy_(rng.uniform(-bound, bound, self.weight.shape))
            if self.bias is not None:
                self.bias.copy_(rng.uniform(-bound, bound, self.bias.shape))

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
        # The fused x @ W + b primitive: one recorded op; W.T is a view, not a copy.
        return F.dense(x, self.weight.T, self.bias)

    def get_config(self) -> dict[str, Any]:
        """The constructor's arguments as JSON-able data, for ``Sequential.save``."""
        return {"in_features": self.in_features, "out_features": self.out_features,
                "bias": self.bias is not None, "dtype": str(self.weight.dtype)}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Linear:
        """A new layer from ``get_config()`` data."""
        return cls(**config)

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")
