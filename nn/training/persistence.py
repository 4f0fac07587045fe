"""``Persistence``: a model's files, as Keras names them (``save``, ``save_weights``,
``load_weights``, ``from_config``); the formats are ``nn.saving``'s one ``.npz`` file."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nn import distribution

if TYPE_CHECKING:
    from nn.training.model import Model


def _may_write(path: Any, overwrite: bool, who: str) -> None:
    """Keras asks before replacing a file when ``overwrite=False``; here that is an error."""
    from nn.saving.archive import with_suffix

    if not overwrite and Path(with_suffix(path)).exists():
        raise FileExistsError(f"{who}: {with_suffix(path)} exists and overwrite=False; remove it "
                              f"or pass overwrite=True")


def saved_layer_class(entry: dict[str, Any], custom_objects: dict[str, Any] | None) -> type[Any]:
    """The class of a saved layer record: from ``custom_objects`` by its class name first (a
    custom layer, as Keras' ``load_model(custom_objects=...)``), else among ``nn``'s public
    layers; a ``TypeError`` naming the remedy when it is neither (Keras' "Could not locate
    class")."""
    from nn.module import Module
    from nn.saving import config as config_module
    from nn.training.compile_utils import MissingObjectError

    name = entry["class_name"]
    custom = (custom_objects or {}).get(name)
    if custom is not None:
        if not (isinstance(custom, type) and issubclass(custom, Module)):
            raise TypeError(f"custom_objects[{name!r}] is {custom!r:.60}, not a layer class")
        return custom
    try:
        return config_module.layer_class(entry)
    except ValueError as err:
        raise MissingObjectError(
            f"Could not locate class {name!r} ({err}): a custom layer must be given to "
            f"load_model as custom_objects={{{name!r}: {name}}}") from None


def rebuilt_layer(layer_class: type[Any], settings: dict[str, Any],
                  custom_objects: dict[str, Any] | None) -> Any:
    """A layer from its config; a class whose ``from_config`` looks objects up by name
    (``Lambda``'s function) is given ``custom_objects`` too."""
    from_config = layer_class.from_config
    if "custom_objects" in inspect.signature(from_config).parameters:
        return from_config(settings, custom_objects=custom_objects)
    return from_config(settings)


class Persistence:
    """The saving methods of ``Model``, as a mixin."""

    @classmethod
    def from_config(cls, config: dict[str, Any],
                    custom_objects: dict[str, Any] | None = None) -> Any:
        """A functional model from its ``get_config()`` data, as ``keras.Model.from_config``
        (``custom_objects``: layer classes that are not ``nn``'s, by class name)."""
        if "input_layers" not in config:
            raise TypeError(f"{cls.__name__}.from_config: only functional and Sequential models "
                            f"can be rebuilt from data; rebuild a subclassed model in code and "
                            f"use load_weights")
        from nn.training.functional import Functional

        return Functional.from_config(config, custom_objects)

    def save(self: Model, filepath: Any, overwrite: bool = True,
             zipped: bool | None = None) -> None:
        """Save architecture, weights, optimizer state and history to one ``.npz`` file.

        Args:
            filepath: Where to write (``.npz`` is added when there is no suffix).
            overwrite: False refuses to replace an existing file (Keras asks instead).
            zipped: None or True (an ``.npz`` file is a zip archive); False is refused.

        Under ``nn.distribution.DataParallel`` only rank 0 writes; elsewhere this does nothing.
        """
        from nn.saving import model_files as saving

        if zipped is False:
            raise ValueError("save: zipped=False is not supported; a model is one .npz (zip) "
                             "file")
        if not distribution.is_chief():
            return
        _may_write(filepath, overwrite, "save")
        saving.save_model(self, filepath)

    def save_weights(self: Model, filepath: Any, overwrite: bool = True,
                     max_shard_size: Any = None) -> None:
        """Save the weights (and buffers) alone to one ``.npz`` file (rank 0 only under
        ``nn.distribution.DataParallel``).

        Args:
            filepath: Where to write.
            overwrite: False refuses to replace an existing file.
            max_shard_size: Only None (one file, no shards).
        """
        from nn.saving import model_files as saving

        if max_shard_size is not None:
            raise ValueError(f"save_weights: max_shard_size={max_shard_size!r} is not "
                             f"supported; the weights are one file")
        if not distribution.is_chief():
            return
        _may_write(filepath, overwrite, "save_weights")
        saving.save_weights(self, filepath)

    def load_weights(self: Model, filepath: Any, skip_mismatch: bool = False,
                     **kwargs: Any) -> None:
        """Load weights saved by ``save_weights`` (or ``save``); nothing changes on error.

        Args:
            filepath: The file.
            skip_mismatch: Only False: every weight must fit.
        """
        from nn.saving import model_files as saving

        if skip_mismatch or kwargs:
            raise ValueError(f"load_weights: skip_mismatch={skip_mismatch!r} and other options "
                             f"{sorted(kwargs)} are not supported; every weight must fit")
        saving.load_weights(self, filepath)
