"""Bucketed reduction overlapped with backward gives the blocking path's averages, bit for bit.

Two copies of one small network (several parameters, an optional float64 one, one never used,
one used on rank 0 only in odd steps) train side by side with Adam: one through the blocking
``DistributedOptimizer``, one with ``bucket_cap_mb``. Every step, each rank compares the two
averaged gradients (bytes, and None where None) and counts the buckets that left during
backward. Shares differ between ranks, and rank 1's is empty in one step.
"""

from __future__ import annotations

import common
import numpy as np

import autograd as ag
import optim
from optim import distributed as dist

STEPS = 6
SHARES = [(5, 3), (4, 4), (6, 0), (2, 7), (3, 3), (8, 1)]  # samples of rank 0, rank 1


def make_params(dtype: str, two_dtypes: bool) -> list[ag.Tensor]:
    rng = np.random.default_rng(0)  # the same on both ranks: only the data differ
    shapes = [(5, 5), (16, 3), (6, 16), (16,), (16, 16), (16,), (16, 3), (3,)]
    params = [ag.tensor(rng.normal(size=shape).astype(dtype), requires_grad=True)
              for shape in shapes]
    if two_dtypes:
        params.append(ag.tensor(rng.normal(size=(3,)), dtype=ag.float64, requires_grad=True))
    # Registered first, so in the last buckets (as DDP, a bucket waits for all its parameters,
    # and buckets leave in order): params[0] is never used, params[1] on rank 0 in odd steps.
    return params


def loss(params: list[ag.Tensor], x: np.ndarray, y: np.ndarray, rank: int,
         step: int) -> ag.Tensor:
    _, extra, w1, b1, w2, b2, w3, b3 = params[:8]
    h = (ag.tensor(x) @ w1 + b1).tanh()
    h = (h @ w2 + b2).tanh()
    out = h @ w3 + b3
    if rank == 0 and step % 2 == 1:
        out = out + h @ extra
    value = ((out - ag.tensor(y)) ** 2).mean()
    if len(params) > 8:
        value = value + (params[8] * params[8]).sum() * 1e-3
    return value


def data(rank: int, step: int, count: int, dtype: str) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(100 * step + rank)
    return rng.normal(size=(count, 6)).astype(dtype), rng.normal(size=(count, 3)).astype(dtype)


def grads(params: list[ag.Tensor]) -> list[bytes | None]:
    return [None if p.grad is None else p.grad.numpy().tobytes() for p in params]


def run(comm: dist.Communicator, dtype: str, cap: float, two_dtypes: bool,
        accumulate: bool = False) -> dict:
    blocking_params = make_params(dtype, two_dtypes)
    overlapped_params = make_params(dtype, two_dtypes)
    blocking = dist.DistributedOptimizer(optim.Adam(blocking_params, lr=0.01), comm)
    overlapped = dist.DistributedOptimizer(optim.Adam(overlapped_params, lr=0.01), comm,
                                           bucket_cap_mb=cap)
    result = {"grads_equal": True, "params_equal": True, "started_in_backward": [],
              "none_pattern": [], "buckets": len(overlapped._buckets.buckets)}
    for step in range(STEPS):
        count = SHARES[step][comm.rank]
        x, y = data(comm.rank, step, count, dtype)
        halves = [(x[:count // 2], y[:count // 2]), (x[count // 2:], y[count // 2:])] \
            if accumulate else [(x, y)]
        blocking.zero_grad()
        for part_x, part_y in halves:
            if len(part_x):
                loss(blocking_params, part_x, part_y, comm.rank, step).backward()
        blocking.synchronize(samples=count)
        overlapped.zero_grad(samples=count)
        for k, (part_x, part_y) in enumerate(halves):
            if len(part_x):
                if k < len(halves) - 1:
                    with overlapped.no_sync():
                        loss(overlapped_params, part_x, part_y, comm.rank, step).backward()
                else:
                    loss(overlapped_params, part_x, part_y, comm.rank, step).backward()
        result["started_in_backward"].append(overlapped._buckets._next)
        overlapped.synchronize()
        result["grads_equal"] &= grads(blocking_params) == grads(overlapped_params)
        result["none_pattern"].append([p.grad is None for p in overlapped_params])
        blocking.step()
        overlapped.step()
        result["params_equal"] &= all(np.array_equal(a.numpy(), b.numpy())
                                      for a, b in zip(blocking_params, overlapped_params))
    return result


def twice_without_no_sync(comm: dist.Communicator) -> str:
    """A second backward before step, outside no_sync: refused on every rank; zero_grad then
    completes the reductions already started, and training goes on."""
    params = make_params("float64", False)
    opt = dist.DistributedOptimizer(optim.SGD(params, lr=0.1), comm, bucket_cap_mb=1e-4)
    x, y = data(comm.rank, 0, 4, "float64")
    opt.zero_grad(samples=4)
    loss(params, x, y, comm.rank, 0).backward()
    try:
        loss(params, x, y, comm.rank, 0).backward()
        message = ""
    except RuntimeError as error:
        message = str(error)
    opt.zero_grad(samples=4)
    loss(params, x, y, comm.rank, 0).backward()
    opt.step()
    return message


def main() -> None:
    comm = common.world()
    results: dict = {}
    with dist.abort_on_error(comm):
        for dtype in ("float32", "float64"):
            results[f"{dtype}_small"] = run(comm, dtype, 1e-4, two_dtypes=False)
            results[f"{dtype}_one"] = run(comm, dtype, 25, two_dtypes=False)
            results[f"{dtype}_two_dtypes"] = run(comm, dtype, 1e-3, two_dtypes=True)
            results[f"{dtype}_accumulate"] = run(comm, dtype, 1e-3, two_dtypes=False,
                                                 accumulate=True)
        results["twice"] = twice_without_no_sync(comm)
    common.report(comm, **results)


if __name__ == "__main__":
    main()
