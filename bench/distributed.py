"""Data-parallel training over MPI: epoch time on 1 and 2 processes, allreduce time per size.

Run from the repository root: ``python -m bench.distributed [--ranks 1 2 4] [--json out.json]``.
It starts ``mpiexec -n N python -m bench.distributed --worker ...`` for each measurement and
prints two tables. Not part of ``python -m bench`` (each launch costs seconds); it needs mpi4py
and mpiexec (``pip install mpi4py mpich``).

- Epochs: the MLP 784-256-128-10 of W1 (float32, ReLU, softmax cross-entropy, SGD lr 0.01) on
  8,192 synthetic samples through ``fit`` under ``nn.distribution.DataParallel``, global batch
  256; the median of a few epochs after one warm-up epoch. Each process uses one BLAS thread
  (``--threads``), so N processes use N cores.
- Allreduce: ``Communicator.allreduce_`` (one in-place ``MPI_Allreduce``, sum) on float32
  buffers of several sizes, the MLP's gradient (235,146 floats) among them, and the whole
  ``DistributedOptimizer.synchronize`` (pack, allreduce, unpack) at that size; the median of
  many calls. The bus bandwidth is ``2 (N-1)/N * bytes / time``, what a ring allreduce moves
  per process.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

import numpy as np

SIZES = (1_000, 10_000, 100_000, 235_146, 1_000_000, 4_000_000)
SAMPLES, BATCH, FEATURES = 8192, 256, 784


def _mpiexec() -> str:
    beside = os.path.join(os.path.dirname(sys.executable), "mpiexec")
    found = beside if os.access(beside, os.X_OK) else shutil.which("mpiexec")
    if found is None:
        sys.exit("bench.distributed needs mpiexec: pip install mpi4py mpich")
    return found


def launch(ranks: int, worker: str, threads: int, epochs: int) -> dict:
    """Run one worker on ``ranks`` processes; rank 0's JSON report."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {**os.environ, "OMP_NUM_THREADS": str(threads), "OPENBLAS_NUM_THREADS": str(threads),
           "MKL_NUM_THREADS": str(threads),
           "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    command = [_mpiexec(), "-n", str(ranks), sys.executable, "-m", "bench.distributed",
               "--worker", worker, "--epochs", str(epochs)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=root,
                          timeout=600)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        sys.exit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(lines[-1])


def mlp_model():
    import nn
    import optim

    nn.set_random_seed(0)
    model = nn.Sequential([nn.Dense(256, "relu", input_shape=[FEATURES]),
                           nn.Dense(128, "relu"), nn.Dense(10)])
    model.compile(optimizer=optim.SGD(0.01),
                  loss=nn.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


def epoch_worker(epochs: int) -> None:
    import nn

    rng = np.random.default_rng(0)
    x = rng.normal(size=(SAMPLES, FEATURES)).astype(np.float32)
    y = rng.integers(0, 10, SAMPLES)
    model = mlp_model()
    parallel = nn.distribution.DataParallel()
    times = []

    class Clock(nn.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            parallel.communicator.comm.Barrier()
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            times.append(time.perf_counter() - self.start)

    with parallel.scope():
        model.fit(x, y, batch_size=BATCH, epochs=epochs + 1, verbose=0, callbacks=[Clock()])
    if parallel.rank == 0:
        print(json.dumps({"ranks": parallel.size, "epoch_s": statistics.median(times[1:]),
                          "steps": -(-SAMPLES // BATCH)}), flush=True)


def allreduce_worker() -> None:
    import autograd as ag
    import optim
    from optim import distributed as dist

    comm = dist.world()
    rows = []
    for size in SIZES:
        buffer = np.ones(size, np.float32)
        repeats = max(20, min(500, 20_000_000 // size))
        rows.append({"floats": size, "ms": 1e3 * _median_time(comm, repeats,
                                                              lambda b=buffer: comm.allreduce_(b))})
    model = mlp_model()
    optimizer = dist.DistributedOptimizer(optim.SGD(model.parameters(), lr=0.01), comm)
    for p in model.parameters():
        p.grad = ag.tensor(np.ones(p.shape, np.float32))
    floats = sum(int(np.prod(p.shape)) for p in model.parameters())
    sync = 1e3 * _median_time(comm, 100, lambda: optimizer.synchronize(samples=BATCH))
    if comm.rank == 0:
        print(json.dumps({"ranks": comm.size, "allreduce": rows,
                          "synchronize": {"floats": floats, "ms": sync}}), flush=True)


def _median_time(comm, repeats: int, call) -> float:
    for _ in range(3):
        call()
    times = []
    for _ in range(repeats):
        comm.comm.Barrier()
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    # Every rank's time counts: a collective ends when its slowest member does.
    return float(max(comm.allgather_object(statistics.median(times))))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.distributed",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--ranks", type=int, nargs="+", default=[1, 2],
                        help="process counts to time epochs on (default: 1 2)")
    parser.add_argument("--epochs", type=int, default=3, help="timed epochs (after a warm-up)")
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads per process")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    parser.add_argument("--worker", choices=["epoch", "allreduce"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker == "epoch":
        epoch_worker(args.epochs)
        return 0
    if args.worker == "allreduce":
        allreduce_worker()
        return 0

    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}, "
          f"BLAS threads per process: {args.threads}")
    epochs = [launch(n, "epoch", args.threads, args.epochs) for n in args.ranks]
    print(f"\nMLP 784-256-128-10, {SAMPLES} samples, global batch {BATCH} "
          f"({epochs[0]['steps']} steps per epoch), fit under DataParallel")
    print(f"{'ranks':>5} {'epoch s':>9} {'ms/step':>8} {'speed-up':>9}")
    for row in epochs:
        print(f"{row['ranks']:>5} {row['epoch_s']:>9.3f} "
              f"{1e3 * row['epoch_s'] / row['steps']:>8.2f} "
              f"{epochs[0]['epoch_s'] / row['epoch_s']:>9.2f}")
    ranks = max(2, max(args.ranks))
    reduce = launch(ranks, "allreduce", args.threads, args.epochs)
    factor = 2 * (ranks - 1) / ranks
    print(f"\nAllreduce (sum, in place, float32) on {ranks} processes")
    print(f"{'floats':>10} {'MB':>7} {'ms':>8} {'bus GB/s':>9}")
    for row in reduce["allreduce"]:
        megabytes = 4 * row["floats"] / 1e6
        print(f"{row['floats']:>10,} {megabytes:>7.2f} {row['ms']:>8.3f} "
              f"{factor * megabytes / row['ms']:>9.2f}")
    sync = reduce["synchronize"]
    print(f"DistributedOptimizer.synchronize of the MLP's gradient ({sync['floats']:,} floats, "
          f"pack + allreduce + unpack): {sync['ms']:.3f} ms")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as file:
            json.dump({"epochs": epochs, "allreduce": reduce}, file, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
