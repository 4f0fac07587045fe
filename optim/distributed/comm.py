"""``Communicator``: the few MPI operations data-parallel training needs, on numpy buffers.

mpi4py is imported only when a communicator is made (``world()``, ``Communicator()``), never by
``import optim``. Arrays always travel as raw buffers (upper-case mpi4py calls: ``Allreduce``,
``Bcast``); only small Python descriptions (shapes, settings, an error's text) are pickled.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import sys
import time
import traceback
from collections.abc import Mapping, Sequence
from typing import Any, NoReturn

import numpy as np

_INSTALL = ("pip install mpi4py mpich (or pip install 'autograd-numpy-engine[distributed]'), "
            "then start the program with mpiexec -n 2 python ...")
_world: Communicator | None = None
_ABORT_PAUSE_S = 0.1  # between the last flush and MPI_Abort: see Communicator.abort


def is_available() -> bool:
    """True when mpi4py can be imported (it is not imported by this check).

    Examples:
        >>> import optim
        >>> isinstance(optim.distributed.is_available(), bool)
        True
    """
    return importlib.util.find_spec("mpi4py") is not None


def _mpi() -> Any:
    try:
        from mpi4py import MPI
    except ImportError as err:
        raise ImportError(f"data-parallel training needs mpi4py and an MPI library ({err}). "
                          f"Install them: {_INSTALL}") from None
    return MPI


class Communicator:
    """A group of processes that train together: rank, size and collective operations.

    Every collective must be called by every process of the group, in the same order.

    Args:
        comm: An mpi4py communicator; ``MPI.COMM_WORLD`` (every process ``mpiexec`` started)
            when None.

    Attributes:
        comm: The mpi4py communicator.
        rank: This process's number, from 0.
        size: The number of processes.

    Examples:
        >>> from optim import distributed as dist
        >>> comm = dist.world()  # doctest: +SKIP
        >>> grads = np.ones(4, np.float32) * comm.rank  # doctest: +SKIP
        >>> comm.allreduce_mean(grads)  # doctest: +SKIP
        array([0.5, 0.5, 0.5, 0.5], dtype=float32)
    """

    def __init__(self, comm: Any = None) -> None:
        self.comm = _mpi().COMM_WORLD if comm is None else comm
        self.rank = int(self.comm.Get_rank())
        self.size = int(self.comm.Get_size())
        self._local: tuple[int, int] | None = None

    @property
    def local_rank(self) -> int:
        """This process's number among the processes of its machine, from 0 (Horovod's
        ``local_rank``): which GPU or which share of the machine's cores to take."""
        return self._local_rank_and_size()[0]

    @property
    def local_size(self) -> int:
        """How many of the processes run on this machine (Horovod's ``local_size``)."""
        return self._local_rank_and_size()[1]

    def _local_rank_and_size(self) -> tuple[int, int]:
        # A collective (every process splits), made once: MPI groups the processes that share
        # memory, which are those of one machine.
        if getattr(self, "_local", None) is None:
            split = getattr(self.comm, "Split_type", None)
            if split is None:  # a stand-in communicator: one machine
                self._local = (self.rank, self.size)
            else:
                node = split(_mpi().COMM_TYPE_SHARED, key=self.rank)
                self._local = (int(node.Get_rank()), int(node.Get_size()))
                node.Free()
        assert self._local is not None
        return self._local

    # --- buffers (never pickled) ---

    def allreduce_(self, buffer: np.ndarray, op: str = "sum") -> np.ndarray:
        """Combine ``buffer`` across processes in place (``'sum'``, ``'max'`` or ``'min'``),
        with one ``Allreduce``; returns it."""
        MPI = _mpi()
        ops = {"sum": MPI.SUM, "max": MPI.MAX, "min": MPI.MIN}
        if op not in ops:
            raise ValueError(f"allreduce_: op must be one of {sorted(ops)}. Received: op={op!r}")
        self.comm.Allreduce(MPI.IN_PLACE, _checked(buffer, "allreduce_"), op=ops[op])
        return buffer

    def iallreduce_(self, buffer: np.ndarray, op: str = "sum") -> Request:
        """Start combining ``buffer`` across processes in place, without waiting (one
        non-blocking ``Iallreduce``); returns the ``Request`` to ``wait`` for.

        ``buffer`` must stay untouched until the request is complete. Every process must start
        the same reductions in the same order. Without an asynchronous progress thread (MPICH's
        ``MPICH_ASYNC_PROGRESS=1``), MPI advances the reduction only inside MPI calls: calling
        ``test`` now and then lets it progress.
        """
        MPI = _mpi()
        ops = {"sum": MPI.SUM, "max": MPI.MAX, "min": MPI.MIN}
        if op not in ops:
            raise ValueError(f"iallreduce_: op must be one of {sorted(ops)}. Received: "
                             f"op={op!r}")
        return Request(self.comm.Iallreduce(MPI.IN_PLACE, _checked(buffer, "iallreduce_"),
                                            op=ops[op]))

    def allreduce_mean(self, buffer: np.ndarray) -> np.ndarray:
        """Replace ``buffer`` (a contiguous float array) by its mean across processes."""
        if buffer.dtype.kind != "f":
            raise TypeError(f"allreduce_mean expects a float array. Received: dtype "
                            f"{buffer.dtype}")
        self.allreduce_(buffer)
        buffer /= self.size
        return buffer

    def allreduce_scalars(self, values: Sequence[float], op: str = "sum") -> np.ndarray:
        """A few numbers combined across processes (float64, one ``Allreduce``)."""
        return self.allreduce_(np.array(values, dtype=np.float64).reshape(-1), op)

    def broadcast_(self, buffer: np.ndarray, root: int = 0) -> np.ndarray:
        """Overwrite ``buffer`` on every process with its content on ``root``; returns it."""
        self.comm.Bcast(_checked(buffer, "broadcast_"), root=root)
        return buffer

    # --- small Python objects (pickled: descriptions, never arrays) ---

    def broadcast_object(self, value: Any, root: int = 0) -> Any:
        """``root``'s ``value`` on every process (for small objects: a seed, a settings dict)."""
        return self.comm.bcast(value, root=root)

    def allgather_object(self, value: Any) -> list[Any]:
        """Every process's ``value``, in rank order, on every process (small objects only)."""
        gathered: list[Any] = self.comm.allgather(value)
        return gathered

    def check_same(self, entries: Sequence[tuple[str, Any]], who: str,
                   error: BaseException | None = None,
                   advice: Mapping[str, str] | None = None) -> None:
        """Raise on every process unless every process passed equal ``entries`` and no error.

        One ``allgather`` of ``entries`` (pairs ``(label, value)``: small, comparable) and of
        ``error``'s text, so that a problem on one process stops them all with the same message
        instead of leaving the others waiting in the next collective. ``advice`` maps a label
        to what the message tells the user to do when that entry differs (by default: run the
        same program on the same data shape).

        Raises:
            Exception: The local ``error``, where this rank has one.
            RuntimeError: Naming the rank that failed and its error, on the other ranks.
            ValueError: Naming the first rank that differs from rank 0, and the difference.
        """
        text = None if error is None else f"{type(error).__name__}: {error}"
        reports = self.allgather_object((text, list(entries)))
        failed = [(rank, report[0]) for rank, report in enumerate(reports) if report[0]]
        if failed:
            if error is not None:
                raise error
            rank, message = failed[0]
            raise RuntimeError(f"{who}: rank {rank} failed, so every rank stops: {message}")
        reference = reports[0][1]
        for rank, (_, theirs) in enumerate(reports[1:], start=1):
            label, difference = _difference(reference, theirs, rank)
            if difference:
                hint = (advice or {}).get(label, "Every process must run the same program on "
                                                 "the same data shape")
                raise ValueError(f"{who}: rank {rank} differs from rank 0: {difference}. {hint}")

    # --- failure ---

    def abort(self, error: BaseException | None = None, code: int = 1) -> NoReturn:
        """Print ``rank R: <traceback>`` for ``error`` to stderr, then end every process.

        ``MPI_Abort`` ends the whole job, so no process is left waiting for this one in a
        collective that will never complete.
        """
        if error is not None:
            lines = "".join(traceback.format_exception(type(error), error, error.__traceback__))
            sys.stderr.write("".join(f"rank {self.rank}: {line}\n"
                                     for line in lines.rstrip("\n").split("\n")))
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        # MPICH's launcher can drop a process's last lines when the abort follows the flush at
        # once (about 1 abort in 20); a short pause let every line through in 120 aborts.
        time.sleep(_ABORT_PAUSE_S)
        self.comm.Abort(code)
        # MPICH's MPI_Abort can return (it does when called from a thread other than the main
        # one) and the launcher's kill comes later: no more of this process may run meanwhile,
        # not the main thread after the failed thread's join, nor the exit handlers.
        os._exit(code)

    def __repr__(self) -> str:
        return f"Communicator(rank={self.rank}, size={self.size})"


class Request:
    """A non-blocking operation in progress (``Communicator.iallreduce_``).

    Args:
        request: The mpi4py request.
    """

    def __init__(self, request: Any) -> None:
        self.request = request
        self.done = False

    def test(self) -> bool:
        """Whether the operation is complete; lets MPI advance it (``MPI_Test``)."""
        if not self.done:
            self.done = bool(self.request.Test())
        return self.done

    def wait(self) -> None:
        """Return once the operation is complete (``MPI_Wait``)."""
        if not self.done:
            self.request.Wait()
            self.done = True


def _checked(buffer: Any, who: str) -> np.ndarray:
    if not isinstance(buffer, np.ndarray) or not buffer.flags.c_contiguous \
            or not buffer.flags.writeable:
        raise TypeError(f"{who} expects a writable, C-contiguous numpy array. Received: "
                        f"{type(buffer).__name__}; pass np.ascontiguousarray(x) (a copy)")
    return buffer


def first_difference(reference: list[Any], theirs: list[Any], rank: int) -> str:
    """Where ``theirs`` (from ``rank``) first differs from rank 0's ``reference``; '' if equal.

    Examples:
        >>> from optim.distributed.comm import first_difference
        >>> first_difference([("units", 4)], [("units", 5)], rank=1)
        'units is 5 on rank 1 but 4 on rank 0'
    """
    return _difference(reference, theirs, rank)[1]


def _difference(reference: list[Any], theirs: list[Any], rank: int) -> tuple[str, str]:
    """``(label, text)`` of the first difference (rank 0's label), or ``('', '')``."""
    for (label, mine), (their_label, value) in zip(reference, theirs):
        if label != their_label:
            return label, f"rank {rank} has {their_label} where rank 0 has {label}"
        if mine != value:
            return label, f"{label} is {value} on rank {rank} but {mine} on rank 0"
    if len(reference) > len(theirs):
        label, value = reference[len(theirs)]
        return label, f"rank {rank} has no {label} (rank 0: {value})"
    if len(theirs) > len(reference):
        label, value = theirs[len(reference)]
        return label, f"rank {rank} has an extra {label} ({value})"
    return "", ""


def world() -> Communicator:
    """The communicator of every process the launcher started (made once, then reused).

    Examples:
        >>> from optim import distributed as dist
        >>> comm = dist.world()  # doctest: +SKIP
        >>> comm.rank, comm.size  # doctest: +SKIP
        (0, 2)
    """
    global _world
    if _world is None:
        _world = Communicator()
    return _world


def as_communicator(comm: Any) -> Communicator:
    """``comm`` as a ``Communicator``: None is ``world()``, an mpi4py communicator is wrapped.

    Examples:
        >>> from mpi4py import MPI  # doctest: +SKIP
        >>> as_communicator(MPI.COMM_WORLD.Split(color=MPI.COMM_WORLD.rank % 2))  # doctest: +SKIP
        Communicator(rank=0, size=2)
    """
    if comm is None:
        return world()
    return comm if isinstance(comm, Communicator) else Communicator(comm)


def local_rank(comm: Any = None) -> int:
    """This process's number on its machine (Horovod's ``hvd.local_rank()``); a collective the
    first time every process asks. See ``Communicator.local_rank``.

    Examples:
        >>> from optim import distributed as dist
        >>> dist.local_rank()  # doctest: +SKIP
        0
    """
    return as_communicator(comm).local_rank


def local_size(comm: Any = None) -> int:
    """How many processes run on this machine (Horovod's ``hvd.local_size()``); a collective
    the first time every process asks. See ``Communicator.local_size``.

    Examples:
        >>> from optim import distributed as dist
        >>> dist.local_size()  # doctest: +SKIP
        1
    """
    return as_communicator(comm).local_size
