"""Functions that make new tensors. Random ones take ``rng``: a ``numpy.random.Generator``, an
int seed, or None for the next generator of the root that ``manual_seed`` restarts (see
``autograd.random``); nothing here touches numpy's global random state."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.dtypes import get_default_dtype
from autograd.random import as_generator
from autograd.tensor import Tensor, _shape_arg


def _float_dtype(dtype: Any) -> np.dtype:
    return get_default_dtype() if dtype is None else np.dtype(dtype)


def _make(data: np.ndarray, requires_grad: bool, name: str | None = None) -> Tensor:
    t = Tensor._wrap(data)
    if name is not None:
        t.name = name
    return t.requires_grad_(True) if requires_grad else t


def _checked_shape(shape: tuple, who: str) -> tuple:
    shape = _shape_arg(shape)
    if any(not isinstance(n, (int, np.integer)) or n < 0 for n in shape):
        raise ValueError(f"{who}: a shape holds non-negative ints, got {shape}")
    return tuple(int(n) for n in shape)


def tensor(data: Any, dtype: Any = None, requires_grad: bool = False,
           name: str | None = None) -> Tensor:
    """A tensor holding a copy of ``data`` (Python data becomes float32; numpy keeps its dtype).

    Example:
        >>> import autograd as ag
        >>> ag.tensor([[1, 2], [3, 4]]).dtype
        dtype('float32')
    """
    return Tensor(data, requires_grad=requires_grad, dtype=dtype, name=name)


def as_tensor(data: Any, dtype: Any = None) -> Tensor:
    """A tensor over ``data`` without a copy where possible, as PyTorch's ``as_tensor``.

    A numpy array of the requested dtype (or any numeric dtype when ``dtype`` is None) becomes
    a tensor sharing its memory: writing into the array afterwards changes the tensor, and a
    graph that saved it would then compute wrong gradients, so hand over only arrays nobody else
    writes to (``fit`` does, with the fresh rows of each batch). A tensor of the requested dtype
    is returned as it is; anything else is copied as by ``tensor``.

    Example:
        >>> import numpy as np, autograd as ag
        >>> rows = np.ones((2, 3), dtype=np.float32)
        >>> t = ag.as_tensor(rows)
        >>> rows[0, 0] = 5.0
        >>> float(t.numpy()[0, 0])
        5.0
    """
    if isinstance(data, Tensor):
        return data if dtype is None or data.dtype == np.dtype(dtype) else data.astype(dtype)
    if type(data) is np.ndarray and data.dtype.kind in "biuf" and (
            dtype is None or data.dtype == np.dtype(dtype)):
        return Tensor._wrap(data)
    return Tensor(data, dtype=dtype)


def zeros(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros: ``zeros(2, 3)`` or ``zeros((2, 3))``."""
    shape = _checked_shape(shape, "zeros")
    return _make(np.zeros(shape, _float_dtype(dtype)), requires_grad)


def ones(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones."""
    shape = _checked_shape(shape, "ones")
    return _make(np.ones(shape, _float_dtype(dtype)), requires_grad)


def full(shape: Any, fill_value: float, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ``shape`` filled with ``fill_value``."""
    shape = _checked_shape((shape,) if isinstance(shape, int) else (tuple(shape),), "full")
    return _make(np.full(shape, fill_value, _float_dtype(dtype)), requires_grad)


def zeros_like(x: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Zeros with the shape (and, unless given, the dtype) of ``x``."""
    data = np.asarray(x)
    return _make(np.zeros(data.shape, dtype or data.dtype), requires_grad)


def ones_like(x: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Ones with the shape (and, unless given, the dtype) of ``x``."""
    data = np.asarray(x)
    return _make(np.ones(data.shape, dtype or data.dtype), requires_grad)


def arange(start: float, stop: float | None = None, step: float = 1, dtype: Any = None,
           requires_grad: bool = False) -> Tensor:
    """Evenly spaced values in ``[start, stop)``; integers when all arguments are ints
    (numpy's rule), the default float dtype otherwise."""
    if stop is None:
        start, stop = 0, start
    if step == 0:
        raise ValueError("arange: step must not be 0")
    integral = all(isinstance(v, (int, np.integer)) for v in (start, stop, step))
    if dtype is None and not integral:
        dtype = get_default_dtype()
    return _make(np.arange(start, stop, step, dtype=dtype), requires_grad)


def randn(*shape: Any, rng: Any = None, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Samples from the standard normal distribution.

    Example:
        >>> import autograd as ag
        >>> ag.randn(2, 3, rng=0).shape
        (2, 3)
    """
    shape = _checked_shape(shape, "randn")
    data = as_generator(rng).standard_normal(shape).astype(_float_dtype(dtype))
    return _make(data, requires_grad)


def rand(*shape: Any, rng: Any = None, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Samples from the uniform distribution on ``[0, 1)``."""
    shape = _checked_shape(shape, "rand")
    data = as_generator(rng).random(shape).astype(_float_dtype(dtype))
    return _make(data, requires_grad)
