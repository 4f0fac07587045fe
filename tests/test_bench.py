"""The benchmark runs, and each side starts from the same point: first losses agree.

Speed is never asserted here (bench/README.md); CI also runs ``python -m bench --quick`` once.
"""

import pytest

from bench import chain, mlp, moons, peak, report, timing


@pytest.mark.parametrize("make", [chain.make_w2, moons.make_w3t, mlp.make_w1a],
                         ids=["W2", "W3t", "W1a"])
def test_quick_workload_runs_and_first_losses_agree(make):
    workload = make(True)
    workload.warmup, workload.repeats = 1, 1
    results = timing.measure(workload)
    assert timing.losses_agree(results), {s: r["first_loss"] for s, r in results.items()}
    row = report.row(workload, results, True, {"engine": 40_000, "numpy": 39_000})
    assert row["ratio"] > 0
    text = report.table([row], None, (0.0, 0.0, 0.0))
    assert workload.id in text and "Load average" in text and "39.1 / 38.1" in text


def test_peak_memory_of_a_fresh_process_per_side():
    peaks = peak.measure("W2", quick=True)
    assert set(peaks) == {"engine", "numpy"}
    assert all(20_000 < kb < 2_000_000 for kb in peaks.values()), peaks


def test_w6_chain_runs():
    workload = chain.make_w6(200, True)
    results = timing.measure(workload)
    assert timing.losses_agree(results)
