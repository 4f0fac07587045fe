"""The benchmark runs, and each side starts from the same point: first losses agree.

Speed is never asserted here (BENCHMARKS.md); CI also runs ``python -m bench --quick`` once.
"""

import pytest

from bench import chain, mlp, moons, report, timing


@pytest.mark.parametrize("make", [chain.make_w2, moons.make_w3t, mlp.make_w1a],
                         ids=["W2", "W3t", "W1a"])
def test_quick_workload_runs_and_first_losses_agree(make):
    workload = make(True)
    workload.warmup, workload.repeats = 1, 1
    results = timing.measure(workload)
    assert timing.losses_agree(results), {s: r["first_loss"] for s, r in results.items()}
    row = report.row(workload, results, True)
    assert row["ratio"] > 0
    text = report.table([row], None, (0.0, 0.0, 0.0))
    assert workload.id in text and "Load average" in text


def test_w6_chain_runs():
    workload = chain.make_w6(200, True)
    results = timing.measure(workload)
    assert timing.losses_agree(results)
