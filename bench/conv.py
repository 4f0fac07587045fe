"""W7: ``Conv2D(16, 3)`` then ``MaxPool2D(2)`` on a (32, 28, 28, 1) batch, forward and backward,
against an im2col numpy lower bound."""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

import autograd as ag
import nn
from bench.workload import Workload, ratio_at_most

SHAPE, FILTERS, K = (32, 28, 28, 1), 16, 3


def arrays() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return (rng.standard_normal(SHAPE, dtype=np.float32),
            (rng.standard_normal((K, K, 1, FILTERS)) / K).astype(np.float32))


def engine_call():
    x, kernel = arrays()
    conv, pool = nn.Conv2D(FILTERS, K, input_shape=SHAPE[1:]), nn.MaxPool2D(2)
    conv.kernel.data = kernel
    xt = ag.tensor(x)

    def call() -> float:
        conv.kernel.grad = conv.bias.grad = None
        out = pool(conv(xt)).sum()
        out.backward()
        return out.item()
    return call


def numpy_call():
    x, kernel = arrays()
    n, h, w, c = SHAPE
    oh, ow = h - K + 1, w - K + 1
    k2 = kernel.reshape(K * K * c, FILTERS)
    bias = np.zeros(FILTERS, np.float32)

    def call() -> float:
        # (n, oh, ow, c, K, K) windows -> rows of K*K*c in the kernel's (ky, kx, c) order
        cols = sliding_window_view(x, (K, K), axis=(1, 2)).transpose(0, 1, 2, 4, 5, 3)
        cols = cols.reshape(n * oh * ow, K * K * c)
        y = (cols @ k2 + bias).reshape(n, oh, ow, FILTERS)
        tiles = y.reshape(n, oh // 2, 2, ow // 2, 2, FILTERS)
        pooled = tiles.max(axis=(2, 4))
        total = float(pooled.sum())
        # backward of sum then max-pool: 1 to each tile's maximum (ties split equally)
        winners = tiles == pooled[:, :, None, :, None, :]
        gy = (winners / winners.sum(axis=(2, 4), keepdims=True)).reshape(n * oh * ow, FILTERS)
        _, _ = cols.T @ gy, gy.sum(0)  # d kernel, d bias
        return total
    return call


def make(quick: bool) -> Workload:
    return Workload("W7", "Conv2D(16, 3) + MaxPool2D(2), (32, 28, 28, 1), fwd + bwd",
                    {"engine": engine_call(), "numpy": numpy_call()}, "ratio <= 1.5",
                    ratio_at_most(1.5), warmup=1, repeats=3 if quick else 20)
