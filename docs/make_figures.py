"""Regenerate the drawings in docs/ from real graphs.

Run from the repository root (needs graphviz's dot program): python docs/make_figures.py
"""

from pathlib import Path

import numpy as np

import autograd as ag
from autograd import Scalar

HERE = Path(__file__).resolve().parent


def readme_expression() -> Scalar:
    """The expression of the README and DESIGN: c = (a*b + tanh(a))**2."""
    a, b = Scalar(2.0, name="a"), Scalar(-3.0, name="b")
    return (a * b + a.tanh()) ** 2


def neuron() -> Scalar:
    """One tanh neuron with two inputs, the course's first network."""
    x1, x2 = Scalar(2.0, name="x1"), Scalar(0.0, name="x2")
    w1, w2 = Scalar(-3.0, name="w1"), Scalar(1.0, name="w2")
    b = Scalar(6.8813735870195432, name="b")
    return (x1 * w1 + x2 * w2 + b).tanh()


def two_layers() -> tuple:
    """A Dense-ReLU-Dense network on a batch of four, with a mean squared error."""
    rng = np.random.default_rng(0)
    x = ag.tensor(rng.standard_normal((4, 3)), name="x")
    target = ag.tensor(rng.standard_normal((4, 1)), name="target")
    params = [
        ("dense.kernel", ag.tensor(rng.standard_normal((3, 2)) * 0.5, requires_grad=True)),
        ("dense.bias", ag.tensor(np.zeros(2), requires_grad=True)),
        ("dense_1.kernel", ag.tensor(rng.standard_normal((2, 1)) * 0.5, requires_grad=True)),
        ("dense_1.bias", ag.tensor(np.zeros(1), requires_grad=True)),
    ]
    w, b, w1, b1 = (p for _, p in params)
    with ag.name_scope("sequential"):
        with ag.name_scope("dense"):
            h = (x @ w + b).relu()
        with ag.name_scope("dense_1"):
            y = h @ w1 + b1
    with ag.name_scope("mse"):
        loss = ((y - target) ** 2).mean()
    return loss, params


def main() -> None:
    loss, params = two_layers()
    figures = {
        "graph_scalar.svg": ag.draw_graph(readme_expression()),
        "graph_tensor.svg": ag.draw_graph(loss, params=params),
        "graph_tensor_collapsed.svg": ag.draw_graph(loss, params=params, collapse="sequential"),
        "forward_pass.svg": ag.draw_step(list(ag.forward_steps(neuron()))[3]),
        "backward_pass.svg": ag.draw_step(list(ag.backward_steps(neuron()))[3], show_rule=True),
    }
    for name, drawing in figures.items():
        (HERE / name).write_bytes(drawing.pipe(format="svg"))
        print("wrote", HERE / name)
    a = Scalar(3.0, name="a")
    b = a + a
    ag.steps_to_html(ag.backward_steps(b * b), HERE / "backward_steps.html",
                     title="b = a + a; c = b * b: backpropagation, step by step")
    print("wrote", HERE / "backward_steps.html")


if __name__ == "__main__":
    main()
