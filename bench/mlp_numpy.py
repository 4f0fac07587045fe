"""The numpy lower bound of W1 (and its weights and data), importing nothing but numpy, so that
M1 can measure its process without the engine loaded."""

from __future__ import annotations

import numpy as np

SIZES = (784, 256, 128, 10)
LR = 0.01


def weights(seed: int = 0) -> list[np.ndarray]:
    """Kernels stored (in, out), then biases: [W1, b1, W2, b2, W3, b3], float32."""
    rng = np.random.default_rng(seed)
    out = []
    for n_in, n_out in zip(SIZES, SIZES[1:]):
        out.append((rng.standard_normal((n_in, n_out)) / np.sqrt(n_in)).astype(np.float32))
        out.append(np.zeros(n_out, np.float32))
    return out


def data(batch: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.standard_normal((batch, SIZES[0])).astype(np.float32), rng.integers(0, 10, batch)


def numpy_step(batch: int):
    """The lower bound: explicit forward, a fused softmax-cross-entropy gradient, in-place SGD."""
    x, y = data(batch)
    w1, b1, w2, b2, w3, b3 = weights()
    rows = np.arange(batch)

    def step() -> float:
        h1 = np.maximum(x @ w1 + b1, 0)
        h2 = np.maximum(h1 @ w2 + b2, 0)
        z = h2 @ w3 + b3
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        s = e.sum(axis=1, keepdims=True)
        loss = float(np.mean(np.log(s[:, 0]) - z[rows, y]))
        dz = e / s
        dz[rows, y] -= 1
        dz /= batch
        dh2 = dz @ w3.T
        dh2 *= h2 > 0
        dh1 = dh2 @ w2.T
        dh1 *= h1 > 0
        for p, g in ((w3, h2.T @ dz), (b3, dz.sum(0)), (w2, h1.T @ dh2), (b2, dh2.sum(0)),
                     (w1, x.T @ dh1), (b1, dh1.sum(0))):
            p -= LR * g
        return loss
    return step
