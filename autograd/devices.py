"""Devices as PyTorch names them: this library computes with numpy, on the CPU only.

``device('cpu')``, the string ``'cpu'`` (or ``'cpu:0'``) and ``None`` are accepted wherever
PyTorch takes a device; any other device (``'cuda'``, ``'mps'``, ...) is refused with an error
that says why, never ignored. ``cuda.is_available()`` answers False, so the usual
``torch.device("cuda" if torch.cuda.is_available() else "cpu")`` picks the CPU.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.dtypes import to_dtype

_KNOWN = ("cpu", "cuda", "mps", "xpu", "meta", "hip", "xla", "mtia", "privateuseone")


class device:  # noqa: N801 (torch.device)
    """A device, as ``torch.device``: ``device('cpu')``, ``device('cpu', 0)``.

    Only the CPU can hold tensors here; a device object for another type can be made (PyTorch
    allows it), but any factory or conversion given it refuses it with a ``RuntimeError``.

    Examples:
        >>> import autograd as torch
        >>> torch.device("cuda" if torch.cuda.is_available() else "cpu")
        device(type='cpu')
    """

    __slots__ = ("type", "index")
    type: str
    index: int | None

    def __init__(self, type: Any, index: int | None = None) -> None:  # noqa: A002 (torch's)
        if isinstance(type, device):
            type, index = type.type, type.index if index is None else index
        if not isinstance(type, str):
            raise TypeError(f"device: expected a string such as 'cpu'. Received: {type!r}")
        name, _, number = type.partition(":")
        if name not in _KNOWN:
            raise RuntimeError(f"Expected one of {', '.join(_KNOWN)} device type at start of "
                               f"device string: {type}")
        if number:
            if index is not None or not number.isdigit():
                raise RuntimeError(f"Invalid device string: {type!r}")
            index = int(number)
        if index is not None and (not isinstance(index, (int, np.integer)) or index < 0):
            raise RuntimeError(f"Device index must not be negative. Received: {index!r}")
        self.type = name
        self.index = None if index is None else int(index)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, device) and other.type == self.type
                and other.index == self.index)

    def __hash__(self) -> int:
        return hash((self.type, self.index))

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self) -> str:
        index = "" if self.index is None else f", index={self.index}"
        return f"device(type={self.type!r}{index})"


def check_device(where: Any, who: str) -> None:
    """Accept ``None``, ``'cpu'``, ``'cpu:0'`` or ``device('cpu')``; refuse anything else.

    ``who`` names the caller in the error. Tensors are numpy arrays in the computer's memory,
    so the CPU is the one device there is.

    Examples:
        >>> from autograd.devices import check_device
        >>> check_device("cpu", "zeros")
    """
    if where is None:
        return
    if isinstance(where, (str, device)):
        try:
            parsed = device(where)
        except (RuntimeError, TypeError):
            parsed = None
        if parsed is not None and parsed.type == "cpu" and parsed.index in (None, 0):
            return
    raise RuntimeError(f"{who}: device={where!r} is not available: this library computes with "
                       f"numpy on the CPU only. Use device='cpu' (or leave device out)")


def to_arguments(args: tuple[Any, ...], kwargs: dict[str, Any],
                 who: str = "to") -> np.dtype | None:
    """The dtype that ``Tensor.to(...)`` asks for (None: keep it), after checking the device.

    Takes PyTorch's three forms: ``to(dtype)``, ``to(device=None, dtype=None)`` and
    ``to(other)`` (another tensor's dtype), with ``non_blocking=False``, ``copy=False`` and
    ``memory_format`` accepted at the values that change nothing here (``copy`` is read by the
    caller: see ``Tensor.to``).

    Examples:
        >>> import autograd as torch
        >>> from autograd.devices import to_arguments
        >>> to_arguments(("cpu", torch.float64), {})
        dtype('float64')
    """
    kwargs = dict(kwargs)
    kwargs.pop("copy", None)
    if kwargs.pop("non_blocking", False):
        raise ValueError(f"{who}: non_blocking=True has no meaning without a second device; "
                         f"leave it False")
    if kwargs.pop("memory_format", None) is not None:
        raise ValueError(f"{who}: memory_format is not supported (numpy arrays have one "
                         f"layout); leave it out")
    where, dtype = kwargs.pop("device", None), kwargs.pop("dtype", None)
    if kwargs:
        raise TypeError(f"{who}: unexpected keyword arguments {sorted(kwargs)}")
    rest = list(args)
    if rest and not isinstance(rest[0], type) and hasattr(rest[0], "dtype") and hasattr(
            rest[0], "shape"):  # to(other): a tensor (np.float64, a class, has both too)
        if len(rest) > 1 or where is not None or dtype is not None:
            raise TypeError(f"{who}: to(other) takes no device or dtype beside the tensor")
        return to_dtype(rest[0].dtype, who)
    if rest and (isinstance(rest[0], device) or (isinstance(rest[0], str) and (
            rest[0].partition(":")[0] in _KNOWN))):
        if where is not None:
            raise TypeError(f"{who}: the device was given twice ({rest[0]!r} and {where!r})")
        where = rest.pop(0)
    if rest:
        if dtype is not None:
            raise TypeError(f"{who}: the dtype was given twice ({rest[0]!r} and {dtype!r})")
        dtype = rest.pop(0)
    if rest:
        raise TypeError(f"{who}: too many positional arguments {args!r}; PyTorch's forms are "
                        f"to(dtype), to(device, dtype) and to(other)")
    check_device(where, who)
    return None if dtype is None else to_dtype(dtype, who)


class _Cuda:
    """``torch.cuda``'s questions that code asks before choosing a device: there is no GPU."""

    @staticmethod
    def is_available() -> bool:
        """False: this library computes with numpy on the CPU."""
        return False

    @staticmethod
    def device_count() -> int:
        """0: no GPU is used."""
        return 0

    @staticmethod
    def manual_seed(seed: int) -> None:
        """Nothing to seed, as in PyTorch without a GPU: ``autograd.manual_seed`` seeds every
        draw this library makes."""

    @staticmethod
    def manual_seed_all(seed: int) -> None:
        """Nothing to seed, as in PyTorch without a GPU (see ``manual_seed``)."""


cuda = _Cuda()
"""``autograd.cuda.is_available()``: False, as on a PyTorch build without a GPU."""
