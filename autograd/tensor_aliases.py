"""The names PyTorch users reach for, on ``Tensor``: ``permute``, ``view``, ``dim()``, ``clamp``,
``to``, ``float()``, ``double()``, and the ``dim=``/``keepdim=`` keywords.

numpy's names stay primary; each alias here is a thin call of its numpy-named counterpart, so
values and gradients are the same by construction. ``TorchAliases`` is a base class of
``Tensor``, as ``Node`` is: ``Tensor`` stays about its numpy semantics.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from autograd.ops import shape as shape_ops

if TYPE_CHECKING:
    from autograd.tensor import Tensor


def torch_axis(who: str, axis: Any, dim: Any, keepdims: bool = False, keepdim: Any = None,
               axis_default: Any = None) -> tuple[Any, bool]:
    """``(axis, keepdims)`` once PyTorch's ``dim`` and ``keepdim`` are taken into account.

    Callers test ``dim is not None or keepdim is not None`` before calling, so a call without
    the aliases costs nothing. An ``axis`` equal to its default counts as not given.
    """
    if dim is not None:
        if axis is not None and axis != axis_default:
            raise TypeError(f"{who}: got both axis={axis!r} and dim={dim!r}, which mean the same "
                            f"thing (dim is PyTorch's name for numpy's axis); give one")
        axis = dim
    if keepdim is not None:
        if keepdims:
            raise TypeError(f"{who}: got both keepdims={keepdims!r} and keepdim={keepdim!r}, "
                            f"which mean the same thing; give one")
        keepdims = bool(keepdim)
    return axis, keepdims


class TorchAliases:
    """PyTorch's names for ``Tensor`` operations that numpy names differently."""

    __slots__ = ()

    def permute(self, *dims: Any) -> Tensor:
        """The axes in the order ``dims`` (one index per axis): PyTorch's name for ``transpose``.

        Accepts ``permute(2, 0, 1)`` and ``permute((2, 0, 1))``.

        Example:
            >>> import autograd as ag
            >>> ag.zeros(2, 3, 4).permute(2, 0, 1).shape
            (4, 2, 3)
        """
        if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
            dims = tuple(dims[0])
        if len(dims) != self.ndim:
            raise ValueError(f"permute: dims {dims} must list each of the {self.ndim} axes of a "
                             f"tensor of shape {self.shape} exactly once")
        try:
            axes = normalize_axis_tuple(dims, self.ndim)
        except ValueError as err:
            raise ValueError(f"permute: {err} (dims {dims}, shape {self.shape})") from None
        return shape_ops.transpose(self, axes=axes)

    def view(self, *shape: Any) -> Tensor:
        """The same elements in a new shape: here exactly ``reshape``.

        A numpy-backed tensor has no storage-sharing contract to keep (PyTorch's ``view``
        refuses non-contiguous inputs so that the result can share memory); ``view`` accepts
        whatever ``reshape`` accepts, ``view(2, 3)`` or ``view((2, 3))``, one size may be -1.

        Example:
            >>> import autograd as ag
            >>> ag.arange(6.0).view(2, -1).shape
            (2, 3)
        """
        return self.reshape(*shape)

    def dim(self) -> int:
        """The number of dimensions (PyTorch's method for ``ndim``).

        Example:
            >>> import autograd as ag
            >>> ag.zeros(2, 3).dim()
            2
        """
        return self.ndim

    def clamp(self, min: Any = None, max: Any = None) -> Tensor:
        """Limit values to ``[min, max]`` (PyTorch's name for ``clip``); either bound may be None.

        Example:
            >>> import autograd as ag
            >>> ag.tensor([-2.0, 0.5, 3.0]).clamp(min=0.0, max=1.0).numpy()
            array([0. , 0.5, 1. ], dtype=float32)
        """
        if min is None and max is None:
            raise ValueError("clamp: both min and max are None; give at least one bound")
        return self.clip(min, max)

    def to(self, dtype: Any) -> Tensor:
        """A copy converted to ``dtype`` (the tensor itself when it has that dtype already).

        ``dtype`` is a numpy dtype, a dtype name (``'float64'``), or Python's ``float`` (float64)
        or ``int`` (int64), as numpy reads them. Differentiable between float dtypes, as
        ``astype`` is. There are no devices: every tensor is a numpy array in memory.

        Example:
            >>> import autograd as ag
            >>> ag.tensor([1.5]).to("float64").dtype, ag.tensor([1.5]).to(int).numpy()
            (dtype('float64'), array([1]))
        """
        try:
            if dtype is None:  # np.dtype(None) would quietly mean float64
                raise TypeError
            dtype = np.dtype(dtype)
        except TypeError:
            raise TypeError(f"to: expected a numpy dtype, a dtype name such as 'float64', or "
                            f"float/int. Received: {dtype!r} (devices do not apply: tensors "
                            f"are numpy arrays)") from None
        if dtype.kind not in "biuf":
            raise TypeError(f"to: tensors hold booleans, integers or floats; {dtype} is none "
                            f"of these")
        return self.astype(dtype)

    def float(self) -> Tensor:
        """The tensor as float32 (PyTorch's ``float()``, not Python's ``float(t)``).

        Example:
            >>> import autograd as ag
            >>> ag.arange(3).float().dtype
            dtype('float32')
        """
        return self.astype(np.float32)

    def double(self) -> Tensor:
        """The tensor as float64.

        Example:
            >>> import autograd as ag
            >>> ag.arange(3).double().dtype
            dtype('float64')
        """
        return self.astype(np.float64)

    def _one_element(self, who: str) -> Any:
        if self._data.size != 1:
            raise ValueError(f"{who}(): only a tensor with one element converts to a Python "
                            f"number; this one has shape {self.shape} ({self.size} elements). "
                            f"Use .tolist(), or index a single element first")
        return self._data.item()

    def __float__(self) -> float:
        return float(self._one_element("float"))

    def __int__(self) -> int:
        return int(self._one_element("int"))
