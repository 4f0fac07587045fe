"""``torch.Tensor``'s arithmetic under method names, on ``Tensor``: ``add``, ``sub``, ``mul``,
``div``, ``neg``, ``square``, ``mm``, ``bmm``, ``flip``, ``unbind``, ``contiguous`` and the
conversions ``long()``, ``int()``, ``bool()``, ``half()``.

Each is the operator or primitive it names, so values and gradients are theirs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

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
        """``self / other`` (true division; ``rounding_mode`` is not supported)."""
        if rounding_mode is not None:
            raise ValueError(f"div: rounding_mode={rounding_mode!r} is not supported; leave "
                             f"it None (true division)")
        return self / other

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
