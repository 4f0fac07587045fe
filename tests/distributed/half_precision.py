"""float16 gradients are averaged without overflow: summed in float32, then cast back.

Rank 0 holds a gradient of 20 over 4,000 samples, rank 1 one of 10 over 2,000; the weighted
sum (100,000) is above float16's largest number (65,504), so summed in float16 it was inf.
Rank 0 reports the averaged gradients and whether they equal one process's (the float64
average, rounded to float16).

Usage: mpiexec -n 2 python tests/distributed/half_precision.py
"""

from __future__ import annotations

import numpy as np

import autograd as ag
import optim
from optim import distributed as dist
from tests.distributed.common import report, world


def main() -> None:
    comm = world()
    half = ag.tensor(np.zeros(3, np.float16), requires_grad=True)
    single = ag.tensor(np.zeros(2, np.float32), requires_grad=True)
    optimizer = dist.DistributedOptimizer(optim.SGD([half, single], lr=0.1), comm)
    grads, samples = (20.0, 10.0), (4000, 2000)
    half.grad = ag.tensor(np.full(3, grads[comm.rank], np.float16))
    single.grad = ag.tensor(np.full(2, grads[comm.rank], np.float32))
    optimizer.synchronize(samples=samples[comm.rank])
    expected = np.dot(grads, samples) / sum(samples)  # one process: the mean over 6,000
    report(comm, half_dtype=str(half.grad.numpy().dtype), half=half.grad.numpy().tolist(),
           half_exact=bool(np.all(half.grad.numpy() == np.float16(expected))),
           single_exact=bool(np.all(single.grad.numpy() == np.float32(expected))))


if __name__ == "__main__":
    main()
