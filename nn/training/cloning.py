"""``clone_model``: a new model with the same architecture and fresh weights, as
``keras.models.clone_model``."""

from __future__ import annotations

from typing import Any

from nn.training.model import Model


def _fresh_optimizer(optimizer: Any) -> Any:
    """An optimizer of the same class and settings, with no state and no parameters bound."""
    if hasattr(optimizer, "get_config"):  # Keras' (nn.optimizers)
        return type(optimizer).from_config(optimizer.get_config())
    return type(optimizer)(**optimizer.defaults)  # PyTorch's (optim), in its Keras form


def clone_model(model: Any, input_tensors: Any = None, clone_function: Any = None,
                call_function: Any = None, recursive: bool = False, **kwargs: Any) -> Any:
    """A new model of the same architecture, with new layers and freshly initialized weights,
    as ``keras.models.clone_model``: the layers keep their names and configurations, and a
    compiled model's clone is compiled again with the same settings (a new optimizer of the
    same class and settings, new loss and metric objects), as Keras 3 does.

    Args:
        model: A ``Sequential`` or functional model (a subclassed one cannot describe its
            architecture: a TypeError says so, as Keras refuses it too).
        input_tensors: Only None (the clone gets new inputs of the same shapes).
        clone_function: Only None (each layer is rebuilt from its configuration).
        call_function: Only None.
        recursive: Only False.

    Returns:
        The new model; the weights are not copied (``clone.set_weights(model.get_weights())``
        does that).

    Examples:
        >>> import nn as keras
        >>> model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2)])
        >>> clone = keras.models.clone_model(model)
        >>> clone is model, clone.layers[0] is model.layers[0], clone.layers[0].units
        (False, False, 2)
    """
    for name, value in (("input_tensors", input_tensors), ("clone_function", clone_function),
                        ("call_function", call_function)):
        if value is not None:
            raise ValueError(f"clone_model: {name}={value!r:.60} is not supported here; leave "
                             f"it at None (each layer is rebuilt from its configuration)")
    if recursive is not False:
        raise ValueError(f"clone_model: recursive={recursive!r} is not supported here; leave "
                         f"it at False")
    if kwargs:
        raise TypeError(f"clone_model: unexpected keyword arguments {sorted(kwargs)}")
    if not isinstance(model, Model):
        raise TypeError(f"clone_model expects a Sequential or functional model. Received: "
                        f"{type(model).__name__}")
    if not hasattr(model, "get_config"):
        raise TypeError(f"clone_model: {type(model).__name__} is a subclassed model, which "
                        f"cannot describe its architecture; build a new one in code (and "
                        f"copy the weights with set_weights)")
    clone = type(model).from_config(model.get_config())
    if model.optimizer is not None and getattr(model, "_compile_config", None):
        from nn.saving.model_files import compile_from_config

        compile_from_config(clone, _fresh_optimizer(model.optimizer), model._compile_config,
                            None)
    return clone
