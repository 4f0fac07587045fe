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
- Overlap (``--overlap``, on 2 processes): one training step (zero_grad, forward, backward,
  step; SGD) of an MLP 2048-2048-2048-10 (float32, ReLU, cross-entropy; a 33.6 MB gradient),
  64 samples per process: alone (a plain optimizer, no exchange), through the blocking
  ``DistributedOptimizer``, through ``DistributedOptimizer(..., bucket_cap_mb=25)`` and through
  the same with one bucket for everything (the control: it leaves when backward ends, so it
  overlaps nothing), the four interleaved step by step on one model, and the ``Allreduce`` of
  the whole gradient alone. The exchange's cost is a step's time minus the step alone; the
  share hidden by the overlap is ``1 - overlapped cost / one-bucket cost``. Run once as it is
  and once with ``MPICH_ASYNC_PROGRESS=1`` (a progress thread per process, which needs a core
  of its own).
"""

from __future__ import annotations

import argparse
import contextlib
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
WIDE, WIDE_BATCH, BUCKET_MB = (2048, 2048, 2048, 10), 64, 25


def _mpiexec() -> str:
    beside = os.path.join(os.path.dirname(sys.executable), "mpiexec")
    found = beside if os.access(beside, os.X_OK) else shutil.which("mpiexec")
    if found is None:
        sys.exit("bench.distributed needs mpiexec: pip install mpi4py mpich")
    return found


def launch(ranks: int, worker: str, threads: int, epochs: int,
           extra_env: dict[str, str] | None = None, extra_args: list[str] | None = None) -> dict:
    """Run one worker on ``ranks`` processes; rank 0's JSON report."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {**os.environ, "OMP_NUM_THREADS": str(threads), "OPENBLAS_NUM_THREADS": str(threads),
           "MKL_NUM_THREADS": str(threads),
           "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
           **(extra_env or {})}
    command = [_mpiexec(), "-n", str(ranks), sys.executable, "-m", "bench.distributed",
               "--worker", worker, "--epochs", str(epochs), *(extra_args or [])]
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


def overlap_worker(steps: int, bucket_mb: float) -> None:
    import autograd as ag
    import nn
    import optim
    from optim import distributed as dist

    comm = dist.world()
    rng = np.random.default_rng(comm.rank)
    x = ag.tensor(rng.normal(size=(WIDE_BATCH, WIDE[0])).astype(np.float32))
    y = ag.tensor(rng.integers(0, WIDE[-1], WIDE_BATCH))

    def model() -> list:
        init = np.random.default_rng(0)
        params = []
        for fan_in, fan_out in zip(WIDE[:-1], WIDE[1:]):
            params.append(ag.tensor((init.normal(size=(fan_in, fan_out)) * (2 / fan_in) ** 0.5)
                                    .astype(np.float32), requires_grad=True))
            params.append(ag.zeros(fan_out, requires_grad=True))
        return params

    def forward(params: list) -> object:
        h = x
        for k in range(0, len(params), 2):
            h = h @ params[k] + params[k + 1]
            if k + 2 < len(params):
                h = h.relu()
        return nn.functional.cross_entropy(h, y)

    # One model for every mode, so that each mode moves the same memory: the hooks of the
    # bucketed optimizers not in use are paused (no_sync) while another mode steps.
    weights = model()
    optimizers = {
        "alone": optim.SGD(weights, lr=1e-4),
        "blocking": dist.DistributedOptimizer(optim.SGD(weights, lr=1e-4), comm),
        # The control: one bucket, which leaves when backward ends: nothing to overlap.
        "one bucket": dist.DistributedOptimizer(optim.SGD(weights, lr=1e-4), comm,
                                                bucket_cap_mb=1e6),
        "overlapped": dist.DistributedOptimizer(optim.SGD(weights, lr=1e-4), comm,
                                                bucket_cap_mb=bucket_mb)}
    bucketed = ("one bucket", "overlapped")

    def step(mode: str) -> float:
        """One step; returns the time ``opt.step`` took (the wait, unpacking, the update)."""
        opt = optimizers[mode]
        with contextlib.ExitStack() as paused:
            for other in bucketed:
                if other != mode:
                    paused.enter_context(optimizers[other].no_sync())
            if mode in bucketed:
                opt.zero_grad(samples=WIDE_BATCH)
            else:
                opt.zero_grad()
            forward(weights).backward()
        start = time.perf_counter()
        if mode == "blocking":
            opt.step(samples=WIDE_BATCH)
        else:
            opt.step()
        return time.perf_counter() - start

    times: dict[str, list[float]] = {key: [] for mode in optimizers
                                     for key in (mode, f"{mode} step()")}
    for repeat in range(steps + 2):  # the first two untimed
        for mode in optimizers:
            comm.comm.Barrier()
            start = time.perf_counter()
            in_step = step(mode)
            if repeat >= 2:
                times[mode].append(time.perf_counter() - start)
                times[f"{mode} step()"].append(in_step)
    medians = {mode: statistics.median(values) for mode, values in times.items()}
    slowest = {mode: max(ms) for mode, ms in
               zip(medians, zip(*comm.allgather_object(list(medians.values()))))}
    floats = sum(int(p.numel()) for p in weights)
    buffer = np.ones(floats, np.float32)
    allreduce = _median_time(comm, 20, lambda: comm.allreduce_(buffer))
    if comm.rank == 0:
        print(json.dumps({"ranks": comm.size, "floats": floats, "steps": steps,
                          "buckets": len(optimizers["overlapped"]._buckets.buckets),
                          "bucket_mb": bucket_mb,
                          "ms": {mode: 1e3 * t for mode, t in slowest.items()},
                          "allreduce_ms": 1e3 * allreduce,
                          "async_progress": os.environ.get("MPICH_ASYNC_PROGRESS", "0")}),
              flush=True)


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
    parser.add_argument("--overlap", action="store_true",
                        help="only the step of a wide MLP, blocking against overlapped "
                             "(bucket_cap_mb), on 2 processes, with and without "
                             "MPICH_ASYNC_PROGRESS=1")
    parser.add_argument("--steps", type=int, default=15, help="timed steps per mode (--overlap)")
    parser.add_argument("--bucket-mb", type=float, default=BUCKET_MB,
                        help="bucket_cap_mb of the overlapped mode (--overlap; DDP's 25)")
    parser.add_argument("--worker", choices=["epoch", "allreduce", "overlap"],
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker == "epoch":
        epoch_worker(args.epochs)
        return 0
    if args.worker == "allreduce":
        allreduce_worker()
        return 0
    if args.worker == "overlap":
        overlap_worker(args.epochs, args.bucket_mb)
        return 0
    if args.overlap:
        print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}, "
              f"BLAS threads per process: {args.threads}")
        rows = [launch(2, "overlap", args.threads, args.steps, {"MPICH_ASYNC_PROGRESS": progress},
                       ["--bucket-mb", str(args.bucket_mb)]) for progress in ("0", "1")]
        _print_overlap(rows)
        if args.json:
            with open(args.json, "w", encoding="utf-8") as file:
                json.dump({"overlap": rows}, file, indent=1)
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


def _print_overlap(rows: list[dict]) -> None:
    first = rows[0]
    print(f"\nOne step of the MLP {'-'.join(map(str, WIDE))} (float32, {first['floats']:,} "
          f"floats of gradient: {4 * first['floats'] / 1e6:.1f} MB), {WIDE_BATCH} samples per "
          f"process, SGD, 2 processes; medians of {first['steps']} steps, the slower rank's")
    print(f"{'MPICH_ASYNC_PROGRESS':>20} {'alone ms':>9} {'blocking':>9} {'one bucket':>11} "
          f"{'overlapped':>11} {'allreduce':>10} {'cost blocking':>14} {'one bucket':>11} "
          f"{'overlapped':>11} {'hidden':>7}")
    for row in rows:
        ms = row["ms"]
        cost = {mode: ms[mode] - ms["alone"] for mode in ("blocking", "one bucket", "overlapped")}
        hidden = 1 - cost["overlapped"] / cost["one bucket"] if cost["one bucket"] > 0 \
            else float("nan")
        print(f"{row['async_progress']:>20} {ms['alone']:>9.1f} {ms['blocking']:>9.1f} "
              f"{ms['one bucket']:>11.1f} {ms['overlapped']:>11.1f} {row['allreduce_ms']:>10.1f} "
              f"{cost['blocking']:>14.1f} {cost['one bucket']:>11.1f} "
              f"{cost['overlapped']:>11.1f} {hidden:>7.0%}")
        print(f"{'':>20} of which in opt.step(): alone {ms['alone step()']:.1f}, blocking "
              f"{ms['blocking step()']:.1f}, one bucket {ms['one bucket step()']:.1f}, "
              f"overlapped {ms['overlapped step()']:.1f} ms")
    print(f"(overlapped: buckets of {first['bucket_mb']:g} MiB, {first['buckets']} of them; one "
          f"bucket: the same path with all gradients in one bucket, which leaves when backward "
          f"ends and so overlaps nothing; cost: the step's time minus the step alone; hidden: "
          f"1 - cost overlapped / cost one bucket)")


if __name__ == "__main__":
    sys.exit(main())
