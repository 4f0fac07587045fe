"""Peak memory per workload: the resident set size (VmHWM) of a fresh process running one side.

``python -m bench.peak W6@1e5 engine [--quick]`` builds that workload without its peers, runs
the side twice and prints its peak in kB; ``measure`` starts one such process for the
engine and one for the numpy lower bound. Both import the benchmark's modules (the engine among
them), so the difference between the two is what the engine's graph and arrays take at run
time; M1 (``bench.memory``) measures the import as well, for W1b.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from bench.memory import peak_kb

RUNS = 2  # the first run reaches the peak; the second shows it does not grow


def measure(row_id: str, quick: bool) -> dict[str, int]:
    """Peak kB of a fresh process per side (``engine`` and ``numpy``) of workload ``row_id``."""
    env = {**os.environ, "BENCH_PEERS": "0"}  # PyTorch's import alone would dwarf the figures
    peaks = {}
    for side in ("engine", "numpy"):
        command = [sys.executable, "-m", "bench.peak", row_id, side] + (["--quick"] * quick)
        done = subprocess.run(command, check=True, capture_output=True, text=True, env=env)
        peaks[side] = int(done.stdout.split()[-1])
    return peaks


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.peak", description=__doc__)
    parser.add_argument("row_id", help="a row of the table: W1a ... W7, or W6@1e5")
    parser.add_argument("side", choices=["engine", "numpy"])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    from bench.__main__ import workloads  # here: the registry imports this module

    (workload,) = [w for w in workloads([args.row_id.split("@")[0]], args.quick)
                   if w.id == args.row_id]
    for _ in range(RUNS):
        workload.sides[args.side]()
    print(peak_kb())


if __name__ == "__main__":
    main()
