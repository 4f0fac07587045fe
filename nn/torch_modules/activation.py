"""PyTorch's activation modules and ``Dropout``: ``ReLU``, ``LeakyReLU(0.01)``, ``ELU``,
``GELU``, ``Sigmoid``, ``Tanh``, ``Softmax(dim)``, ``LogSoftmax(dim)``, ``Dropout(p=0.5)``,
each calling its ``nn.functional`` function with the settings it keeps."""

from __future__ import annotations

from typing import Any

from autograd import Tensor
from nn import functional as F
from nn.functional._args import no_inplace
from nn.torch_modules.base import TorchModule


def _no_arguments(module: TorchModule, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    # torch's signature is (*args, **kwargs), inherited from Module, which refuses any.
    if args or kwargs:
        raise TypeError(f"{type(module).__name__}.__init__() takes no arguments. Received: "
                        f"{len(args)} positional, keywords {sorted(kwargs)}")


class ReLU(TorchModule):
    """``max(x, 0)`` elementwise.

    Examples:
        >>> import autograd as torch, nn
        >>> nn.ReLU()(torch.tensor([-1.0, 2.0])).numpy()
        array([0., 2.], dtype=float32)
    """

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        no_inplace(inplace, "ReLU")
        self.inplace = inplace

    def forward(self, input: Any) -> Tensor:
        """``F.relu(input)``."""
        return F.relu(input)


class LeakyReLU(TorchModule):
    """``x`` where positive, ``negative_slope * x`` elsewhere (PyTorch's default slope 0.01).

    Examples:
        >>> import autograd as torch, nn
        >>> nn.LeakyReLU()(torch.tensor([-1.0, 2.0])).numpy()
        array([-0.01,  2.  ], dtype=float32)
    """

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False) -> None:
        super().__init__()
        no_inplace(inplace, "LeakyReLU")
        self.negative_slope, self.inplace = negative_slope, inplace

    def forward(self, input: Any) -> Tensor:
        """``F.leaky_relu(input, negative_slope)``."""
        return F.leaky_relu(input, self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class ELU(TorchModule):
    """``x`` where positive, ``alpha * (exp(x) - 1)`` elsewhere."""

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        no_inplace(inplace, "ELU")
        self.alpha, self.inplace = alpha, inplace

    def forward(self, input: Any) -> Tensor:
        """``F.elu(input, alpha)``."""
        return F.elu(input, self.alpha)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"


class GELU(TorchModule):
    """``x * Phi(x)`` (``approximate='tanh'``: the tanh approximation)."""

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU expects approximate to be 'none' or 'tanh'. Received: "
                             f"approximate={approximate!r}")
        self.approximate = approximate

    def forward(self, input: Any) -> Tensor:
        """``F.gelu(input, approximate)``."""
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class Softplus(TorchModule):
    """``log(1 + exp(beta * x)) / beta``, linear where ``beta * x > threshold``.

    Examples:
        >>> import autograd as torch, nn
        >>> nn.Softplus()(torch.tensor([0.0])).numpy().round(4)
        array([0.6931], dtype=float32)
    """

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, input: Any) -> Tensor:
        """``F.softplus(input, beta, threshold)``."""
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class Sigmoid(TorchModule):
    """``1 / (1 + exp(-x))`` elementwise."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()
        _no_arguments(self, args, kwargs)

    def forward(self, input: Any) -> Tensor:
        """``F.sigmoid(input)``."""
        return F.sigmoid(input)


class Tanh(TorchModule):
    """The hyperbolic tangent, elementwise."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()
        _no_arguments(self, args, kwargs)

    def forward(self, input: Any) -> Tensor:
        """``F.tanh(input)``."""
        return F.tanh(input)


class Softmax(TorchModule):
    """Softmax along ``dim`` (None: PyTorch's deprecated implicit choice, with its warning).

    Examples:
        >>> import autograd as torch, nn
        >>> nn.Softmax(dim=1)(torch.zeros((1, 4))).numpy()
        array([[0.25, 0.25, 0.25, 0.25]], dtype=float32)
    """

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Any) -> Tensor:
        """``F.softmax(input, dim)``."""
        return F.softmax(input, self.dim, _stacklevel=5)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(TorchModule):
    """The logarithm of the softmax along ``dim``, computed stably."""

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Any) -> Tensor:
        """``F.log_softmax(input, dim)``."""
        return F.log_softmax(input, self.dim, _stacklevel=5)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Dropout(TorchModule):
    """In training mode (``module.train()``, the default), zero each element with probability
    ``p`` and scale the rest by ``1 / (1 - p)``; in evaluation mode, the identity.

    Examples:
        >>> import autograd as torch, nn
        >>> drop = nn.Dropout(p=0.25).eval()
        >>> drop(torch.ones(3)).numpy()
        array([1., 1., 1.], dtype=float32)
    """

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        no_inplace(inplace, "Dropout")
        if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p <= 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p!r}")
        self.p, self.inplace = p, inplace

    def forward(self, input: Any) -> Tensor:
        """``F.dropout(input, p, self.training)``."""
        return F.dropout(input, self.p, self.training)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"
