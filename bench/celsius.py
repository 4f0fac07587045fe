"""W4: the course program, ``Dense(1)`` on the 7 Celsius points, MSE, ``Adam(0.1)``, 500 epochs
through ``fit``, against the same loop written in numpy, and against the same model trained by a
loop written by hand on the engine (the ``hand`` side: what ``fit`` itself costs)."""

from __future__ import annotations

import numpy as np

import autograd as ag
import nn
import optim
from bench.workload import Workload, ratio_at_most

CELSIUS = np.array([-40, -10, 0, 8, 15, 22, 38], np.float32)[:, None]
FAHRENHEIT = np.array([-40, 14, 32, 46, 59, 72, 100], np.float32)[:, None]
KERNEL, BIAS = np.array([[0.5]], np.float32), np.zeros(1, np.float32)
LR, BETA1, BETA2, EPS = 0.1, 0.9, 0.999, 1e-8


def engine_fit(epochs: int, jit_compile: bool = False):
    """The course's program through ``fit``: eager (this row), or its steps captured
    (``jit_compile=True``, the W4-c row; Keras' default ``"auto"`` captures too)."""
    def fit() -> float:
        layer = nn.Dense(units=1, input_shape=[1])
        layer.kernel.data, layer.bias.data = KERNEL.copy(), BIAS.copy()
        model = nn.Sequential([layer])
        model.compile(loss="mean_squared_error", optimizer=optim.Adam(LR),
                      jit_compile=jit_compile)
        history = model.fit(CELSIUS, FAHRENHEIT, epochs=epochs, verbose=False)
        return history.history["loss"][0]
    return fit


def engine_hand_loop(epochs: int):
    """The same training written by hand on the engine, one full batch per epoch as ``fit``
    takes (7 points, batch size 32) but without shuffling: the mean over the 7 points is the
    same whatever their order, up to rounding. The loss is read as a float each epoch, as
    ``fit`` does for its history."""
    x, y = ag.tensor(CELSIUS), FAHRENHEIT

    def fit() -> float:
        layer = nn.Dense(units=1, input_shape=[1])
        layer.kernel.data, layer.bias.data = KERNEL.copy(), BIAS.copy()
        model = nn.Sequential([layer])
        opt = optim.Adam(model.parameters(), lr=LR)
        losses = []
        for _ in range(epochs):
            opt.zero_grad()
            loss = nn.losses.MeanSquaredError()(y, model(x))
            loss.backward()
            opt.step()
            losses.append(loss.item())
        return losses[0]
    return fit


def numpy_fit(epochs: int):
    x, y, n = CELSIUS, FAHRENHEIT, len(CELSIUS)

    def fit() -> float:
        params = [KERNEL.copy(), BIAS.copy()]
        moments = [(np.zeros_like(p), np.zeros_like(p)) for p in params]
        first = None
        for t in range(1, epochs + 1):
            w, b = params
            diff = x @ w + b - y
            loss = float(np.mean(diff * diff))
            first = loss if first is None else first
            g = diff * (2 / n)
            for p, grad, (m, v) in zip(params, (x.T @ g, g.sum(0)), moments):
                m *= BETA1
                m += (1 - BETA1) * grad
                v *= BETA2
                v += (1 - BETA2) * grad * grad
                p -= LR * (m / (1 - BETA1**t)) / (np.sqrt(v / (1 - BETA2**t)) + EPS)
        return first
    return fit


HAND_TARGET = 1.15  # fit over the hand-written loop on the engine


def make(quick: bool) -> Workload:
    epochs = 500
    sides = {"engine": engine_fit(epochs), "numpy": numpy_fit(epochs),
             "hand": engine_hand_loop(epochs)}
    return Workload("W4", f"Celsius Dense(1), Adam(0.1), {epochs} epochs through fit",
                    sides, "ratio <= 4.0", ratio_at_most(4.0), warmup=1,
                    repeats=2 if quick else 7, against=("hand", HAND_TARGET))
