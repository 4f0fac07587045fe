"""``Sequential``: layers applied one after another, the course's model.

Examples:
    >>> import nn, optim
    >>> model = nn.Sequential([nn.Dense(units=1, input_shape=[1])])
    >>> model.compile(loss="mean_squared_error", optimizer=optim.Adam(0.1))
    >>> history = model.fit([-40, -10, 0, 8, 15, 22, 38], [-40, 14, 32, 46, 59, 72, 100],
    ...                     epochs=500, verbose=False)
    >>> prediction = model.predict([100.0])   # about 211 after 500 epochs
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

import autograd as ag
from nn.layers.layer import Layer
from nn.module import Module
from nn.saving import config as config_module
from nn.training import calling
from nn.training.model import Model
from nn.training.persistence import rebuilt_layer, saved_layer_class
from nn.training.symbolic import Input, InputLayer, KerasTensor, standardize_shape
from nn.training_mode import training_scope

if TYPE_CHECKING:
    from nn.layers.layer import KerasShape


class Sequential(Model):
    """A stack of layers: the output of each is the input of the next.

    Layers are registered under their position (``'0'``, ``'1'``, ...), so parameter names are
    ``'0.kernel'``, ``'0.bias'`` and stay the same from run to run. When the first layer was given
    ``input_shape``, every layer is built at construction, as in Keras.

    Both ways of writing one work: Keras' list, ``Sequential([Dense(4), Dense(1)])``, and
    PyTorch's separate arguments, ``Sequential(Linear(1, 4), ReLU(), Linear(4, 1))``. As in
    Keras, the list may start with ``nn.Input(shape=...)``, which builds every layer at once
    (it is not one of ``layers``).

    Args:
        layers: The layers, in order: one list, or the first of several layer arguments.
        *more_layers: The further layers of the PyTorch form.
        trainable: False freezes every layer (Keras' ``trainable``).
        name: The model's name.
        seed: Ours, not Keras': seed (or Generator) for shuffling in ``fit``.
    """

    def __init__(self, layers: Iterable[Module] | Module | None = None, *more_layers: Module,
                 trainable: bool = True, name: str | None = None, seed: Any = None) -> None:
        super().__init__(seed=seed, name=name)
        object.__setattr__(self, "_input", None)  # the nn.Input the list may start with
        if isinstance(layers, Mapping) and not more_layers:  # PyTorch: names given as keys
            for key, layer in layers.items():
                self._check_layer(layer, "Sequential")
                self.add_module(str(key), layer)
            self._build_known_shapes()
            layers = None
        elif isinstance(layers, Module):
            layers = [layers, *more_layers]
        elif more_layers:
            raise TypeError(f"Sequential takes one list of layers or the layers themselves as "
                            f"separate arguments, not both. Received: a "
                            f"{type(layers).__name__} followed by {len(more_layers)} more")
        elif layers is not None and not isinstance(layers, Iterable):
            raise TypeError(f"Sequential expects a list of layers, e.g. Sequential([Dense(1)]). "
                            f"Received: {type(layers).__name__}")
        for layer in layers or []:  # type: ignore[union-attr]  # (a Module became a list)
            self.add(layer)
        if not trainable:
            self.trainable = False

    def __getitem__(self, index: int | slice) -> Module:
        """A layer by position (``model[0]``), or a new ``Sequential`` of a slice of the layers,
        as in PyTorch (the layers are shared, not copied)."""
        if isinstance(index, slice):
            return Sequential(self.layers[index])
        return self.layers[index]

    def __len__(self) -> int:
        return len(self._modules)

    def __setitem__(self, index: int, layer: Module) -> None:
        """Replace the layer at a position (PyTorch's ``model[i] = module``)."""
        self._check_layer(layer, "Sequential.__setitem__")
        key = list(self._modules)[self._position(index)]
        self._modules[key] = layer
        self._build_known_shapes()

    def __delitem__(self, index: int | slice) -> None:
        """Remove layers by position; the rest are numbered again from 0, as in PyTorch."""
        keys = list(self._modules)
        doomed = keys[index] if isinstance(index, slice) else [keys[self._position(index)]]
        for key in doomed:
            del self._modules[key]
        self._renumber()

    def append(self, layer: Module) -> Sequential:
        """Add a layer at the end and return the model (PyTorch's ``append``)."""
        self.add(layer)
        return self

    def extend(self, layers: Iterable[Module]) -> Sequential:
        """Add each layer at the end, in order, and return the model (PyTorch's ``extend``)."""
        for layer in layers:
            self.add(layer)
        return self

    def insert(self, index: int, layer: Module) -> Sequential:
        """Put a layer before position ``index`` and return the model (PyTorch's ``insert``)."""
        self._check_layer(layer, "Sequential.insert")
        n = len(self._modules)
        if not -n <= index <= n:
            raise IndexError(f"Sequential.insert: index {index} is out of range for "
                             f"{n} layers")
        layers = list(self._modules.values())
        layers.insert(index % (n + 1) if index < 0 else index, layer)
        self._modules.clear()
        for i, each in enumerate(layers):
            self._modules[str(i)] = each
        self._build_known_shapes()
        return self

    def pop(self, key: int | slice | None = None, rebuild: bool = True) -> Any:
        """Remove a layer and return it: PyTorch's ``pop(i)`` by position, or, with no
        position, Keras' ``pop()`` of the last layer (``rebuild`` is Keras' argument; shapes are
        always worked out again here)."""
        if not self._modules:
            raise IndexError("Sequential.pop: there is no layer to remove")
        key = -1 if key is None else key
        removed = self[key]
        del self[key]
        return removed

    def _position(self, index: int) -> int:
        n = len(self._modules)
        if isinstance(index, bool) or not isinstance(index, int) or not -n <= index < n:
            raise IndexError(f"Sequential: index {index!r} is out of range for {n} layers")
        return index % n

    def _renumber(self) -> None:
        """Positions as keys again after a removal, as PyTorch keeps them."""
        layers = list(self._modules.items())
        if all(key.isdigit() for key, _ in layers):
            self._modules.clear()
            for i, (_, layer) in enumerate(layers):
                self._modules[str(i)] = layer

    @staticmethod
    def _check_layer(layer: Any, who: str) -> None:
        if not isinstance(layer, Module):
            raise TypeError(f"{who} expects a layer (an nn.Module). Received: "
                            f"{type(layer).__name__}")

    def __iter__(self) -> Iterator[Module]:
        return iter(self.layers)

    def add(self, layer: Module | KerasTensor) -> None:
        """Append a layer; builds it (and what follows) when the input shape is known.

        ``nn.Input(shape=...)`` (or ``nn.layers.InputLayer(shape=...)``) may be added first:
        it gives the input shape (as in Keras).
        """
        if isinstance(layer, InputLayer):  # Keras takes the layer for its output
            layer = layer.output
        if isinstance(layer, KerasTensor):
            if self._modules or self._input is not None:
                raise ValueError("Sequential: an nn.Input can only be the first entry of a "
                                 "Sequential model, before any layer")
            object.__setattr__(self, "_input", layer)
            return
        if not isinstance(layer, Module):
            raise TypeError(f"Sequential.add expects a layer (an nn.Module). Received: "
                            f"{type(layer).__name__}")
        self.add_module(str(len(self._modules)), layer)
        self._build_known_shapes()

    def build(self, input_shape: Any = None) -> None:
        """Build every layer for inputs of ``input_shape``, the batch axis included (e.g.
        ``(None, 3)``), as ``keras.Sequential.build``: then ``summary()``, ``get_weights()``
        and ``set_weights()`` work before any data has been seen. Without a shape, the model's
        own ``nn.Input`` (or its first layer's ``input_shape``), if any, gives it.

        Raises:
            ValueError: ``input_shape`` is not a shape, has fewer axes than the first layer
                takes, or differs from the input shape the model already has (as in Keras).
        """
        if input_shape is None:
            self._build_known_shapes()
            return
        shape = standardize_shape(input_shape, "input_shape")
        first = self.layers[0] if self.layers else None
        known = self._input.shape if self._input is not None else getattr(
            first, "input_shape", None)
        if known is not None:
            if tuple(known) != shape:
                raise ValueError(f"Sequential model '{self.name}' has already been configured "
                                 f"to use input shape {tuple(known)}. You cannot build it with "
                                 f"input_shape {shape}")
            self._build_known_shapes()
            return
        min_ndim = getattr(first, "min_ndim", 0) or 0
        if len(shape) < min_ndim:  # the first layer's own check, before anything is built
            raise ValueError(f"Input 0 of layer '{getattr(first, 'name', first)}' is "
                             f"incompatible with the layer: "
                             f"expected min_ndim={min_ndim}, found ndim={len(shape)}. Full "
                             f"shape received: {shape}. input_shape includes the batch axis: "
                             f"e.g. (None, {shape[-1] if shape else 1})")
        object.__setattr__(self, "_input", Input(batch_shape=shape))
        try:
            self._build_known_shapes()
        except Exception:
            object.__setattr__(self, "_input", None)  # as it was: a failed build builds nothing
            raise

    def _build_known_shapes(self) -> None:
        """Build each layer from the previous one's output shape, as far as shapes are known."""
        shape = None if self._input is None else self._input.shape
        for layer in self.layers:
            if not getattr(layer, "built", True):
                if shape is None:
                    return
                getattr(layer, "_build_once", layer.build)(shape)
            shape = getattr(layer, "input_shape", shape)
            if shape is None:
                return
            shape = _output_shape(layer, tuple(shape))

    # --- the symbolic graph, as Keras' Sequential has once its input shape is known ---

    def _graph(self) -> list[KerasTensor] | None:
        """The symbolic input and each layer's symbolic output, when the input shape is
        known (from ``nn.Input``, ``build`` or the first layer's ``input_shape``); None
        otherwise, or when a layer cannot say its output shape (a PyTorch module). Walking it
        sets each layer's ``input`` and ``output`` (``nn.training.symbolic``)."""
        start = self._input
        first = self.layers[0] if self.layers else None
        if start is None and getattr(first, "input_shape", None) is not None:
            start = self.__dict__.get("_declared_input")
            if start is None or start.shape != tuple(first.input_shape):  # type: ignore[union-attr]
                start = Input(batch_shape=first.input_shape)  # type: ignore[union-attr]
                object.__setattr__(self, "_declared_input", start)
        if start is None:
            return None
        tensors = [start]
        try:
            for layer in self.layers:
                tensors.append(tensors[-1].apply_layer(layer, (), {}))
        except (TypeError, ValueError):
            return None
        return tensors

    def _known_graph(self, what: str) -> list[KerasTensor]:
        graph = self._graph()
        if graph is None:
            raise AttributeError(what)  # worded by __getattr__, where Python sends it
        return graph

    _GRAPH_NAMES: ClassVar[dict[str, str]] = {
        "inputs": "inputs", "outputs": "outputs", "input_shape": "input shape",
        "output_shape": "output shape"}

    def __getattr__(self, name: str) -> Any:
        # A property's AttributeError comes here: Keras' words for the graph's attributes.
        if name in Sequential._GRAPH_NAMES:
            raise AttributeError(f"Sequential model '{self.name}' has no defined "
                                 f"{Sequential._GRAPH_NAMES[name]} yet. Start it with "
                                 f"nn.Input(shape=...) or call model.build((None, ...)) first")
        return super().__getattr__(name)

    @property
    def inputs(self) -> list[KerasTensor]:
        """The symbolic input, in a list (Keras'); an ``AttributeError`` before the input
        shape is known."""
        return [self._known_graph("inputs")[0]]

    @property
    def outputs(self) -> list[KerasTensor]:
        """The symbolic output of the last layer, in a list (Keras')."""
        return [self._known_graph("outputs")[-1]]

    @property
    def input_shape(self) -> tuple[int | None, ...]:
        """The input's shape, the batch axis None (Keras')."""
        return self._known_graph("input shape")[0].shape

    @property
    def output_shape(self) -> tuple[int | None, ...]:
        """The output's shape, the batch axis None (Keras')."""
        return self._known_graph("output shape")[-1].shape

    def forward(self, x: Any) -> Any:
        for layer in self.children():
            x = layer(x)
        return x

    def compute_output_shape(self, input_shape: KerasShape) -> KerasShape:
        """The output shape for inputs of ``input_shape`` (batch axis None), building the layers
        on the way (a Sequential model called on ``nn.Input`` inside a functional model)."""
        shape = tuple(input_shape)
        for layer in self.layers:
            if not hasattr(layer, "compute_output_shape"):
                raise TypeError(f"Sequential: layer '{layer.name}' ({type(layer).__name__}) "
                                f"cannot say its output shape")
            if not getattr(layer, "built", True):
                getattr(layer, "_build_once", layer.build)(shape)
            shape = tuple(layer.compute_output_shape(shape))
        return shape

    def _output_shapes(self) -> list[KerasShape | None]:
        """Each layer's output shape (batch axis None), by running one zero example through in
        inference mode."""
        first = self.layers[0] if self.layers else None
        shape = self._input.shape if self._input is not None else getattr(
            first, "input_shape", None)
        if shape is None or not self._is_built():
            return [None] * len(self.layers)
        x: Any = ag.tensor(np.zeros((1, *shape[1:]), dtype=ag.get_default_dtype()))
        shapes: list[KerasShape | None] = []
        with calling.ModeRestorer(self, False), training_scope(False), ag.no_grad():
            for layer in self.layers:
                x = layer(x)
                shapes.append((None, *x.shape[1:]))
        return shapes

    def get_config(self) -> dict[str, Any]:
        """The architecture as JSON-able data: each layer's class name and constructor config."""
        layers = []
        for layer in self.layers:
            if not hasattr(layer, "get_config"):
                raise TypeError(f"Sequential.get_config: layer '{layer.name}' "
                                f"({type(layer).__name__}) cannot describe its configuration")
            layers.append({"class_name": type(layer).__name__, "name": layer.name,
                           "module": config_module.layer_namespace(layer),
                           "config": layer.get_config()})
        config = {"name": self.name, "layers": layers}
        if self._input is not None:
            config["input"] = self._input.keras_history.layer.get_config()
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any],
                    custom_objects: dict[str, Any] | None = None) -> Sequential:
        """Rebuild a model from ``get_config()`` data: layer classes of ``nn``, and those of
        ``custom_objects`` (by class name), as ``keras.Sequential.from_config``."""
        layers = []
        for entry in config["layers"]:
            layer_class = saved_layer_class(entry, custom_objects)
            settings = entry["config"]
            # Keras layers keep their names, as in Keras (PyTorch's modules take no name=).
            if "name" in entry and issubclass(layer_class, Layer):
                settings = {**settings, "name": entry["name"]}
            layers.append(rebuilt_layer(layer_class, settings, custom_objects))
        if "input" in config:
            layers.insert(0, InputLayer.from_config(config["input"]).output)
        return cls(layers, name=config.get("name"))


def _output_shape(layer: Module, shape: KerasShape) -> KerasShape:
    """A layer's output shape: from ``compute_output_shape`` (Keras layers), else by running
    one zero example through a PyTorch module in inference mode, without a graph."""
    if hasattr(layer, "compute_output_shape"):
        return tuple(layer.compute_output_shape(shape))
    x = ag.tensor(np.zeros((1, *shape[1:]), dtype=ag.get_default_dtype()))
    with calling.ModeRestorer(layer, False), training_scope(False), ag.no_grad():
        return (None, *layer(x).shape[1:])
