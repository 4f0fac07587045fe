"""Keras' utilities (``keras.utils``): ``to_categorical``."""

from __future__ import annotations

from typing import Any

import numpy as np

import autograd as ag
from autograd import Tensor


def to_categorical(x: Any, num_classes: int | None = None) -> Any:
    """One-hot rows for integer class labels, as ``keras.utils.to_categorical``.

    A trailing axis of size 1 is dropped first (a column of labels gives a matrix); the result
    has ``num_classes`` columns (``max(x) + 1`` when None or 0), float64 as Keras' numpy result.
    Labels are used as numpy indices, as in Keras: a negative label marks a column counted from
    the end, and a label ``>= num_classes`` is an ``IndexError``. A ``Tensor`` gives a
    ``Tensor`` of the default float dtype (Keras returns a backend tensor for one).

    Args:
        x: Class labels (array-like of ints, any shape).
        num_classes: The number of classes.

    Returns:
        A numpy array of shape ``x.shape + (num_classes,)`` (after the trailing 1 is dropped).

    Examples:
        >>> import nn as keras
        >>> keras.utils.to_categorical([0, 2, 1], num_classes=3)
        array([[1., 0., 0.],
               [0., 0., 1.],
               [0., 1., 0.]])
    """
    if isinstance(x, Tensor):
        return ag.tensor(to_categorical(x.numpy(), num_classes).astype(ag.get_default_dtype()))
    x = np.array(x, dtype="int64")
    input_shape = x.shape
    if input_shape and input_shape[-1] == 1 and len(input_shape) > 1:
        input_shape = tuple(input_shape[:-1])
    x = x.reshape(-1)
    if not num_classes:
        if x.size == 0:
            raise ValueError("to_categorical: x is empty, so the number of classes cannot be "
                             "inferred; pass num_classes=")
        num_classes = int(np.max(x)) + 1
    batch_size = x.shape[0]
    categorical = np.zeros((batch_size, num_classes))
    categorical[np.arange(batch_size), x] = 1
    return np.reshape(categorical, input_shape + (num_classes,))
