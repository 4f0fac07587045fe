"""Each process reports its rank, its local rank and the local size (Horovod's names).

Usage: local.py. Both processes of ``mpiexec -n 2`` run on this machine: local_size is 2 and
each local rank is the rank.
"""

from __future__ import annotations

from optim import distributed as dist


def main() -> None:
    comm = dist.world()
    print(f"rank {comm.rank} local {dist.local_rank()} of {dist.local_size()}", flush=True)


if __name__ == "__main__":
    main()
