"""``torch.Tensor``'s shape methods, on ``Tensor``: ``transpose(dim0, dim1)`` swaps two
dimensions, ``T`` reverses them (deprecated by PyTorch beyond 2-D, with its warning), ``flatten``
takes ``start_dim``/``end_dim``, ``squeeze(dim)`` leaves a dimension that is not 1 alone, ``repeat``
tiles, ``split`` and ``chunk`` cut as PyTorch does. All are made of the op table's primitives
(reshape, transpose, broadcast, indexing), so their gradients come with them.
"""

from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

from autograd.ops import shape as shape_ops
from autograd.tensor_aliases import torch_axis
from autograd.tensor_torch import dim_index, dims_tuple, int_array

if TYPE_CHECKING:
    from autograd.tensor import Tensor


class TorchShapes:
    """``torch.Tensor``'s shape methods, with PyTorch's arguments and results."""

    __slots__ = ()


    def transpose(self: Tensor, dim0: int, dim1: int) -> Tensor:
        """Swap dimensions ``dim0`` and ``dim1`` (PyTorch's; ``permute`` orders them all).

        Examples:
            >>> import autograd as ag
            >>> ag.zeros(2, 3, 4).transpose(0, 2).shape
            (4, 3, 2)
        """
        n = self._data.ndim
        a, b = dim_index("transpose", dim0, n), dim_index("transpose", dim1, n)
        if n < 2:
            return self
        axes = list(range(n))
        axes[a], axes[b] = axes[b], axes[a]
        return shape_ops.transpose(self, axes=tuple(axes))

    def swapaxes(self: Tensor, axis0: int, axis1: int) -> Tensor:
        """Swap two dimensions: ``transpose(axis0, axis1)``."""
        return self.transpose(axis0, axis1)

    def swapdims(self: Tensor, dim0: int, dim1: int) -> Tensor:
        """Swap two dimensions: ``transpose(dim0, dim1)``."""
        return self.transpose(dim0, dim1)

    def t(self: Tensor) -> Tensor:
        """The transpose of a matrix; a tensor of 0 or 1 dimension as it is (PyTorch's ``t``)."""
        if self._data.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but this one has "
                               f"{self._data.ndim} (shape {self.shape}); use transpose(dim0, "
                               f"dim1), permute or mT")
        return self.transpose(0, 1) if self._data.ndim == 2 else self

    @property
    def T(self: Tensor) -> Tensor:
        """The dimensions reversed; PyTorch deprecates it beyond 2-D, and warns as it does."""
        n = self._data.ndim
        if n == 0:
            warnings.warn("Tensor.T is deprecated on 0-D tensors. This function is the identity "
                          "in these cases.", UserWarning, stacklevel=2)
        elif n != 2:
            warnings.warn("The use of `x.T` on tensors of dimension other than 2 to reverse "
                          "their shape is deprecated and it will throw an error in a future "
                          "release. Consider `x.mT` to transpose batches of matrices or "
                          "`x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the "
                          "dimensions of a tensor.", UserWarning, stacklevel=2)
        return shape_ops.transpose(self, axes=tuple(range(n))[::-1])

    def flatten(self: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """Dimensions ``start_dim`` to ``end_dim`` (included) merged into one.

        Examples:
            >>> import autograd as ag
            >>> ag.zeros(2, 3, 4).flatten(1).shape, ag.zeros(2, 3, 4).flatten().shape
            ((2, 12), (24,))
        """
        shape = self._data.shape
        if not shape:
            return self.reshape(1)
        a = dim_index("flatten", start_dim, len(shape))
        b = dim_index("flatten", end_dim, len(shape))
        if a > b:
            raise RuntimeError(f"flatten: start_dim ({start_dim}) cannot come after end_dim "
                               f"({end_dim}) for a tensor of shape {shape}")
        return self.reshape(shape[:a] + (math.prod(shape[a:b + 1]),) + shape[b + 1:])

    def view_as(self: Tensor, other: Any) -> Tensor:
        """This tensor in ``other``'s shape."""
        return self.reshape(other.shape)

    def reshape_as(self: Tensor, other: Any) -> Tensor:
        """This tensor in ``other``'s shape."""
        return self.reshape(other.shape)

    def squeeze(self: Tensor, dim: Any = None, *, axis: Any = None) -> Tensor:
        """Remove dimensions of size 1: all, or those of ``dim`` (an int or a tuple) that have
        size 1; a named dimension of another size stays, as in PyTorch."""
        if axis is not None:
            dim = torch_axis("squeeze", dim, axis)[0]
        shape = self._data.shape
        if dim is None:
            return self.reshape(tuple([n for n in shape if n != 1]))
        dims = dims_tuple("squeeze", dim, len(shape)) if shape else ()
        return self.reshape(tuple([n for i, n in enumerate(shape) if n != 1 or i not in dims]))

    def unsqueeze(self: Tensor, dim: Any = None, *, axis: Any = None) -> Tensor:
        """A dimension of size 1 inserted at ``dim`` (a position in the result)."""
        if axis is not None:
            dim = torch_axis("unsqueeze", dim, axis)[0]
        if dim is None:
            raise TypeError(f"unsqueeze: give the position of the new dimension, dim=; "
                            f"shape {self.shape}")
        shape = self._data.shape
        dims = sorted(dims_tuple("unsqueeze", dim, len(shape) + (
            1 if isinstance(dim, (int, np.integer)) else len(dim))))
        out, rest = [], iter(shape)
        for i in range(len(shape) + len(dims)):
            out.append(1 if i in dims else next(rest))
        return self.reshape(tuple(out))

    def expand(self: Tensor, *sizes: Any) -> Tensor:
        """Repeat along dimensions of size 1 (and new leading ones) to ``sizes``; -1 keeps a
        size (PyTorch's; the result is a broadcast view)."""
        sizes = tuple(sizes[0]) if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)) \
            else sizes
        shape = self._data.shape
        extra = len(sizes) - len(shape)
        if extra < 0:
            raise RuntimeError(f"expand: the number of sizes provided ({len(sizes)}) must be "
                               f"greater or equal to the number of dimensions in the tensor "
                               f"({len(shape)})")
        target = []
        for i, n in enumerate(sizes):
            if n == -1:
                if i < extra:
                    raise RuntimeError(f"expand: -1 is not allowed in a leading, non-existing "
                                       f"dimension {i} (sizes {sizes})")
                n = shape[i - extra]
            target.append(int(n))
        return self.broadcast_to(tuple(target))

    def expand_as(self: Tensor, other: Any) -> Tensor:
        """``expand(other.shape)``."""
        return self.expand(other.shape)

    def repeat(self: Tensor, *sizes: Any) -> Tensor:
        """The tensor tiled ``sizes[i]`` times along each dimension (PyTorch's, numpy's
        ``tile``); more sizes than dimensions add leading ones.

        Examples:
            >>> import autograd as ag
            >>> ag.tensor([1.0, 2.0]).repeat(2).tolist(), ag.tensor([1.0, 2.0]).repeat(2, 1).shape
            ([1.0, 2.0, 1.0, 2.0], (2, 2))
        """
        sizes = tuple(sizes[0]) if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)) \
            else sizes
        shape = self._data.shape
        if len(sizes) < len(shape):
            raise RuntimeError(f"repeat: the number of repeat dims ({len(sizes)}) can not be "
                               f"smaller than the number of dimensions of the tensor "
                               f"({len(shape)}, shape {shape})")
        if any(int(r) < 0 for r in sizes):
            raise RuntimeError(f"repeat: repeats cannot be negative. Received: {sizes}")
        shape = (1,) * (len(sizes) - len(shape)) + shape
        spread = tuple(n for s in shape for n in (1, s))
        tiled = tuple(n for r, s in zip(sizes, shape) for n in (int(r), s))
        out = tuple(int(r) * s for r, s in zip(sizes, shape))
        return self.reshape(spread).broadcast_to(tiled).reshape(out)

    def repeat_interleave(self: Tensor, repeats: Any, dim: int | None = None, *,
                          output_size: int | None = None) -> Tensor:
        """Each element repeated ``repeats`` times (an int, or one count per element) along
        ``dim``; without ``dim``, of the flattened tensor (PyTorch's, numpy's ``repeat``)."""
        x = self.flatten() if dim is None else self
        axis = 0 if dim is None else dim_index("repeat_interleave", dim, self._data.ndim)
        counts = int_array("repeat_interleave", repeats) if not isinstance(repeats, int) \
            else np.int64(repeats)
        if (counts < 0).any():
            raise RuntimeError(f"repeat_interleave: repeats cannot be negative. Received: "
                               f"{counts.tolist()}")
        picks = np.repeat(np.arange(x._data.shape[axis] if x._data.ndim else 1), counts)
        if output_size is not None and output_size != len(picks):
            raise RuntimeError(f"repeat_interleave: output_size={output_size}, but the "
                               f"repeats give {len(picks)} elements")
        return x[(slice(None),) * axis + (picks,)]

    def chunk(self: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
        """At most ``chunks`` pieces along ``dim``, each ``ceil(n / chunks)`` long but the last
        (PyTorch's: fewer pieces when they run out)."""
        if chunks <= 0:
            raise RuntimeError(f"chunk: chunks must be greater than 0. Received: {chunks}")
        n = self._data.shape[dim_index("chunk", dim, self._data.ndim)]
        return self.split(max(-(-n // chunks), 1), dim)

    def split(self: Tensor, split_size: Any, dim: int = 0) -> tuple[Tensor, ...]:
        """Pieces along ``dim``: of ``split_size`` each (the last may be shorter), or of the
        sizes listed in ``split_size`` (which must add up to the dimension's length), as in
        PyTorch.

        Examples:
            >>> import autograd as ag
            >>> [p.shape for p in ag.zeros(5, 2).split(2)]
            [(2, 2), (2, 2), (1, 2)]
            >>> [p.shape for p in ag.zeros(5).split([1, 4])]
            [(1,), (4,)]
        """
        axis = dim_index("split", dim, self._data.ndim)
        n = self._data.shape[axis]
        if isinstance(split_size, (int, np.integer)):
            size = int(split_size)
            if size <= 0 and n:
                raise RuntimeError(f"split: split_size must be positive. Received: {size}")
            sizes = [min(size, n - start) for start in range(0, n, size)] if n else [0]
        else:
            sizes = [int(s) for s in split_size]
            if sum(sizes) != n or any(s < 0 for s in sizes):
                raise RuntimeError(f"split: split_sizes must add up exactly to {n} (the size "
                                   f"of dimension {dim}), but got split_sizes={sizes}")
        pieces, start = [], 0
        for size in sizes:
            pieces.append(self[(slice(None),) * axis + (slice(start, start + size),)])
            start += size
        return tuple(pieces)

    def tril(self: Tensor, diagonal: int = 0) -> Tensor:
        """The lower triangle of the last two dimensions: elements above diagonal ``diagonal``
        (0 the main one, > 0 above it, < 0 below) set to 0; the gradient passes below.

        Examples:
            >>> import autograd as torch
            >>> torch.ones(2, 3).tril().tolist()
            [[1.0, 0.0, 0.0], [1.0, 1.0, 0.0]]
        """
        return self._triangle("tril", diagonal, lower=True)

    def triu(self: Tensor, diagonal: int = 0) -> Tensor:
        """The upper triangle of the last two dimensions: elements below diagonal ``diagonal``
        set to 0 (see ``tril``)."""
        return self._triangle("triu", diagonal, lower=False)

    def _triangle(self: Tensor, who: str, diagonal: Any, lower: bool) -> Tensor:
        from autograd.ops import elementwise as ew

        if isinstance(diagonal, bool) or not isinstance(diagonal, (int, np.integer)):
            raise TypeError(f"{who}: diagonal must be an int. Received: {diagonal!r}")
        if self._data.ndim < 2:
            raise RuntimeError(f"{who}: input tensor must have at least 2 dimensions")
        rows, columns = self._data.shape[-2:]
        lower_part = np.tri(rows, columns, int(diagonal) - (0 if lower else 1), dtype=bool)
        keep = lower_part if lower else np.logical_not(lower_part)
        # where, not a product with the mask: a NaN or inf outside the triangle becomes 0 too
        return ew.where(self, self._constant(np.zeros((), self._data.dtype)), cond=keep)
