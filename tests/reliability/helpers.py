"""Shared helpers of the reliability suite: a small trained model and bitwise snapshots."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np

import autograd as ag
import nn
import optim


def trained_context() -> SimpleNamespace:
    """A compiled model with Adam state, gradients and moving statistics, plus two leaves."""
    nn.set_random_seed(0)
    model = nn.Sequential([nn.Dense(4, input_shape=[3]), nn.BatchNormalization(),
                           nn.Dropout(0.5), nn.Dense(2)], seed=0)
    model.compile(optimizer=optim.Adam(0.1), loss="mse")
    rng = np.random.default_rng(0)
    model.train_on_batch(rng.normal(size=(6, 3)), rng.normal(size=(6, 2)))
    a = ag.tensor(rng.normal(size=(2, 3)), requires_grad=True)
    b = ag.tensor(rng.normal(size=(4,)), requires_grad=True)
    ((a * 2).sum() + (b * b).sum()).backward()
    return SimpleNamespace(model=model, a=a, b=b, rng=rng)


def _array_state(value: Any, out: list, where: str) -> None:
    if isinstance(value, dict):
        for k in sorted(value, key=repr):
            _array_state(value[k], out, f"{where}[{k!r}]")
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            _array_state(v, out, f"{where}[{i}]")
    elif isinstance(value, np.ndarray):
        out.append((where, value.dtype.str, value.shape, value.tobytes()))
    else:
        out.append((where, repr(value)))


def snapshot(ctx: SimpleNamespace) -> list:
    """Every parameter, gradient, buffer and optimizer-state byte of ``ctx``, comparable."""
    out: list = []
    for name, p in ctx.model.named_parameters():
        _array_state(p.data, out, name)
        _array_state(None if p.grad is None else p.grad.data, out, name + ".grad")
    for name, buf in ctx.model.named_buffers():
        _array_state(buf.data, out, "buffer " + name)
    _array_state(ctx.model.optimizer.state_dict(), out, "optimizer")
    for leaf in ("a", "b"):
        t = getattr(ctx, leaf)
        _array_state(t.data, out, leaf)
        _array_state(t.grad.data, out, leaf + ".grad")
    return out


def changed_entries(before: list, after: list) -> list[str]:
    """The names of the snapshot entries that differ (all of them if the layout changed)."""
    if len(before) != len(after):
        return ["the snapshot layout itself"]
    return [b[0] for b, a in zip(before, after) if a != b]
