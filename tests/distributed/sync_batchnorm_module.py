"""``nn.SyncBatchNorm`` on 2 processes computes one process's ``BatchNorm1d``/``BatchNorm2d`` on
the whole batch: outputs, gradients and running statistics, equal and unequal shares, an empty
share; ``convert_sync_batchnorm`` and a ``DistributedOptimizer`` train like one process; a
global batch of one sample raises on both ranks (no hang).

Each rank's loss is the mean over its share, and its gradients count in proportion to its share
(as ``DistributedOptimizer.step(samples=n)`` averages them); rank 0 compares with the reference.
"""

from __future__ import annotations

import common
import numpy as np

import autograd as ag
import nn
import optim
from optim import distributed as dist

CHANNELS = 3
# (module, shape of one sample, samples per step, rank 0's share: the rest is rank 1's)
CASES = [
    ("BatchNorm1d", (CHANNELS,), 8, "even"),
    ("BatchNorm1d", (CHANNELS, 5), 7, "even"),  # 4 + 3
    ("BatchNorm2d", (CHANNELS, 4, 3), 7, "first 2"),  # 2 + 5
    ("BatchNorm1d", (CHANNELS,), 5, "all"),  # 5 + 0: rank 1's share is empty
    ("BatchNorm2d", (CHANNELS, 2, 2), 6, "all"),
]


def share(count: int, how: str, rank: int) -> np.ndarray:
    index = np.arange(count)
    if how == "even":
        return index[rank::2]
    cut = count if how == "all" else int(how.split()[1])
    return index[:cut] if rank == 0 else index[cut:]


def relative(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300))


def module_case(comm: dist.Communicator, name: str, sample: tuple[int, ...], count: int,
                how: str, dtype: str) -> dict:
    rng = np.random.default_rng(5)
    weight, bias = rng.normal(size=CHANNELS) + 1, rng.normal(size=CHANNELS)
    ours = nn.SyncBatchNorm(CHANNELS, momentum=0.3, dtype=dtype, process_group=comm)
    reference = getattr(nn, name)(CHANNELS, momentum=0.3, dtype=dtype)
    for module in (ours, reference):
        with ag.no_grad():
            module.weight.copy_(ag.tensor(weight.astype(dtype)))
            module.bias.copy_(ag.tensor(bias.astype(dtype)))
    worst: dict[str, float] = {}
    index = share(count, how, comm.rank)
    for step in range(3):
        x = (rng.normal(size=(count, *sample)) * 2 + step).astype(dtype)
        upstream = rng.normal(size=x.shape).astype(dtype)
        training = step < 2
        ours.train(training)
        x_ours = ag.tensor(x[index], requires_grad=True)
        y_ours = ours(x_ours)
        n = max(len(index), 1)
        (y_ours * ag.tensor(upstream[index])).sum().__truediv__(n).backward()
        weight_share = len(index) / count  # what DistributedOptimizer weighs this rank by
        mine = {"output": y_ours.numpy(), "input gradient": x_ours.grad.numpy() * weight_share,
                "weight gradient": ours.weight.grad.numpy() * weight_share,
                "bias gradient": ours.bias.grad.numpy() * weight_share}
        ours.weight.grad = ours.bias.grad = None
        everyone = comm.allgather_object((index, mine))
        if comm.rank != 0:
            continue
        reference.train(training)
        x_ref = ag.tensor(x, requires_grad=True)
        y_ref = reference(x_ref)
        ((y_ref * ag.tensor(upstream)).sum() / count).backward()
        expected = {"output": y_ref.numpy(), "input gradient": x_ref.grad.numpy(),
                    "weight gradient": reference.weight.grad.numpy(),
                    "bias gradient": reference.bias.grad.numpy()}
        reference.weight.grad = reference.bias.grad = None
        for key, value in expected.items():
            if key in ("output", "input gradient"):
                got = np.zeros_like(value)
                for rows, theirs in everyone:
                    got[rows] = theirs[key]
            else:
                got = sum(theirs[key] for _, theirs in everyone)
            worst[key] = max(worst.get(key, 0.0), relative(got, value))
        for key in ("running_mean", "running_var"):
            got, value = getattr(ours, key).numpy(), getattr(reference, key).numpy()
            worst[key] = max(worst.get(key, 0.0), relative(got, value))
    state = [b.numpy() for b in ours.buffers()]
    return {"ranks_equal": len(set(comm.allgather_object(common.fingerprint(state)))) == 1,
            "tracked": int(ours.num_batches_tracked.numpy()), **worst}


def convert_case(comm: dist.Communicator) -> dict:
    """A nested model converted, trained 6 steps with DistributedOptimizer on 7-sample batches
    (4 + 3), against the same model unconverted on one process."""

    def build() -> nn.Module:
        ag.set_default_dtype("float64")
        nn.set_random_seed(3)
        inner = nn.ModuleList([nn.Linear(4, 5), nn.BatchNorm1d(5)])
        return nn.ModuleList([inner, nn.Tanh(), nn.Linear(5, 2), nn.BatchNorm1d(2)])

    def forward(model: nn.Module, x: np.ndarray) -> ag.Tensor:
        h = ag.tensor(x)
        for layer in (*model[0], *model[1:]):
            h = layer(h)
        return h

    rng = np.random.default_rng(11)
    batches = [(rng.normal(size=(7, 4)), rng.normal(size=(7, 2))) for _ in range(6)]
    model = nn.SyncBatchNorm.convert_sync_batchnorm(build(), process_group=comm)
    kinds = [type(m).__name__ for m in model.modules()]
    opt = dist.DistributedOptimizer(optim.SGD(model.parameters(), lr=0.1), comm)
    for x, y in batches:
        index = np.arange(comm.rank, 7, 2)
        opt.zero_grad()
        nn.functional.mse_loss(forward(model, x[index]), ag.tensor(y[index])).backward()
        opt.step(samples=len(index))
    trained = [p.numpy() for p in [*model.parameters(), *model.buffers()]]
    result = {"kinds": kinds,
              "ranks_equal": len(set(comm.allgather_object(common.fingerprint(trained)))) == 1}
    if comm.rank == 0:
        reference = build()
        ref_opt = optim.SGD(reference.parameters(), lr=0.1)
        for x, y in batches:
            ref_opt.zero_grad()
            nn.functional.mse_loss(forward(reference, x), ag.tensor(y)).backward()
            ref_opt.step()
        expected = [p.numpy() for p in [*reference.parameters(), *reference.buffers()]]
        result["relative"] = common.relative_difference(trained, expected)
    return result


def one_sample_case(comm: dist.Communicator) -> str:
    """A global batch of one sample (1 + 0) raises on both ranks, as BatchNorm1d would."""
    bn = nn.SyncBatchNorm(CHANNELS, process_group=comm)
    try:
        bn(ag.zeros((1 - comm.rank, CHANNELS)))
        return "no error"
    except ValueError as error:
        return str(error)


def main() -> None:
    comm = common.world()
    results = {}
    for dtype in ("float64", "float32"):
        for name, sample, count, how in CASES:
            key = f"{dtype} {name}{sample} {count} {how}"
            results[key] = module_case(comm, name, sample, count, how, dtype)
    results["convert"] = convert_case(comm)
    results["one sample"] = one_sample_case(comm)
    common.report(comm, results=results)


if __name__ == "__main__":
    main()
