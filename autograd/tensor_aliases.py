"""The names PyTorch users reach for, on ``Tensor``: ``permute``, ``view``, ``dim()``, ``clamp``,
``to``, ``float()``, ``double()``, and the ``dim=``/``keepdim=`` keywords.

Each is a thin call of another method or primitive, so values and gradients are the same by
construction. ``TorchAliases`` is a base class of ``Tensor``, as ``Node`` is, beside the other
mixins of ``torch.Tensor``'s methods (``tensor_torch`` and its neighbours).
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from autograd.devices import device, to_arguments
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

    def permute(self: Tensor, *dims: Any) -> Tensor:
        """The axes in the order ``dims`` (one index per axis): PyTorch's name for ``transpose``.

        Accepts ``permute(2, 0, 1)`` and ``permute((2, 0, 1))``.

        Examples:
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

    def view(self: Tensor, *shape: Any) -> Tensor:
        """The same elements in a new shape: here exactly ``reshape``.

        A numpy-backed tensor has no storage-sharing contract to keep (PyTorch's ``view``
        refuses non-contiguous inputs so that the result can share memory); ``view`` accepts
        whatever ``reshape`` accepts, ``view(2, 3)`` or ``view((2, 3))``, one size may be -1.

        Examples:
            >>> import autograd as ag
            >>> ag.arange(6.0).view(2, -1).shape
            (2, 3)
        """
        return self.reshape(*shape)

    def dim(self: Tensor) -> int:
        """The number of dimensions (PyTorch's method for ``ndim``).

        Examples:
            >>> import autograd as ag
            >>> ag.zeros(2, 3).dim()
            2
        """
        return self.ndim

    def clamp(self: Tensor, min: Any = None, max: Any = None) -> Tensor:
        """Limit values to ``[min, max]`` (PyTorch's name for ``clip``); either bound may be None.

        Examples:
            >>> import autograd as ag
            >>> ag.tensor([-2.0, 0.5, 3.0]).clamp(min=0.0, max=1.0).numpy()
            array([0. , 0.5, 1. ], dtype=float32)
        """
        if min is None and max is None:
            raise ValueError("clamp: both min and max are None; give at least one bound")
        return self.clip(min, max)

    def to(self: Tensor, *args: Any, **kwargs: Any) -> Tensor:
        """PyTorch's ``to``: ``to(dtype)``, ``to(device=None, dtype=None)`` or ``to(other)``.

        The tensor itself when nothing changes (unless ``copy=True``), else a converted copy,
        differentiable between float dtypes as ``astype`` is. The device may be ``'cpu'`` or
        ``device('cpu')``; any other is refused (see ``autograd.devices``). A dtype is
        ``autograd.float64`` & co., a numpy dtype or its name, or Python's ``float`` (float64)
        or ``int`` (int64).

        Examples:
            >>> import autograd as torch
            >>> x = torch.tensor([1.5])
            >>> x.to("cpu") is x, x.to("cpu", torch.float64).dtype, x.to(int).tolist()
            (True, dtype('float64'), [1])
        """
        dtype = to_arguments(args, kwargs)
        result = self if dtype is None or dtype == self.dtype else self.astype(dtype)
        return result.clone() if kwargs.get("copy") and result is self else result

    def type_as(self: Tensor, other: Any) -> Tensor:
        """This tensor converted to ``other``'s dtype: ``self.to(other.dtype)``.

        Examples:
            >>> import autograd as torch
            >>> torch.tensor([1.7, -2.5]).type_as(torch.tensor([1])).tolist()
            [1, -2]
        """
        return self.to(other.dtype)

    def new_zeros(self: Tensor, *size: Any, dtype: Any = None, device: Any = None,
                  requires_grad: builtins.bool = False, layout: Any = None,
                  pin_memory: builtins.bool = False, **keywords: Any) -> Tensor:
        """A tensor of zeros of ``size``, of this tensor's dtype unless ``dtype`` is given
        (PyTorch's ``new_zeros``; ``new_zeros(2, 3)`` or ``new_zeros((2, 3))``).

        Examples:
            >>> import autograd as torch
            >>> torch.tensor([1, 2]).new_zeros(2, 3).tolist()
            [[0, 0, 0], [0, 0, 0]]
        """
        return self._new("new_zeros", 0, size, keywords, dtype, device, requires_grad, layout,
                         pin_memory)

    def new_ones(self: Tensor, *size: Any, dtype: Any = None, device: Any = None,
                 requires_grad: builtins.bool = False, layout: Any = None,
                 pin_memory: builtins.bool = False, **keywords: Any) -> Tensor:
        """A tensor of ones of ``size``, of this tensor's dtype unless ``dtype`` is given."""
        return self._new("new_ones", 1, size, keywords, dtype, device, requires_grad, layout,
                         pin_memory)

    def new_full(self: Tensor, size: Any, fill_value: Any, *, dtype: Any = None,
                 device: Any = None, requires_grad: builtins.bool = False, layout: Any = None,
                 pin_memory: builtins.bool = False) -> Tensor:
        """A tensor of ``size`` filled with ``fill_value``, of this tensor's dtype unless
        ``dtype`` is given (a float fill of an integer tensor is truncated, as in PyTorch)."""
        return self._new("new_full", fill_value, (size,), {}, dtype, device, requires_grad,
                         layout, pin_memory)

    def new_tensor(self: Tensor, data: Any, *, dtype: Any = None, device: Any = None,
                   requires_grad: builtins.bool = False, layout: Any = None,
                   pin_memory: builtins.bool = False) -> Tensor:
        """A new leaf tensor holding a copy of ``data``, of this tensor's dtype unless ``dtype``
        is given (whatever ``data`` holds, as PyTorch's ``new_tensor``)."""
        from autograd import factories  # it imports Tensor

        dtype = factories.checked_options("new_tensor", dtype, device, None, layout, pin_memory)
        values = data._data if hasattr(data, "_data") else data
        array = np.array(values, dtype=self._data.dtype if dtype is None else dtype)
        return factories.make(array, requires_grad)

    def _new(self: Tensor, who: str, fill: Any, size: tuple[Any, ...],
             keywords: dict[str, Any], dtype: Any, device: Any, requires_grad: builtins.bool,
             layout: Any, pin_memory: builtins.bool) -> Tensor:
        from autograd import factories  # it imports Tensor

        if keywords:  # torch's size= keyword
            unknown = sorted(set(keywords) - {"size"})
            if unknown or size:
                raise TypeError(f"{who}() got an unexpected keyword argument "
                                f"{(unknown or ['size'])[0]!r}")
            size = (keywords["size"],)
        dtype = factories.checked_options(who, dtype, device, None, layout, pin_memory)
        shape = factories.checked_shape(size, who)
        chosen = self._data.dtype if dtype is None else dtype
        return factories.make(np.full(shape, fill, dtype=chosen), requires_grad)

    def cpu(self: Tensor) -> Tensor:
        """The tensor itself: it is in the computer's memory already (PyTorch's ``cpu()``).

        Examples:
            >>> import autograd as torch
            >>> x = torch.ones(2)
            >>> x.cpu() is x, x.device
            (True, device(type='cpu'))
        """
        return self

    @property
    def device(self: Tensor) -> device:
        """``device('cpu')``: every tensor is a numpy array in the computer's memory."""
        return device("cpu")

    def float(self: Tensor) -> Tensor:
        """The tensor as float32 (PyTorch's ``float()``, not Python's ``float(t)``).

        Examples:
            >>> import autograd as ag
            >>> ag.arange(3).float().dtype
            dtype('float32')
        """
        return self.astype(np.float32)

    def double(self: Tensor) -> Tensor:
        """The tensor as float64.

        Examples:
            >>> import autograd as ag
            >>> ag.arange(3).double().dtype
            dtype('float64')
        """
        return self.astype(np.float64)

    def _one_element(self: Tensor, who: str) -> Any:
        if self._data.size != 1:
            raise ValueError(f"{who}(): only a tensor with one element converts to a Python "
                            f"number; this one has shape {self.shape} ({self.numel()} elements). "
                            f"Use .tolist(), or index a single element first")
        return self._data.item()

    def __float__(self: Tensor) -> builtins.float:  # (``float`` here is the method above)
        return float(self._one_element("float"))

    def __int__(self: Tensor) -> int:
        return int(self._one_element("int"))

    def __format__(self: Tensor, spec: str) -> str:
        # torch formats a 0-d tensor as its number (f"{loss:.4f}"); any other as its repr
        if self.ndim == 0:
            return format(self._data.item(), spec)
        return object.__format__(self, spec)
