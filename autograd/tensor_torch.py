"""``torch.Tensor``'s methods whose meaning numpy does not share, on ``Tensor``: sizes,
reductions, comparisons, types and records (shapes: ``tensor_shapes``; picking and sorting:
``tensor_picking``), and the helpers the three share.

``size(dim)`` is a method, ``max(dim)`` gives ``(values, indices)``, ``std``/``var`` are
unbiased. numpy's meanings stay reachable with numpy functions on ``t.numpy()``. Values come from
the op table's primitives, so gradients come with them: ``max(dim)`` picks with ``gather``, whose
gradient goes to the picked element only, as in PyTorch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from autograd import grad_hooks
from autograd.grad_hooks import GradientHookMethods, RemovableHandle
from autograd.ops import reduce
from autograd.ops import shape as shape_ops
from autograd.tensor_aliases import torch_axis

if TYPE_CHECKING:
    from autograd.tensor import Operand, Tensor


class ValuesIndices(NamedTuple):
    """What ``max(dim)``, ``min(dim)``, ``sort`` and ``topk`` return, as PyTorch's
    ``torch.return_types``: a pair that also reads as ``.values`` and ``.indices``."""

    values: Tensor
    indices: Tensor


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
    # a 0-d tensor's dim 0 (or -1) is its one element, which numpy reaches with no axis
    return dims if ndim else ()


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


class TorchMethods(GradientHookMethods):
    """``torch.Tensor``'s methods, with PyTorch's arguments, defaults and results."""

    __slots__ = ()

    # --- sizes ---

    def size(self: Tensor, dim: int | None = None) -> Any:
        """The shape as a tuple, or the length of dimension ``dim`` (PyTorch's method).

        Examples:
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

    def numel(self: Tensor) -> int:
        """The number of elements.

        Examples:
            >>> import autograd as ag
            >>> ag.zeros(2, 3).numel()
            6
        """
        return int(self._data.size)

    def nelement(self: Tensor) -> int:
        """The number of elements: ``numel()``."""
        return int(self._data.size)

    # --- reductions with PyTorch's results ---

    def _extreme(self: Tensor, who: str, pick: Any, whole: Any, dim: Any, keepdim: bool) -> Any:
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

    def max(self: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
            keepdims: bool | None = None) -> Any:
        """The largest element; with ``dim``, ``(values, indices)`` along it (PyTorch's).

        Without ``dim`` the gradient is shared equally among tied maxima; with ``dim`` it goes to
        the element ``indices`` names (the first maximum), as in PyTorch. ``max(other)`` is the
        elementwise maximum. ``axis``/``keepdims`` are PyTorch's aliases of ``dim``/``keepdim``.

        Examples:
            >>> import autograd as ag
            >>> outputs = ag.tensor([[0.1, 0.9], [0.8, 0.2]])
            >>> _, predicted = outputs.max(1)
            >>> predicted.tolist(), round(outputs.max().item(), 4)
            ([1, 0], 0.9)
        """
        if axis is not None or keepdims is not None:
            dim, keepdim = torch_axis("max", dim, axis, keepdim, keepdims)
        return self._extreme("max", np.argmax, reduce.max, dim, keepdim)

    def min(self: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
            keepdims: bool | None = None) -> Any:
        """The smallest element; with ``dim``, ``(values, indices)`` along it: see ``max``."""
        if axis is not None or keepdims is not None:
            dim, keepdim = torch_axis("min", dim, axis, keepdim, keepdims)
        return self._extreme("min", np.argmin, reduce.min, dim, keepdim)

    def amax(self: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:
        """The maximum over ``dim`` (an int, a tuple; ``()`` or None: all dimensions).

        Tied maxima share the gradient equally, as in PyTorch.

        Examples:
            >>> import autograd as ag
            >>> ag.tensor([[1.0, 5.0], [3.0, 2.0]]).amax(1).tolist()
            [5.0, 3.0]
        """
        axes = None if dim is None or dim == () else dims_tuple("amax", dim, self._data.ndim)
        return reduce.max(self, axis=axes, keepdims=bool(keepdim))

    def amin(self: Tensor, dim: Any = (), keepdim: bool = False) -> Tensor:
        """The minimum over ``dim``: see ``amax``."""
        axes = None if dim is None or dim == () else dims_tuple("amin", dim, self._data.ndim)
        return reduce.min(self, axis=axes, keepdims=bool(keepdim))

    def argmax(self: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
               keepdims: bool | None = None) -> Tensor:
        """The index of the largest element (of the flattened tensor, or along ``dim``)."""
        if axis is not None or keepdims is not None:
            dim, keepdim = torch_axis("argmax", dim, axis, keepdim, keepdims)
        return self._arg("argmax", np.argmax, dim, keepdim)

    def argmin(self: Tensor, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
               keepdims: bool | None = None) -> Tensor:
        """The index of the smallest element (of the flattened tensor, or along ``dim``)."""
        if axis is not None or keepdims is not None:
            dim, keepdim = torch_axis("argmin", dim, axis, keepdim, keepdims)
        return self._arg("argmin", np.argmin, dim, keepdim)

    def _arg(self: Tensor, who: str, pick: Any, dim: Any, keepdim: bool) -> Tensor:
        data = self._data
        if dim is None:
            found = pick(data)
            return self._wrap(np.full((1,) * data.ndim, found) if keepdim else found)
        axis = dim_index(who, dim, data.ndim)
        found = pick(data.reshape(1) if data.ndim == 0 else data, axis=axis, keepdims=keepdim)
        return self._wrap(found.reshape(()) if data.ndim == 0 else found)

    def var(self: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
            correction: float | None = None, axis: Any = None,
            keepdims: bool | None = None) -> Tensor:
        """The variance over ``dim``, divided by ``n - correction`` (PyTorch: 1, unbiased).

        ``unbiased=False`` is ``correction=0`` (divide by n), as in PyTorch; a bool as the first
        argument is ``unbiased``. With ``n - correction <= 0`` the result is inf or nan, as there.

        Examples:
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

    def std(self: Tensor, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
            correction: float | None = None, axis: Any = None,
            keepdims: bool | None = None) -> Tensor:
        """The standard deviation: the square root of ``var`` (unbiased, as in PyTorch)."""
        if axis is not None or keepdims is not None:
            dim, keepdim = torch_axis("std", dim, axis, keepdim, keepdims)
        return self.var(dim, unbiased, keepdim, correction=correction).sqrt()

    # --- values, types, records ---

    def clone(self: Tensor) -> Tensor:
        """A copy, in the graph (the gradient passes through unchanged)."""
        return shape_ops.clone(self)

    def pow(self: Tensor, exponent: Operand) -> Tensor:
        """``self ** exponent``."""
        return self ** exponent

    def eq(self: Tensor, other: Operand) -> Tensor:
        """``self == other``, elementwise: a boolean tensor."""
        return self == other

    def ne(self: Tensor, other: Operand) -> Tensor:
        """``self != other``, elementwise."""
        return self != other

    def lt(self: Tensor, other: Operand) -> Tensor:
        """``self < other``, elementwise."""
        return self < other

    def le(self: Tensor, other: Operand) -> Tensor:
        """``self <= other``, elementwise."""
        return self <= other

    def gt(self: Tensor, other: Operand) -> Tensor:
        """``self > other``, elementwise."""
        return self > other

    def ge(self: Tensor, other: Operand) -> Tensor:
        """``self >= other``, elementwise."""
        return self >= other

    def type(self: Tensor, dtype: Any = None, non_blocking: bool = False) -> Any:
        """Without ``dtype``, the type's name as PyTorch gives it (``'torch.FloatTensor'``);
        with one (a dtype, or such a name), the tensor converted to it."""
        if dtype is None:
            return _TYPE_NAMES.get(self.dtype.name, f"numpy.{self.dtype.name}")
        names = {v: k for k, v in _TYPE_NAMES.items()}
        return self.to(names.get(dtype, dtype) if isinstance(dtype, str) else dtype)

    @property
    def grad_fn(self: Tensor) -> GradFn | None:
        """The operation that made this tensor (a ``GradFn``), or None for a leaf."""
        record = self.record
        return None if record is None else GradFn(record)

    def register_post_accumulate_grad_hook(self: Tensor, hook: Callable[[Tensor], None]
                                           ) -> RemovableHandle:
        """Call ``hook(self)`` during each backward, right after ``self.grad`` was accumulated
        (PyTorch's method: leaves only; the hook sees the final ``.grad``, may change it, and
        returns None). It runs as soon as nothing later in that backward feeds this leaf, while
        the rest of backward still has to run (``DistributedOptimizer`` starts reducing
        gradients there), under the backward's grad mode. ``grad()`` and ``backward(inputs=)``
        do not run it.

        Args:
            hook: Called with this tensor.

        Returns:
            A handle whose ``remove()`` unregisters the hook.

        Raises:
            RuntimeError: This tensor is not a leaf, or does not require grad.

        Examples:
            >>> import autograd as ag
            >>> w = ag.tensor([1.0, 2.0], requires_grad=True)
            >>> handle = w.register_post_accumulate_grad_hook(lambda p: print(p.grad.tolist()))
            >>> (w * 3).sum().backward()
            [3.0, 3.0]
            >>> handle.remove()
        """
        if self._op is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf "
                               "tensors")
        if not self.requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require "
                               "gradient")
        if not callable(hook):
            raise TypeError(f"register_post_accumulate_grad_hook expects a callable "
                            f"hook(tensor). Received: {type(hook).__name__}")
        return grad_hooks.register(self, hook)

    def __index__(self: Tensor) -> int:
        if self._data.dtype.kind not in "iu" or self._data.size != 1:
            raise TypeError(f"only integer tensors of a single element can be converted to an "
                            f"index. Received: {self._describe()}")
        return int(self._data.item())
