"""Inference shared among processes: which rows each process takes, and the results gathered.

``evaluate`` and ``predict`` under ``nn.distribution.DataParallel`` cut each global batch into
one share per process, as ``fit`` does, and then put the shares' results back together on every
process. The rows travel as raw bytes (``MPI_Allgatherv``), never pickled, so every dtype comes
back bit for bit. (``optim.distributed.meet`` is the first step of such a call.)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from optim.distributed.comm import _mpi, as_communicator


def shard_rows(count: int, batch_size: int, rank: int, size: int) -> np.ndarray:
    """The rows of ``count`` that process ``rank`` of ``size`` takes: from each consecutive
    global batch of ``batch_size`` rows, every ``size``-th one starting at ``rank`` (as ``fit``
    shares its batches). Together the processes' rows cover every row once.

    Examples:
        >>> from optim.distributed import shard_rows
        >>> shard_rows(7, 4, 0, 2).tolist(), shard_rows(7, 4, 1, 2).tolist()
        ([0, 2, 4, 6], [1, 3, 5])
    """
    if count <= 0:
        return np.zeros(0, dtype=np.int64)
    return np.concatenate([np.arange(start + rank, min(start + batch_size, count), size)
                           for start in range(0, count, batch_size)]).astype(np.int64)


def allgather_rows(array: np.ndarray, comm: Any = None) -> np.ndarray:
    """Every process's ``array`` stacked along the first axis, in rank order, on every process.

    The processes may hold different numbers of rows (none too), of the same dtype and shape
    otherwise. One small ``allgather`` of the row counts, shapes and dtypes (refused, on every
    process, when they differ), then one ``MPI_Allgatherv`` of the bytes.

    Args:
        array: This process's rows.
        comm: A ``Communicator`` or mpi4py communicator; ``world()`` when None.

    Raises:
        ValueError: On every process, when the processes' rows differ in dtype or shape.

    Examples:
        >>> from optim import distributed as dist
        >>> dist.allgather_rows(np.full((comm.rank + 1, 2), comm.rank))  # doctest: +SKIP
        array([[0, 0],
               [1, 1],
               [1, 1]])
    """
    communicator = as_communicator(comm)
    array = np.ascontiguousarray(array)
    if array.ndim == 0:
        raise ValueError(f"allgather_rows expects an array with a first axis of rows. "
                         f"Received: a 0-d array of {array.dtype}")
    kind = f"rows of shape {array.shape[1:]} and dtype {array.dtype}"
    reports = communicator.allgather_object((kind, len(array)))  # one message for both
    for rank, (theirs, _) in enumerate(reports):
        if theirs != reports[0][0]:
            raise ValueError(f"allgather_rows: rank {rank} has {theirs} but rank 0 has "
                             f"{reports[0][0]}; every process must gather rows of one kind")
    rows = [int(n) for _, n in reports]
    if communicator.size == 1:
        return np.array(array)
    result = np.empty((sum(rows), *array.shape[1:]), dtype=array.dtype)
    per_row = array.dtype.itemsize * int(np.prod(array.shape[1:], dtype=np.int64))
    counts = [n * per_row for n in rows]
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]).tolist()
    MPI = _mpi()
    communicator.comm.Allgatherv([array.reshape(-1).view(np.uint8), MPI.BYTE],
                                 [result.reshape(-1).view(np.uint8), counts, offsets, MPI.BYTE])
    return result
