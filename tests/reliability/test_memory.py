"""Memory: 1,000 Adam steps on a small MLP neither grow traced memory nor keep tensors alive.

After a warm-up, traced memory may grow by less than 64 KiB over 1,000 steps, and the number
of live ``Tensor`` objects (counted through the garbage collector, every tenth step of those
1,000 and then after each of 200 more steps) stays the same:
graphs, saved values and gradients of old steps must all be released.

The steps run in a fresh interpreter: a heap scan costs time in proportion to every object the
process holds, and the test suite's process holds the frameworks it compares against.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import tracemalloc
from pathlib import Path

import numpy as np

import autograd as ag
import nn
import optim

STEPS = 1000
WARM_UP = 50
LIMIT = 64 * 1024
EVERY_STEP = 200  # steps after which the live tensors are counted every time


def _live_tensors() -> int:
    return sum(1 for o in gc.get_objects() if type(o) is ag.Tensor)


def measure() -> dict:
    """Run the steps and return the traced growth and the distinct live-tensor counts."""
    nn.set_random_seed(0)
    model = nn.Sequential([nn.Dense(16, activation="tanh", input_shape=[4]), nn.Dense(1)])
    opt = optim.Adam(model.parameters(), lr=0.01)
    rng = np.random.default_rng(0)
    x, y = ag.tensor(rng.normal(size=(8, 4))), ag.tensor(rng.normal(size=(8, 1)))

    def step():
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()

    for _ in range(WARM_UP):
        step()
    gc.collect()
    counts = set()
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        for k in range(STEPS):
            step()
            if k % 10 == 0:  # a heap scan under tracemalloc is slow: every step below
                counts.add(_live_tensors())
        gc.collect()
        growth = tracemalloc.get_traced_memory()[0] - start
    finally:
        tracemalloc.stop()
    for _ in range(EVERY_STEP):
        step()
        counts.add(_live_tensors())
    return {"growth": growth, "counts": sorted(counts)}


def test_adam_steps_hold_memory_and_tensor_count_constant():
    root = Path(__file__).resolve().parents[2]
    run = subprocess.run([sys.executable, "-c", "import json\n"
                          "from tests.reliability.test_memory import measure\n"
                          "print(json.dumps(measure()))"],
                         cwd=root, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    growth, counts = result["growth"], result["counts"]
    print(f"traced memory growth over {STEPS} Adam steps: {growth} bytes")
    assert growth < LIMIT, f"memory grew by {growth} bytes over {STEPS} steps"
    assert len(counts) == 1, f"the number of live tensors changed: {counts}"
