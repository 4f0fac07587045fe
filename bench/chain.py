"""W2 (100 elementwise ops on a 16-vector) and W6 (a chain of n multiplications on a 0-d tensor).

Both measure what each recorded operation costs the engine, forward and backward; their lower
bounds do the same arithmetic in numpy with the gradient written out by hand.
"""

from __future__ import annotations

import numpy as np

import autograd as ag
from bench.peers import optional
from bench.workload import Workload, ratio_at_most

OPS = 100
US_PER_OP_TARGET = 5.0


def w2_engine():
    x0 = np.linspace(-1, 1, 16, dtype=np.float32)
    c = ag.tensor(np.full(16, 0.5, np.float32))

    def chain() -> float:
        x = ag.tensor(x0, requires_grad=True)
        y = x
        for i in range(OPS):
            k = i % 5
            y = y * 0.9 if k == 0 else y + 0.1 if k == 1 else (
                y.tanh() if k == 2 else y.exp() if k == 3 else y * c)
        s = y.sum()
        s.backward()
        return s.item()
    return chain


def w2_numpy():
    x0 = np.linspace(-1, 1, 16, dtype=np.float32)
    c = np.full(16, 0.5, np.float32)
    scale, shift = np.float32(0.9), np.float32(0.1)

    def chain() -> float:
        y = x0.copy()
        saved = []  # what each gradient formula needs: tanh and exp keep their outputs
        for i in range(OPS):
            k = i % 5
            if k == 0:
                y = y * scale
            elif k == 1:
                y = y + shift
            elif k == 2:
                y = np.tanh(y)
                saved.append(y)
            elif k == 3:
                y = np.exp(y)
                saved.append(y)
            else:
                y = y * c
        s = float(y.sum())
        g = np.ones_like(y)
        for i in reversed(range(OPS)):
            k = i % 5
            if k == 0:
                g = g * scale
            elif k == 2:
                t = saved.pop()
                g = g * (1 - t * t)
            elif k == 3:
                g = g * saved.pop()
            elif k == 4:
                g = g * c
        return s + 0 * float(g[0])
    return chain


def w2_torch(torch):
    x0 = torch.linspace(-1, 1, 16)
    c = torch.full((16,), 0.5)

    def chain() -> float:
        x = x0.clone().requires_grad_(True)
        y = x
        for i in range(OPS):
            k = i % 5
            y = y * 0.9 if k == 0 else y + 0.1 if k == 1 else (
                y.tanh() if k == 2 else y.exp() if k == 3 else y * c)
        s = y.sum()
        s.backward()
        return s.item()
    return chain


def make_w2(quick: bool) -> Workload:
    sides = {"engine": w2_engine(), "numpy": w2_numpy()}
    torch = optional("torch")
    if torch is not None:
        sides["torch"] = w2_torch(torch)
    return Workload("W2", f"{OPS} elementwise ops on (16,), sum, backward", sides,
                    f"<= {US_PER_OP_TARGET} us/op",
                    lambda m: m["engine"] / OPS * 1e6 <= US_PER_OP_TARGET,
                    figure=lambda m: f"{m['engine'] / OPS * 1e6:.2f} us/op",
                    per=OPS, unit="us/op", warmup=2 if quick else 5, repeats=3 if quick else 50)


def _overflow_is_expected() -> np.errstate:
    """1.0001 ** 10**6 = e**100 overflows float32 to inf, for the peers too: not an error."""
    return np.errstate(over="ignore")


def w6_engine(n: int):
    def chain() -> float:
        with _overflow_is_expected():
            x = ag.tensor(1.0, requires_grad=True)
            y = x
            for _ in range(n):
                y = y * 1.0001
            y.backward()
        return y.item()
    return chain


def w6_numpy(n: int):
    def chain() -> float:
        x = np.array(1.0, np.float32)
        c = np.float32(1.0001)
        y, g = x, np.array(1.0, np.float32)
        with _overflow_is_expected():
            for _ in range(n):
                y = y * c
            for _ in range(n):
                g = g * c
        return float(y)
    return chain


def w6_torch(torch, n: int):
    def chain() -> float:
        x = torch.tensor(1.0, requires_grad=True)
        y = x
        for _ in range(n):
            y = y * 1.0001
        y.backward()
        return y.item()
    return chain


def make_w6(n: int, quick: bool) -> Workload:
    sides = {"engine": w6_engine(n), "numpy": w6_numpy(n)}
    torch = optional("torch")
    if torch is not None:
        sides["torch"] = w6_torch(torch, n)
    big = n >= 1_000_000
    return Workload(f"W6@{n:.0e}".replace("+0", ""), f"y = y * 1.0001 {n:,} times, backward",
                    sides, "ratio <= 90" + (", linear from 1e5" if big else ""),
                    ratio_at_most(90), warmup=1, repeats=1 if quick else (3 if big else 7))
