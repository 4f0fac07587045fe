"""Ranges and grids with PyTorch's signatures and numbers: ``arange``, ``linspace``,
``logspace``, ``eye``.

The dtype rules are PyTorch's: ``arange`` gives int64 when start, end and step are all
integers and the default float dtype otherwise; the others give the default float dtype unless
told. Values are computed as PyTorch computes them (``linspace`` fills its two halves from
either end), so they agree to the last bit or within one rounding.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd.dtypes import get_default_dtype
from autograd.factories import checked_options, make
from autograd.tensor import Tensor


def _number(value: Any, who: str, name: str) -> int | float:
    if isinstance(value, Tensor):
        if value._data.size != 1:
            raise RuntimeError(f"{who}: {name} must be a number or a one-element tensor")
        value = value._data.item()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{who}: {name} must be a number. Received: {value!r}")
    return value


def arange(start: Any = 0, end: Any = None, step: Any = 1, *, out: Any = None,
           dtype: Any = None, layout: Any = None, device: Any = None,
           requires_grad: bool = False) -> Tensor:
    """Values from ``start`` up to, not including, ``end``, ``step`` apart: ``torch.arange``.

    ``arange(end)`` counts from 0. int64 when all three are integers, else the default float
    dtype; with an integer ``dtype`` the bounds are truncated to integers first, as PyTorch does.

    Examples:
        >>> import autograd as torch
        >>> torch.arange(5).tolist(), torch.arange(1, 2.5, 0.5).dtype
        ([0, 1, 2, 3, 4], dtype('float32'))
    """
    dtype = checked_options("arange", dtype, device, out, layout)
    if end is None:
        start, end = 0, start
    start, end, step = (_number(v, "arange", n) for v, n in
                        ((start, "start"), (end, "end"), (step, "step")))
    integral = all(isinstance(v, int) for v in (start, end, step))
    if dtype is None:
        dtype = np.dtype(np.int64) if integral else get_default_dtype()
    if dtype.kind != "f":  # PyTorch casts the bounds to the dtype before counting
        start, end, step = int(start), int(end), int(step)
    if step == 0:
        raise RuntimeError("arange: step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError(f"arange: upper bound and lower bound inconsistent with step sign "
                           f"(start={start}, end={end}, step={step})")
    if isinstance(start, int) and isinstance(end, int) and isinstance(step, int):
        values = np.arange(start, end, step, dtype=np.int64)
    else:  # in double precision, then rounded once: start + i * step
        count = math.ceil((end - start) / step)
        values = start + np.arange(count, dtype=np.float64) * step
    return make(values.astype(dtype), requires_grad, True)


def linspace(start: Any, end: Any, steps: int, *, out: Any = None, dtype: Any = None,
             layout: Any = None, device: Any = None, requires_grad: bool = False) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end``, both included:
    ``torch.linspace``.

    Examples:
        >>> import autograd as torch
        >>> torch.linspace(0, 1, 5).tolist()
        [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    dtype = checked_options("linspace", dtype, device, out, layout) or get_default_dtype()
    values = _spaced("linspace", start, end, steps, dtype)
    return make(values, requires_grad, True)


def _spaced(who: str, start: Any, end: Any, steps: Any, dtype: np.dtype) -> np.ndarray:
    start, end = _number(start, who, "start"), _number(end, who, "end")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)):
        raise TypeError(f"{who}: steps must be an int. Received: steps={steps!r}")
    if steps < 0:
        raise RuntimeError(f"{who}: number of steps must be non-negative. Received: {steps}")
    # PyTorch fills the first half from start and the second from end, in the output's float
    # precision (integer outputs: in double, then truncated).
    work = dtype if dtype.kind == "f" else np.dtype(np.float64)
    if steps <= 1:
        return np.full(steps, start, work).astype(dtype)
    step = (work.type(end) - work.type(start)) / work.type(steps - 1)
    index = np.arange(steps)
    half = steps // 2
    values = np.empty(steps, work)
    values[:half] = work.type(start) + step * index[:half].astype(work)
    values[half:] = work.type(end) - step * (steps - 1 - index[half:]).astype(work)
    return values.astype(dtype)


def logspace(start: Any, end: Any, steps: int, base: float = 10.0, *, out: Any = None,
             dtype: Any = None, layout: Any = None, device: Any = None,
             requires_grad: bool = False) -> Tensor:
    """``base ** linspace(start, end, steps)``: ``torch.logspace``.

    Examples:
        >>> import autograd as torch
        >>> torch.logspace(0, 2, 3).tolist()
        [1.0, 10.0, 100.0]
    """
    dtype = checked_options("logspace", dtype, device, out, layout) or get_default_dtype()
    base = _number(base, "logspace", "base")
    exponents = _spaced("logspace", start, end, steps, np.dtype(np.float64))
    return make(np.power(float(base), exponents).astype(dtype), requires_grad, True)


def eye(n: int, m: int | None = None, *, out: Any = None, dtype: Any = None, layout: Any = None,
        device: Any = None, requires_grad: bool = False) -> Tensor:
    """An ``n`` by ``m`` (default ``n``) matrix with ones on the diagonal: ``torch.eye``.

    Examples:
        >>> import autograd as torch
        >>> torch.eye(2).tolist()
        [[1.0, 0.0], [0.0, 1.0]]
    """
    dtype = checked_options("eye", dtype, device, out, layout) or get_default_dtype()
    for name, value in (("n", n), ("m", m)):
        if value is not None and (isinstance(value, bool)
                                  or not isinstance(value, (int, np.integer)) or value < 0):
            raise RuntimeError(f"eye: {name} must be a non-negative int. Received: {value!r}")
    return make(np.eye(int(n), None if m is None else int(m), dtype=dtype), requires_grad,
                True)
