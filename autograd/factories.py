"""Functions that make new tensors, with PyTorch's signatures and meanings (``torch.zeros``...).

Each takes PyTorch's keyword-only ``dtype``, ``device`` (the CPU only: see ``autograd.devices``)
and ``requires_grad``; ``out``, ``layout``, ``pin_memory`` and ``memory_format`` are accepted at
the values that change nothing here and refused otherwise. dtypes follow PyTorch: floats get
the default dtype (``get_default_dtype``), Python ints int64, Python bools bool. The random
factories are in ``autograd.random_factories``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.capture import state as capture_state
from autograd.devices import check_device
from autograd.dtypes import get_default_dtype, infer_dtype, to_dtype
from autograd.tensor import Tensor, _shape_arg


def checked_options(who: str, dtype: Any, device: Any = None, out: Any = None,
                    layout: Any = None, pin_memory: bool = False,
                    memory_format: Any = None) -> np.dtype | None:
    """``dtype`` as a numpy dtype (None stays None), after refusing what PyTorch's other
    arguments would ask and this library cannot do."""
    check_device(device, who)
    if out is not None:
        raise ValueError(f"{who}: out= is not supported (numpy-backed tensors are not written "
                         f"into); assign the result instead")
    if layout is not None and layout != "strided":
        raise ValueError(f"{who}: only the strided layout exists here. Received: layout="
                         f"{layout!r}")
    if pin_memory:
        raise ValueError(f"{who}: pin_memory=True needs a GPU; this library runs on numpy on "
                         f"the CPU. Leave it False")
    if memory_format is not None:
        raise ValueError(f"{who}: memory_format is not supported (numpy arrays have one "
                         f"layout). Received: memory_format={memory_format!r}")
    return None if dtype is None else to_dtype(dtype, who)


def make(data: np.ndarray, requires_grad: bool, constant: bool = False) -> Tensor:
    """Wrap ``data`` (an array nobody else holds) as a new leaf tensor. ``constant``: its values
    depend only on the call's arguments (``zeros``, ``arange``, Python numbers), so a captured
    step (``autograd.compile``) may keep it as it is."""
    t = Tensor._wrap(data)
    if constant and capture_state.recording is not None:
        capture_state.recording.mark_constant(t)
    # requires_grad_ refuses integer and boolean dtypes, with the library's one message for it
    return t.requires_grad_(True) if requires_grad else t


def checked_shape(size: tuple[int, ...], who: str) -> tuple[int, ...]:
    """``f(2, 3)`` or ``f((2, 3))`` as a tuple of non-negative ints, or an error naming ``who``."""
    size = _shape_arg(size)
    for n in size:
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
            raise TypeError(f"{who}: a size holds ints. Received: {size!r}")
        if n < 0:
            raise RuntimeError(f"{who}: dimension sizes must be non-negative. Received: {size!r}")
    return tuple(int(n) for n in size)


def tensor(data: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False,
           pin_memory: bool = False, name: str | None = None) -> Tensor:
    """A new leaf tensor holding a copy of ``data``, as ``torch.tensor``.

    dtypes as PyTorch infers them: Python floats become the default dtype (float32), Python
    ints int64, Python bools bool; numpy arrays, numpy scalars and tensors keep theirs.
    ``name`` (not PyTorch's) labels the tensor in drawings.

    Examples:
        >>> import autograd as torch
        >>> torch.tensor([[1, 2], [3, 4]]).dtype, torch.tensor([0.5]).dtype
        (dtype('int64'), dtype('float32'))
        >>> torch.tensor([1, 2], dtype=torch.float64, requires_grad=True).requires_grad
        True
    """
    dtype = checked_options("tensor", dtype, device, pin_memory=pin_memory)
    if isinstance(data, Tensor):
        data = data._data
    array = Tensor(data, dtype=infer_dtype(data) if dtype is None else dtype)._data
    t = make(array, requires_grad, constant=not isinstance(data, (np.ndarray, np.generic)))
    if name is not None:
        t.name = name
    return t


def as_tensor(data: Any, *, dtype: Any = None, device: Any = None) -> Tensor:
    """A tensor over ``data`` without a copy where possible, as ``torch.as_tensor``.

    A tensor of the requested dtype is returned as it is; a numpy array of the requested dtype
    (or any dtype when ``dtype`` is None) becomes a tensor sharing its memory: writing into
    the array afterwards changes the tensor, and a graph that saved it would then compute
    wrong gradients, so hand over only arrays nobody else writes to (``fit`` does, with the
    fresh rows of each batch). Anything else is copied as by ``tensor``.

    Examples:
        >>> import numpy as np, autograd as torch
        >>> rows = np.ones((2, 3), dtype=np.float32)
        >>> t = torch.as_tensor(rows)
        >>> rows[0, 0] = 5.0
        >>> float(t.numpy()[0, 0])
        5.0
    """
    dtype = checked_options("as_tensor", dtype, device)
    if isinstance(data, Tensor):
        return data if dtype is None or data.dtype == dtype else data.astype(dtype)
    if type(data) is np.ndarray and data.dtype.kind in "biuf" and (
            dtype is None or data.dtype == dtype):
        return Tensor._wrap(data)
    return tensor(data, dtype=dtype)


def from_numpy(ndarray: np.ndarray) -> Tensor:
    """A tensor sharing ``ndarray``'s memory and dtype, as ``torch.from_numpy``.

    Changes to the array show in the tensor and the other way round.

    Examples:
        >>> import numpy as np, autograd as torch
        >>> a = np.array([1, 2, 3])
        >>> t = torch.from_numpy(a); a[0] = -1
        >>> t.tolist(), t.dtype
        ([-1, 2, 3], dtype('int64'))
    """
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"from_numpy: expected np.ndarray (got {type(ndarray).__name__})")
    if ndarray.dtype.kind not in "biuf":
        raise TypeError(f"from_numpy: can't convert np.ndarray of type {ndarray.dtype}; "
                        f"the supported types are booleans, integers and floats")
    return Tensor._wrap(ndarray)


def _sized(who: str, size: tuple[Any, ...], keywords: dict[str, Any]) -> tuple[Any, ...]:
    """The size given positionally or, as torch also takes it, as ``size=(2, 3)``.

    ``size`` is a keyword read from ``**keywords`` rather than a parameter: beside ``*size`` a
    parameter of that name could not be written, and torch's signature has it only as a
    keyword. Any other keyword is refused as Python would refuse it.
    """
    if not keywords:
        return size
    unknown = sorted(set(keywords) - {"size"})
    if unknown:
        raise TypeError(f"{who}() got an unexpected keyword argument {unknown[0]!r}")
    if size:
        raise TypeError(f"{who}() got multiple values for argument 'size'")
    return (keywords["size"],)


def _filled(who: str, size: tuple[int, ...], fill: Any, dtype: Any, requires_grad: bool,
            device: Any, **options: Any) -> Tensor:
    dtype = checked_options(who, dtype, device, **options)
    shape = checked_shape(size, who)
    return make(np.full(shape, fill, dtype or get_default_dtype()), requires_grad, True)


def zeros(*size: Any, out: Any = None, dtype: Any = None, layout: Any = None, device: Any = None,
          requires_grad: bool = False, **keywords: Any) -> Tensor:
    """A tensor of zeros, as ``torch.zeros``: ``zeros(2, 3)``, ``zeros((2, 3))`` or
    ``zeros(size=(2, 3))``.

    Examples:
        >>> import autograd as torch
        >>> torch.zeros(2, 3, dtype=torch.long).tolist()
        [[0, 0, 0], [0, 0, 0]]
    """
    return _filled("zeros", _sized("zeros", size, keywords), 0, dtype, requires_grad, device,
                   out=out, layout=layout)


def ones(*size: Any, out: Any = None, dtype: Any = None, layout: Any = None, device: Any = None,
         requires_grad: bool = False, **keywords: Any) -> Tensor:
    """A tensor of ones, as ``torch.ones``."""
    return _filled("ones", _sized("ones", size, keywords), 1, dtype, requires_grad, device,
                   out=out, layout=layout)


def empty(*size: Any, out: Any = None, dtype: Any = None, layout: Any = None, device: Any = None,
          requires_grad: bool = False, pin_memory: bool = False,
          memory_format: Any = None, **keywords: Any) -> Tensor:
    """An uninitialized tensor, as ``torch.empty``: its values are whatever memory held."""
    dtype = checked_options("empty", dtype, device, out, layout, pin_memory, memory_format)
    shape = checked_shape(_sized("empty", size, keywords), "empty")
    return make(np.empty(shape, dtype or get_default_dtype()), requires_grad, True)


def full(size: Any, fill_value: Any, *, out: Any = None, dtype: Any = None, layout: Any = None,
         device: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ``size`` filled with ``fill_value``, as ``torch.full``: the dtype is inferred
    from ``fill_value`` (a bool gives bool, an int int64, a float the default dtype).

    Examples:
        >>> import autograd as torch
        >>> torch.full((2,), 7).dtype, torch.full((2,), 7.0).dtype
        (dtype('int64'), dtype('float32'))
    """
    if isinstance(size, (int, np.integer)):
        raise TypeError(f"full: size must be a tuple of ints, not int ({size!r}); "
                        f"write full(({size},), fill_value)")
    dtype = checked_options("full", dtype, device, out, layout)
    # torch reads a one-element tensor or a numpy scalar as the Python number it holds
    fill = fill_value.item() if isinstance(fill_value, (Tensor, np.generic)) else fill_value
    chosen = infer_dtype(fill) if dtype is None else dtype
    return make(np.full(checked_shape((size,), "full"), fill, chosen), requires_grad, True)


def _like(who: str, input: Any, fill: Any, dtype: Any, options: dict[str, Any]) -> np.ndarray:
    if not isinstance(input, Tensor):
        raise TypeError(f"{who}: argument 'input' must be Tensor, not {type(input).__name__}")
    dtype = checked_options(who, dtype, **options)
    return np.full(input.shape, fill, dtype or input.dtype)


def zeros_like(input: Any, *, dtype: Any = None, layout: Any = None, device: Any = None,
               requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    """Zeros with the shape, and unless given the dtype, of the tensor ``input``.

    Examples:
        >>> import autograd as torch
        >>> torch.zeros_like(torch.ones(2, dtype=torch.float64)).dtype
        dtype('float64')
    """
    options = dict(device=device, layout=layout, memory_format=memory_format)
    return make(_like("zeros_like", input, 0, dtype, options), requires_grad, True)


def ones_like(input: Any, *, dtype: Any = None, layout: Any = None, device: Any = None,
              requires_grad: bool = False, memory_format: Any = None) -> Tensor:
    """Ones with the shape, and unless given the dtype, of the tensor ``input``."""
    options = dict(device=device, layout=layout, memory_format=memory_format)
    return make(_like("ones_like", input, 1, dtype, options), requires_grad, True)


def full_like(input: Any, fill_value: Any, *, dtype: Any = None, layout: Any = None,
              device: Any = None, requires_grad: bool = False,
              memory_format: Any = None) -> Tensor:
    """``fill_value`` in the shape, and unless given the dtype, of ``input`` (``2.7`` in an
    int64 tensor is 2, as in PyTorch).

    Examples:
        >>> import autograd as torch
        >>> torch.full_like(torch.zeros(2, dtype=torch.long), 2.7).tolist()
        [2, 2]
    """
    options = dict(device=device, layout=layout, memory_format=memory_format)
    if isinstance(input, Tensor) and dtype is None and input.dtype.kind in "iu":
        fill_value = int(fill_value)  # PyTorch truncates; numpy would refuse a cast of 2.7
    return make(_like("full_like", input, fill_value, dtype, options), requires_grad, True)
