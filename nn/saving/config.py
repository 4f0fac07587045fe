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


def constructor_arguments(cls: type[Any]) -> list[str]:
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


def layer_namespace(layer: Any) -> str:
    """Where a layer's class is public: ``'nn.layers'`` (Keras' meaning) or ``'nn'`` (PyTorch's
    modules, and Keras-only names). One class name can stand in both with different meanings
    (``nn.Dropout`` is PyTorch's, ``nn.layers.Dropout`` Keras'), so a saved architecture records
    which one it used."""
    import nn

    cls = type(layer)
    return "nn.layers" if getattr(nn.layers, cls.__name__, None) is cls else "nn"


def layer_class(entry: dict[str, Any]) -> type[Any]:
    """The class a saved layer record names, looked up only among ``nn``'s public layers.

    Records without a namespace (files written before it was recorded) mean Keras' layer where
    both faces have the name, as they did then.
    """
    import nn
    from nn.module import Module

    name = entry["class_name"]
    namespace = entry.get("module")
    if namespace not in (None, "nn", "nn.layers"):
        raise ValueError(f"unknown layer namespace {namespace!r} for class {name!r}")
    if namespace == "nn":
        found = getattr(nn, name, None)
    elif namespace == "nn.layers":
        found = getattr(nn.layers, name, None)
    else:
        found = getattr(nn.layers, name, getattr(nn, name, None))
    if not (isinstance(found, type) and issubclass(found, Module)):
        raise ValueError(f"unknown layer class {name!r}")
    return found
