"""How a program under ``mpiexec -n 2`` ends: usage ``exits.py CASE``.

- ``exit0``: both ranks call ``sys.exit(0)`` inside ``abort_on_error``: a normal end, status 0.
- ``exit3``: rank 1 calls ``sys.exit(3)`` inside ``abort_on_error`` while rank 0 waits in a
  collective: the job ends at once with status 3.
- ``uncaught``: under ``DataParallel``, rank 1 raises an exception that nothing catches while
  rank 0 waits in a collective: the job ends at once (status 1) instead of hanging.
- ``thread``: under ``DataParallel``, a thread of rank 1 dies of an exception while both
  ranks wait for its result: the job ends at once (status 1).
- ``alone``: under ``DataParallel``, rank 1 ends its program (``sys.exit(0)``) while rank 0
  predicts alone: rank 0 raises (nothing catches it: the job ends, status 1), instead of
  waiting forever.
"""

from __future__ import annotations

import sys
import threading

import common
import numpy as np

import nn
from optim import distributed as dist


def main() -> None:
    case = sys.argv[1]
    comm = common.world()
    if case == "exit0":
        with dist.abort_on_error(comm):
            comm.allgather_object(comm.rank)
            sys.exit(0)
    if case == "exit3":
        with dist.abort_on_error(comm):
            if comm.rank == 1:
                sys.exit(3)
            comm.allgather_object(comm.rank)
    if case == "uncaught":
        nn.distribution.DataParallel(comm)
        if comm.rank == 1:
            raise RuntimeError("uncaught on purpose")
        comm.allgather_object(comm.rank)
    if case == "thread":
        nn.distribution.DataParallel(comm)
        results = []

        def work() -> None:
            if comm.rank == 1:
                raise ValueError("a worker thread failed on purpose")
            results.append(1)

        worker = threading.Thread(target=work)
        worker.start()
        worker.join()
        comm.allgather_object(len(results))
    if case == "alone":
        parallel = nn.distribution.DataParallel(comm)
        nn.distribution.set_distribution(parallel)
        model = common.mlp(0)
        if comm.rank == 1:
            sys.exit(0)
        model.predict(np.zeros((4, 5), np.float32), verbose=0)
    print(f"unreachable: rank {comm.rank} went on", flush=True)


if __name__ == "__main__":
    main()
