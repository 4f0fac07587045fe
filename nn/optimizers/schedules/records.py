"""Keras' records of schedules: ``serialize`` and ``deserialize``, as a model file keeps them."""

from __future__ import annotations

from typing import Any

from nn.optimizers.schedules.cosine import CosineDecay, CosineDecayRestarts
from nn.optimizers.schedules.decays import (
    ExponentialDecay,
    InverseTimeDecay,
    LearningRateSchedule,
    PiecewiseConstantDecay,
    PolynomialDecay,
)

_ALL = {cls.__name__: cls for cls in (ExponentialDecay, InverseTimeDecay, PolynomialDecay,
                                      PiecewiseConstantDecay, CosineDecay, CosineDecayRestarts)}


def serialize(learning_rate_schedule: LearningRateSchedule) -> dict[str, Any]:
    """``{'class_name': ..., 'config': ...}`` for a schedule of this module (Keras' record).

    Examples:
        >>> import nn
        >>> nn.optimizers.schedules.serialize(
        ...     nn.optimizers.schedules.InverseTimeDecay(0.1, 10, 0.5))["class_name"]
        'InverseTimeDecay'
    """
    name = type(learning_rate_schedule).__name__
    if _ALL.get(name) is not type(learning_rate_schedule):
        raise ValueError(f"serialize: only the schedules of nn.optimizers.schedules can be "
                         f"saved; received {learning_rate_schedule!r:.80}")
    return {"module": "keras.optimizers.schedules", "class_name": name,
            "config": learning_rate_schedule.get_config(), "registered_name": None}


def deserialize(config: dict[str, Any], custom_objects: Any = None) -> LearningRateSchedule:
    """The schedule that ``serialize`` described.

    Examples:
        >>> import nn
        >>> s = nn.optimizers.schedules
        >>> type(s.deserialize(s.serialize(s.ExponentialDecay(0.1, 10, 0.5)))).__name__
        'ExponentialDecay'
    """
    if custom_objects is not None:
        raise ValueError("deserialize: custom_objects is not supported; leave it None")
    if not isinstance(config, dict) or config.get("class_name") not in _ALL:
        raise ValueError(f"deserialize: expected {{'class_name': one of {sorted(_ALL)}, "
                         f"'config': {{...}}}}. Received: {config!r:.120}")
    return _ALL[config["class_name"]].from_config(dict(config.get("config", {})))
