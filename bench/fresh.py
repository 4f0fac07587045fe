"""Fresh-process rows: W1a and W1b timed in a new Python process per side, as a user's script runs.

The main table times every side in one long-lived process, interleaved. Here each side (the engine,
then the numpy lower bound) runs alone in its own interpreter, which imports only what that side
needs: ``python -m bench.fresh W1b engine [--quick]`` warms up, then times each of ``steps``
training steps and counts the minor page faults (``ru_minflt`` of ``getrusage``) over them, and
prints its figures as JSON. A fault per step means the step touched memory the process had not
used before, typically a large temporary array that the allocator took from the system and gave
back. ``measure`` starts such processes in turn (engine, lower bound, lower bound, engine, ...).

W6's growth (time at 10^6 operations over time at 10^5) is measured this way too, by
``measure_w6_growth`` (``python -m bench.fresh W6 engine --size 1000000``): in the main run the
engine shares its process with PyTorch and micrograd, whose objects Python's cyclic collector
rescans at each full pass that the engine's growing graph sets off, as it would not in a user's
script.
"""

from __future__ import annotations

import argparse
import array
import json
import os
import resource
import statistics
import subprocess
import sys
import time

BATCHES = {"W1a": 128, "W1b": 1024}
TARGETS = {"W1a": 1.05, "W1b": 1.05}


def settings(quick: bool) -> dict[str, int]:
    """Warm-up steps, timed steps and processes per side."""
    # 10 warm-up steps, quick or not: a process's first steps fault once as they first touch
    # memory (the engine's sixth step among them); the faults counted after them are the
    # per-step ones.
    if quick:
        return {"warmup": 10, "steps": 5, "rounds": 1}
    return {"warmup": 10, "steps": 40, "rounds": 3}


def run_side(row_id: str, side: str, warmup: int, steps: int) -> dict:
    """Time ``steps`` steps of one side in this process; returns its figures (seconds)."""
    batch = BATCHES[row_id]
    if side == "engine":
        from bench.mlp import engine_step as make_step
    else:  # the lower bound's process imports numpy alone, as M1's does
        from bench.mlp_numpy import numpy_step as make_step
    step = make_step(batch)
    first_loss = float(step())
    for _ in range(warmup - 1):
        step()
    # The times go into memory taken beforehand: a list growing by a float per step made a
    # page fault of its own, counted against the step.
    times = array.array("d", bytes(8 * steps))
    faults_before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for i in range(steps):
        start = time.perf_counter()
        step()
        times[i] = time.perf_counter() - start
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults_before
    return {"median": statistics.median(times), "min": min(times), "max": max(times),
            "faults_per_step": faults / steps, "first_loss": first_loss}


def run_chain(side: str, size: int, repeats: int) -> dict:
    """Time W6's chain of ``size`` multiplications ``repeats`` times in this process (seconds)."""
    from bench.chain import w6_engine, w6_numpy

    chain = (w6_engine if side == "engine" else w6_numpy)(size)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        chain()
        times.append(time.perf_counter() - start)
    return {"median": statistics.median(times), "min": min(times), "max": max(times)}


def measure_w6_growth(quick: bool) -> dict:
    """W6's growth per side, each size timed in fresh processes taken in turn: the median over
    processes of the time at the larger size over that at the smaller."""
    sizes = (1_000, 10_000) if quick else (100_000, 1_000_000)
    rounds = 1 if quick else 3
    env = {**os.environ, "BENCH_PEERS": "0"}
    medians: dict[str, dict[int, list[float]]] = {"engine": {}, "numpy": {}}
    for r in range(rounds):
        for side in (["engine", "numpy"] if r % 2 == 0 else ["numpy", "engine"]):
            for size in sizes:
                repeats = 3 if size < 1_000_000 else 1
                command = [sys.executable, "-m", "bench.fresh", "W6", side, "--size", str(size),
                           "--steps", str(repeats)]
                done = subprocess.run(command, check=True, capture_output=True, text=True,
                                      env=env)
                result = json.loads(done.stdout.splitlines()[-1])
                medians[side].setdefault(size, []).append(result["median"])
    small, big = sizes
    return {side: {"growth": statistics.median(times[big]) / statistics.median(times[small]),
                   "seconds": {str(size): statistics.median(t) for size, t in times.items()}}
            for side, times in medians.items()}


def measure(row_id: str, quick: bool) -> dict:
    """Both sides of ``row_id``, each in fresh processes taken in turn; a row for the table.

    Per side: the median over processes of each process's median step time, the fastest and
    slowest process median, and the median of the faults per step.
    """
    config = settings(quick)
    env = {**os.environ, "BENCH_PEERS": "0"}
    runs: dict[str, list[dict]] = {"engine": [], "numpy": []}
    for r in range(config["rounds"]):
        order = ["engine", "numpy"] if r % 2 == 0 else ["numpy", "engine"]
        for side in order:
            command = [sys.executable, "-m", "bench.fresh", row_id, side,
                       "--warmup", str(config["warmup"]), "--steps", str(config["steps"])]
            done = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
            runs[side].append(json.loads(done.stdout.splitlines()[-1]))
    sides = {side: {"median": statistics.median(r["median"] for r in results),
                    "min": min(r["median"] for r in results),
                    "max": max(r["median"] for r in results),
                    "faults_per_step": statistics.median(r["faults_per_step"] for r in results),
                    "first_loss": results[0]["first_loss"], "processes": results}
             for side, results in runs.items()}
    ratio = sides["engine"]["median"] / sides["numpy"]["median"]
    faults = sides["engine"]["faults_per_step"], sides["numpy"]["faults_per_step"]
    limit = TARGETS[row_id]
    reference = sides["numpy"]["first_loss"]
    agree = abs(sides["engine"]["first_loss"] - reference) <= 1e-3 * max(1.0, abs(reference))
    return {"id": f"{row_id} fresh", "what": f"{row_id}, a fresh process per side",
            "kind": "fresh", "sides": sides, "ratio": ratio,
            "steps": config["steps"], "processes": config["rounds"],
            "target": f"<= {limit}, faults <= np",
            "met": ratio <= limit and faults[0] <= faults[1],
            "first_losses_agree": agree}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fresh", description=__doc__)
    parser.add_argument("row_id", choices=[*sorted(BATCHES), "W6"])
    parser.add_argument("side", choices=["engine", "numpy"])
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--steps", type=int, default=40, help="timed steps (W6: chains)")
    parser.add_argument("--size", type=int, default=100_000, help="W6: operations per chain")
    args = parser.parse_args(argv)
    if args.row_id == "W6":
        print(json.dumps(run_chain(args.side, args.size, args.steps)))
    else:
        print(json.dumps(run_side(args.row_id, args.side, max(args.warmup, 1), args.steps)))


if __name__ == "__main__":
    main()
