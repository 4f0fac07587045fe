"""``nn.optimizers.get``: an optimizer from Keras' names, a config dict or an optimizer object."""

from __future__ import annotations

from typing import Any

import optim
from nn.optimizers.adagrad import Adadelta, Adagrad
from nn.optimizers.adam import Adam, AdamW
from nn.optimizers.adam_variants import Adamax, Nadam
from nn.optimizers.rmsprop import RMSprop
from nn.optimizers.sgd import SGD

# Keras looks names up by the lower-cased class name (so 'Adam', 'adam' and 'ADAM' all work).
_BY_NAME = {cls.__name__.lower(): cls
            for cls in (SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, Nadam)}
# Keras' other optimizers, named so that the error says they are not provided here.
_NOT_PROVIDED = ("adafactor", "ftrl", "lion", "lamb", "muon", "schedulefreeadamw",
                 "lossscaleoptimizer", "multioptimizer")


def get(identifier: Any) -> Any:
    """The optimizer an identifier names, as ``keras.optimizers.get`` resolves it.

    Args:
        identifier: A Keras name (``'adam'``, ``'sgd'``, ``'rmsprop'``, ``'adagrad'``,
            ``'adadelta'``, ``'adamax'``, ``'nadam'``, ``'adamw'``; any case), which gives that
            optimizer with Keras' defaults; a config dict ``{'class_name': 'Adam', 'config':
            {...}}``; an optimizer object (``nn.optimizers`` or ``optim``), returned as is; or
            None, returned as is.

    Returns:
        The optimizer (not yet bound to parameters: ``compile`` binds it).

    Raises:
        ValueError: The identifier names no optimizer of this library.

    Examples:
        >>> import nn
        >>> opt = nn.optimizers.get("Adam")
        >>> type(opt).__name__, opt.learning_rate, opt.epsilon
        ('Adam', 0.001, 1e-07)
    """
    if identifier is None or isinstance(identifier, optim.Optimizer):
        return identifier
    if isinstance(identifier, str):
        return _named(identifier, {})
    if isinstance(identifier, dict):
        if not isinstance(identifier.get("class_name"), str) \
                or not isinstance(identifier.get("config", {}), dict):
            raise ValueError(f"Could not interpret optimizer identifier: {identifier!r}. A "
                             f"config dict needs 'class_name' (a string) and 'config' (a dict)")
        return _named(identifier["class_name"], identifier.get("config", {}))
    raise ValueError(f"Could not interpret optimizer identifier: {identifier!r:.80}. Use an "
                     f"optimizer object or one of {sorted(_BY_NAME)}")


def _named(name: str, config: dict[str, Any]) -> Any:
    key = name.lower()
    if key in _BY_NAME:
        return _BY_NAME[key](**config)
    if key in _NOT_PROVIDED:
        raise ValueError(f"Unknown optimizer: {name!r}. Keras has it, this library does not; use "
                         f"one of {sorted(_BY_NAME)}")
    raise ValueError(f"Unknown optimizer: {name!r}. Use an optimizer object or one of "
                     f"{sorted(_BY_NAME)}")
