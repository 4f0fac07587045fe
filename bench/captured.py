"""The captured rows (W1a-c, W2-c, W3s-c, W3t-c, W4-c): each eager workload, its step run
through ``autograd.compile`` (or ``fit`` after ``compile(..., jit_compile=True)``).

Each side records its step on its first two calls (the warm-up) and replays it afterwards; the
numpy lower bound is the eager row's, so both rows of a workload share a denominator and the
first losses must agree with it, as the eager ones do.
"""

from __future__ import annotations

import numpy as np

import autograd as ag
import nn
import optim
from bench import celsius, chain, mlp_numpy, moons
from bench.workload import Workload, ratio_at_most


def w1a_captured():
    """W1a's step (forward, loss, backward, ``optim.SGD`` update) through ``compile``."""
    x, y = mlp_numpy.data(128)
    layers = [nn.Dense(256, "relu", input_shape=[784]), nn.Dense(128, "relu"), nn.Dense(10)]
    model = nn.Sequential(layers)
    for layer, (kernel, bias) in zip(layers, zip(*[iter(mlp_numpy.weights())] * 2)):
        layer.kernel.data, layer.bias.data = kernel.copy(), bias.copy()
    opt = optim.SGD(model.parameters(), lr=mlp_numpy.LR)
    xt, yt = ag.tensor(x), ag.tensor(y)

    @ag.compile
    def train(inputs, labels):
        loss = nn.losses.sparse_categorical_crossentropy(labels, model(inputs),
                                                         from_logits=True).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss

    return lambda: train(xt, yt).item()


def w2_captured():
    """W2's chain of 100 operations and its backward, through ``compile``."""
    x = ag.tensor(np.linspace(-1, 1, 16, dtype=np.float32), requires_grad=True)
    c = ag.tensor(np.full(16, 0.5, np.float32))

    @ag.compile
    def run(x):
        y = x
        for i in range(chain.OPS):
            k = i % 5
            y = y * 0.9 if k == 0 else y + 0.1 if k == 1 else (
                y.tanh() if k == 2 else y.exp() if k == 3 else y * c)
        s = y.sum()
        s.backward()
        return s

    def side() -> float:
        x.grad = None
        return run(x).item()
    return side


def w3t_captured():
    """W3t's step through ``compile``, its learning rate ``1 - 0.9 k / 100`` set by a
    ``LambdaLR`` schedule (live at every replay)."""
    x, y = moons.moons()
    params = [ag.tensor(w, requires_grad=True) for w in moons.weights()]
    xt, yt = ag.tensor(x), ag.tensor(y[:, None])
    opt = optim.SGD(params, lr=1.0)
    schedule = optim.lr_scheduler.LambdaLR(opt, moons._lr)

    @ag.compile
    def step(inputs, labels):
        w1, b1, w2, b2, w3, b3 = params
        score = ((inputs @ w1 + b1).relu() @ w2 + b2).relu() @ w3 + b3
        loss = (1 - labels * score).relu().mean() + moons.ALPHA * sum(
            (p * p).sum() for p in params)
        opt.zero_grad()
        loss.backward()
        opt.step()
        schedule.step()
        return loss

    return lambda: step(xt, yt).item()


def make_w1a(quick: bool) -> Workload:
    return Workload("W1a-c", "W1a's step captured (autograd.compile)",
                    {"engine": w1a_captured(), "numpy": mlp_numpy.numpy_step(128)},
                    "ratio <= 1.05", ratio_at_most(1.05), warmup=2 if quick else 3,
                    repeats=3 if quick else 30)


def make_w2(quick: bool) -> Workload:
    return Workload("W2-c", "W2's chain captured", {"engine": w2_captured(),
                                                    "numpy": chain.w2_numpy()},
                    "ratio <= 1.3", ratio_at_most(1.3), per=chain.OPS, unit="us/op",
                    figure=lambda m: f"{m['engine'] / chain.OPS * 1e6:.2f} us/op",
                    warmup=2 if quick else 5, repeats=3 if quick else 50)


def make_w3t(quick: bool) -> Workload:
    return Workload("W3t-c", "W3t's step captured, schedule live",
                    {"engine": w3t_captured(), "numpy": moons.numpy_step()}, "ratio <= 1.5",
                    ratio_at_most(1.5), warmup=2, repeats=3 if quick else 50)


def make_w3s(quick: bool) -> Workload:
    """W3s's forward and backward on Scalars through ``compile`` (``moons.scalar_step``)."""
    return moons.against_micrograd("W3s-c", "W3s on Scalars captured, replayed as vectors",
                                   moons.scalar_step(captured=True), 20, 1, warmup=2,
                                   repeats=3 if quick else 10)


def make_w4(quick: bool) -> Workload:
    epochs = 500
    return Workload("W4-c", f"W4 through fit with jit_compile=True, {epochs} epochs",
                    {"engine": celsius.engine_fit(epochs, jit_compile=True),
                     "numpy": celsius.numpy_fit(epochs)},
                    "ratio <= 1.5", ratio_at_most(1.5), warmup=1, repeats=2 if quick else 7)
