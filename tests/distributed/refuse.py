"""Problems found before training raise the same clear error on every rank, never a hang.

Rank 0 prints ``CASE rank R: ErrorType: message`` for each rank (gathered, so the lines of the
two processes cannot interleave); the script then goes on to the next case, which only works if
no rank was left inside a collective.
"""

from __future__ import annotations

import common
import numpy as np

import nn
import optim
from optim import distributed as dist


def attempt(comm: dist.Communicator, case: str, action) -> None:
    try:
        action()
        message = "no error"
    except Exception as error:
        message = f"{type(error).__name__}: {error}"
    for rank, text in enumerate(comm.allgather_object(message)):
        if comm.rank == 0:
            print(f"{case} rank {rank}: {text}", flush=True)


def fit_case(comm: dist.Communicator, units: int, x: np.ndarray, y: np.ndarray,
             batch_size: int = 8, optimizer: optim.Optimizer | None = None,
             sample_weight: np.ndarray | None = None) -> None:
    nn.set_random_seed(0)
    model = nn.Sequential([nn.Dense(units, input_shape=[x.shape[1]]), nn.Dense(3)])
    common.compile_classifier(model, optim.SGD(0.1) if optimizer is None else optimizer)
    with nn.distribution.DataParallel(comm).scope():
        model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0, sample_weight=sample_weight)


def optimizer_cases(comm: dist.Communicator, x: np.ndarray, y: np.ndarray) -> None:
    """Optimizers that differ between ranks (each would update its replica its own way)."""
    attempt(comm, "optimizer lr", lambda: fit_case(
        comm, 4, x, y, optimizer=optim.Adam(0.01 if comm.rank == 0 else 0.05)))
    attempt(comm, "optimizer kind", lambda: fit_case(
        comm, 4, x, y, optimizer=optim.SGD(0.1) if comm.rank == 0 else optim.Adam(0.1)))
    schedule = nn.optimizers.schedules.ExponentialDecay(0.1, 10, 0.9 if comm.rank == 0 else 0.5)
    attempt(comm, "optimizer schedule", lambda: fit_case(
        comm, 4, x, y, optimizer=nn.optimizers.SGD(learning_rate=schedule)))


def data_cases(comm: dist.Communicator, x: np.ndarray, y: np.ndarray, w: np.ndarray) -> None:
    """Data of the same shapes but not the same on every rank: a share each, a shuffle each."""
    attempt(comm, "split", lambda: fit_case(comm, 4, x[comm.rank::2], y[comm.rank::2]))
    order = np.random.default_rng(comm.rank).permutation(len(x))
    attempt(comm, "shuffled", lambda: fit_case(comm, 4, x[order], y[order]))
    attempt(comm, "weights", lambda: fit_case(comm, 4, x, y, sample_weight=w ** (comm.rank + 1)))


def loss_and_share_cases(comm: dist.Communicator, x: np.ndarray, y: np.ndarray) -> None:
    """Runs that data parallelism cannot make equal to one process: a loss summed over the
    batch, a batch normalization layer given a share of one sample."""
    def summed(loss: object, units: int = 4) -> None:
        nn.set_random_seed(0)
        model = nn.Sequential([nn.Dense(units, input_shape=[x.shape[1]]), nn.Dense(3)])
        model.compile(optimizer=optim.SGD(0.1), loss=loss)
        with nn.distribution.DataParallel(comm).scope():
            model.fit(x, y, batch_size=8, epochs=1, verbose=0)

    keras_sum = nn.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="sum")
    attempt(comm, "sum keras", lambda: summed(keras_sum))
    attempt(comm, "sum torch", lambda: summed(nn.CrossEntropyLoss(reduction="sum")))

    def normalized(model: nn.Module, count: int, batch_size: int) -> None:
        common.compile_classifier(model, optim.SGD(0.1))
        with nn.distribution.DataParallel(comm).scope():
            model.fit(x[:count], y[:count], batch_size=batch_size, epochs=1, verbose=0)

    nn.set_random_seed(0)
    keras = nn.Sequential([nn.Dense(4, input_shape=[x.shape[1]]), nn.BatchNormalization(),
                           nn.Dense(3)])
    attempt(comm, "batchnorm last", lambda: normalized(keras, 27, 8))
    torch = nn.Sequential(nn.Linear(x.shape[1], 4), nn.BatchNorm1d(4), nn.Linear(4, 3))
    attempt(comm, "batchnorm full", lambda: normalized(torch, 30, 3))


def batch_cases(comm: dist.Communicator, x: np.ndarray, y: np.ndarray) -> None:
    """train_on_batch would train each rank alone: refused. evaluate and predict are shared
    among the ranks and give every rank the whole result; test_on_batch and predict_on_batch
    run on the calling rank alone (rank 0 calls them by itself)."""
    nn.set_random_seed(comm.rank)  # different initial weights: fit must make them agree
    model = nn.Sequential([nn.Dense(4, input_shape=[x.shape[1]]), nn.Dense(3)])
    common.compile_classifier(model, optim.SGD(0.1))
    with nn.distribution.DataParallel(comm).scope():
        attempt(comm, "train_on_batch", lambda: model.train_on_batch(x[:8], y[:8]))
        model.fit(x, y, batch_size=8, epochs=1, verbose=0)
        results = (model.evaluate(x, y, verbose=0), model.predict(x, verbose=0).tolist())
        if comm.rank == 0:
            model.test_on_batch(x[:4], y[:4])
            model.predict_on_batch(x[:4])
    same = len({str(r) for r in comm.allgather_object(results)}) == 1
    if comm.rank == 0:
        print(f"evaluate and predict agree on every rank: {same}", flush=True)


def main() -> None:
    comm = common.world()
    x, y, _ = common.data(30)
    attempt(comm, "models", lambda: fit_case(comm, 4 + comm.rank, x, y))
    attempt(comm, "tiny", lambda: fit_case(comm, 4, x[:1], y[:1]))
    attempt(comm, "batch", lambda: fit_case(comm, 4, x, y, batch_size=1))
    bad = x.copy()
    if comm.rank == 1:
        bad[3, 2] = np.nan
    attempt(comm, "nan", lambda: fit_case(comm, 4, bad, y))
    attempt(comm, "length", lambda: fit_case(comm, 4, x[:20 + comm.rank], y[:20 + comm.rank]))
    optimizer_cases(comm, x, y)
    data_cases(comm, x, y, common.data(30)[2])
    batch_cases(comm, x, y)
    loss_and_share_cases(comm, x, y)

    nn.set_random_seed(0)
    model = nn.Sequential([nn.Dense(3 + comm.rank, input_shape=[5]), nn.Dense(3)])
    attempt(comm, "broadcast", lambda: dist.broadcast_parameters(model.parameters(), comm=comm))
    optimizer = dist.DistributedOptimizer(optim.SGD(model.parameters(), lr=0.1), comm)

    def one_step() -> None:
        optimizer.zero_grad()
        nn.functional.mse_loss(model(x[:4]), np.zeros((4, 3), np.float32)).backward()
        optimizer.step(samples=4)

    attempt(comm, "step", one_step)
    attempt(comm, "sampler", lambda: dist.DistributedSampler(1))
    attempt(comm, "sampler seed", lambda: dist.DistributedSampler(30, seed=comm.rank))
    attempt(comm, "sampler length", lambda: dist.DistributedSampler(30 + comm.rank))
    attempt(comm, "sampler one bad", lambda: dist.DistributedSampler(30, rank=2 * comm.rank))
    if comm.allgather_object(comm.rank) == [0, 1] and comm.rank == 0:
        print("done: every rank reached the end", flush=True)


if __name__ == "__main__":
    main()
