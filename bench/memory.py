"""M1: peak resident memory (VmHWM) of a fresh process running W1b, engine vs numpy lower bound.

``python -m bench.memory engine`` (or ``numpy``) runs a few W1b steps and prints its VmHWM in
kB; ``measure`` starts one such process per side. The lower bound's process imports only numpy,
so the engine's import counts against it, as it does for a user.
"""

from __future__ import annotations

import subprocess
import sys

STEPS = 3
TARGET = 1.10


def peak_kb() -> int:
    """This process's peak resident set size, from /proc/self/status."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status (Linux only)")


def run_side(side: str) -> int:
    """Peak kB of a fresh interpreter running W1b's ``side`` for a few steps."""
    out = subprocess.run([sys.executable, "-m", "bench.memory", side], check=True,
                         capture_output=True, text=True)
    return int(out.stdout.split()[-1])


def measure() -> dict:
    engine, numpy = run_side("engine"), run_side("numpy")
    return {"engine_kb": engine, "numpy_kb": numpy, "ratio": engine / numpy,
            "target": f"ratio <= {TARGET}", "met": engine / numpy <= TARGET}


def main(side: str) -> None:
    if side == "engine":
        from bench.mlp import engine_step as make_step
    else:
        from bench.mlp_numpy import numpy_step as make_step
    step = make_step(1024)
    for _ in range(STEPS):
        step()
    print(peak_kb())


if __name__ == "__main__":
    main(sys.argv[1])
