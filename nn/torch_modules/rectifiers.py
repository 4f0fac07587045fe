"""PyTorch's ``Hardtanh``, ``ReLU6``, ``SiLU`` and ``PReLU``, each calling its ``nn.functional``
function with the settings it keeps (``PReLU`` with its learned slopes)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

import autograd as ag
from autograd import Tensor
from nn import functional as F
from nn.functional._args import is_int, no_inplace
from nn.parameter import Parameter
from nn.torch_modules.base import TorchModule, factory_dtype


class Hardtanh(TorchModule):
    """``x`` clamped to ``[min_val, max_val]``; the gradient is 1 strictly inside, else 0.

    ``min_value`` and ``max_value`` are PyTorch's deprecated spellings of ``min_val`` and
    ``max_val`` (they win, with PyTorch's FutureWarning). As in PyTorch, ``max_val <= min_val``
    raises an AssertionError.

    Examples:
        >>> import autograd as torch, nn
        >>> nn.Hardtanh(-2.0, 2.0)(torch.tensor([-3.0, 1.0, 5.0])).numpy()
        array([-2.,  1.,  2.], dtype=float32)
    """

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False,
                 min_value: float | None = None, max_value: float | None = None) -> None:
        super().__init__()
        if min_value is not None:
            warnings.warn("keyword argument `min_value` is deprecated and renamed to `min_val`",
                          FutureWarning, stacklevel=2)
            min_val = min_value
        if max_value is not None:
            warnings.warn("keyword argument `max_value` is deprecated and renamed to `max_val`",
                          FutureWarning, stacklevel=2)
            max_val = max_value
        no_inplace(inplace, type(self).__name__)
        self.min_val, self.max_val, self.inplace = min_val, max_val, inplace
        if self.max_val <= self.min_val:
            raise AssertionError(f"max_val ({self.max_val}) must be greater than min_val "
                                 f"({self.min_val})")

    def forward(self, input: Any) -> Tensor:
        """``F.hardtanh(input, min_val, max_val)``."""
        return F.hardtanh(input, self.min_val, self.max_val)

    def get_config(self) -> dict[str, Any]:
        """The constructor's arguments (the deprecated spellings left out)."""
        return {"min_val": self.min_val, "max_val": self.max_val, "inplace": self.inplace}

    def extra_repr(self) -> str:
        return f"min_val={self.min_val}, max_val={self.max_val}"


class ReLU6(Hardtanh):
    """``min(max(x, 0), 6)`` elementwise: a ``Hardtanh(0.0, 6.0)``, as in PyTorch.

    Examples:
        >>> import autograd as torch, nn
        >>> nn.ReLU6()(torch.tensor([-1.0, 3.0, 8.0])).numpy()
        array([0., 3., 6.], dtype=float32)
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__(0.0, 6.0, inplace)

    def get_config(self) -> dict[str, Any]:
        """The constructor's argument."""
        return {"inplace": self.inplace}

    def extra_repr(self) -> str:
        return ""


class SiLU(TorchModule):
    """``x * sigmoid(x)`` elementwise (the swish).

    Examples:
        >>> import autograd as torch, nn
        >>> nn.SiLU()(torch.tensor([0.0, 1.0])).numpy().round(4)
        array([0.    , 0.7311], dtype=float32)
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        no_inplace(inplace, "SiLU")
        self.inplace = inplace

    def forward(self, input: Any) -> Tensor:
        """``F.silu(input)``."""
        return F.silu(input)


class PReLU(TorchModule):
    """``x`` where positive, ``weight * x`` elsewhere, with learned slopes: one shared
    (``num_parameters=1``) or one per channel (dimension 1 of the input), all starting at
    ``init``.

    Args:
        num_parameters: How many slopes: 1, or the number of channels of the input.
        init: The slopes' initial value.
        device: None or ``'cpu'`` (the only device here).
        dtype: The slopes' floating-point dtype (default: autograd's default dtype).

    Examples:
        >>> import autograd as torch, nn
        >>> act = nn.PReLU()
        >>> act, act.weight.numpy()
        (PReLU(num_parameters=1), array([0.25], dtype=float32))
        >>> act(torch.tensor([-4.0, 2.0])).numpy()
        array([-1.,  2.], dtype=float32)
    """

    def __init__(self, num_parameters: int = 1, init: float = 0.25, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        if not is_int(num_parameters) or num_parameters < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension "
                               f"{num_parameters}: [{num_parameters}]"
                               if is_int(num_parameters) else
                               f"PReLU expects num_parameters to be an int. Received: "
                               f"num_parameters={num_parameters!r}")
        self.num_parameters, self.init = int(num_parameters), init
        self.weight = Parameter(np.empty((self.num_parameters,),
                                         factory_dtype(device, dtype, "PReLU")))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Set every slope to ``init`` again."""
        with ag.no_grad():
            self.weight.copy_(np.full(self.weight.shape, self.init, self.weight.dtype))

    def forward(self, input: Any) -> Tensor:
        """``F.prelu(input, weight)``."""
        return F.prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"
