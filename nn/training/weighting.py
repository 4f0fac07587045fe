"""``fit(class_weight=...)``: per-class weights turned into one weight per example, as Keras does.

Keras reads each example's class from its target: the integer label itself (a column of one
label per example, or a flat vector), or the position of the largest entry of a one-hot (or
probability) row; labels are rounded, so float targets ``0.0``/``1.0`` of a binary model count
as classes 0 and 1. A class missing from the dictionary weighs 1.0. The result is then a
``sample_weight`` (the weighted loss is divided by the batch size, as for any sample weights).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

import autograd as ag
from nn.training import data


def class_weight_to_sample_weights(y: Any, class_weight: Mapping[int, float],
                                   who: str = "fit") -> np.ndarray:
    """One weight per example, ``class_weight[class of the example]`` (1.0 where absent).

    Examples:
        >>> from nn.training.weighting import class_weight_to_sample_weights
        >>> class_weight_to_sample_weights([[0], [1], [1]], {0: 1.0, 1: 5.0})
        array([1., 5., 5.], dtype=float32)
        >>> class_weight_to_sample_weights([[0.1, 0.9], [0.8, 0.2]], {1: 2.0})
        array([2., 1.], dtype=float32)
    """
    if not isinstance(class_weight, Mapping):
        raise TypeError(f"{who}: class_weight must be a dict from class index to weight, e.g. "
                        f"{{0: 1.0, 1: 5.0}}. Received: {type(class_weight).__name__}")
    labels = data.as_targets(y, who)
    if labels.ndim > 1:
        labels = labels.argmax(axis=-1) if labels.shape[-1] != 1 else labels[..., 0]
    labels = np.round(labels).astype(np.int32)
    if labels.ndim != 1:
        raise ValueError(f"{who}: class_weight needs one class per example; the targets of "
                         f"shape {np.shape(y)} hold several")
    weights = np.ones(len(labels), dtype=ag.get_default_dtype())
    for i, label in enumerate(labels.tolist()):
        weights[i] = class_weight.get(label, 1.0)
    return weights


def sample_weights(y: Any, sample_weight: Any, class_weight: Mapping[int, float] | None,
                   who: str) -> Any:
    """The sample weights ``fit`` trains with: ``sample_weight``, or those made from
    ``class_weight``; giving both is an error, as in Keras."""
    if class_weight is None:
        return sample_weight
    if sample_weight is not None:
        raise ValueError(f"{who}: you cannot give class_weight and sample_weight at the same "
                         f"time; fold the class weights into sample_weight")
    return class_weight_to_sample_weights(y, class_weight, who)
