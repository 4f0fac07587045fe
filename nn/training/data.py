"""Turning what users pass to ``fit``/``predict`` into arrays and batches, as Keras does.

Lists and scalars become arrays (floats in the default dtype, integer labels kept); a 1-D input is
a column of single values (``predict([100.0])`` is one example with one feature); the validation
split takes the last samples, before any shuffling.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import autograd as ag
from autograd import Tensor


def several_arrays(data: Any, who: str, what: str) -> str | None:
    """The explanation when ``data`` is a list of arrays, Keras' form for the inputs or
    targets of a model with several inputs or outputs, which training here does not take
    (None otherwise)."""
    if not (isinstance(data, (list, tuple)) and len(data) > 1
            and all(isinstance(item, (np.ndarray, Tensor)) and item.ndim >= 1
                    for item in data)):
        return None
    shapes = ", ".join(str(tuple(item.shape)) for item in data)
    side = "input" if what == "x" else "output"
    return (f"{who}: {what} is a list of {len(data)} arrays (shapes {shapes}), Keras' form "
            f"for a model with one {side} each; training here takes models of one input and "
            f"one output, so give {what} as one array of shape (samples, ...)")


def as_array(data: Any, who: str, what: str, numbers_as_floats: bool = False) -> np.ndarray:
    """``data`` as a numpy array: Python floats in the default dtype (and Python integers too,
    with ``numbers_as_floats``), numpy arrays and tensors kept as they are."""
    if isinstance(data, Tensor):
        return data.numpy()
    from_numpy = isinstance(data, (np.ndarray, np.generic))
    try:
        array = np.asarray(data)
    except ValueError:
        several = several_arrays(data, who, what)
        if several is not None:
            raise ValueError(several) from None
        raise ValueError(f"{who}: {what} could not be made an array: its nested lists or "
                         f"arrays are of different lengths. Every example must have the same "
                         f"shape") from None
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{who}: {what} must hold numbers. Received data of dtype {array.dtype}")
    if not from_numpy and (array.dtype.kind == "f"
                           or (numbers_as_floats and array.dtype.kind in "iu")):
        array = array.astype(ag.get_default_dtype())
    return array


def as_inputs(x: Any, who: str) -> np.ndarray:
    """Inputs with a batch axis: a scalar is one example, a 1-D array a column of examples.

    Python numbers become the default float dtype, as ``autograd.tensor`` makes them (the
    course's ``fit([-40, -10, ...])`` is float32 data); numpy integer arrays stay integers, for
    layers such as ``Embedding`` that take indices.
    """
    array = as_array(x, who, "x", numbers_as_floats=True)
    if array.ndim == 0:
        array = array.reshape(1, 1)
    elif array.ndim == 1:
        array = array[:, None]
    return array


def as_targets(y: Any, who: str) -> np.ndarray:
    """Targets with a batch axis (a 1-D array stays 1-D: it is aligned with each prediction)."""
    array = as_array(y, who, "y")
    return array.reshape(1) if array.ndim == 0 else array


def check_lengths(x: np.ndarray, y: np.ndarray, who: str) -> None:
    """Inputs and targets must hold the same, positive number of examples."""
    if len(x) != len(y):
        raise ValueError(f"{who}: x and y must hold the same number of examples. Received: "
                         f"len(x)={len(x)}, len(y)={len(y)}")
    if len(x) == 0:
        raise ValueError(f"{who}: x and y are empty; there is nothing to train on")


def check_finite(array: np.ndarray, who: str, what: str) -> None:
    """Refuse NaN and infinity in training data: they would turn every weight into NaN."""
    if array.dtype.kind not in "fc" or np.isfinite(array).all():
        return
    bad = ~np.isfinite(array)
    first = tuple(int(i) for i in np.argwhere(bad)[0])
    position = ", ".join(map(str, first))
    raise ValueError(
        f"{who}: {what} holds {int(bad.sum())} non-finite value(s) (NaN or infinity) out of "
        f"{array.size}; the first is {what}[{position}] = {array[first]}. Nothing was trained. "
        f"Drop or fill those samples first (e.g. keep = np.isfinite(x).all(axis=1))")


def training_data(x: Any, y: Any, sample_weight: Any, who: str
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """``(inputs, targets, sample weights or None)`` as arrays, checked to pair up and to hold
    only finite numbers. Sample weights are one number per example."""
    given_x, given_y = x, y
    x, y = as_inputs(x, who), as_targets(y, who)
    if len(x) != len(y):  # [y1, y2] of equal shapes stacks into one array of len 2
        several = several_arrays(given_y, who, "y") or several_arrays(given_x, who, "x")
        if several is not None:
            raise ValueError(several)
    check_lengths(x, y, who)
    check_finite(x, who, "x")
    check_finite(y, who, "y")
    if sample_weight is None:
        return x, y, None
    weights = as_array(sample_weight, who, "sample_weight")
    if weights.ndim == 2 and weights.shape[1] == 1:
        weights = weights[:, 0]
    if weights.shape != (len(x),):
        raise ValueError(f"{who}: sample_weight must hold one number per example, shape "
                         f"({len(x)},). Received: shape {weights.shape}")
    check_finite(weights, who, "sample_weight")
    return x, y, weights


def take(values: np.ndarray | None, index: np.ndarray) -> np.ndarray | None:
    """``values[index]``, or None when there are no values (no sample weights)."""
    return None if values is None else rows(values, index)


def rows(values: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``values[index]`` for an index array over the first axis: a new array of those rows.

    A C-contiguous array goes through ``take``, which numpy runs with less overhead per call
    than fancy indexing and which gives the same values in the same (C) layout; any other
    layout is indexed as usual, since ``take`` would change it.
    """
    return values.take(index, 0) if values.flags.c_contiguous else values[index]


def align_target(prediction: Tensor | np.ndarray, target: np.ndarray) -> np.ndarray:
    """A target of shape (N,) next to a prediction of shape (N, 1) gets the missing axis."""
    if target.ndim == prediction.ndim - 1 and prediction.shape[-1] == 1:
        return target[..., None]
    return target


def validation_split(x: np.ndarray, y: np.ndarray, weights: np.ndarray | None,
                     fraction: float) -> tuple[Any, ...]:
    """``(train, validation)``, each an ``(x, y, sample weights)`` triple: the last
    ``fraction`` of the samples validate."""
    if not 0.0 <= fraction < 1.0:
        raise ValueError(f"fit: validation_split must be in [0, 1). Received: "
                         f"validation_split={fraction}")
    split = int(math.floor(len(x) * (1.0 - fraction)))
    if split == 0:
        raise ValueError(f"fit: validation_split={fraction} leaves no training example out of "
                         f"{len(x)}")
    head, tail = slice(None, split), slice(split, None)
    w_head, w_tail = (None, None) if weights is None else (weights[head], weights[tail])
    return (x[head], y[head], w_head), (x[tail], y[tail], w_tail)


def batches(count: int, batch_size: int, shuffle: bool,
            rng: np.random.Generator | None) -> list[np.ndarray]:
    """Index arrays of consecutive batches over ``count`` examples (shuffled when asked)."""
    if not isinstance(batch_size, (int, np.integer)) or batch_size <= 0:
        raise ValueError(f"batch_size must be a positive int. Received: batch_size={batch_size!r}")
    order = np.arange(count)
    if shuffle and rng is not None:
        rng.shuffle(order)  # what rng.permutation(count) does, without its argument checks
    if 0 < count <= batch_size:  # one batch: the whole order, without slicing it
        return [order]
    return [order[start:start + batch_size] for start in range(0, count, batch_size)]


def steps(count: int, batch_size: int) -> int:
    """How many batches ``batches`` yields."""
    return -(-count // batch_size)
