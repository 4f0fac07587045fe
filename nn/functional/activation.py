"""PyTorch's activation functions and dropout: ``torch.nn.functional``'s names, arguments,
defaults and numbers (``leaky_relu`` slope 0.01, ``hardtanh`` on ``[-1, 1]``, ``prelu`` per
channel, ``softmax`` over ``dim``, ``dropout(p=0.5)``)."""

from __future__ import annotations

import numbers
import warnings
from typing import Any

import numpy as np

import autograd as ag
from autograd import Tensor
from nn import _random_draws, activations
from nn.functional._args import no_inplace, tensor


def relu(input: Any, inplace: bool = False) -> Tensor:
    """``max(input, 0)`` elementwise.

    Examples:
        >>> import autograd as torch, nn.functional as F
        >>> F.relu(torch.tensor([-1.0, 2.0])).numpy()
        array([0., 2.], dtype=float32)
    """
    no_inplace(inplace, "relu")
    return tensor(input, "relu").relu()


def leaky_relu(input: Any, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """``input`` where positive, ``negative_slope * input`` elsewhere (PyTorch's slope: 0.01).

    Examples:
        >>> import autograd as torch, nn.functional as F
        >>> F.leaky_relu(torch.tensor([-2.0, 3.0])).numpy()
        array([-0.02,  3.  ], dtype=float32)
    """
    no_inplace(inplace, "leaky_relu")
    _number(negative_slope, "leaky_relu", "negative_slope")
    return ag.leaky_relu(tensor(input, "leaky_relu"), float(negative_slope))


def elu(input: Any, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """``input`` where positive, ``alpha * (exp(input) - 1)`` elsewhere."""
    no_inplace(inplace, "elu")
    _number(alpha, "elu", "alpha")
    value: Tensor = activations.elu(tensor(input, "elu"), float(alpha))
    return value


def gelu(input: Any, approximate: str = "none") -> Tensor:
    """``input * Phi(input)``, Phi the standard normal distribution function; with
    ``approximate='tanh'``, ``0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 x^3)))``."""
    if approximate not in ("none", "tanh"):
        raise ValueError(f"gelu expects approximate to be 'none' or 'tanh'. Received: "
                         f"approximate={approximate!r}")
    result: Tensor = activations.gelu(tensor(input, "gelu"), approximate=approximate == "tanh")
    return result


def softplus(input: Any, beta: float = 1, threshold: float = 20) -> Tensor:
    """``log(1 + exp(beta * x)) / beta``, and ``x`` itself where ``beta * x > threshold``.

    Examples:
        >>> import autograd as torch, nn.functional as F
        >>> F.softplus(torch.tensor([0.0, 30.0])).numpy().round(4)
        array([ 0.6931, 30.    ], dtype=float32)
    """
    _number(beta, "softplus", "beta")
    _number(threshold, "softplus", "threshold")
    x = tensor(input, "softplus")
    scaled = x * float(beta)
    return ag.where(scaled > float(threshold), x, scaled.softplus() * (1.0 / float(beta)))


def silu(input: Any, inplace: bool = False) -> Tensor:
    """``input * sigmoid(input)`` elementwise (the swish).

    Examples:
        >>> import autograd as torch, nn.functional as F
        >>> F.silu(torch.tensor([0.0, 1.0])).numpy().round(4)
        array([0.    , 0.7311], dtype=float32)
    """
    no_inplace(inplace, "silu")
    x = tensor(input, "silu")
    return x * x.sigmoid()


def hardtanh(input: Any, min_val: float = -1.0, max_val: float = 1.0,
             inplace: bool = False) -> Tensor:
    """``input`` clamped to ``[min_val, max_val]``.

    The gradient is 1 strictly inside the interval and 0 from its ends outwards, as PyTorch's.

    Examples:
        >>> import autograd as torch, nn.functional as F
        >>> F.hardtanh(torch.tensor([-3.0, 0.5, 2.0])).numpy()
        array([-1. ,  0.5,  1. ], dtype=float32)
    """
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    no_inplace(inplace, "hardtanh")
    return _clamped(tensor(input, "hardtanh"), min_val, max_val)


def relu6(input: Any, inplace: bool = False) -> Tensor:
    """``min(max(input, 0), 6)`` elementwise: ``hardtanh(input, 0, 6)``.

    Examples:
        >>> import autograd as torch, nn.functional as F
        >>> F.relu6(torch.tensor([-1.0, 3.0, 8.0])).numpy()
        array([0., 3., 6.], dtype=float32)
    """
    no_inplace(inplace, "relu6")
    return _clamped(tensor(input, "relu6"), 0.0, 6.0)


def _clamped(x: Tensor, low: float, high: float) -> Tensor:
    # PyTorch's hardtanh backward passes the gradient where low < x < high; a NaN keeps its
    # gradient here (PyTorch's depends on whether its vectorized loop handled the element).
    data = x.numpy()
    outside = (data <= low) | (data >= high)
    return ag.where(outside, ag.clamp(x.detach(), low, high), x)


def prelu(input: Any, weight: Any) -> Tensor:
    """``input`` where positive, ``weight * input`` elsewhere, with one learned slope for all
    channels (a one-element ``weight``) or one per channel (dimension 1 of ``input``).

    Examples:
        >>> import autograd as torch, nn.functional as F
        >>> x = torch.tensor([[-1.0, -1.0], [2.0, -2.0]])
        >>> F.prelu(x, torch.tensor([0.1, 0.5])).numpy()
        array([[-0.1, -0.5],
               [ 2. , -1. ]], dtype=float32)
    """
    x, w = tensor(input, "prelu"), tensor(weight, "prelu")
    if w.ndim > 1:
        raise RuntimeError(f"prelu: Expected `weight` to be a scalar or 1D tensor, but got: "
                           f"ndim = {w.ndim}")
    channels = x.shape[1] if x.ndim >= 2 else 1
    if w.numel() != 1 and w.numel() != channels:
        raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found "
                           f"parameter numbers = {w.numel()} and channel size = {channels}.")
    if w.numel() == 1:
        slope = w.reshape(())
    else:
        slope = w.reshape((channels,) + (1,) * (x.ndim - 2))
    return ag.where(x.numpy() > 0, x, slope * x)


def sigmoid(input: Any) -> Tensor:
    """``1 / (1 + exp(-input))``, computed without overflow."""
    return tensor(input, "sigmoid").sigmoid()


def tanh(input: Any) -> Tensor:
    """The hyperbolic tangent."""
    return tensor(input, "tanh").tanh()


def implicit_dim(ndim: int, who: str, stacklevel: int) -> int:
    """The axis PyTorch picks when ``dim`` is not given (0 for 0-, 1- and 3-D inputs, else 1),
    with PyTorch's deprecation warning."""
    warnings.warn(f"Implicit dimension choice for {who} has been deprecated. Change the call "
                  f"to include dim=X as an argument.", UserWarning, stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def _softmax_input(input: Any, dim: Any, stacklevel: int, dtype: Any, who: str
                   ) -> tuple[Tensor, int]:
    x = tensor(input, who)
    if dtype is not None:
        x = ag.astype(x, np.dtype(dtype))
    if dim is None:
        dim = implicit_dim(x.ndim, who, stacklevel + 1)
    return x, dim


def softmax(input: Any, dim: int | None = None, _stacklevel: int = 3,
            dtype: Any = None) -> Tensor:
    """``exp(x) / sum(exp(x))`` along ``dim``, computed stably.

    Args:
        input: The tensor.
        dim: The axis along which the values sum to 1. None picks one as PyTorch does
            (deprecated there too, with the same warning).
        _stacklevel: Where the warning for a missing ``dim`` points, as in PyTorch.
        dtype: Convert the input to this dtype first.

    Examples:
        >>> import autograd as torch, nn.functional as F
        >>> F.softmax(torch.tensor([[0.0, 0.0]]), dim=1).numpy()
        array([[0.5, 0.5]], dtype=float32)
    """
    x, dim = _softmax_input(input, dim, _stacklevel, dtype, "softmax")
    return ag.softmax(x, dim=dim)


def log_softmax(input: Any, dim: int | None = None, _stacklevel: int = 3,
                dtype: Any = None) -> Tensor:
    """The logarithm of ``softmax`` along ``dim``, computed stably (arguments as ``softmax``)."""
    x, dim = _softmax_input(input, dim, _stacklevel, dtype, "log_softmax")
    return ag.log_softmax(x, dim=dim)


def dropout(input: Any, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero each element with probability ``p`` and scale the others by ``1 / (1 - p)``, when
    ``training``; otherwise return ``input`` unchanged.

    The mask is drawn from the generator ``nn.set_random_seed`` (or ``autograd.manual_seed``)
    controls; its draws are not PyTorch's, its distribution is.

    Examples:
        >>> import autograd as torch, nn.functional as F
        >>> x = torch.ones(1000)
        >>> y = F.dropout(x, p=0.5).numpy()
        >>> sorted(set(y.tolist())), F.dropout(x, training=False) is x
        ([0.0, 2.0], True)
    """
    no_inplace(inplace, "dropout")
    if isinstance(p, bool) or not isinstance(p, numbers.Real) or not 0 <= p <= 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p!r}")
    x = tensor(input, "dropout")
    if not training or p == 0:
        return x
    if p == 1:
        return x * 0.0
    return x * _random_draws.dropout_scale(None, x.shape, p, x.dtype)


def _number(value: Any, who: str, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{who} expects {name} to be a number. Received: {name}={value!r}")
