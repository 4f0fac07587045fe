"""Data-parallel training over MPI: the same model on N processes, each on its share of a batch.

Everything here sees parameters, never modules (``nn.distribution.DataParallel`` builds on it
for ``fit``). mpi4py is imported only when a communicator is first needed.

- ``Communicator``, ``world()``: rank, size and the collectives, on numpy buffers;
  ``local_rank()``, ``local_size()``: a process's place among those of its machine.
- ``broadcast_parameters``: rank 0's weights on every process (once, before training).
- ``broadcast_optimizer_state``: rank 0's optimizer state (moments, step counts) everywhere.
- ``DistributedOptimizer``: one ``Allreduce`` of the packed gradients before each step.
- ``DistributedSampler``: each process's share of the indices, reshuffled each epoch.
- ``shard_rows``, ``allgather_rows``: inference shared among processes (which rows each
  takes, every process's rows gathered as bytes); ``meet``, ``meet_at_exit``: a shared call
  made by some processes only raises instead of waiting forever.
- ``abort_on_error``: an exception on one process ends them all, instead of a hang;
  ``abort_on_uncaught_exception``: the same for an exception that nothing catches.

Example (run with ``mpiexec -n 2 python train.py``)::

    from optim import distributed as dist
    opt = dist.DistributedOptimizer(optim.SGD(model.parameters(), lr=0.1))
    dist.broadcast_parameters(model.parameters())
    sampler = dist.DistributedSampler(len(x), seed=0)
    with dist.abort_on_error():
        for epoch in range(10):
            sampler.set_epoch(epoch)
            for index in sampler.batches(32):
                opt.zero_grad()
                if len(index):
                    nn.functional.mse_loss(model(x[index]), y[index]).backward()
                opt.step(samples=len(index))
"""

from optim.distributed.comm import (
    Communicator,
    as_communicator,
    is_available,
    local_rank,
    local_size,
    world,
)
from optim.distributed.failures import abort_on_error, abort_on_uncaught_exception
from optim.distributed.fingerprint import data_fingerprint
from optim.distributed.meeting import meet, meet_at_exit
from optim.distributed.optimizer import DistributedOptimizer, describe_optimizer
from optim.distributed.optimizer_state import broadcast_optimizer_state
from optim.distributed.packing import (
    FlatBuffer,
    average_parameters,
    broadcast_parameters,
    by_dtype,
    check_parameters,
    describe_parameters,
)
from optim.distributed.sampler import DistributedSampler
from optim.distributed.sharding import allgather_rows, shard_rows

__all__ = [
    "Communicator", "DistributedOptimizer", "DistributedSampler", "FlatBuffer", "abort_on_error",
    "abort_on_uncaught_exception", "allgather_rows", "as_communicator", "average_parameters",
    "broadcast_optimizer_state", "broadcast_parameters", "by_dtype", "check_parameters",
    "data_fingerprint", "describe_optimizer", "describe_parameters", "is_available",
    "local_rank", "local_size", "meet", "meet_at_exit", "shard_rows", "world",
]
