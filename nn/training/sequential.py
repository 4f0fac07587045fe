"""``Sequential``: layers applied one after another, the course's model.

Example:
    >>> import nn, optim
    >>> model = nn.Sequential([nn.Dense(units=1, input_shape=[1])])
    >>> model.compile(loss="mean_squared_error", optimizer=optim.Adam(0.1))
    >>> history = model.fit([-40, -10, 0, 8, 15, 22, 38], [-40, 14, 32, 46, 59, 72, 100],
    ...                     epochs=500, verbose=False)
    >>> prediction = model.predict([100.0])   # about 211 after 500 epochs
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np

import autograd as ag
from nn.module import Module
from nn.training.model import Model


class Sequential(Model):
    """A stack of layers: the output of each is the input of the next.

    Layers are registered under their position (``'0'``, ``'1'``, ...), so parameter names are
    ``'0.kernel'``, ``'0.bias'`` and stay the same from run to run. When the first layer was given
    ``input_shape``, every layer is built at construction, as in Keras.

    Both ways of writing one work: Keras' list, ``Sequential([Dense(4), Dense(1)])``, and
    PyTorch's separate arguments, ``Sequential(Linear(1, 4), ReLU(), Linear(4, 1))``.

    Args:
        layers: The layers, in order: one list, or the first of several layer arguments.
        *more_layers: The further layers of the PyTorch form.
        seed: Seed (or Generator) for shuffling in ``fit``.
        name: The model's name.
    """

    def __init__(self, layers: Iterable[Module] | Module | None = None, *more_layers: Module,
                 seed: Any = None, name: str | None = None) -> None:
        super().__init__(seed=seed, name=name)
        if isinstance(layers, Module):
            layers = [layers, *more_layers]
        elif more_layers:
            raise TypeError(f"Sequential takes one list of layers or the layers themselves as "
                            f"separate arguments, not both. Received: a "
                            f"{type(layers).__name__} followed by {len(more_layers)} more")
        elif layers is not None and not isinstance(layers, Iterable):
            raise TypeError(f"Sequential expects a list of layers, e.g. Sequential([Dense(1)]). "
                            f"Received: {type(layers).__name__}")
        for layer in layers or []:
            self.add(layer)

    def __getitem__(self, index: int | slice) -> Module:
        """A layer by position (``model[0]``), or a new ``Sequential`` of a slice of the layers,
        as in PyTorch (the layers are shared, not copied)."""
        if isinstance(index, slice):
            return Sequential(self.layers[index])
        return self.layers[index]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self.layers)

    def add(self, layer: Module) -> None:
        """Append a layer; builds it (and what follows) when the input shape is known."""
        if not isinstance(layer, Module):
            raise TypeError(f"Sequential.add expects a layer (an nn.Module). Received: "
                            f"{type(layer).__name__}")
        self.add_module(str(len(self._modules)), layer)
        self._build_known_shapes()

    def _build_known_shapes(self) -> None:
        """Build each layer from the previous one's output shape, as far as shapes are known."""
        shape = None
        for layer in self.layers:
            if not getattr(layer, "built", True):
                if shape is None:
                    return
                layer.build(shape)
            shape = getattr(layer, "input_shape", None)
            if shape is None or not hasattr(layer, "compute_output_shape"):
                return
            shape = layer.compute_output_shape(shape)

    def forward(self, x: Any) -> Any:
        for layer in self.children():
            x = layer(x)
        return x

    def summary(self, print_fn: Callable[[str], Any] = print) -> None:
        """Print each layer's type, output shape and parameter count, then the totals."""
        rows = [("Layer (type)", "Output Shape", "Param #")]
        shapes = self._output_shapes()
        for layer, shape in zip(self.layers, shapes):
            rows.append((f"{layer.name} ({type(layer).__name__})",
                         "?" if shape is None else str(shape), f"{_weight_count(layer):,}"))
        widths = [max(len(row[i]) for row in rows) + 2 for i in range(3)]
        rule = "=" * sum(widths)
        lines = [f'Model: "{self.name}"', rule, _row(rows[0], widths), rule]
        lines += [_row(row, widths) for row in rows[1:]]
        # As in Keras, buffers (batch normalization's moving statistics) count as
        # non-trainable weights.
        trainable = sum(p.size for p in self.parameters() if p.requires_grad)
        total = _weight_count(self)
        lines += [rule, f"Total params: {total:,}", f"Trainable params: {trainable:,}",
                  f"Non-trainable params: {total - trainable:,}", rule]
        print_fn("\n".join(lines))

    def _output_shapes(self) -> list[tuple | None]:
        """Each layer's output shape (batch axis None), by running one zero example through."""
        first = self.layers[0] if self.layers else None
        shape = getattr(first, "input_shape", None)
        if shape is None or not self._is_built():
            return [None] * len(self.layers)
        x: Any = ag.tensor(np.zeros((1, *shape[1:]), dtype=ag.get_default_dtype()))
        shapes = []
        mode = self.training
        self.eval()
        with ag.no_grad():
            for layer in self.layers:
                x = layer(x)
                shapes.append((None, *x.shape[1:]))
        self.train(mode)
        return shapes

    def get_config(self) -> dict:
        """The architecture as JSON-able data: each layer's class name and constructor config."""
        layers = []
        for layer in self.layers:
            if not hasattr(layer, "get_config"):
                raise TypeError(f"Sequential.get_config: layer '{layer.name}' "
                                f"({type(layer).__name__}) cannot describe its configuration")
            layers.append({"class_name": type(layer).__name__, "config": layer.get_config()})
        return {"name": self.name, "layers": layers}

    @classmethod
    def from_config(cls, config: dict) -> Sequential:
        """Rebuild a model from ``get_config()`` data; only layer classes of ``nn`` are used."""
        import nn

        layers = []
        for entry in config["layers"]:
            layer_class = getattr(nn, entry["class_name"], None)
            if not (isinstance(layer_class, type) and issubclass(layer_class, Module)):
                raise ValueError(f"unknown layer class {entry['class_name']!r}")
            layers.append(layer_class.from_config(entry["config"]))
        return cls(layers, name=config.get("name"))


def _weight_count(module: Module) -> int:
    return sum(p.size for p in module.parameters()) + sum(b.size for b in module.buffers())


def _row(cells: tuple, widths: list[int]) -> str:
    return "".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip()
