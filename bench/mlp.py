"""W1a and W1b: one SGD step of an MLP 784-256-128-10 with softmax cross-entropy."""

from __future__ import annotations

import autograd as ag
import nn
import optim
from bench.mlp_numpy import LR, data, numpy_step, weights
from bench.peers import optional
from bench.workload import Workload, ratio_at_most


def engine_step(batch: int):
    x, y = data(batch)
    layers = [nn.Dense(256, "relu", input_shape=[784]), nn.Dense(128, "relu"), nn.Dense(10)]
    model = nn.Sequential(layers)
    for layer, (kernel, bias) in zip(layers, zip(*[iter(weights())] * 2)):
        layer.kernel.data, layer.bias.data = kernel.copy(), bias.copy()
    opt = optim.SGD(model.parameters(), lr=LR)
    xt = ag.tensor(x)

    def step() -> float:
        loss = nn.losses.sparse_categorical_crossentropy(y, model(xt), from_logits=True).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()
    return step


def torch_step(torch, batch: int):
    x, y = data(batch)
    params = [torch.tensor(w, requires_grad=True) for w in weights()]
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    opt = torch.optim.SGD(params, lr=LR)

    def step() -> float:
        w1, b1, w2, b2, w3, b3 = params
        h = torch.relu(torch.relu(xt @ w1 + b1) @ w2 + b2)
        loss = torch.nn.functional.cross_entropy(h @ w3 + b3, yt)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss.item()
    return step


def make(batch: int, quick: bool) -> Workload:
    ident, target = ("W1a", 1.05) if batch == 128 else ("W1b", 1.03)
    sides = {"engine": engine_step(batch), "numpy": numpy_step(batch)}
    torch = optional("torch")
    if torch is not None:
        sides["torch"] = torch_step(torch, batch)
    return Workload(ident, f"MLP 784-256-128-10 SGD step, batch {batch}", sides,
                    f"ratio <= {target}", ratio_at_most(target),
                    warmup=1 if quick else 3, repeats=3 if quick else 30)


def make_w1a(quick: bool) -> Workload:
    return make(128, quick)


def make_w1b(quick: bool) -> Workload:
    return make(1024, quick)
