"""Keras' functional models: ``nn.Model(inputs, outputs)`` over layers called on ``nn.Input``.

The model keeps the recorded layer calls in the order they were made (each call after the
calls that produced its input) and replays them on real inputs. Its layers are registered
under their names, so weights are named ``'dense.kernel'``, ``'dense_1.bias'``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nn.saving import config as config_module
from nn.training.model import Model
from nn.training.persistence import rebuilt_layer, saved_layer_class
from nn.training.symbolic import InputLayer, KerasTensor, Node

if TYPE_CHECKING:
    from nn.layers.layer import KerasShape


def _as_list(value: Any, who: str) -> tuple[list[KerasTensor], bool]:
    """The symbolic tensors in ``value`` (one, or a list/tuple of them), and whether it was a
    single one (the model then returns a single output)."""
    single = isinstance(value, KerasTensor)
    items = [value] if single else list(value) if isinstance(value, (list, tuple)) else None
    if not items or not all(isinstance(item, KerasTensor) for item in items):
        raise TypeError(f"Model: {who} must be a KerasTensor (from nn.Input or a layer called "
                        f"on one) or a list of them. Received: {type(value).__name__}")
    return items, single


def _ordered_nodes(inputs: list[KerasTensor], outputs: list[KerasTensor]) -> list[Node]:
    """The calls between ``inputs`` and ``outputs``, each after the calls it depends on."""
    order: list[Node] = []
    done: set[int] = set()
    given = {id(tensor.keras_history) for tensor in inputs}
    stack: list[tuple[Node, bool]] = [(t.keras_history, False) for t in reversed(outputs)]
    while stack:
        node, expanded = stack.pop()
        if id(node) in done:
            continue
        if expanded or id(node) in given or not node.inputs:
            if not node.inputs and id(node) not in given:
                raise ValueError(f"Model: the outputs depend on the input '{node.layer.name}', "
                                 f"which is not among the model's inputs "
                                 f"{[t.name for t in inputs]}")
            done.add(id(node))
            order.append(node)
            continue
        stack.append((node, True))
        stack.extend((t.keras_history, False) for t in node.inputs)
    return order


class Functional(Model):
    """A model defined by its symbolic inputs and outputs (what ``nn.Model(inputs, outputs)``
    returns; it is an ``nn.Model``).

    Args:
        inputs: The ``nn.Input`` tensor(s).
        outputs: The tensor(s) computed from them by calling layers.
        name: The model's name.
        trainable: False to freeze every layer.
        seed: Seed (or Generator) for shuffling in ``fit``.
    """

    def __init__(self, inputs: Any, outputs: Any, name: str | None = None,
                 trainable: bool = True, seed: Any = None) -> None:
        super().__init__(name=name, seed=seed)
        input_list, single_input = _as_list(inputs, "inputs")
        output_list, single_output = _as_list(outputs, "outputs")
        nodes = _ordered_nodes(input_list, output_list)
        for node in nodes:
            layer = node.layer
            known = self._modules.get(layer.name)
            if known is not None and known is not layer:
                raise ValueError(f"Model: two different layers are named '{layer.name}'; all "
                                 f"layer names in a model must be unique")
            self.add_module(layer.name, layer)
        # Plain attributes: the records are not sub-modules.
        object.__setattr__(self, "_nodes", nodes)
        object.__setattr__(self, "_inputs", input_list)
        object.__setattr__(self, "_outputs", output_list)
        self._single = (single_input, single_output)
        if not trainable:
            self.trainable = False

    @property
    def inputs(self) -> list[KerasTensor]:
        """The model's symbolic inputs."""
        return list(self._inputs)

    @property
    def outputs(self) -> list[KerasTensor]:
        """The model's symbolic outputs."""
        return list(self._outputs)

    @property
    def input(self) -> KerasTensor | list[KerasTensor]:
        """The symbolic input as it was given: one tensor, or the list."""
        return self._inputs[0] if self._single[0] else list(self._inputs)

    @property
    def output(self) -> KerasTensor | list[KerasTensor]:
        """The symbolic output as it was given: one tensor, or the list."""
        return self._outputs[0] if self._single[1] else list(self._outputs)

    @property
    def input_shape(self) -> Any:
        """The input's shape (batch axis None), or a list of them, as Keras'."""
        shapes = [t.shape for t in self._inputs]
        return shapes[0] if self._single[0] else shapes

    @property
    def output_shape(self) -> Any:
        """The output's shape (batch axis None), or a list of them, as Keras'."""
        shapes = [t.shape for t in self._outputs]
        return shapes[0] if self._single[1] else shapes

    def forward(self, inputs: Any) -> Any:
        """Replay the recorded layer calls on ``inputs`` (one array, or a list for several
        inputs); returns one output, or a list for several."""
        # One input given in a list (Model(inputs=m.inputs, ...)) still takes one array, as
        # in Keras; a list of one array works too.
        alone = self._single[0] or (len(self._inputs) == 1
                                    and not isinstance(inputs, (list, tuple)))
        given = [inputs] if alone else list(inputs)
        if len(given) != len(self._inputs):
            raise ValueError(f"Model '{self.name}' expects {len(self._inputs)} input(s). "
                             f"Received: {len(given)}")
        values: dict[int, Any] = {id(t.keras_history): x for t, x in zip(self._inputs, given)}
        for node in self._nodes:
            if id(node) in values:
                continue
            values[id(node)] = node.layer(values[id(node.inputs[0].keras_history)],
                                          *node.args, **node.kwargs)
        results = [values[id(t.keras_history)] for t in self._outputs]
        return results[0] if self._single[1] else results

    def _prepare(self, x: Any, who: str) -> None:
        # fit, evaluate and train_on_batch take one input array and one target array here.
        if len(self._inputs) != 1 or len(self._outputs) != 1:
            raise ValueError(f"{who}: model '{self.name}' has {len(self._inputs)} inputs and "
                             f"{len(self._outputs)} outputs; training and evaluation here take "
                             f"models of one input and one output (call or predict it instead)")
        super()._prepare(x, who)

    def compute_output_shape(self, input_shape: KerasShape) -> Any:
        """The outputs' shapes (recorded when the model was defined)."""
        shapes = [t.shape for t in self._outputs]
        return shapes[0] if self._single[1] else shapes

    def _output_shapes(self) -> list[Any]:
        shapes: dict[int, Any] = {}
        for node in self._nodes:
            shapes[id(node.layer)] = None
        for tensor in self._all_tensors():
            shapes[id(tensor.keras_history.layer)] = tensor.shape
        return [shapes.get(id(layer)) for layer in self.layers]

    def _all_tensors(self) -> list[KerasTensor]:
        seen = [*self._inputs, *self._outputs]
        for node in self._nodes:
            seen.extend(node.inputs)
        return seen

    def get_config(self) -> dict[str, Any]:
        """The architecture as JSON-able data: each layer's config and what it was called on."""
        layers = []
        for node in self._nodes:
            if not hasattr(node.layer, "get_config"):
                raise TypeError(f"Model.get_config: layer '{node.layer.name}' "
                                f"({type(node.layer).__name__}) cannot describe its "
                                f"configuration")
            if node.args or node.kwargs:
                raise TypeError(f"Model.get_config: layer '{node.layer.name}' was called with "
                                f"extra arguments, which cannot be saved; use save_weights")
            layers.append({"class_name": type(node.layer).__name__, "name": node.layer.name,
                           "module": config_module.layer_namespace(node.layer),
                           "config": node.layer.get_config(),
                           "inbound": [t.keras_history.layer.name for t in node.inputs]})
        return {"name": self.name, "layers": layers,
                "input_layers": [t.keras_history.layer.name for t in self._inputs],
                "output_layers": [t.keras_history.layer.name for t in self._outputs],
                "single": list(self._single)}

    @classmethod
    def from_config(cls, config: dict[str, Any],
                    custom_objects: dict[str, Any] | None = None) -> Functional:
        """Rebuild a functional model from ``get_config()`` data (``nn``'s layer classes, and
        those of ``custom_objects`` by class name)."""
        made: dict[str, KerasTensor] = {}
        for entry in config["layers"]:
            if entry["class_name"] == "InputLayer":
                made[entry["name"]] = InputLayer.from_config(entry["config"]).output
                continue
            layer_class = saved_layer_class(entry, custom_objects)
            layer = rebuilt_layer(layer_class, {**entry["config"], "name": entry["name"]},
                                  custom_objects)
            made[entry["name"]] = layer(made[entry["inbound"][0]])
        single_input, single_output = config["single"]
        inputs = [made[name] for name in config["input_layers"]]
        outputs = [made[name] for name in config["output_layers"]]
        return cls(inputs[0] if single_input else inputs,
                   outputs[0] if single_output else outputs, name=config.get("name"))
