"""PyTorch's ``normalize`` and ``cosine_similarity``: vectors along a dimension divided by their
norm, with ``torch.nn.functional``'s arguments, its ``eps`` handling and its gradients near
zero vectors."""

from __future__ import annotations

from typing import Any

import numpy as np

import autograd as ag
from autograd import Tensor
from nn.functional._args import tensor

# torch's names for dtypes in its "common dtype" message
_TORCH_NAMES = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char",
                "uint8": "Byte", "bool": "Bool"}


def normalize(input: Any, p: float = 2.0, dim: int = 1, eps: float = 1e-12,
              out: Any = None) -> Tensor:
    """Each vector along ``dim`` divided by ``max(||v||_p, eps)``.

    As in PyTorch, a vector whose norm is below ``eps`` is divided by ``eps``, and the gradient
    does not flow through the clamped norm there (a zero vector's gradient is the upstream one
    divided by ``eps``).

    Args:
        input: The tensor.
        p: The norm's exponent (``torch.norm``'s: 2, 1, ``inf``, ...).
        dim: The dimension (or dimensions) the vectors lie along.
        eps: The smallest divisor.
        out: None only; results here are always new tensors.

    Examples:
        >>> import autograd as torch, nn.functional as F
        >>> F.normalize(torch.tensor([[3.0, 4.0], [0.0, 0.0]])).numpy()
        array([[0.6, 0.8],
               [0. , 0. ]], dtype=float32)
    """
    if out is not None:
        raise ValueError("normalize: out= is not supported; results are always new tensors "
                         "(use out=None, the default)")
    x = tensor(input, "normalize")
    if x.ndim == 0:  # a 0-d tensor is one vector of one element, as in torch
        return normalize(x.reshape((1,)), p, dim, eps).reshape(())
    return x / ag.clamp(x.norm(p, dim, keepdim=True), min=eps)


def cosine_similarity(x1: Any, x2: Any, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """``sum((x1 / max(||x1||, eps)) * (x2 / max(||x2||, eps)))`` along ``dim``, the inputs
    broadcast together: PyTorch's formula, which divides each vector by its norm first so that
    the result stays within [-1, 1].

    As in PyTorch, the clamp of each norm to ``eps`` is not differentiated: the gradient treats
    the clamped norm as the norm itself.

    Examples:
        >>> import autograd as torch, nn.functional as F
        >>> a = torch.tensor([[1.0, 0.0], [1.0, 1.0]])
        >>> F.cosine_similarity(a, torch.tensor([1.0, 0.0])).numpy().round(4)
        array([1.    , 0.7071], dtype=float32)
    """
    a, b = tensor(x1, "cosine_similarity"), tensor(x2, "cosine_similarity")
    common = np.result_type(a.dtype, b.dtype)
    if common.kind != "f":
        raise RuntimeError(f"expected common dtype to be floating point, yet common dtype is "
                           f"{_TORCH_NAMES.get(common.name, common.name)}")
    shape = _broadcast_shape(tuple(a.shape), tuple(b.shape))
    # 0-d inputs are one vector of one element (dim -1 or 0), summed to a 0-d result
    a, b = (ag.broadcast_to(ag.astype(v, common), shape or (1,)) for v in (a, b))
    return (a / _clamped_norm(a, dim, eps) * (b / _clamped_norm(b, dim, eps))).sum(dim)


def _clamped_norm(x: Tensor, dim: int, eps: float) -> Tensor:
    # torch clamps the norm in place under no_grad: the value is max(norm, eps) while the
    # gradient is the norm's own.
    norm = x.norm(2, dim, keepdim=True)
    held = norm.detach()
    return norm + (ag.clamp(held, min=eps) - held)


def _broadcast_shape(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    ndim = max(len(a), len(b))
    a, b = (1,) * (ndim - len(a)) + a, (1,) * (ndim - len(b)) + b
    for i in reversed(range(ndim)):
        if a[i] != b[i] and 1 not in (a[i], b[i]):
            raise RuntimeError(f"The size of tensor a ({a[i]}) must match the size of tensor b "
                               f"({b[i]}) at non-singleton dimension {i}")
    return tuple(max(m, n) if 0 not in (m, n) else 0 for m, n in zip(a, b))
