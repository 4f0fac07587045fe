"""How a program under ``mpiexec -n 2`` ends: usage ``exits.py CASE``.

- ``exit0``: both ranks call ``sys.exit(0)`` inside ``abort_on_error``: a normal end, status 0.
- ``exit3``: rank 1 calls ``sys.exit(3)`` inside ``abort_on_error`` while rank 0 waits in a
  collective: the job ends at once with status 3.
- ``uncaught``: under ``DataParallel``, rank 1 raises an exception that nothing catches while
  rank 0 waits in a collective: the job ends at once (status 1) instead of hanging.
"""

from __future__ import annotations

import sys

import common

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
    print(f"unreachable: rank {comm.rank} went on", flush=True)


if __name__ == "__main__":
    main()
