"""The table printed after a run, and the JSON written for comparison between commits."""

from __future__ import annotations

import json
import os

from bench.workload import Workload

PEERS = ("torch", "micrograd")


def row(workload: Workload, results: dict, agree: bool, peak_kb: dict[str, int]) -> dict:
    """One workload's figures as plain data (seconds, ratios to the lower bound, peak kB)."""
    medians = {side: r["median"] for side, r in results.items()}
    return {
        "id": workload.id,
        "what": workload.what,
        "unit": workload.unit,
        "per": workload.per,
        "repeats": workload.repeats,
        "sides": results,
        "ratio": medians["engine"] / medians["numpy"],
        "peer_ratios": {p: medians[p] / medians["numpy"] for p in PEERS if p in medians},
        "target": workload.target,
        "met": bool(workload.meets(medians)),
        "first_losses_agree": agree,
        "peak_kb": peak_kb,
        "figure": workload.figure(medians) if workload.figure else "",
    }


def table(rows: list[dict], memory: dict | None, load: tuple) -> str:
    """A fixed-width table: engine and lower bound (median [min-max]), ratios, target."""
    peers = [p for p in PEERS if any(p in r["peer_ratios"] for r in rows)]
    head = (f"{'id':<8} {'unit':<6} {'engine median [min-max]':<28} "
            f"{'numpy median [min-max]':<28} {'ratio':>6} "
            + "".join(f"{p:>10}" for p in peers) + f"  {'target':<24} met  losses  "
            f"{'peak MiB':<15} figure")
    lines = [head, "-" * len(head)]
    for r in rows:
        w = _Unit(r)
        cells = [f"{r['id']:<8} {r['unit']:<6}"]
        for side in ("engine", "numpy"):
            s = r["sides"][side]
            cells.append(f"{w(s['median']):>8} [{w(s['min'])}-{w(s['max'])}]".ljust(28))
        cells.append(f"{r['ratio']:6.2f}")
        line = " ".join(cells)
        line += "".join(f"{r['peer_ratios'][p]:10.2f}" if p in r["peer_ratios"] else f"{'-':>10}"
                        for p in peers)
        line += f"  {r['target']:<24} {'yes' if r['met'] else 'NO ':<4} "
        line += "agree " if r["first_losses_agree"] else "DIFFER"
        peaks = r["peak_kb"]
        line += f"  {peaks['engine'] / 1024:5.1f} /{peaks['numpy'] / 1024:5.1f}  {r['figure']}"
        lines.append(line)
    growth = w6_growth(rows)
    if growth is not None:
        lines.append(f"W6 growth: engine time at 1e6 / at 1e5 = {growth:.1f} (10 when linear; "
                     f"the numpy lower bound's: {w6_growth(rows, 'numpy'):.1f})")
    if memory is not None:
        lines.append(f"{'M1':<8} {'MiB':<6} {memory['engine_kb'] / 1024:>8.1f}".ljust(37)
                     + f" {memory['numpy_kb'] / 1024:>8.1f}".ljust(29)
                     + f" {memory['ratio']:6.2f}" + " " * (10 * len(peers))
                     + f"  {memory['target']:<24} {'yes' if memory['met'] else 'NO'}")
    lines.append("peak MiB: peak resident memory of a fresh process running the engine / the "
                 "lower bound (both import the benchmark); M1 also counts the engine's import.")
    lines.append("ratio: engine median / numpy lower bound median, same run; peers likewise. "
                 f"Load average (1, 5, 15 min): {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
                 f"on {os.cpu_count()} CPUs.")
    return "\n".join(lines)


def w6_growth(rows: list[dict], side: str = "engine") -> float | None:
    """W6's median time at 10^6 operations over its median at 10^5, when both ran."""
    medians = {r["id"]: r["sides"][side]["median"] for r in rows if r["id"].startswith("W6@")}
    if "W6@1e6" not in medians or "W6@1e5" not in medians:
        return None
    return medians["W6@1e6"] / medians["W6@1e5"]


class _Unit:
    def __init__(self, r: dict) -> None:
        self.us = r["unit"] == "us/op"
        self.per = r["per"]

    def __call__(self, seconds: float) -> str:
        if self.us:
            return f"{seconds / self.per * 1e6:.2f}"
        ms = seconds * 1e3
        return f"{ms:.0f}" if ms >= 100 else f"{ms:.3g}"


def write_json(path: str, rows: list[dict], memory: dict | None, load: dict) -> None:
    with open(path, "w") as out:
        json.dump({"workloads": rows, "memory": memory, "load": load,
                   "w6_growth": w6_growth(rows)}, out, indent=1)
