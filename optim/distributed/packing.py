"""Packing many parameters into one contiguous buffer per dtype, and the operations built on it.

One buffer means one ``Allreduce`` or ``Bcast`` per dtype per step, whatever the number of
parameters: latency is paid once, and MPI sees one large message it can pipeline.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from autograd import Node, Tensor
from autograd import tensor as make_tensor
from optim.distributed.comm import as_communicator


class FlatBuffer:
    """Arrays of one dtype laid end to end in one contiguous array, then ``extra`` spare slots.

    Args:
        shapes: The shape of each array, in order.
        dtype: The dtype of the buffer (and of every array read from it).
        extra: Slots after the arrays, for a few numbers that travel in the same message.

    Attributes:
        data: The contiguous buffer, handed to MPI as it is.
        tail: The ``extra`` slots (a view of ``data``).

    Examples:
        >>> import numpy as np
        >>> from optim.distributed import FlatBuffer
        >>> buf = FlatBuffer([(2, 2), (3,)], np.float32, extra=1)
        >>> buf.pack([np.ones((2, 2)), None], scale=2.0).tolist()
        [2.0, 2.0, 2.0, 2.0, 0.0, 0.0, 0.0, 0.0]
        >>> [a.shape for a in buf.unpack()]
        [(2, 2), (3,)]
    """

    def __init__(self, shapes: Sequence[tuple[int, ...]], dtype: Any, extra: int = 0) -> None:
        self.shapes = [tuple(int(n) for n in shape) for shape in shapes]
        self.dtype = np.dtype(dtype)
        sizes = [int(np.prod(shape, dtype=np.int64)) for shape in self.shapes]
        self.offsets = np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)]).tolist()
        self.data = np.zeros(self.offsets[-1] + extra, dtype=self.dtype)
        self.tail = self.data[self.offsets[-1]:]

    def view(self, i: int) -> np.ndarray:
        """Array ``i`` as a view of the buffer, in its shape."""
        return self.data[self.offsets[i]:self.offsets[i + 1]].reshape(self.shapes[i])

    def pack(self, arrays: Sequence[np.ndarray | None], scale: float = 1.0) -> np.ndarray:
        """Copy ``arrays`` (each times ``scale``; None as zeros) into the buffer; returns it."""
        for i, array in enumerate(arrays):
            target = self.view(i)
            if array is None or scale == 0:
                target.fill(0)
            elif scale == 1:
                target[...] = array
            else:
                # In the buffer's dtype: a float16 array times a count overflows in float16.
                np.multiply(array, scale, out=target, dtype=self.dtype, casting="unsafe")
        return self.data

    def unpack(self) -> list[np.ndarray]:
        """The arrays, each a copy in its shape."""
        return [self.view(i).copy() for i in range(len(self.shapes))]


def by_dtype(dtypes: Sequence[Any]) -> list[tuple[np.dtype, list[int]]]:
    """The positions of each dtype, dtypes in order of first appearance.

    Examples:
        >>> import numpy as np
        >>> from optim.distributed import by_dtype
        >>> [(str(d), i) for d, i in by_dtype([np.float32, np.float64, np.float32])]
        [('float32', [0, 2]), ('float64', [1])]
    """
    groups: dict[np.dtype, list[int]] = {}
    for i, dtype in enumerate(dtypes):
        groups.setdefault(np.dtype(dtype), []).append(i)
    return list(groups.items())


def _value(p: Node) -> np.ndarray:
    """A parameter's data as an array (a ``Scalar``'s float as a 0-d float64 array)."""
    return p.numpy() if isinstance(p, Tensor) else np.asarray(p.data, dtype=np.float64)


def _grad(p: Node) -> np.ndarray | None:
    """A parameter's gradient as an array of the parameter's shape, or None."""
    grad = p.grad
    if grad is None:
        return None
    array = grad.numpy() if isinstance(grad, Tensor) else np.asarray(grad, dtype=np.float64)
    if array.shape != _value(p).shape:
        raise RuntimeError(f"the gradient of a parameter of shape {_value(p).shape} has shape "
                           f"{array.shape}; each gradient must have its parameter's shape")
    return array


def _set_value(p: Node, array: np.ndarray) -> None:
    """Give ``p`` new data (through the ``data`` setter, so graphs that saved it know)."""
    p.data = np.array(array, dtype=_value(p).dtype) if isinstance(p, Tensor) else float(array)


def _set_grad(p: Node, array: np.ndarray | None) -> None:
    """Give ``p`` a gradient: a new Tensor (or float for a ``Scalar``), or None."""
    if array is None:
        p.grad = None
    else:
        p.grad = make_tensor(array) if isinstance(p, Tensor) else float(array)


def write_averages(buffer: FlatBuffer, index: Sequence[int], params: Sequence[Node],
                   total: float, has_grad: np.ndarray) -> None:
    """Divide ``buffer`` (gradients summed across processes, each weighted by its process's
    count) by ``total``, the summed counts, and give parameter ``index[k]`` its average, or
    None where no process had a gradient (``has_grad[k]``) or none counted."""
    if total > 0:
        buffer.data /= total
    for k, i in enumerate(index):
        average = buffer.view(k).astype(_value(params[i]).dtype, copy=False)
        _set_grad(params[i], average if total > 0 and has_grad[k] else None)


def describe_parameters(params: Iterable[Node], names: Sequence[str] | None = None,
                        what: str = "parameter") -> list[tuple[str, str]]:
    """``(label, 'shape (3, 4), float32')`` pairs, with the count first, for ``check_same``.

    Examples:
        >>> import autograd as ag
        >>> from optim.distributed import describe_parameters
        >>> describe_parameters([ag.zeros(3, 4)], names=["kernel"])
        [('parameter count', '1'), ('parameter 0 (kernel)', 'shape (3, 4), float32')]
    """
    params = list(params)
    entries = [(f"{what} count", str(len(params)))]
    for i, p in enumerate(params):
        label = f"{what} {i}" + (f" ({names[i]})" if names is not None else "")
        value = _value(p)
        entries.append((label, f"shape {value.shape}, {value.dtype}"))
    return entries


def check_parameters(params: Iterable[Node], comm: Any = None,
                     names: Sequence[str] | None = None) -> None:
    """Raise on every process unless all hold the same number of parameters, shapes and dtypes.

    One small ``allgather`` of shapes and dtypes (no values). The error names the first rank
    that differs from rank 0 and the first difference.

    Examples:
        >>> from optim import distributed as dist
        >>> dist.check_parameters(model.parameters())  # doctest: +SKIP
        Traceback (most recent call last):
        ValueError: check_parameters: rank 1 differs from rank 0: parameter 0 is shape (3, 5),
        float32 on rank 1 but shape (3, 4), float32 on rank 0. ...
    """
    as_communicator(comm).check_same(describe_parameters(params, names), "check_parameters")


def _buffers(params: Sequence[Node], extra: int = 0) -> list[tuple[FlatBuffer, list[int]]]:
    groups = by_dtype([_value(p).dtype for p in params])
    return [(FlatBuffer([_value(params[i]).shape for i in index], dtype,
                        extra if n == 0 else 0), index) for n, (dtype, index) in enumerate(groups)]


def broadcast_parameters(params: Iterable[Node], root: int = 0, comm: Any = None,
                         check: bool = True) -> None:
    """Give every process ``root``'s values of ``params`` (weights, or buffers such as moving
    statistics): one ``Bcast`` per dtype, after an optional agreement check.

    Call it once before training, so that processes that initialised their weights differently
    start from the same point (Horovod's ``broadcast_parameters``).

    Args:
        params: The parameters (any graph values: Tensors or Scalars), in the same order on
            every process.
        root: The rank whose values win.
        comm: A ``Communicator`` or mpi4py communicator; ``world()`` when None.
        check: First check that every process holds the same shapes and dtypes
            (``check_parameters``), so a mismatch is an error instead of garbage or a hang.

    Examples:
        >>> from optim import distributed as dist
        >>> dist.broadcast_parameters(model.parameters())  # doctest: +SKIP
    """
    params, communicator = list(params), as_communicator(comm)
    if check:
        check_parameters(params, communicator)
    for buffer, index in _buffers(params):
        if communicator.rank == root:
            buffer.pack([_value(params[i]) for i in index])
        communicator.broadcast_(buffer.data, root)
        if communicator.rank != root:
            for k, i in enumerate(index):
                _set_value(params[i], buffer.view(k))


def average_parameters(params: Iterable[Node], comm: Any = None) -> None:
    """Replace each floating-point value by its mean across processes (one ``Allreduce`` per
    dtype); other dtypes take rank 0's value.

    ``fit`` calls it on the moving statistics of ``BatchNormalization`` at each epoch's end, so
    that every process evaluates and saves the same model.

    Examples:
        >>> from optim import distributed as dist
        >>> dist.average_parameters(model.buffers())  # doctest: +SKIP
    """
    params, communicator = list(params), as_communicator(comm)
    floats = [p for p in params if _value(p).dtype.kind == "f"]
    others = [p for p in params if _value(p).dtype.kind != "f"]
    for buffer, index in _buffers(floats):
        buffer.pack([_value(floats[i]) for i in index])
        communicator.allreduce_mean(buffer.data)
        for k, i in enumerate(index):
            _set_value(floats[i], buffer.view(k))
    if others:
        broadcast_parameters(others, 0, communicator, check=False)

