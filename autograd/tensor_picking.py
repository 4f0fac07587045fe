"""``torch.Tensor``'s methods that pick and sort elements, on ``Tensor``: ``gather``, ``sort``,
``argsort``, ``topk``, ``masked_fill``, ``all``/``any``, ``isnan``/``isinf``/``isfinite``,
``index_select``, ``masked_select``, ``nonzero``, ``scatter``, ``scatter_add``, ``unique``.

Values are picked with the ``gather`` primitive, whose gradient goes to the picked elements
(adding up where one is picked twice), as in PyTorch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from autograd.ops import shape as shape_ops
from autograd.tensor_torch import ValuesIndices, dim_index, dims_tuple, int_array

if TYPE_CHECKING:
    from autograd.tensor import Tensor


class TorchPicking:
    """``torch.Tensor``'s picking and sorting methods, with PyTorch's arguments and results."""

    __slots__ = ()


    def gather(self: Tensor, dim: int, index: Any, *, sparse_grad: bool = False) -> Tensor:
        """``out[i][j] = self[index[i][j]][j]`` for ``dim=0`` (and so on): the elements that
        ``index`` names along ``dim``; the gradient adds up into the picked places.

        Examples:
            >>> import autograd as ag
            >>> x = ag.tensor([[1.0, 2.0], [3.0, 4.0]])
            >>> x.gather(1, ag.tensor([[0, 0], [1, 0]])).tolist()
            [[1.0, 1.0], [4.0, 3.0]]
        """
        if sparse_grad:
            raise ValueError("gather: sparse_grad=True is not supported (gradients are dense "
                             "numpy arrays); leave it False")
        index = int_array("gather", index)
        shape = self._data.shape
        axis = dim_index("gather", dim, len(shape))
        if index.ndim != max(len(shape), 1) and not (index.ndim == 0 and not shape):
            raise RuntimeError(f"gather: index {index.shape} and input {shape} must have the "
                               f"same number of dimensions")
        x = self.reshape(1) if not shape else self
        index = index.reshape(1) if not shape else index
        limits = x._data.shape
        if any(k > n for i, (k, n) in enumerate(zip(index.shape, limits)) if i != axis):
            raise RuntimeError(f"gather: index {index.shape} is larger than the input "
                               f"{shape} outside dimension {dim}")
        if index.size and (index.min() < 0 or index.max() >= limits[axis]):
            raise RuntimeError(f"gather: index out of range: values from {index.min()} to "
                               f"{index.max()} along dimension {dim} of size {limits[axis]}")
        out = shape_ops.gather(x, index=index, axis=axis)
        return out.reshape(()) if not shape else out

    def sort(self: Tensor, dim: int = -1, descending: bool = False, *,
             stable: bool = False) -> ValuesIndices:
        """``(values, indices)`` sorted along ``dim``; NaN counts as the largest, as in PyTorch.

        Ties keep their order (a stable sort), which ``stable=False`` in PyTorch does not
        promise. The gradient goes back to each value's place.
        """
        order = self.argsort(dim, descending, stable=stable)
        x = self.reshape(1) if self._data.ndim == 0 else self
        axis = dim_index("sort", dim, self._data.ndim)
        values = shape_ops.gather(x, index=order._data.reshape(x._data.shape), axis=axis)
        return ValuesIndices(values.reshape(self._data.shape), order)

    def argsort(self: Tensor, dim: int = -1, descending: bool = False, *,
                stable: bool = False) -> Tensor:
        """The indices that sort along ``dim`` (see ``sort``)."""
        data = self._data
        axis = dim_index("argsort", dim, data.ndim)
        flat = data.reshape(1) if data.ndim == 0 else data
        if not descending:
            order = np.argsort(flat, axis=axis, kind="stable")
        elif flat.dtype.kind == "f":  # NaN first, then the largest; ties in their order
            order = np.lexsort((-flat, ~np.isnan(flat)), axis=axis)
        else:
            order = np.lexsort((np.negative(flat.astype(np.float64)),) if flat.dtype.kind == "b"
                               else (-flat.astype(np.int64),), axis=axis)
        return self._wrap(order.reshape(data.shape).astype(np.int64))

    def topk(self: Tensor, k: int, dim: int = -1, largest: bool = True,
             sorted: bool = True) -> ValuesIndices:
        """``(values, indices)`` of the ``k`` largest (or smallest) along ``dim``, in order."""
        axis = dim_index("topk", dim, self._data.ndim)
        n = self._data.shape[axis] if self._data.ndim else 1
        if not 0 <= k <= n:
            raise RuntimeError(f"topk: k ({k}) is out of range for dimension {dim} of size {n}")
        values, indices = self.sort(dim, descending=largest)
        if self._data.ndim == 0:
            return ValuesIndices(values, indices)
        window = (slice(None),) * axis + (slice(0, k),)
        return ValuesIndices(values[window], self._wrap(indices._data[window]))

    def masked_fill(self: Tensor, mask: Any, value: Any) -> Tensor:
        """``value`` where ``mask`` is True, this tensor elsewhere (the gradient passes there).

        Examples:
            >>> import autograd as ag
            >>> x = ag.tensor([1.0, -2.0, 3.0])
            >>> x.masked_fill(x < 0, 0.0).tolist()
            [1.0, 0.0, 3.0]
        """
        from autograd.ops import elementwise as ew

        cond = np.asarray(mask._data if hasattr(mask, "_data") else mask)
        if cond.dtype != np.bool_:
            raise TypeError(f"masked_fill: the mask must be boolean. Received dtype "
                            f"{cond.dtype}")
        if np.broadcast_shapes(cond.shape, self._data.shape) != self._data.shape:
            raise RuntimeError(f"masked_fill: the mask {cond.shape} does not broadcast to the "
                               f"tensor's shape {self.shape}")
        if hasattr(value, "_data") and value._data.ndim:
            raise RuntimeError(f"masked_fill only supports a 0-dimensional value tensor, but "
                               f"got one with {value._data.ndim} dimensions")
        fill = self._lift(value)
        return ew.where(fill if fill.dtype == self.dtype else fill.astype(self.dtype), self,
                        cond=np.broadcast_to(cond, self._data.shape))

    def all(self: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
        """True where every element (over ``dim``, or all) is nonzero: a boolean tensor."""
        axes = None if dim is None else dims_tuple("all", dim, self._data.ndim)
        return self._wrap(np.all(self._data, axis=axes, keepdims=bool(keepdim)))

    def any(self: Tensor, dim: Any = None, keepdim: bool = False) -> Tensor:
        """True where some element (over ``dim``, or all) is nonzero: a boolean tensor."""
        axes = None if dim is None else dims_tuple("any", dim, self._data.ndim)
        return self._wrap(np.any(self._data, axis=axes, keepdims=bool(keepdim)))

    def isnan(self: Tensor) -> Tensor:
        """True where the element is NaN."""
        return self._wrap(np.isnan(self._data))

    def isinf(self: Tensor) -> Tensor:
        """True where the element is ``inf`` or ``-inf``."""
        return self._wrap(np.isinf(self._data))

    def isfinite(self: Tensor) -> Tensor:
        """True where the element is neither infinite nor NaN."""
        return self._wrap(np.isfinite(self._data))

    def index_select(self: Tensor, dim: int, index: Any) -> Tensor:
        """The slices along ``dim`` that ``index`` (a vector of int64 or int32) names, in its
        order, repeats included; their gradients add up where a slice is picked twice.

        Examples:
            >>> import autograd as torch
            >>> x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
            >>> x.index_select(1, torch.tensor([2, 0, 2])).tolist()
            [[3.0, 1.0, 3.0], [6.0, 4.0, 6.0]]
        """
        data = np.asarray(index._data if hasattr(index, "_data") else index)
        if data.dtype not in (np.int64, np.int32):
            raise RuntimeError(f"index_select(): Expected dtype int32 or int64 for index. "
                               f"Received {data.dtype}")
        if data.ndim > 1:
            raise IndexError("index_select(): Index is supposed to be a vector")
        axis = dim_index("index_select", dim, self._data.ndim)
        x = self.reshape(1) if self._data.ndim == 0 else self
        size = x._data.shape[axis]
        picks = data.reshape(-1).astype(np.int64)
        if self._data.ndim == 0 and picks.size != 1:
            raise RuntimeError(f"index_select(): Index to scalar can have only 1 value, got "
                               f"{picks.size} value(s)")
        if picks.size and (picks.min() < 0 or picks.max() >= size):
            raise IndexError(f"index_select(): index out of range in self: values from "
                             f"{picks.min()} to {picks.max()} along dimension {dim} of size "
                             f"{size}")
        out = x[(slice(None),) * axis + (picks,)]
        return out.reshape(()) if self._data.ndim == 0 else out

    def masked_select(self: Tensor, mask: Any) -> Tensor:
        """The elements where ``mask`` (booleans, broadcast with this tensor) is True, as a 1-D
        tensor in row-major order; the gradient goes back to them.

        Examples:
            >>> import autograd as torch
            >>> x = torch.tensor([[1.0, -2.0], [-3.0, 4.0]])
            >>> x.masked_select(x > 0).tolist()
            [1.0, 4.0]
        """
        cond = np.asarray(mask._data if hasattr(mask, "_data") else mask)
        if cond.dtype != np.bool_:
            raise RuntimeError(f"masked_select: expected BoolTensor for mask. Received dtype "
                               f"{cond.dtype}")
        shape = np.broadcast_shapes(self._data.shape, cond.shape)
        x = self if self._data.shape == shape else self.broadcast_to(shape)
        return x[np.broadcast_to(cond, shape)].reshape(-1)

    def nonzero(self: Tensor, *, as_tuple: bool = False) -> Any:
        """The indices of the nonzero elements: an int64 tensor of one row per element
        (``(n, ndim)``), or with ``as_tuple=True`` one int64 vector per dimension (a 0-d tensor
        counts as one of shape (1,) there, as in PyTorch).

        Examples:
            >>> import autograd as torch
            >>> torch.tensor([[0, 3], [5, 0]]).nonzero().tolist()
            [[0, 1], [1, 0]]
        """
        data = self._data
        if as_tuple:
            return tuple(self._wrap(i.astype(np.int64)) for i in np.nonzero(np.atleast_1d(data)))
        return self._wrap(np.argwhere(data).astype(np.int64))

    def scatter(self: Tensor, dim: int, index: Any, src: Any = None, *, value: Any = None,
                reduce: str | None = None) -> Tensor:
        """A copy with ``out[index[i][j]][j] = src[i][j]`` for ``dim=0`` (and so on): the
        elements of ``src`` (a tensor of this dtype, or a number) written where ``index``
        names, along ``dim``; the inverse of ``gather``. Where an index repeats, which value
        stays is not promised (as in PyTorch). Gradients as PyTorch's: none to the overwritten
        elements, and each element of ``src`` gets the gradient of the place it went to.

        Examples:
            >>> import autograd as torch
            >>> torch.zeros(2, 3).scatter(1, torch.tensor([[2], [0]]), 5.0).tolist()
            [[0.0, 0.0, 5.0], [5.0, 0.0, 0.0]]
        """
        if reduce is not None:
            raise ValueError(f"scatter: reduce={reduce!r} is not supported (deprecated in "
                             f"torch); use scatter_add for 'add'")
        if src is None:
            src = value
        x, index, axis = self._scattered_into("scatter", dim, index)
        if hasattr(src, "_data"):
            source = self._checked_source("scatter", src, index)
        else:
            source = self._constant(np.full(index.shape, src, dtype=self._data.dtype))
        out = shape_ops.scatter(x, source, index=index, axis=axis)
        return out.reshape(()) if self._data.ndim == 0 else out

    def scatter_add(self: Tensor, dim: int, index: Any, src: Any) -> Tensor:
        """A copy with ``src[i][j]`` added to ``out[index[i][j]][j]`` for ``dim=0`` (and so on),
        repeats adding up; the gradient passes to this tensor whole and to ``src`` gathered.

        Examples:
            >>> import autograd as torch
            >>> torch.zeros(3).scatter_add(0, torch.tensor([0, 2, 0]), torch.ones(3)).tolist()
            [2.0, 0.0, 1.0]
        """
        x, index, axis = self._scattered_into("scatter_add", dim, index)
        source = self._checked_source("scatter_add", src, index)
        out = x + shape_ops.scatter_along(source, index=index, axis=axis, shape=x._data.shape)
        return out.reshape(()) if self._data.ndim == 0 else out

    def unique(self: Tensor, sorted: bool = True, return_inverse: bool = False,
               return_counts: bool = False, dim: int | None = None) -> Any:
        """The distinct elements in ascending order (or the distinct slices along ``dim``);
        with ``return_inverse``, also where each element went (int64, of this shape), with
        ``return_counts`` how often each occurs. NaNs stay apart, as in PyTorch, and the result
        is always sorted (as torch's on the CPU); it has no gradient.

        Examples:
            >>> import autograd as torch
            >>> torch.tensor([3, 1, 3, 2]).unique(return_counts=True)
            (tensor([1, 2, 3], dtype=int64), tensor([1, 1, 2], dtype=int64))
        """
        data = self._data
        if dim is None:
            values, inverse, counts = np.unique(data.reshape(-1), return_inverse=True,
                                                return_counts=True, equal_nan=False)
            inverse = inverse.reshape(data.shape)
        else:
            axis = dim_index("unique", dim, data.ndim)
            values, inverse, counts = np.unique(data.reshape(1) if data.ndim == 0 else data,
                                                axis=axis, return_inverse=True,
                                                return_counts=True, equal_nan=False)
            inverse = inverse.reshape(-1)
        found = self._wrap(values)
        extras = [self._wrap(inverse.astype(np.int64))] if return_inverse else []
        extras += [self._wrap(counts.astype(np.int64))] if return_counts else []
        return (found, *extras) if extras else found

    def _scattered_into(self: Tensor, who: str, dim: Any, index: Any
                        ) -> tuple[Tensor, np.ndarray, int]:
        """This tensor (1-D if 0-d), the checked index and the axis, for scatter and its kin."""
        index = int_array(who, index)
        shape = self._data.shape
        axis = dim_index(who, dim, len(shape))
        if index.ndim != max(len(shape), 1) and not (index.ndim == 0 and not shape):
            raise RuntimeError(f"{who}: Index tensor must have the same number of dimensions as "
                               f"self tensor (index {index.shape}, self {shape})")
        x = self.reshape(1) if not shape else self
        index = index.reshape(1) if not shape else index
        limits = x._data.shape
        if any(k > n for i, (k, n) in enumerate(zip(index.shape, limits)) if i != axis):
            raise RuntimeError(f"{who}: index {index.shape} is larger than self {shape} outside "
                               f"dimension {dim}")
        if index.size and (index.min() < 0 or index.max() >= limits[axis]):
            bad = index.max() if index.max() >= limits[axis] else index.min()
            raise RuntimeError(f"{who}: index {bad} is out of bounds for dimension {dim} with "
                               f"size {limits[axis]}")
        return x, index, axis

    def _checked_source(self: Tensor, who: str, src: Any, index: np.ndarray) -> Tensor:
        """``src``'s part that ``index`` covers: a tensor of this dtype, at least as large."""
        if not hasattr(src, "_data"):
            raise TypeError(f"{who}: src must be a tensor. Received: {type(src).__name__}")
        if src._data.dtype != self._data.dtype:
            raise RuntimeError(f"{who}(): Expected self.dtype to be equal to src.dtype "
                               f"({self._data.dtype} and {src._data.dtype})")
        source: Tensor = src.reshape(1) if src._data.ndim == 0 else src
        if source._data.ndim != index.ndim or any(
                k > n for k, n in zip(index.shape, source._data.shape)):
            raise RuntimeError(f"{who}: index {index.shape} is larger than src "
                               f"{tuple(src.shape)}")
        if source._data.shape == index.shape:
            return source
        return source[tuple(slice(0, k) for k in index.shape)]
