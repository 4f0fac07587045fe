"""Layer configurations as JSON-able data, so ``save`` can store an architecture as text.

A layer's config is its constructor's arguments, read back from the attributes of the same names
(Keras' convention). Activations are stored by name; initializers and regularizers by class name
and their own arguments; anything else that is not plain data is refused with a clear error, so
a saved file never needs code to be rebuilt.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from nn import activations, initializers, regularizers

_OBJECT_MODULES = (initializers, regularizers)


def constructor_arguments(cls: type) -> list[str]:
    """The names of ``cls.__init__``'s arguments, without ``self`` and ``*args``/``**kwargs``."""
    skipped = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    return [name for name, p in inspect.signature(cls.__init__).parameters.items()
            if name != "self" and p.kind not in skipped]


def serialize(value: Any, where: str) -> Any:
    """``value`` as JSON-able data; ``where`` names it in the error for what cannot be stored."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        return value.item()
    if isinstance(value, np.dtype):
        return value.name
    if isinstance(value, (list, tuple)):
        return [serialize(v, where) for v in value]
    if isinstance(value, (initializers.Initializer, regularizers.Regularizer)):
        arguments = constructor_arguments(type(value))
        config = {name: getattr(value, name) for name in arguments if hasattr(value, name)}
        if isinstance(config.get("seed"), np.random.Generator):
            config["seed"] = None  # a Generator's position cannot be stored: reseeded on load
        return {"class_name": type(value).__name__,
                "config": {k: serialize(v, where) for k, v in config.items()}}
    name = getattr(value, "__name__", None)
    if callable(value) and name is not None and activations._BY_NAME.get(name) is value:
        return name
    raise TypeError(f"{where} holds {value!r:.80}, which cannot be saved as data; use a name "
                    f"(e.g. 'relu', 'glorot_uniform', 'l2') or save_weights instead")


def deserialize(value: Any) -> Any:
    """The inverse of ``serialize`` for initializer and regularizer records; data is returned."""
    if isinstance(value, dict) and set(value) == {"class_name", "config"}:
        for module in _OBJECT_MODULES:
            cls = getattr(module, value["class_name"], None)
            if isinstance(cls, type) and issubclass(
                    cls, (initializers.Initializer, regularizers.Regularizer)):
                return cls(**value["config"])
        raise ValueError(f"unknown initializer or regularizer class {value['class_name']!r}")
    return value
