"""A neural network made of ``Scalar``s, one graph node per number, as in micrograd.

Nothing here is vectorized: a neuron multiplies its weights by its inputs one pair at a time,
so a drawing of the graph shows every product and sum. It computes exactly what a stack of
``Dense`` layers computes, only slower, which makes it the place to start.

Examples:
    >>> from nn.scalar_nets import MLP
    >>> model = MLP(2, [4, 1], rng=0)
    >>> out = model([1.0, -2.0])
    >>> out.backward()
    >>> len(model.parameters())
    17
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import autograd as ag
from autograd import Scalar


class Neuron:
    """``relu(w · x + b)`` (or without the ReLU when ``nonlin`` is False).

    Args:
        nin: The number of inputs.
        nonlin: Apply ReLU to the weighted sum.
        rng: An int seed or a ``numpy.random.Generator``; None takes the next generator of the
            root that ``autograd.manual_seed`` restarts. Weights are uniform in ``[-1, 1)``, the
            bias starts at 0.
    """

    def __init__(self, nin: int, nonlin: bool = True, rng: Any = None) -> None:
        generator = ag.as_generator(rng)
        self.w = [Scalar(float(generator.uniform(-1.0, 1.0))) for _ in range(nin)]
        self.b = Scalar(0.0)
        self.nonlin = nonlin

    def __call__(self, x: Sequence[Any] | Any) -> Scalar:
        if isinstance(x, (Scalar, numbers.Real)):  # one input, given alone
            x = [x]
        if len(x) != len(self.w):
            raise ValueError(f"Neuron expects {len(self.w)} inputs. Received: {len(x)}")
        total = self.b
        for wi, xi in zip(self.w, x):
            total = total + wi * xi
        return total.relu() if self.nonlin else total

    def parameters(self) -> list[Scalar]:
        """The weights, then the bias."""
        return [*self.w, self.b]

    def zero_grad(self) -> None:
        """Set every gradient to 0, as micrograd does, so ``p.data -= lr * p.grad`` works
        even for a parameter the next backward does not reach."""
        for p in self.parameters():
            p.grad = 0.0

    def __repr__(self) -> str:
        return f"{'ReLU' if self.nonlin else 'Linear'}Neuron({len(self.w)})"


class Layer:
    """``nout`` neurons that all see the same ``nin`` inputs.

    Args:
        nin: The number of inputs.
        nout: The number of neurons (outputs).
        nonlin: Whether the neurons apply ReLU.
        rng: An int seed or a Generator, shared by the neurons in turn.
    """

    def __init__(self, nin: int, nout: int, nonlin: bool = True, rng: Any = None) -> None:
        generator = ag.as_generator(rng)
        self.neurons = [Neuron(nin, nonlin, generator) for _ in range(nout)]

    def __call__(self, x: Sequence[Any]) -> Scalar | list[Scalar]:
        outs = [n(x) for n in self.neurons]
        return outs[0] if len(outs) == 1 else outs

    def parameters(self) -> list[Scalar]:
        """The parameters of each neuron in turn."""
        return [p for n in self.neurons for p in n.parameters()]

    def zero_grad(self) -> None:
        """Set every gradient to 0, as micrograd does, so ``p.data -= lr * p.grad`` works
        even for a parameter the next backward does not reach."""
        for p in self.parameters():
            p.grad = 0.0

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP:
    """A multilayer perceptron: ReLU layers of sizes ``nouts``, the last one linear.

    Args:
        nin: The number of inputs.
        nouts: The size of each layer; ``[16, 16, 1]`` gives two hidden layers and one output.
        rng: An int seed or a Generator, shared by the layers in turn.
    """

    def __init__(self, nin: int, nouts: Sequence[int], rng: Any = None) -> None:
        generator = ag.as_generator(rng)
        sizes = [nin, *nouts]
        self.layers = [Layer(sizes[i], sizes[i + 1], nonlin=i != len(nouts) - 1, rng=generator)
                       for i in range(len(nouts))]

    def __call__(self, x: Sequence[Any]) -> Scalar | list[Scalar]:
        # (each layer's output is the next one's input; the last one's is returned)
        for layer in self.layers:
            x = layer(x)  # type: ignore[assignment]
        return x  # type: ignore[return-value]

    def parameters(self) -> list[Scalar]:
        """The parameters of each layer in turn."""
        return [p for layer in self.layers for p in layer.parameters()]

    def zero_grad(self) -> None:
        """Set every gradient to 0, as micrograd does, so ``p.data -= lr * p.grad`` works
        even for a parameter the next backward does not reach."""
        for p in self.parameters():
            p.grad = 0.0

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
