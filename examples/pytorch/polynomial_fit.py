"""Fit sin(x) on [-pi, pi] with y = a + b * P3(c + d * x), where P3 is the Legendre polynomial of
degree three written as a custom autograd Function (its forward and its backward by hand).

Written as a PyTorch user writes it: with torch installed, ``python polynomial_fit.py`` runs it
on PyTorch. ``tests/test_torch_programs.py`` runs the same file on this library with only its
import lines changed, and checks that both give the same numbers.
"""

import math

import torch


class LegendrePolynomial3(torch.autograd.Function):
    """P3(x) = (5x^3 - 3x) / 2, with its derivative P3'(x) = (15x^2 - 3) / 2 written out."""

    @staticmethod
    def forward(ctx, input):
        ctx.save_for_backward(input)
        return 0.5 * (5 * input ** 3 - 3 * input)

    @staticmethod
    def backward(ctx, grad_output):
        (input,) = ctx.saved_tensors
        return grad_output * 1.5 * (5 * input ** 2 - 1)


def make_parameters():
    """The four coefficients, started away from the answer so that there is something to learn."""
    dtype = torch.float64
    a = torch.full((), 0.0, dtype=dtype, requires_grad=True)
    b = torch.full((), -1.0, dtype=dtype, requires_grad=True)
    c = torch.full((), 0.0, dtype=dtype, requires_grad=True)
    d = torch.full((), 0.3, dtype=dtype, requires_grad=True)
    return [a, b, c, d]


def train(parameters, steps=2000, learning_rate=5e-6):
    """Plain gradient descent on the summed squared error; the loss of every step."""
    x = torch.linspace(-math.pi, math.pi, 2000, dtype=torch.float64)
    y = torch.sin(x)
    a, b, c, d = parameters
    P3 = LegendrePolynomial3.apply
    losses = []
    for _ in range(steps):
        y_pred = a + b * P3(c + d * x)
        loss = (y_pred - y).pow(2).sum()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            for p in parameters:
                p -= learning_rate * p.grad
                p.grad = None
    return losses


if __name__ == "__main__":
    params = make_parameters()
    losses = train(params)
    a, b, c, d = (p.item() for p in params)
    print(f"loss {losses[0]:.1f} -> {losses[-1]:.2f}")
    print(f"y = {a:.4f} + {b:.4f} * P3({c:.4f} + {d:.4f} x)")
