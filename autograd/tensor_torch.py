"""``torch.Tensor``'s methods whose meaning numpy does not share, on ``Tensor``.

``size(dim)`` is a method, ``max(dim)`` gives ``(values, indices)``, ``std``/``var`` are
unbiased, ``transpose(dim0, dim1)`` swaps two axes, ``repeat`` tiles, ``flatten`` takes
``start_dim``/``end_dim``, ``squeeze(dim)`` leaves a dimension that is not 1 alone, ``T``
reverses the axes (deprecated by PyTorch beyond 2-D, with its warning). numpy's meanings stay
reachable with numpy functions on ``t.numpy()``. Values come from the op table's primitives, so
gradients come with them: ``max(dim)`` and ``sort`` pick with ``gather``, whose gradient goes to
the picked element only, as in PyTorch.
"""

from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from autograd.ops import reduce
from autograd.ops import shape as shape_ops
from autograd.tensor_aliases import torch_axis

if TYPE_CHECKING:
    from autograd.tensor import Tensor


class ValuesIndices(NamedTuple):
    """What ``max(dim)``, ``min(dim)``, ``sort`` and ``topk`` return, as PyTorch's
    ``torch.return_types``: a pair that also reads as ``.values`` and ``.indices``."""

    values: Any
    indices: Any


def dim_index(who: str, dim: Any, ndim: int) -> int:
    """``dim`` as an axis in ``[0, ndim)``; a 0-d tensor takes 0 and -1, as in PyTorch."""
    if isinstance(dim, (bool, np.bool_)) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{who}: dim must be an int. Received: {dim!r}")
    top = max(ndim, 1)
    if not -top <= dim < top:
        raise IndexError(f"{who}: Dimension out of range (expected to be in range of "
                         f"[{-top}, {top - 1}], but got {dim})")
    return int(dim) % top


def dims_tuple(who: str, dim: Any, ndim: int) -> tuple[int, ...]:
    """One dim or a sequence of dims, each normalized by ``dim_index``; repeats refused."""
    given = [dim] if isinstance(dim, (int, np.integer)) else list(dim)
    dims = tuple(dim_index(who, d, ndim) for d in given)
    if len(set(dims)) != len(dims):
        raise RuntimeError(f"{who}: dim {dim!r} names a dimension twice")
    return dims


def int_array(who: str, index: Any) -> np.ndarray:
    """An index tensor or array of integers as an int64 array, or a TypeError naming ``who``."""
    data = np.asarray(index._data if hasattr(index, "_data") else index)
    if data.dtype.kind not in "iu":
        raise TypeError(f"{who}: the index must hold integers (int64, as torch.long). "
                        f"Received dtype {data.dtype}")
    return data.astype(np.int64, copy=False)


# The names ``Tensor.type()`` gives, as torch's CPU tensors do.
_TYPE_NAMES = {"float32": "torch.FloatTensor", "float64": "torch.DoubleTensor",
               "float16": "torch.HalfTensor", "int64": "torch.LongTensor",
               "int32": "torch.IntTensor", "int16": "torch.ShortTensor",
               "int8": "torch.CharTensor", "uint8": "torch.ByteTensor", "bool": "torch.BoolTensor"}


class GradFn:
    """What ``grad_fn`` shows of the operation that made a tensor: its name and its record.

    PyTorch's ``grad_fn`` is a C++ node (``<MulBackward0>``); this one names the op the same
    way (``MulBackward0``) and holds the op's record (``record``: op, inputs, parameters).
    """

    __slots__ = ("record",)

    def __init__(self, record: Any) -> None:
        self.record = record

    def name(self) -> str:
        """``MulBackward0``: the op's name in PyTorch's form."""
        return "".join(part.title() for part in self.record.op.name.split("_")) + "Backward0"

    def __repr__(self) -> str:
        return f"<{self.name()}>"


class TorchMethods:
    """``torch.Tensor``'s methods, with PyTorch's arguments, defaults and results."""

    __slots__ = ()

    # --- sizes ---

    def size(self, dim: int | None = None) -> Any:
        """The shape as a tuple, or the length of dimension ``dim`` (PyTorch's method).

        Example:
            >>> import autograd as ag
            >>> x = ag.zeros(2, 3)
            >>> x.size(), x.size(0), x.size(-1)
            ((2, 3), 2, 3)
        """
        if dim is None:
            return self._data.shape
        if self._data.ndim == 0:
            raise IndexError(f"size: dimension specified as {dim} but the tensor has no "
                             f"dimensions")
        return self._data.shape[dim_index("size", dim, self._data.ndim)]

    def numel(self) -> int:
        """The number of elements.

        Example:
            >>> import autograd as ag
            >>> ag.zeros(2, 3).numel()
            6
        """
        return int(self._data.size)

    def nelement(self) -> int:
        """The number of elements: ``numel()``."""
        return int(self._data.size)

    # --- reductions with PyTorch's results ---

    def _extreme(self, who: str, pick: Any, whole: Any, dim: Any, keepdim: bool) -> Any:
        if dim is None:  # the overall extreme; tied extremes share the gradient equally
            return whole(self, axis=None, keepdims=False)
        if hasattr(dim, "_data"):  # max(other): the elementwise maximum
            return self.maximum(dim) if who == "max" else self.minimum(dim)
        x = self.reshape(1) if self._data.ndim == 0 else self
        axis = dim_index(who, dim, self._data.ndim)
        if x._data.shape[axis] == 0:
            raise IndexError(f"{who}: cannot take the {who} over dimension {dim}, which has "
                             f"size 0 (shape {self.shape})")
        indices = pick(x._data, axis=axis, keepdims=True)
        values = shape_ops.gather(x, index=indices, axis=axis)  # the gradient: to that one
        if self._data.ndim == 0:
            return ValuesIndices(values.reshape(()), self._wrap(indices.reshape(())))
        if not keepdim:
            values, indices = values.squeeze(axis), np.squeeze(indices, axis)
        return ValuesIndices(values, self._wrap(indices))

    def max(self, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
            keepdims: bool | None = None) -> Any:
        """The largest element; with ``dim``, ``(values, indices)`` along it (PyTorch's).

        Without ``dim`` the gradient is shared equally among tied maxima; with ``dim`` it goes to
        the element ``indices`` names (the first maximum), as in PyTorch. ``max(other)`` is the
        elementwise maximum. ``axis``/``keepdims`` are PyTorch's aliases of ``dim``/``keepdim``.

        Example:
            >>> import autograd as ag
            >>> outputs = ag.tensor([[0.1, 0.9], [0.8, 0.2]])
            >>> _, predicted = outputs.max(1)
            >>> predicted.tolist(), round(outputs.max().item(), 4)
            ([1, 0], 0.9)
        """
        if axis is not None or keepdims is not None:
            dim, keepdim = torch_axis("max", dim, axis, keepdim, keepdims)
        return self._extreme("max", np.argmax, reduce.max, dim, keepdim)

    def min(self, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
            keepdims: bool | None = None) -> Any:
        """The smallest element; with ``dim``, ``(values, indices)`` along it: see ``max``."""
        if axis is not None or keepdims is not None:
            dim, keepdim = torch_axis("min", dim, axis, keepdim, keepdims)
        return self._extreme("min", np.argmin, reduce.min, dim, keepdim)

    def amax(self, dim: Any = (), keepdim: bool = False) -> Tensor:
        """The maximum over ``dim`` (an int, a tuple; ``()`` or None: all dimensions).

        Tied maxima share the gradient equally, as in PyTorch.

        Example:
            >>> import autograd as ag
            >>> ag.tensor([[1.0, 5.0], [3.0, 2.0]]).amax(1).tolist()
            [5.0, 3.0]
        """
        axes = None if dim is None or dim == () else dims_tuple("amax", dim, self._data.ndim)
        return reduce.max(self, axis=axes, keepdims=bool(keepdim))

    def amin(self, dim: Any = (), keepdim: bool = False) -> Tensor:
        """The minimum over ``dim``: see ``amax``."""
        axes = None if dim is None or dim == () else dims_tuple("amin", dim, self._data.ndim)
        return reduce.min(self, axis=axes, keepdims=bool(keepdim))

    def argmax(self, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
               keepdims: bool | None = None) -> Tensor:
        """The index of the largest element (of the flattened tensor, or along ``dim``)."""
        if axis is not None or keepdims is not None:
            dim, keepdim = torch_axis("argmax", dim, axis, keepdim, keepdims)
        return self._arg("argmax", np.argmax, dim, keepdim)

    def argmin(self, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
               keepdims: bool | None = None) -> Tensor:
        """The index of the smallest element (of the flattened tensor, or along ``dim``)."""
        if axis is not None or keepdims is not None:
            dim, keepdim = torch_axis("argmin", dim, axis, keepdim, keepdims)
        return self._arg("argmin", np.argmin, dim, keepdim)

    def _arg(self, who: str, pick: Any, dim: Any, keepdim: bool) -> Tensor:
        data = self._data
        if dim is None:
            found = pick(data)
            return self._wrap(np.full((1,) * data.ndim, found) if keepdim else found)
        axis = dim_index(who, dim, data.ndim)
        found = pick(data.reshape(1) if data.ndim == 0 else data, axis=axis, keepdims=keepdim)
        return self._wrap(found.reshape(()) if data.ndim == 0 else found)

    def var(self, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
            correction: float | None = None, axis: Any = None,
            keepdims: bool | None = None) -> Tensor:
        """The variance over ``dim``, divided by ``n - correction`` (PyTorch: 1, unbiased).

        ``unbiased=False`` is ``correction=0`` (divide by n), as in PyTorch; a bool as the first
        argument is ``unbiased``. With ``n - correction <= 0`` the result is inf or nan, as there.

        Example:
            >>> import autograd as ag
            >>> x = ag.tensor([1.0, 2.0, 3.0, 4.0])
            >>> x.var().item(), x.var(correction=0).item(), x.std(unbiased=False).item()
            (1.6666666269302368, 1.25, 1.1180340051651)
        """
        if isinstance(dim, bool):  # var(unbiased)
            dim, unbiased = None, dim if unbiased is None else unbiased
        if axis is not None or keepdims is not None:
            dim, keepdim = torch_axis("var", dim, axis, keepdim, keepdims)
        if unbiased is not None and correction is not None:
            raise TypeError(f"var: give unbiased= or correction=, not both. Received: "
                            f"unbiased={unbiased!r}, correction={correction!r}")
        if correction is None:
            correction = 0 if unbiased is False else 1
        axes = None if dim is None else dims_tuple("var", dim, self._data.ndim)
        centered = self - self.mean(axis=axes, keepdims=True)
        squares = (centered * centered).sum(axis=axes, keepdims=keepdim)
        count = max(reduce.reduced_count(self._data.shape, axes) - correction, 0)
        with np.errstate(divide="ignore", invalid="ignore"):  # PyTorch's inf or nan
            return squares / count

    def std(self, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
            correction: float | None = None, axis: Any = None,
            keepdims: bool | None = None) -> Tensor:
        """The standard deviation: the square root of ``var`` (unbiased, as in PyTorch)."""
        if axis is not None or keepdims is not None:
            dim, keepdim = torch_axis("std", dim, axis, keepdim, keepdims)
        return self.var(dim, unbiased, keepdim, correction=correction).sqrt()

    # --- shapes ---

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        """Swap dimensions ``dim0`` and ``dim1`` (PyTorch's; ``permute`` orders them all).

        Example:
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

    def swapaxes(self, axis0: int, axis1: int) -> Tensor:
        """Swap two dimensions: ``transpose(axis0, axis1)``."""
        return self.transpose(axis0, axis1)

    def swapdims(self, dim0: int, dim1: int) -> Tensor:
        """Swap two dimensions: ``transpose(dim0, dim1)``."""
        return self.transpose(dim0, dim1)

    def t(self) -> Tensor:
        """The transpose of a matrix; a tensor of 0 or 1 dimension as it is (PyTorch's ``t``)."""
        if self._data.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but this one has "
                               f"{self._data.ndim} (shape {self.shape}); use transpose(dim0, "
                               f"dim1), permute or mT")
        return self.transpose(0, 1) if self._data.ndim == 2 else self

    @property
    def T(self) -> Tensor:
        """The dimensions reversed; PyTorch deprecates it beyond 2-D, and warns as it does."""
        n = self._data.ndim
        if n not in (0, 2):
            warnings.warn("The use of `x.T` on tensors of dimension other than 2 to reverse "
                          "their shape is deprecated and it will throw an error in a future "
                          "release. Consider `x.mT` to transpose batches of matrices or "
                          "`x.permute(*torch.arange(x.ndim - 1, -1, -1))` to reverse the "
                          "dimensions of a tensor.", UserWarning, stacklevel=2)
        return shape_ops.transpose(self, axes=tuple(range(n))[::-1])

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """Dimensions ``start_dim`` to ``end_dim`` (included) merged into one.

        Example:
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

    def view_as(self, other: Any) -> Tensor:
        """This tensor in ``other``'s shape."""
        return self.reshape(other.shape)

    def reshape_as(self, other: Any) -> Tensor:
        """This tensor in ``other``'s shape."""
        return self.reshape(other.shape)

    def squeeze(self, dim: Any = None, *, axis: Any = None) -> Tensor:
        """Remove dimensions of size 1: all, or those of ``dim`` (an int or a tuple) that have
        size 1; a named dimension of another size stays, as in PyTorch."""
        if axis is not None:
            dim = torch_axis("squeeze", dim, axis)[0]
        shape = self._data.shape
        if dim is None:
            return self.reshape(tuple([n for n in shape if n != 1]))
        dims = dims_tuple("squeeze", dim, len(shape)) if shape else ()
        return self.reshape(tuple([n for i, n in enumerate(shape) if n != 1 or i not in dims]))

    def unsqueeze(self, dim: Any = None, *, axis: Any = None) -> Tensor:
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

    def expand(self, *sizes: Any) -> Tensor:
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

    def expand_as(self, other: Any) -> Tensor:
        """``expand(other.shape)``."""
        return self.expand(other.shape)

    def repeat(self, *sizes: Any) -> Tensor:
        """The tensor tiled ``sizes[i]`` times along each dimension (PyTorch's, numpy's
        ``tile``); more sizes than dimensions add leading ones.

        Example:
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

    def repeat_interleave(self, repeats: Any, dim: int | None = None, *,
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

    def chunk(self, chunks: int, dim: int = 0) -> tuple:
        """At most ``chunks`` pieces along ``dim``, each ``ceil(n / chunks)`` long but the last
        (PyTorch's: fewer pieces when they run out)."""
        if chunks <= 0:
            raise RuntimeError(f"chunk: chunks must be greater than 0. Received: {chunks}")
        n = self._data.shape[dim_index("chunk", dim, self._data.ndim)]
        return self.split(max(-(-n // chunks), 1), dim)

    def split(self, split_size: Any, dim: int = 0) -> tuple:
        """Pieces along ``dim``: of ``split_size`` each (the last may be shorter), or of the
        sizes listed in ``split_size`` (which must add up to the dimension's length), as in
        PyTorch.

        Example:
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

    # --- picking, sorting ---

    def gather(self, dim: int, index: Any, *, sparse_grad: bool = False) -> Tensor:
        """``out[i][j] = self[index[i][j]][j]`` for ``dim=0`` (and so on): the elements that
        ``index`` names along ``dim``; the gradient adds up into the picked places.

        Example:
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

    def sort(self, dim: int = -1, descending: bool = False, *, stable: bool = False) -> Any:
        """``(values, indices)`` sorted along ``dim``; NaN counts as the largest, as in PyTorch.

        Ties keep their order (a stable sort), which ``stable=False`` in PyTorch does not
        promise. The gradient goes back to each value's place.
        """
        order = self.argsort(dim, descending, stable=stable)
        x = self.reshape(1) if self._data.ndim == 0 else self
        axis = dim_index("sort", dim, self._data.ndim)
        values = shape_ops.gather(x, index=order._data.reshape(x._data.shape), axis=axis)
        return ValuesIndices(values.reshape(self._data.shape), order)

    def argsort(self, dim: int = -1, descending: bool = False, *, stable: bool = False) -> Tensor:
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

    def topk(self, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> Any:
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

    def masked_fill(self, mask: Any, value: Any) -> Tensor:
        """``value`` where ``mask`` is True, this tensor elsewhere (the gradient passes there).

        Example:
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

    def all(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        """True where every element (over ``dim``, or all) is nonzero: a boolean tensor."""
        axes = None if dim is None else dims_tuple("all", dim, self._data.ndim)
        return self._wrap(np.all(self._data, axis=axes, keepdims=bool(keepdim)))

    def any(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        """True where some element (over ``dim``, or all) is nonzero: a boolean tensor."""
        axes = None if dim is None else dims_tuple("any", dim, self._data.ndim)
        return self._wrap(np.any(self._data, axis=axes, keepdims=bool(keepdim)))

    def isnan(self) -> Tensor:
        """True where the element is NaN."""
        return self._wrap(np.isnan(self._data))

    # --- values, types, records ---

    def clone(self) -> Tensor:
        """A copy, in the graph (the gradient passes through unchanged)."""
        return shape_ops.clone(self)

    def pow(self, exponent: Any) -> Tensor:
        """``self ** exponent``."""
        return self ** exponent

    def eq(self, other: Any) -> Tensor:
        """``self == other``, elementwise: a boolean tensor."""
        return self == other

    def ne(self, other: Any) -> Tensor:
        """``self != other``, elementwise."""
        return self != other

    def lt(self, other: Any) -> Tensor:
        """``self < other``, elementwise."""
        return self < other

    def le(self, other: Any) -> Tensor:
        """``self <= other``, elementwise."""
        return self <= other

    def gt(self, other: Any) -> Tensor:
        """``self > other``, elementwise."""
        return self > other

    def ge(self, other: Any) -> Tensor:
        """``self >= other``, elementwise."""
        return self >= other

    def type(self, dtype: Any = None, non_blocking: bool = False) -> Any:
        """Without ``dtype``, the type's name as PyTorch gives it (``'torch.FloatTensor'``);
        with one (a dtype, or such a name), the tensor converted to it."""
        if dtype is None:
            return _TYPE_NAMES.get(self.dtype.name, f"numpy.{self.dtype.name}")
        names = {v: k for k, v in _TYPE_NAMES.items()}
        return self.to(names.get(dtype, dtype) if isinstance(dtype, str) else dtype)

    @property
    def grad_fn(self) -> GradFn | None:
        """The operation that made this tensor (a ``GradFn``), or None for a leaf."""
        record = self.record
        return None if record is None else GradFn(record)

    def __index__(self) -> int:
        if self._data.dtype.kind not in "iu" or self._data.size != 1:
            raise TypeError(f"only integer tensors of a single element can be converted to an "
                            f"index. Received: {self._describe()}")
        return int(self._data.item())
