"""A first look at the engine: a few Scalars, a tiny expression, and its gradients.

Run: python examples/autograd_demo.py
"""

import numpy as np

import autograd as ag
from autograd import Scalar


def main() -> None:
    a, b = Scalar(2.0, name="a"), Scalar(-3.0, name="b")
    c = (a * b + a.tanh()) ** 2
    c.backward()
    print(f"c = (a*b + tanh(a))**2 = {c.data:.4f}")
    print(f"dc/da = {a.grad:.4f}, dc/db = {b.grad:.4f}")

    x = ag.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    y = (x @ x.T).relu().sum()
    y.backward()
    print("x =\n", x.numpy())
    print("d sum(relu(x @ x.T)) / dx =\n", x.grad.numpy())


if __name__ == "__main__":
    main()
