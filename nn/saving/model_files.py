"""Saving and loading models: ``model.save(path)``, ``nn.load_model(path)``, and weights alone.

A model file holds the weights (and buffers) as arrays, and as JSON the architecture, the compile
settings, the optimizer's options and state (its arrays stored beside the weights) and the
training history. Loading validates everything before building or changing a model; any problem
is one ``CheckpointError`` naming the file and the reason.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nn.saving.archive import CheckpointError, read_archive, with_suffix, write_archive

WEIGHTS = "weights/"
OPTIMIZER = "optimizer/"


def _encode(value: Any, arrays: dict[str, np.ndarray]) -> Any:
    """JSON-able data, with numpy arrays moved to ``arrays`` and referenced by key."""
    if isinstance(value, np.ndarray):
        key = f"{OPTIMIZER}{len(arrays)}"
        arrays[key] = value
        return {"__array__": key}
    if isinstance(value, dict):  # keys may be ints (parameter indices): keep their type
        return {"__items__": [[_encode(k, arrays), _encode(v, arrays)] for k, v in value.items()]}
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v, arrays) for v in value]}
    if isinstance(value, list):
        return [_encode(v, arrays) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"save: cannot store a value of type {type(value).__name__} ({value!r:.60})")


def _decode(value: Any, arrays: dict[str, np.ndarray]) -> Any:
    if isinstance(value, list):
        return [_decode(v, arrays) for v in value]
    if isinstance(value, dict):
        if set(value) == {"__array__"}:
            return arrays[value["__array__"]]
        if set(value) == {"__tuple__"}:
            return tuple(_decode(v, arrays) for v in value["__tuple__"])
        if set(value) == {"__items__"}:
            return {_decode(k, arrays): _decode(v, arrays) for k, v in value["__items__"]}
        raise ValueError(f"unexpected record {sorted(value)}")
    return value


def save_weights(model: Any, path: Any) -> None:
    """Write the model's ``state_dict`` to ``path`` (``.npz`` added when there is no suffix)."""
    arrays = {WEIGHTS + name: array for name, array in model.state_dict().items()}
    write_archive(with_suffix(path), arrays, {"kind": "weights"})


def save_model(model: Any, path: Any) -> None:
    """Write architecture, weights, compile settings, optimizer state and history."""
    if not hasattr(model, "get_config"):
        raise TypeError(f"save: {type(model).__name__} cannot describe its architecture (no "
                        f"get_config); use save_weights and rebuild the model in code")
    arrays = {WEIGHTS + name: array for name, array in model.state_dict().items()}
    meta: dict[str, Any] = {"kind": "model", "model_class": type(model).__name__,
                            "architecture": model.get_config(),
                            "compile": getattr(model, "_compile_config", {}) or None,
                            "optimizer": None, "history": None}
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None:
        optimizer_arrays: dict[str, np.ndarray] = {}
        # Keras' optimizers (nn.optimizers) are rebuilt from their constructor's arguments.
        keras_face = hasattr(optimizer, "get_config")
        settings = optimizer.get_config() if keras_face else dict(optimizer.defaults)
        meta["optimizer"] = {"class_name": type(optimizer).__name__,
                             "package": "nn.optimizers" if keras_face else "optim",
                             "defaults": _encode(settings, optimizer_arrays),
                             "state": _encode(optimizer.state_dict(), optimizer_arrays)}
        arrays.update(optimizer_arrays)
    if getattr(model, "history", None) is not None:
        meta["history"] = {"epoch": model.history.epoch, "history": model.history.history}
    shuffling = getattr(model, "_shuffle_rng", None)
    if isinstance(shuffling, np.random.Generator):  # a resumed fit shuffles as the run would
        meta["shuffle_state"] = _to_json(shuffling.bit_generator.state)
    write_archive(with_suffix(path), arrays, meta)


def _to_json(value: Any) -> Any:
    """A bit generator's state as JSON: ints as they are (PCG64's are 128-bit), arrays
    (MT19937's key) as lists marked with their dtype."""
    if isinstance(value, dict):
        return {key: _to_json(item) for key, item in value.items()}
    if isinstance(value, np.ndarray):
        return {"__array__": value.tolist(), "dtype": str(value.dtype)}
    return value.item() if isinstance(value, np.generic) else value


def _from_json(value: Any) -> Any:
    """The inverse of ``_to_json``."""
    if isinstance(value, dict):
        if "__array__" in value:
            return np.asarray(value["__array__"], dtype=value["dtype"])
        return {key: _from_json(item) for key, item in value.items()}
    return value


def _shuffle_generator(state: dict[str, Any]) -> np.random.Generator:
    """The generator ``fit`` shuffles with, in the saved state."""
    bits = getattr(np.random, state["bit_generator"])()
    bits.state = _from_json(state)
    return np.random.Generator(bits)


def _weights(arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {k[len(WEIGHTS):]: v for k, v in arrays.items() if k.startswith(WEIGHTS)}


def load_weights(model: Any, path: Any) -> None:
    """Load weights into a built model; the model is unchanged if anything does not fit."""
    path = with_suffix(path)
    arrays, meta = read_archive(path)
    if meta.get("kind") not in ("weights", "model"):
        raise CheckpointError(f"{path}: holds a {meta.get('kind')!r}, not weights")
    unbuilt = model.parameters().unbuilt_layers if hasattr(model, "parameters") else []
    if unbuilt:
        names = ", ".join(repr(name) for name in unbuilt)
        raise ValueError(f"load_weights: layer(s) {names} of the model have no weights yet, so "
                         f"nothing could be loaded into them from {path}. Build the model first: "
                         f"call it once on a batch (model(x)), or give each of those layers "
                         f"input_shape=[n]")
    try:
        model.load_state_dict(_weights(arrays))
    except (ValueError, TypeError) as err:
        raise CheckpointError(f"{path}: the weights do not fit this model: {err}") from None


def compile_from_config(model: Any, optimizer: Any, compiled: dict[str, Any],
                        custom_objects: dict[str, Any] | None) -> None:
    """Compile ``model`` with ``optimizer`` and the losses and metrics that a compile config
    (``model._compile_config``) records, each rebuilt afresh (no state shared with the model
    that was compiled with them)."""
    from nn.training.compile_utils import deserialize_compile_argument

    def rebuilt(record: Any) -> Any:
        return deserialize_compile_argument(record, custom_objects)

    model.compile(optimizer=optimizer, loss=rebuilt(compiled["loss"]),
                  metrics=[rebuilt(m) for m in compiled.get("metrics") or []],
                  weighted_metrics=[rebuilt(m) for m in
                                    compiled.get("weighted_metrics") or []] or None,
                  run_eagerly=compiled.get("run_eagerly", False),
                  jit_compile=compiled.get("jit_compile", "auto"))


def load_model(filepath: Any, custom_objects: dict[str, Any] | None = None, compile: bool = True,
               safe_mode: bool = True) -> Any:
    """Rebuild a model saved with ``model.save(path)``: architecture, weights, compile settings
    (loss, metrics, optimizer and its state) and history, as ``keras.saving.load_model``.

    Args:
        filepath: The file (``.npz`` added when there is no suffix).
        custom_objects: Classes and functions that are not ``nn``'s, by the name they were
            saved under (their ``__name__``): custom layers, losses, metrics, functions.
        compile: False leaves the model uncompiled (no optimizer, loss or metrics), as Keras.
        safe_mode: Accepted for Keras' signature; loading never runs stored code here (no
            pickle, no lambdas), so either value is safe.

    Raises:
        CheckpointError: The file is missing, damaged, foreign, or does not describe a model
            this library can rebuild.
        TypeError: The file names a class or function (a custom layer, loss or metric) that is
            neither ``nn``'s nor in ``custom_objects``; Keras raises it too.
    """
    import nn
    import optim
    from nn.training.compile_utils import MissingObjectError

    if custom_objects is not None and not isinstance(custom_objects, dict):
        raise TypeError(f"load_model: custom_objects must be a dict of names to classes or "
                        f"functions. Received: {type(custom_objects).__name__}")
    path = with_suffix(filepath)
    arrays, meta = read_archive(path)
    if meta.get("kind") != "model":
        raise CheckpointError(f"{path}: holds {meta.get('kind')!r}, not a whole model; use "
                              f"load_weights on a model built in code")
    try:
        # A functional model is an nn.Model, whose from_config rebuilds it.
        model_class = (nn.Model if meta["model_class"] == "Functional"
                       else getattr(nn, meta["model_class"]))
        model = model_class.from_config(meta["architecture"], custom_objects=custom_objects)
        model.load_state_dict(_weights(arrays))
        saved = meta.get("optimizer")
        compiled = meta.get("compile") or {}
        if compile and saved is not None and compiled.get("loss"):
            package = nn.optimizers if saved.get("package") == "nn.optimizers" else optim
            optimizer_class = getattr(package, saved["class_name"])
            if not (isinstance(optimizer_class, type)
                    and issubclass(optimizer_class, optim.Optimizer)):
                raise ValueError(f"unknown optimizer {saved['class_name']!r}")
            settings = _decode(saved["defaults"], arrays)
            optimizer = (optimizer_class.from_config(settings)  # Keras' (schedules as records)
                         if hasattr(optimizer_class, "from_config")
                         else optimizer_class(**settings))
            compile_from_config(model, optimizer, compiled, custom_objects)
            optimizer.load_state_dict(_decode(saved["state"], arrays))
        if meta.get("shuffle_state"):
            model._shuffle_rng = _shuffle_generator(meta["shuffle_state"])
        if meta.get("history"):
            model.history = nn.History()
            model.history.epoch = list(meta["history"]["epoch"])
            model.history.history = {k: list(v) for k, v in meta["history"]["history"].items()}
    except MissingObjectError as err:  # not a damaged file: the caller's objects are missing
        raise MissingObjectError(f"{path}: {err}") from None
    except CheckpointError:
        raise
    except Exception as err:  # a well-formed archive whose contents do not describe a model
        raise CheckpointError(f"{path}: cannot rebuild the model ({type(err).__name__}: "
                              f"{err})") from None
    return model
