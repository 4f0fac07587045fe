"""``torch.Tensor``'s arithmetic under method names, on ``Tensor``: ``add``, ``sub``, ``mul``,
``div``, ``neg``, ``square``, ``mm``, ``bmm``, ``flip``, ``unbind``, ``contiguous`` and the
conversions ``long()``, ``int()``, ``bool()``, ``half()``.

Each is the operator or primitive it names, so values and gradients are theirs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from autograd.ops import elementwise as ew
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
