"""The table printed after a run, and the JSON written for comparison between commits."""

from __future__ import annotations

import json
import os

from bench.workload import Workload

PEERS = ("torch", "micrograd")


def row(workload: Workload, results: dict, agree: bool, peak_kb: dict[str, int]) -> dict:
    """One workload's figures as plain data (seconds, ratios to the lower bound, peak kB)."""
    medians = {side: r["median"] for side, r in results.items()}
    against = None
    if workload.against is not None:
        side, limit = workload.against
        ratio = medians["engine"] / medians[side]
        against = {"side": side, "ratio": ratio, "target": f"ratio <= {limit}",
                   "met": ratio <= limit}
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
        "against": against,
    }


def table(rows: list[dict], memory: dict | None, load: tuple, w6_fresh: dict | None = None
          ) -> str:
    """A fixed-width table: engine and lower bound (median [min-max]), ratios, target; with
    ``w6_fresh`` (``fresh.measure_w6_growth``), W6's growth in fresh processes too."""
    peers = [p for p in PEERS if any(p in r.get("peer_ratios", {}) for r in rows)]
    head = (f"{'id':<8} {'unit':<6} {'engine median [min-max]':<28} "
            f"{'numpy median [min-max]':<28} {'ratio':>6} "
            + "".join(f"{p:>10}" for p in peers) + f"  {'target':<24} met  losses  "
            f"{'peak MiB':<15} figure")
    lines = [head, "-" * len(head)]
    for r in rows:
        if r.get("kind") == "fresh":
            lines.append(_fresh_line(r, peers))
            continue
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
        if r.get("against"):
            lines.append(_against_line(r, peers))
    growth = w6_growth(rows)
    if growth is not None:
        lines.append(f"W6 growth: engine time at 1e6 / at 1e5 = {growth:.1f} (10 when linear; "
                     f"the numpy lower bound's: {w6_growth(rows, 'numpy'):.1f})")
    if w6_fresh is not None:
        growth = w6_fresh["engine"]["growth"]
        lines.append(f"W6 growth, fresh processes: engine {growth:.1f} (target <= 11: "
                     f"{'yes' if growth <= 11 else 'NO'}; the numpy lower bound's: "
                     f"{w6_fresh['numpy']['growth']:.1f})")
    if memory is not None:
        lines.append(f"{'M1':<8} {'MiB':<6} {memory['engine_kb'] / 1024:>8.1f}".ljust(37)
                     + f" {memory['numpy_kb'] / 1024:>8.1f}".ljust(29)
                     + f" {memory['ratio']:6.2f}" + " " * (10 * len(peers))
                     + f"  {memory['target']:<24} {'yes' if memory['met'] else 'NO'}")
    lines.append("peak MiB: peak resident memory of a fresh process running the engine / the "
                 "lower bound (both import the benchmark); M1 also counts the engine's import.")
    if any(r.get("kind") == "fresh" for r in rows):
        lines.append("fresh: each side in its own new process (median over processes of the "
                     "median step); figure: minor page faults per step, engine / lower bound.")
    if any(r.get("against") for r in rows):
        lines.append("W4 hand: the same run's fit against a loop written by hand on the engine "
                     "(no shuffling); ratio = fit / hand loop.")
    lines.append("ratio: engine median / numpy lower bound median, same run; peers likewise. "
                 f"Load average (1, 5, 15 min): {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
                 f"on {os.cpu_count()} CPUs.")
    return "\n".join(lines)


def _span(s: dict) -> str:
    return f"{_ms(s['median']):>8} [{_ms(s['min'])}-{_ms(s['max'])}]".ljust(28)


def _ms(seconds: float) -> str:
    ms = seconds * 1e3
    return f"{ms:.0f}" if ms >= 100 else f"{ms:.3g}"


def _fresh_line(r: dict, peers: list[str]) -> str:
    """A fresh-process row: times per step of each side, ratio, page faults per step."""
    engine, numpy = r["sides"]["engine"], r["sides"]["numpy"]
    line = f"{r['id']:<10}{'ms':<5} {_span(engine)} {_span(numpy)} {r['ratio']:6.2f}"
    line += f"{'-':>10}" * len(peers)
    line += f"  {r['target']:<24} {'yes' if r['met'] else 'NO ':<4} "
    line += "agree " if r["first_losses_agree"] else "DIFFER"
    return (line + f"  {'':<15} faults/step {engine['faults_per_step']:.2f} / "
            f"{numpy['faults_per_step']:.2f}")


def _against_line(r: dict, peers: list[str]) -> str:
    """W4's further row: fit against the hand-written loop on the engine, same run."""
    a = r["against"]
    engine, other = r["sides"]["engine"], r["sides"][a["side"]]
    line = f"{r['id'] + ' ' + a['side']:<10}{'ms':<5} {_span(engine)} {_span(other)} "
    line += f"{a['ratio']:6.2f}" + f"{'-':>10}" * len(peers)
    return line + f"  {a['target']:<24} {'yes' if a['met'] else 'NO'}"


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
        return _ms(seconds)


def write_json(path: str, rows: list[dict], memory: dict | None, load: dict,
               w6_fresh: dict | None = None) -> None:
    """Every row (fresh-process rows among them, ``"kind": "fresh"``), M1, the load and W6's
    growth (in the run, and in fresh processes when measured)."""
    with open(path, "w") as out:
        json.dump({"workloads": rows, "memory": memory, "load": load,
                   "w6_growth": w6_growth(rows), "w6_growth_fresh": w6_fresh}, out, indent=1)
