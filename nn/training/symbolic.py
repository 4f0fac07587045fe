"""Keras' symbolic inputs: ``nn.Input(shape=...)`` and the layers called on it.

``Input`` returns a ``KerasTensor``: a placeholder with a shape (the batch axis None) and a
dtype, but no values. Calling a layer on it builds the layer for that shape and returns a new
``KerasTensor`` that remembers the call (``keras_history``); ``nn.Model(inputs, outputs)``
walks those records back from the outputs to the inputs to obtain the functional model.

Examples:
    >>> import nn
    >>> from nn import layers
    >>> inputs = nn.Input(shape=(3,))
    >>> outputs = layers.Dense(2)(inputs)
    >>> outputs.shape, inputs.shape
    ((None, 2), (None, 3))
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

import autograd as ag
from nn import _checks
from nn.module import Module

if TYPE_CHECKING:
    from nn.layers.layer import KerasShape


@dataclass(eq=False)
class Node:
    """One recorded call: ``layer(inputs[0], *args, **kwargs)`` (an input layer has no inputs)."""

    layer: Module
    inputs: list[KerasTensor] = field(default_factory=list)
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)


class KerasTensor:
    """A symbolic value of a functional model: a shape and a dtype, no data.

    Attributes:
        shape: The shape, the batch axis None unless ``Input`` fixed it.
        dtype: The dtype name (``'float32'``).
        name: The name of the layer that produced it.
        keras_history: The ``Node`` (layer call) that produced it.
    """

    def __init__(self, shape: KerasShape, dtype: Any, node: Node) -> None:
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype).name
        self.keras_history = node
        self.name = node.layer.name

    @property
    def ndim(self) -> int:
        """The number of axes, the batch axis included."""
        return len(self.shape)

    def apply_layer(self, layer: Module, args: tuple[Any, ...],
                    kwargs: dict[str, Any]) -> KerasTensor:
        """The symbolic output of ``layer(self, *args, **kwargs)``: the layer is built for this
        shape, and the call is recorded to be replayed on real inputs."""
        if any(isinstance(value, KerasTensor)
               for value in (*args, *kwargs.values())):
            raise ValueError(f"Layer '{layer.name}' was called on several symbolic inputs; "
                             f"the functional API here takes layers of one input each")
        check_rank = getattr(layer, "_check_rank", None)
        if check_rank is not None:
            check_rank(self)
        if hasattr(layer, "build") and not getattr(layer, "built", True):
            # A Keras layer's _build_once also marks a user's layer built, as its call does.
            getattr(layer, "_build_once", layer.build)(self.shape)
        shape = (layer.compute_output_shape(self.shape) if hasattr(layer, "compute_output_shape")
                 else self._traced_shape(layer, args, kwargs))
        dtype = (layer.weight_dtype() if getattr(layer, "float_inputs", False)
                 and hasattr(layer, "weight_dtype") else self.dtype)
        result = KerasTensor(shape, dtype, Node(layer, [self], tuple(args), dict(kwargs)))
        # Keras' layer.input and layer.output: the symbolic tensors of its (latest) call, for
        # the feature-extractor idiom Model(inputs=m.inputs, outputs=m.layers[i].output).
        # A model that defines them as properties (a functional model) keeps its own.
        for attribute, value in (("input", self), ("output", result)):
            if not isinstance(getattr(type(layer), attribute, None), property):
                object.__setattr__(layer, attribute, value)
        return result

    def _traced_shape(self, layer: Module, args: tuple[Any, ...],
                      kwargs: dict[str, Any]) -> KerasShape:
        """The output shape of a layer that does not say it (a custom layer that writes only
        ``call``): Keras traces ``call`` symbolically; here it runs on one zero example, in
        inference mode and without a graph, which needs every size but the batch's."""
        from nn.training import calling
        from nn.training_mode import training_scope

        if any(size is None for size in self.shape[1:]):
            raise TypeError(f"{type(layer).__name__} '{layer.name}' cannot be called on a "
                            f"symbolic input of shape {self.shape} here: it has no "
                            f"compute_output_shape, and its output shape can be found only "
                            f"for inputs whose sizes are known. Define "
                            f"compute_output_shape(self, input_shape)")
        x = ag.tensor(np.zeros((1, *self.shape[1:]), dtype=self.dtype))
        with calling.ModeRestorer(layer, False), training_scope(False), ag.no_grad():
            output = layer(x, *args, **kwargs)
        if not isinstance(output, ag.Tensor):
            raise TypeError(f"{type(layer).__name__} '{layer.name}' returned "
                            f"{type(output).__name__}, not one tensor; the functional API here "
                            f"takes layers of one output each")
        return (self.shape[0], *output.shape[1:])

    def __repr__(self) -> str:
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}, name={self.name}>"


def standardize_shape(shape: Any, arg: str) -> tuple[int | None, ...]:
    """A shape given as a tuple or list of sizes (None for unknown ones) as a tuple of ints,
    as Keras' ``standardize_shape``; anything else is Keras' ``ValueError`` ("Cannot convert
    '4' to a shape"), with the form that works."""
    remedy = f"Give a tuple or list of sizes, e.g. {arg}=(4,) or {arg}=[28, 28, 1]"
    if isinstance(shape, (str, bytes)) or not hasattr(shape, "__iter__"):
        raise ValueError(f"Cannot convert '{shape}' to a shape. {remedy}")
    sizes = tuple(shape)
    for size in sizes:
        if size is None:
            continue
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)):
            raise ValueError(f"Cannot convert '{sizes}' to a shape. Found invalid dimension "
                             f"'{size}' of type '{type(size)}'. {remedy}")
        if size < 0:
            raise ValueError(f"Cannot convert '{sizes}' to a shape. Negative dimensions are "
                             f"not allowed")
    return tuple(None if size is None else int(size) for size in sizes)


class InputLayer(Module):
    """The layer behind ``Input``: it passes its input on unchanged (``model.layers[0]`` of a
    functional model, as in Keras).

    ``nn.layers.InputLayer(shape=...)`` may also start a ``Sequential`` model, as in Keras;
    its ``output`` is what ``Input`` returns.

    Args:
        shape: One example's shape (without the batch axis).
        batch_size: A fixed batch size, or None.
        dtype: The inputs' dtype (autograd's default float dtype when None).
        sparse: Only None or False: sparse inputs are not supported.
        ragged: Only None or False: ragged inputs are not supported.
        batch_shape: The full shape, batch axis included, instead of ``shape``/``batch_size``.
        input_tensor: Only None: wrapping an existing tensor is not supported.
        optional: Only False: optional inputs are not supported.
        name: The layer's name (``input_layer``, ``input_layer_1``, ... by default).

    Examples:
        >>> import nn as keras
        >>> model = keras.Sequential([keras.layers.InputLayer(shape=(3,)),
        ...                           keras.layers.Dense(2)])
        >>> len(model.layers), model.output_shape
        (1, (None, 2))
    """

    def __init__(self, shape: Any = None, batch_size: int | None = None, dtype: Any = None,
                 sparse: bool | None = None, ragged: bool | None = None,
                 batch_shape: Any = None, input_tensor: Any = None, optional: bool = False,
                 name: str | None = None) -> None:
        for arg, value, allowed in (("sparse", sparse, (None, False)),
                                    ("ragged", ragged, (None, False)),
                                    ("input_tensor", input_tensor, (None,)),
                                    ("optional", optional, (False,))):
            if not any(value is a for a in allowed):
                raise ValueError(f"{type(self).__name__}: {arg}={value!r:.60} is not supported "
                                 f"here; leave it at its default ({allowed[-1]!r})")
        super().__init__(name=name or _checks.unique_name("input_layer"))
        if shape is not None and batch_shape is not None:
            raise ValueError(f"Input: give shape= or batch_shape=, not both. Received: "
                             f"shape={shape}, batch_shape={batch_shape}")
        if batch_shape is not None:
            batch_shape = standardize_shape(batch_shape, "batch_shape")
        elif shape is not None:
            shape = standardize_shape(shape, "shape")
            if batch_size is not None:
                batch_size = _checks.positive_int(batch_size, "Input", "batch_size")
            batch_shape = (batch_size, *shape)
        else:
            raise ValueError("Input needs shape= (one example's shape, e.g. shape=(2,)) or "
                             "batch_shape=. Received neither")
        self.batch_shape = batch_shape
        self.dtype = np.dtype(dtype or ag.get_default_dtype()).name
        self.built = True
        self.output = KerasTensor(batch_shape, self.dtype, Node(self))

    def forward(self, x: Any) -> Any:
        return x

    def compute_output_shape(self, input_shape: KerasShape) -> KerasShape:
        """The input shape: an input layer changes nothing."""
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        """The constructor's arguments, as Keras gives them (``batch_shape``, ``dtype``,
        ``sparse``, ``ragged``, ``name``, ``optional``)."""
        return {"batch_shape": list(self.batch_shape), "dtype": self.dtype, "sparse": False,
                "ragged": False, "name": self.name, "optional": False}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> InputLayer:
        """An input layer from ``get_config()`` data."""
        return cls(batch_shape=config["batch_shape"], dtype=config["dtype"],
                   name=config["name"])

    def extra_repr(self) -> str:
        return f"batch_shape={self.batch_shape}"


def Input(shape: Any = None, batch_size: int | None = None, dtype: Any = None,  # noqa: N802
          sparse: bool | None = None, ragged: bool | None = None, batch_shape: Any = None,
          name: str | None = None, tensor: Any = None, optional: bool = False) -> KerasTensor:
    """A symbolic input, the start of a functional model (``keras.Input``).

    Args:
        shape: One example's shape, without the batch axis (``(2,)``, ``(28, 28, 1)``).
        batch_size: A fixed batch size, or None for any.
        dtype: The input's dtype; autograd's default (float32) when None.
        sparse: Only None or False: sparse inputs are not supported.
        ragged: Only None or False: ragged inputs are not supported.
        batch_shape: The shape with the batch axis, instead of ``shape`` and ``batch_size``.
        name: The input layer's name.
        tensor: Only None: wrapping an existing tensor is not supported.
        optional: Only False: optional inputs are not supported.

    Returns:
        A ``KerasTensor`` to call layers on, then to give ``nn.Model(inputs, outputs)``.

    Examples:
        >>> import nn
        >>> from nn import layers
        >>> inputs = nn.Input(shape=(2,))
        >>> x = layers.Dense(16, activation="relu")(inputs)
        >>> model = nn.Model(inputs, layers.Dense(1)(x))
        >>> model.predict([[1.0, 2.0]], verbose=0).shape
        (1, 1)
    """
    if tensor is not None:
        raise ValueError(f"Input: tensor={tensor!r:.60} is not supported here; leave it at its "
                         f"default (None)")
    return InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse,
                      ragged=ragged, batch_shape=batch_shape, optional=optional,
                      name=name).output
