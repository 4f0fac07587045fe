"""W3s and W3t: micrograd's demo, an MLP(2, [16, 16, 1]) on 100 "moons" points, max-margin loss.

W3s runs it on ``Scalar``s (one graph node per number) against micrograd, W3t on tensors; both
are measured against the same numpy lower bound, in float64 like micrograd's Python floats.
"""

from __future__ import annotations

import numpy as np

import autograd as ag
from autograd import Scalar
from bench.peers import optional
from bench.workload import Workload, ratio_at_most
from nn.scalar_nets import MLP

SIZES = (2, 16, 16, 1)
MICROGRAD_SECONDS = 1.16  # per step here (bench/README.md), used when micrograd is absent
ALPHA = 1e-4


def moons(n: int = 100, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """sklearn's make_moons(n, noise=0.1) without sklearn; labels are -1 and 1."""
    rng = np.random.default_rng(seed)
    half = n // 2
    t_out, t_in = np.linspace(0, np.pi, half), np.linspace(0, np.pi, n - half)
    x = np.concatenate([np.c_[np.cos(t_out), np.sin(t_out)],
                        np.c_[1 - np.cos(t_in), 1 - np.sin(t_in) - 0.5]])
    x += rng.normal(scale=0.1, size=x.shape)
    return x, np.r_[-np.ones(half), np.ones(n - half)]


def weights(seed: int = 0) -> list[np.ndarray]:
    """[W1, b1, W2, b2, W3, b3], kernels (in, out), uniform in [-1, 1) as micrograd does."""
    rng = np.random.default_rng(seed)
    out = []
    for n_in, n_out in zip(SIZES, SIZES[1:]):
        out += [rng.uniform(-1, 1, (n_in, n_out)), np.zeros(n_out)]
    return out


def _lr(k: int) -> float:
    return 1.0 - 0.9 * k / 100


def scalar_step(captured: bool = False):
    """micrograd's step on Scalars; ``captured``: its forward and backward through
    ``autograd.compile`` (replayed as vector operations, level by level; W3s-c), the update
    in Python either way."""
    x, y = moons()
    model = MLP(2, list(SIZES[1:]), rng=0)
    for layer, (w, b) in zip(model.layers, zip(*[iter(weights())] * 2)):
        for j, neuron in enumerate(layer.neurons):
            neuron.w = [Scalar(float(v)) for v in w[:, j]]
            neuron.b = Scalar(float(b[j]))
    params = model.parameters()
    rows = [[float(v) for v in row] for row in x]
    labels = [float(v) for v in y]
    k = [0]

    def forward_backward() -> Scalar:
        scores = [model(row) for row in rows]
        losses = [(1 - yi * si).relu() for yi, si in zip(labels, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        loss = data_loss + ALPHA * sum(p * p for p in params)
        model.zero_grad()
        loss.backward()
        return loss

    run = ag.compile(forward_backward) if captured else forward_backward

    def step() -> float:
        loss = run()
        lr = _lr(k[0])
        for p in params:
            p.data -= lr * p.grad
        k[0] += 1
        return loss.data
    return step


def tensor_step():
    x, y = moons()
    params = [ag.tensor(w, requires_grad=True) for w in weights()]
    xt, yt = ag.tensor(x), ag.tensor(y[:, None])
    k = [0]

    def step() -> float:
        w1, b1, w2, b2, w3, b3 = params
        score = ((xt @ w1 + b1).relu() @ w2 + b2).relu() @ w3 + b3
        loss = (1 - yt * score).relu().mean() + ALPHA * sum((p * p).sum() for p in params)
        for p in params:
            p.grad = None
        loss.backward()
        lr = _lr(k[0])
        with ag.no_grad():
            for p in params:
                p.data -= lr * p.grad.data
        k[0] += 1
        return loss.item()
    return step


def numpy_step():
    x, y = moons()
    params = weights()
    y = y[:, None]
    k = [0]

    def step() -> float:
        w1, b1, w2, b2, w3, b3 = params
        h1 = np.maximum(x @ w1 + b1, 0)
        h2 = np.maximum(h1 @ w2 + b2, 0)
        margin = 1 - y * (h2 @ w3 + b3)
        loss = np.maximum(margin, 0).mean() + ALPHA * sum(float((p * p).sum()) for p in params)
        ds = (margin > 0) * -y / len(y)
        dh2 = (ds @ w3.T) * (h2 > 0)
        dh1 = (dh2 @ w2.T) * (h1 > 0)
        grads = [x.T @ dh1, dh1.sum(0), h1.T @ dh2, dh2.sum(0), h2.T @ ds, ds.sum(0)]
        lr = _lr(k[0])
        for p, g in zip(params, grads):
            p -= lr * (g + 2 * ALPHA * p)
        k[0] += 1
        return float(loss)
    return step


def micrograd_step(engine, mg_nn):
    x, y = moons()
    model = mg_nn.MLP(2, list(SIZES[1:]))
    for layer, (w, b) in zip(model.layers, zip(*[iter(weights())] * 2)):
        for j, neuron in enumerate(layer.neurons):
            neuron.w = [engine.Value(float(v)) for v in w[:, j]]
            neuron.b = engine.Value(float(b[j]))
    k = [0]

    def step() -> float:
        scores = [model([engine.Value(float(v)) for v in row]) for row in x]
        losses = [(1 + -float(yi) * si).relu() for yi, si in zip(y, scores)]
        loss = sum(losses) * (1.0 / len(losses)) + ALPHA * sum(p * p for p in model.parameters())
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= _lr(k[0]) * p.grad
        k[0] += 1
        return loss.data
    return step


def against_micrograd(ident: str, what: str, engine, times: float, digits: int,
                      warmup: int, repeats: int) -> Workload:
    """A row whose target is ``times`` the speed of micrograd: measured in the same run when
    micrograd is installed, else against the guide figure ``MICROGRAD_SECONDS``."""
    sides = {"engine": engine, "numpy": numpy_step()}
    mg_engine, mg_nn = optional("micrograd.engine"), optional("micrograd.nn")
    if mg_engine is not None and mg_nn is not None:
        sides["micrograd"] = micrograd_step(mg_engine, mg_nn)
        speedup = (lambda m: m["micrograd"] / m["engine"])
        target = f">= {times:g}x micrograd (run)"  # measured in this run
        suffix = " (measured in this run)"
    else:
        speedup = (lambda m: MICROGRAD_SECONDS / m["engine"])
        target = f">= {times:g}x micrograd ({MICROGRAD_SECONDS} s)"  # the guide figure
        suffix = f" (guide: micrograd not installed, {MICROGRAD_SECONDS} s assumed)"
    return Workload(ident, what, sides, target, lambda m: speedup(m) >= times,
                    figure=lambda m: f"{speedup(m):.{digits}f}x micrograd{suffix}",
                    warmup=warmup, repeats=repeats)


def make_w3s(quick: bool) -> Workload:
    return against_micrograd("W3s", "micrograd demo on Scalars, one step", scalar_step(), 3,
                             2, warmup=1, repeats=1 if quick else 5)


def make_w3t(quick: bool) -> Workload:
    return Workload("W3t", "micrograd demo on tensors, one step",
                    {"engine": tensor_step(), "numpy": numpy_step()}, "ratio <= 3.5",
                    ratio_at_most(3.5), warmup=2, repeats=3 if quick else 50)
