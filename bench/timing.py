"""Interleaved timing: each repeat runs every side once, in an order that alternates."""

from __future__ import annotations

import gc
import statistics
import time

from bench.workload import Workload


def measure(workload: Workload) -> dict:
    """Warm up, then time each side ``repeats`` times, interleaved.

    Returns per side its median, min and max in seconds, and its first loss (from the first
    warm-up run: every side starts from the same weights, so these must agree).
    """
    names = list(workload.sides)
    # What exists before timing (the harness, PyTorch's many modules, the data) is set aside
    # from Python's cyclic collector, or its size would slow every collection the engine's new
    # objects set off (W2 ran 40% slower with torch merely imported). The engine's own objects
    # are collected as in any program.
    gc.collect()
    gc.freeze()
    try:
        return _measure(workload, names)
    finally:
        gc.unfreeze()


def _measure(workload: Workload, names: list[str]) -> dict:
    first_loss = {}
    for w in range(max(workload.warmup, 1)):
        for name in names:
            loss = workload.sides[name]()
            if w == 0:
                first_loss[name] = float(loss)
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(workload.repeats):
        order = names if r % 2 == 0 else names[::-1]
        for name in order:
            gc.collect()  # garbage from the other side must not be collected on this one's clock
            start = time.perf_counter()
            workload.sides[name]()
            times[name].append(time.perf_counter() - start)
    return {
        name: {
            "median": statistics.median(ts),
            "min": min(ts),
            "max": max(ts),
            "first_loss": first_loss[name],
        }
        for name, ts in times.items()
    }


def losses_agree(results: dict, rtol: float = 1e-3) -> bool:
    """True when every side's first loss matches the lower bound's."""
    reference = results["numpy"]["first_loss"]
    return all(r["first_loss"] == reference  # also inf == inf (W6 overflows float32 at 10^6)
               or abs(r["first_loss"] - reference) <= rtol * max(1.0, abs(reference))
               for r in results.values())
