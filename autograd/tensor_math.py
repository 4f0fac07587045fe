"""``torch.Tensor``'s arithmetic under method names, on ``Tensor``: ``add``, ``sub``, ``mul``,
``div``, ``neg``, ``square``, ``mm``, ``bmm``, ``flip``, ``unbind``, ``contiguous``, the
conversions ``long()``, ``int()``, ``bool()``, ``half()``, and the reductions ``cumsum``,
``prod`` and ``norm``.

Each is the operator or primitive it names, so values and gradients are theirs.
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

import numpy as np

from autograd.dtypes import to_dtype
from autograd.ops import elementwise as ew
from autograd.ops import reduce
from autograd.tensor_torch import dim_index, dims_tuple

if TYPE_CHECKING:
    from autograd.tensor import Operand, Tensor


class TorchMath:
    """``torch.Tensor``'s arithmetic methods and conversions."""

    __slots__ = ()

    def add(self: Tensor, other: Operand, *, alpha: float = 1) -> Tensor:
        """``self + alpha * other``.

        Examples:
            >>> import autograd as torch
            >>> torch.tensor([1.0, 2.0]).add(torch.tensor([1.0, 1.0]), alpha=3).tolist()
            [4.0, 5.0]
        """
        return self + (other if alpha == 1 else self._lift(other) * alpha)

    def sub(self: Tensor, other: Operand, *, alpha: float = 1) -> Tensor:
        """``self - alpha * other``."""
        return self - (other if alpha == 1 else self._lift(other) * alpha)

    def mul(self: Tensor, other: Operand) -> Tensor:
        """``self * other``."""
        return self * other

    def div(self: Tensor, other: Operand, *, rounding_mode: str | None = None) -> Tensor:
        """``self / other``: true division, or with ``rounding_mode`` the quotient rounded
        towards minus infinity (``'floor'``, as ``//``) or towards 0 (``'trunc'``), which keeps
        integer dtypes and has slope 0.

        Examples:
            >>> import autograd as torch
            >>> a = torch.tensor([7, -7])
            >>> a.div(2).tolist(), a.div(2, rounding_mode="floor").tolist()
            ([3.5, -3.5], [3, -4])
            >>> a.div(2, rounding_mode="trunc").tolist()
            [3, -3]
        """
        if rounding_mode is None:
            return self / other
        if rounding_mode == "floor":
            return ew.floor_divide(self, self._lift(other))
        if rounding_mode == "trunc":
            return ew.div_trunc(self, self._lift(other))
        raise ValueError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor'; "
                         f"received {rounding_mode!r}")

    def floor_divide(self: Tensor, other: Operand) -> Tensor:
        """``self // other``: the quotient rounded towards minus infinity (slope 0)."""
        return ew.floor_divide(self, self._lift(other))

    def __floordiv__(self: Tensor, other: Operand) -> Tensor:
        return ew.floor_divide(self, self._lift(other))

    def __rfloordiv__(self: Tensor, other: Operand) -> Tensor:
        return ew.floor_divide(self._lift(other), self)

    def remainder(self: Tensor, other: Operand) -> Tensor:
        """``self % other``: ``self - other * floor(self / other)``, with the sign of
        ``other`` (Python's ``%``).

        Examples:
            >>> import autograd as torch
            >>> (torch.tensor([7.0, -7.0]) % 3).tolist()
            [1.0, 2.0]
        """
        return ew.remainder(self, self._lift(other))

    def __mod__(self: Tensor, other: Operand) -> Tensor:
        return ew.remainder(self, self._lift(other))

    def __rmod__(self: Tensor, other: Operand) -> Tensor:
        return ew.remainder(self._lift(other), self)

    def fmod(self: Tensor, other: Operand) -> Tensor:
        """``self - other * trunc(self / other)``: the remainder with the sign of ``self``
        (C's ``fmod``).

        Examples:
            >>> import autograd as torch
            >>> torch.tensor([7.0, -7.0]).fmod(3).tolist()
            [1.0, -1.0]
        """
        return ew.fmod(self, self._lift(other))

    def neg(self: Tensor) -> Tensor:
        """``-self``."""
        return -self

    def square(self: Tensor) -> Tensor:
        """``self * self``."""
        return self * self

    def mm(self: Tensor, mat2: Any) -> Tensor:
        """The matrix product of two 2-D tensors (no broadcasting), as ``torch.mm``."""
        from autograd.torch_functions import mm  # it imports Tensor

        return mm(self, mat2)

    def bmm(self: Tensor, mat2: Any) -> Tensor:
        """Batched matrix products of two 3-D tensors, as ``torch.bmm``."""
        from autograd.torch_functions import bmm

        return bmm(self, mat2)

    def dot(self: Tensor, other: Any) -> Tensor:
        """The inner product of two 1-D tensors of one size and dtype, as ``torch.dot``.

        Examples:
            >>> import autograd as torch
            >>> torch.tensor([1, 2]).dot(torch.tensor([3, 4])).item()
            11
        """
        vector = self._lift(other)
        if self._data.ndim != 1 or vector._data.ndim != 1:
            raise RuntimeError(f"1D tensors expected, but got {self._data.ndim}D and "
                               f"{vector._data.ndim}D tensors")
        if self._data.dtype != vector._data.dtype:
            raise RuntimeError(f"dot : expected both vectors to have same dtype, but found "
                               f"{self._data.dtype} and {vector._data.dtype}")
        if self._data.size != vector._data.size:
            raise RuntimeError(f"inconsistent tensor size, expected tensor [{self._data.size}] "
                               f"and src [{vector._data.size}] to have the same number of "
                               f"elements, but got {self._data.size} and {vector._data.size} "
                               f"elements respectively")
        return self.matmul(vector)

    def outer(self: Tensor, vec2: Any) -> Tensor:
        """The outer product of two 1-D tensors: ``out[i, j] = self[i] * vec2[j]`` (dtypes
        promoted as ``*`` does), as ``torch.outer``.

        Examples:
            >>> import autograd as torch
            >>> torch.tensor([1, 2]).outer(torch.tensor([1.0, 10.0])).tolist()
            [[1.0, 10.0], [2.0, 20.0]]
        """
        column = self._lift(vec2)
        for name, v in (("self", self), ("vec2", column)):
            if v._data.ndim != 1:
                raise RuntimeError(f"outer: Expected 1-D argument {name}, but got "
                                   f"{v._data.ndim}-D")
        return self.reshape(-1, 1) * column.reshape(1, -1)

    def flip(self: Tensor, *dims: Any) -> Tensor:
        """The elements in reverse order along ``dims`` (an int or a sequence)."""
        dims = tuple(dims[0]) if len(dims) == 1 and isinstance(dims[0], (tuple, list)) else dims
        axes = dims_tuple("flip", dims, self._data.ndim)
        return self[tuple(slice(None, None, -1) if i in axes else slice(None)
                          for i in range(self._data.ndim))]

    def unbind(self: Tensor, dim: int = 0) -> tuple[Tensor, ...]:
        """The slices along ``dim``, each without that dimension."""
        axis = dim_index("unbind", dim, self._data.ndim)
        return tuple(self[(slice(None),) * axis + (i,)] for i in range(self._data.shape[axis]))

    def contiguous(self: Tensor) -> Tensor:
        """This tensor (numpy arrays need no contiguous copy for any operation here)."""
        return self

    def long(self: Tensor) -> Tensor:
        """The tensor as int64 (torch.long)."""
        return self.astype(np.int64)

    def int(self: Tensor) -> Tensor:
        """The tensor as int32 (torch.int)."""
        return self.astype(np.int32)

    def bool(self: Tensor) -> Tensor:
        """The tensor as booleans (nonzero is True)."""
        return self.astype(np.bool_)

    def half(self: Tensor) -> Tensor:
        """The tensor as float16."""
        return self.astype(np.float16)

    # --- cumulative sums, products, norms ---

    def cumsum(self: Tensor, dim: builtins.int, *, dtype: Any = None) -> Tensor:
        """The running sums along ``dim``: ``y[i] = x[0] + ... + x[i]``. Integers and booleans
        sum as int64, as in PyTorch; ``dtype`` converts first.

        Examples:
            >>> import autograd as torch
            >>> torch.tensor([[1, 2, 3], [4, 5, 6]]).cumsum(1).tolist()
            [[1, 3, 6], [4, 9, 15]]
        """
        axis = dim_index("cumsum", dim, self._data.ndim)
        chosen = None if dtype is None else to_dtype(dtype, "cumsum")
        if self._data.ndim == 0:
            return reduce.cumsum(self.reshape(1), axis=0, dtype=chosen).reshape(())
        return reduce.cumsum(self, axis=axis, dtype=chosen)

    def prod(self: Tensor, dim: builtins.int | None = None, keepdim: builtins.bool = False, *,
             dtype: Any = None) -> Tensor:
        """The product of all elements, or along ``dim``. The gradient of each element is the
        product of the others, computed without dividing, so it is exact where elements are 0
        (as PyTorch's). Integers and booleans multiply as int64.

        Examples:
            >>> import autograd as torch
            >>> x = torch.tensor([2.0, 0.0, 3.0], requires_grad=True)
            >>> x.prod().backward()
            >>> x.grad.tolist()
            [0.0, 6.0, 0.0]
        """
        x = self if dtype is None else self.to(dtype)
        if dim is None:
            if keepdim:
                raise TypeError("prod: keepdim needs a dim (torch's prod(dim, keepdim=False))")
            return reduce.prod(x.reshape(-1), axis=0, keepdims=False).reshape(())
        axis = dim_index("prod", dim, x._data.ndim)
        if x._data.ndim == 0:
            return reduce.prod(x.reshape(1), axis=0, keepdims=False).reshape(())
        return reduce.prod(x, axis=axis, keepdims=builtins.bool(keepdim))

    def norm(self: Tensor, p: Any = "fro", dim: Any = None, keepdim: builtins.bool = False,
             dtype: Any = None) -> Tensor:
        """The vector p-norm of all elements, or over ``dim`` (an int or a tuple), as
        ``torch.norm``: ``'fro'`` and 2 (the default: the square root of the sum of squares),
        any other p (``(Σ|x|^p)^(1/p)``), ``inf``/``-inf`` (the largest/smallest ``|x|``) and 0
        (the count of nonzero elements). The gradient at a zero vector is 0, as PyTorch's.

        Examples:
            >>> import autograd as torch
            >>> x = torch.tensor([[3.0, -4.0], [0.0, 1.0]])
            >>> x.norm().item(), x.norm(1).item(), x.norm(float("inf"), dim=1).tolist()
            (5.099019527435303, 8.0, [4.0, 1.0])
        """
        if dtype is not None and np.result_type(self._data.dtype, dtype) != np.dtype(dtype):
            raise RuntimeError(f"linalg.vector_norm: the dtype of the input ({self.dtype}) "
                               f"should be convertible without narrowing to the specified "
                               f"dtype ({np.dtype(dtype)})")
        x = self if dtype is None else self.to(dtype)
        if x._data.dtype.kind not in "fc":
            raise RuntimeError(f"linalg.vector_norm: Expected a floating point or complex "
                               f"tensor as input. Got {x._data.dtype}")
        if p == "fro" or p is None:
            p = 2
        if isinstance(p, str):
            raise ValueError(f"norm: p={p!r} is not supported; give 'fro' or a number (the "
                             f"vector norms)")
        axes = None if dim is None else dims_tuple("norm", dim, x._data.ndim)
        if x._data.ndim == 0:
            x, axes = x.reshape(1), None if axes is None else (0,)
            if not keepdim or axes is None:
                keepdim = False
        if p == float("inf"):
            return x.abs().amax(() if axes is None else axes, keepdim)
        if p == float("-inf"):
            return x.abs().amin(() if axes is None else axes, keepdim)
        if p == 0:  # a count: no slope
            count = (x != 0).astype(x._data.dtype).sum(axis=axes, keepdims=builtins.bool(keepdim))
            return count.detach()
        out = reduce.norm(x, ord=float(p), axis=axes, keepdims=builtins.bool(keepdim))
        return out.reshape(()) if self._data.ndim == 0 and out._data.ndim else out
