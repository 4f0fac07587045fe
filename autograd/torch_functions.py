"""PyTorch's module-level functions that no ``Tensor`` method or op makes: ``mm``, ``bmm``,
``numel``, ``is_tensor``, ``concat`` (PyTorch's other name for ``cat``), and the comparisons of
whole tensors ``equal``, ``allclose`` and ``isclose``.

``mm`` and ``bmm`` are ``matmul`` restricted as PyTorch restricts them (2-D by 2-D, 3-D by 3-D
with equal batches, no broadcasting), so a shape mistake is an error rather than a broadcast.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd.functions import cat
from autograd.tensor import Tensor


def _no_out(who: str, out: Any) -> None:
    if out is not None:
        raise ValueError(f"{who}: out= is not supported (numpy-backed tensors are not written "
                         f"into); assign the result instead")


def _operands(who: str, input: Any, mat2: Any, out: Any) -> tuple[Tensor, Tensor]:
    _no_out(who, out)
    for name, value in (("input", input), ("mat2", mat2)):
        if not isinstance(value, Tensor):
            raise TypeError(f"{who}(): argument '{name}' must be Tensor, not "
                            f"{type(value).__name__}")
    return input, mat2


def mm(input: Any, mat2: Any, *, out: Any = None) -> Tensor:
    """The matrix product of two 2-D tensors, as ``torch.mm`` (no broadcasting).

    Examples:
        >>> import autograd as torch
        >>> torch.mm(torch.ones(2, 3), torch.ones(3, 4)).shape
        (2, 4)
    """
    a, b = _operands("mm", input, mat2, out)
    if a.ndim != 2 or b.ndim != 2:
        raise RuntimeError(f"mm: both arguments must be 2-D matrices; got shapes {a.shape} and "
                           f"{b.shape} (use matmul or bmm for other shapes)")
    if a.shape[1] != b.shape[0]:
        raise RuntimeError(f"mm: mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x"
                           f"{a.shape[1]} and {b.shape[0]}x{b.shape[1]})")
    return a.matmul(b)


def bmm(input: Any, mat2: Any, *, out: Any = None) -> Tensor:
    """Batched matrix products of two 3-D tensors with the same batch size, as ``torch.bmm``.

    Examples:
        >>> import autograd as torch
        >>> torch.bmm(torch.ones(5, 2, 3), torch.ones(5, 3, 4)).shape
        (5, 2, 4)
    """
    a, b = _operands("bmm", input, mat2, out)
    if a.ndim != 3 or b.ndim != 3:
        raise RuntimeError(f"bmm: both arguments must be 3-D tensors; got shapes {a.shape} and "
                           f"{b.shape}")
    if a.shape[0] != b.shape[0] or a.shape[2] != b.shape[1]:
        raise RuntimeError(f"bmm: expected shapes (b, n, m) and (b, m, p); got {a.shape} and "
                           f"{b.shape}")
    return a.matmul(b)


def numel(input: Any) -> int:
    """The number of elements of the tensor ``input``, as ``torch.numel``.

    Examples:
        >>> import autograd as torch
        >>> torch.numel(torch.zeros(2, 3))
        6
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"numel(): argument 'input' must be Tensor, not {type(input).__name__}")
    return int(input._data.size)


def is_tensor(obj: Any, /) -> bool:
    """Whether ``obj`` is a ``Tensor``, as ``torch.is_tensor``.

    Examples:
        >>> import autograd as torch
        >>> torch.is_tensor(torch.zeros(1)), torch.is_tensor([1.0])
        (True, False)
    """
    return isinstance(obj, Tensor)


def concat(tensors: Sequence[Any], dim: int = 0, *, out: Any = None) -> Tensor:
    """``cat`` under its other PyTorch name: join tensors along the existing axis ``dim``.

    Examples:
        >>> import autograd as torch
        >>> torch.concat([torch.zeros(1, 2), torch.ones(1, 2)]).shape
        (2, 2)
    """
    _no_out("concat", out)
    return cat(tensors, dim=dim)


def _both(who: str, input: Any, other: Any) -> tuple[np.ndarray, np.ndarray]:
    for name, value in (("input", input), ("other", other)):
        if not isinstance(value, Tensor):
            raise TypeError(f"{who}(): argument '{name}' must be Tensor, not "
                            f"{type(value).__name__}")
    return input.numpy(), other.numpy()


def equal(input: Any, other: Any) -> bool:
    """True when both tensors have the same shape and the same elements, as ``torch.equal``.

    Examples:
        >>> import autograd as torch
        >>> torch.equal(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0]))
        True
    """
    a, b = _both("equal", input, other)
    return a.shape == b.shape and bool(np.array_equal(a, b))


def isclose(input: Any, other: Any, rtol: float = 1e-05, atol: float = 1e-08,
            equal_nan: bool = False) -> Tensor:
    """Elementwise ``|input - other| <= atol + rtol * |other|``, as ``torch.isclose``.

    Examples:
        >>> import autograd as torch
        >>> torch.isclose(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.1])).tolist()
        [True, False]
    """
    a, b = _both("isclose", input, other)
    if a.dtype != b.dtype:
        raise RuntimeError(f"isclose: {a.dtype} did not match {b.dtype}; convert one first "
                           f"(torch refuses mixed dtypes here too)")
    return Tensor(np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan))


def allclose(input: Any, other: Any, rtol: float = 1e-05, atol: float = 1e-08,
             equal_nan: bool = False) -> bool:
    """Whether every element is close (``isclose``), as ``torch.allclose``.

    Examples:
        >>> import autograd as torch
        >>> torch.allclose(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0 + 1e-6]))
        True
    """
    return bool(isclose(input, other, rtol, atol, equal_nan).numpy().all())
