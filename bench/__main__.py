"""``python -m bench [--quick] [--json out.json] [--only W2 W6]``: run the benchmark, print the
table. ``--quick`` (CI) uses few repeats and smaller sizes for the slowest workloads; it checks
that everything runs and that first losses agree, never speed. bench/README.md describes the
workloads, their targets and how to read the table."""

from __future__ import annotations

import argparse
import os
import sys
import time

from bench import (
    captured,
    celsius,
    chain,
    conv,
    fresh,
    matmul,
    memory,
    mlp,
    moons,
    peak,
    report,
    timing,
)

# Each captured row (-c) right after its eager row, in the same run.
WORKLOADS = {
    "W1a": mlp.make_w1a,
    "W1a-c": captured.make_w1a,
    "W1b": mlp.make_w1b,
    "W2": chain.make_w2,
    "W2-c": captured.make_w2,
    "W3s": moons.make_w3s,
    "W3s-c": captured.make_w3s,
    "W3t": moons.make_w3t,
    "W3t-c": captured.make_w3t,
    "W4": celsius.make,
    "W4-c": captured.make_w4,
    "W5": matmul.make,
    "W6": None,  # two sizes, below
    "W7": conv.make,
}


def workloads(ids: list[str], quick: bool) -> list:
    makers = []
    for ident in ids:
        if ident == "W6":
            sizes = (1_000, 10_000) if quick else (100_000, 1_000_000)
            makers += [lambda q, n=n: chain.make_w6(n, q) for n in sizes]
        elif ident != "M1":
            makers.append(WORKLOADS[ident])
    return [make(quick) for make in makers]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="few repeats, small sizes (CI)")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    parser.add_argument("--only", nargs="+", metavar="ID", choices=[*WORKLOADS, "M1"],
                        help="run these workloads only (default: all, and M1)")
    args = parser.parse_args(argv)
    ids = args.only or [*WORKLOADS, "M1"]
    load_before, start = os.getloadavg(), time.perf_counter()
    rows = []
    w6_fresh = None
    for workload in workloads(ids, args.quick):
        results = timing.measure(workload)
        peaks = peak.measure(workload.id, args.quick)
        rows.append(report.row(workload, results, timing.losses_agree(results), peaks))
        if workload.id in fresh.BATCHES:  # the same workload, a fresh process per side
            rows.append(fresh.measure(workload.id, args.quick))
        if workload.id == ("W6@1e4" if args.quick else "W6@1e6"):
            w6_fresh = fresh.measure_w6_growth(args.quick)
        print(f"  {workload.id}: done", file=sys.stderr, flush=True)
    mem = memory.measure() if "M1" in ids else None
    load_after = os.getloadavg()
    print(report.table(rows, mem, load_after, w6_fresh))
    print(f"load average before the run: {load_before[0]:.2f}; "
          f"run took {time.perf_counter() - start:.0f} s")
    if args.json:
        report.write_json(args.json, rows, mem, {"before": load_before, "after": load_after},
                          w6_fresh)
    return 0 if all(r["first_losses_agree"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
