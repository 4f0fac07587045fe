"""Memory: 1,000 Adam steps on a small MLP neither grow traced memory nor keep tensors alive.

After a warm-up, traced memory may grow by less than 64 KiB over 1,000 steps, and the number
of live ``Tensor`` objects (counted through the garbage collector, every tenth step of those
1,000 and then after each of 200 more steps) stays the same:
graphs, saved values and gradients of old steps must all be released.
"""

from __future__ import annotations

import gc
import tracemalloc

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


def test_adam_steps_hold_memory_and_tensor_count_constant():
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
    print(f"traced memory growth over {STEPS} Adam steps: {growth} bytes")
    assert growth < LIMIT, f"memory grew by {growth} bytes over {STEPS} steps"
    assert len(counts) == 1, f"the number of live tensors changed: {sorted(counts)}"
