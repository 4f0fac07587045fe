"""W5: ``(X @ W).sum()`` forward and backward, X and W 2048 x 2048 (smaller in quick mode)."""

from __future__ import annotations

import numpy as np

import autograd as ag
from bench.peers import optional
from bench.workload import Workload, ratio_at_most


def arrays(n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return (rng.standard_normal((n, n), dtype=np.float32),
            rng.standard_normal((n, n), dtype=np.float32))


def engine_call(n: int):
    x, w = (ag.tensor(a, requires_grad=True) for a in arrays(n))

    def call() -> float:
        x.grad = w.grad = None
        s = (x @ w).sum()
        s.backward()
        return s.item()
    return call


def numpy_call(n: int):
    x, w = arrays(n)

    def call() -> float:
        s = float((x @ w).sum())
        g = np.ones((n, n), np.float32)
        _, _ = g @ w.T, x.T @ g  # dX and dW
        return s
    return call


def torch_call(torch, n: int):
    x, w = (torch.tensor(a, requires_grad=True) for a in arrays(n))

    def call() -> float:
        x.grad = w.grad = None
        s = (x @ w).sum()
        s.backward()
        return s.item()
    return call


def make(quick: bool) -> Workload:
    n = 512 if quick else 2048
    sides = {"engine": engine_call(n), "numpy": numpy_call(n)}
    torch = optional("torch")
    if torch is not None:
        sides["torch"] = torch_call(torch, n)
    return Workload("W5", f"(X @ W).sum() forward + backward, {n}x{n}", sides, "ratio <= 1.02",
                    ratio_at_most(1.02), warmup=1, repeats=3 if quick else 15)
