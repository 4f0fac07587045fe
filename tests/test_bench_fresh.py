"""The benchmark's fresh-process rows and W4's row against the hand-written loop: they run, their
sides start from the same point, and the table and JSON carry their figures (never speed)."""

import json

from bench import celsius, fresh, report, timing


def test_fresh_process_row_runs_both_sides_and_counts_faults(monkeypatch):
    monkeypatch.setattr(fresh, "settings", lambda quick: {"warmup": 1, "steps": 2, "rounds": 1})
    row = fresh.measure("W1a", quick=True)
    assert row["id"] == "W1a fresh" and row["kind"] == "fresh" and row["first_losses_agree"]
    for side in ("engine", "numpy"):
        figures = row["sides"][side]
        assert figures["median"] > 0 and figures["faults_per_step"] >= 0
        assert len(figures["processes"]) == 1
    text = report.table([row], None, (0.0, 0.0, 0.0))
    assert "W1a fresh" in text and "faults/step" in text
    json.dumps(row)  # the JSON output takes the row as it is


def test_w4_compares_fit_with_the_hand_written_loop(tmp_path):
    workload = celsius.make(True)
    short = {"engine": celsius.engine_fit(20), "numpy": celsius.numpy_fit(20),
             "hand": celsius.engine_hand_loop(20)}
    workload.sides, workload.warmup, workload.repeats = short, 1, 1
    results = timing.measure(workload)
    assert timing.losses_agree(results), {s: r["first_loss"] for s, r in results.items()}
    row = report.row(workload, results, True, {"engine": 40_000, "numpy": 39_000})
    assert row["against"]["side"] == "hand" and row["against"]["ratio"] > 0
    assert row["against"]["target"] == f"ratio <= {celsius.HAND_TARGET}"
    text = report.table([row], None, (0.0, 0.0, 0.0))
    assert "W4 hand" in text
    path = tmp_path / "out.json"
    report.write_json(str(path), [row], None, {})
    assert json.loads(path.read_text())["workloads"][0]["against"]["side"] == "hand"


def test_w6_growth_in_fresh_processes_reaches_the_table_and_the_json(tmp_path):
    growth = fresh.measure_w6_growth(quick=True)  # 10^3 and 10^4 operations, one process each
    for side in ("engine", "numpy"):
        assert growth[side]["growth"] > 0 and set(growth[side]["seconds"]) == {"1000", "10000"}
    assert "W6 growth, fresh processes: engine" in report.table([], None, (0.0, 0.0, 0.0),
                                                                 growth)
    path = tmp_path / "out.json"
    report.write_json(str(path), [], None, {}, growth)
    assert json.loads(path.read_text())["w6_growth_fresh"]["engine"]["growth"] > 0
