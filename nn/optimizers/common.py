"""Small pieces that Keras' optimizers share: names, attribute options, arrays and clipping."""

from __future__ import annotations

import numbers
import re
from typing import Any

import numpy as np

# Keras' auto_name: the class name in snake case, numbered from the second of a kind on.
_NAMES_USED: dict[str, int] = {}


def auto_name(class_name: str) -> str:
    """``'adam'``, then ``'adam_1'``, ... as Keras names unnamed optimizers (``'rm_sprop'``)."""
    snake = re.sub(r"(?<!^)(?=[A-Z][a-z])", "_", class_name)
    snake = re.sub(r"([a-z])([A-Z])", r"\1_\2", snake).lower()
    count = _NAMES_USED.get(snake, 0)
    _NAMES_USED[snake] = count + 1
    return snake if count == 0 else f"{snake}_{count}"


def is_real(value: Any) -> bool:
    """A real number that is not a bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


class Hyperparameter:
    """An option readable and settable as an attribute (``opt.beta_1``), as in Keras.

    It lives in the optimizer's ``defaults`` and every parameter group, so that saving and the
    learning-rate callbacks see the same value; setting it is validated like the constructor.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        return (obj.param_groups[0] if obj.param_groups else obj.defaults)[self.name]

    def __set__(self, obj: Any, value: Any) -> None:
        obj.check_options({**obj.defaults, self.name: value})
        obj.defaults[self.name] = value
        for group in obj.param_groups:
            group[self.name] = value


def clip_by_norm(g: np.ndarray, clipnorm: float) -> np.ndarray:
    """Keras' ``_clip_by_norm``: ``g * clipnorm / max(||g||, clipnorm)``."""
    l2sum = np.sum(np.square(g), keepdims=True)
    l2norm = np.where(l2sum > 0, np.sqrt(np.where(l2sum > 0, l2sum, 1)), l2sum)
    value: np.ndarray = (g * np.asarray(clipnorm, dtype=g.dtype)) / np.maximum(l2norm, clipnorm)
    return value


def global_clip_scale(grads: list[np.ndarray], clip_norm: float) -> np.ndarray:
    """Keras' ``clip_by_global_norm`` factor; NaN when the norm is not finite, as there."""
    norm = np.sqrt(np.sum(np.stack([np.sum(np.square(g)) for g in grads])))
    scale = clip_norm * np.minimum(1.0 / norm, 1.0 / clip_norm)
    result: np.ndarray = scale + (norm - norm)
    return result


def buffer(state: dict[str, Any], name: str, like: np.ndarray, fill: float = 0.0) -> np.ndarray:
    """The per-variable array ``name`` (Keras' optimizer variable), created shaped and typed
    like the variable and filled with ``fill`` the first time."""
    array = state.get(name)
    if array is None:
        array = state[name] = np.full_like(like, fill)
    return array
