"""``cross_entropy`` and ``nll_loss`` as PyTorch defines them: classes on axis 1.

The input is (C,) for one sample, (N, C), or (N, C, d1, ...) with one prediction per position
(a pixel of a segmentation map, say); class-index targets drop the class axis: (), (N,),
(N, d1, ...). See ``nn.losses.torch_losses`` for how these differ from Keras' cross-entropies.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import autograd as ag
from autograd import Node, Tensor
from autograd import fused_losses as fused
from nn.losses import _torch_loss_helpers as checks


def _setup(input: Any, weight: Any, ignore_index: Any, reduction: Any, who: str
           ) -> tuple[Tensor, int, int, np.ndarray]:
    """The input, its class axis, the number of classes and the class weights (ones if none)."""
    checks.check_reduction(reduction, who)
    if isinstance(ignore_index, bool) or not isinstance(ignore_index, (int, np.integer)):
        raise TypeError(f"{who}: ignore_index must be an int; received "
                        f"ignore_index={ignore_index!r}")
    x = checks.as_prediction(input, who)
    if x.ndim == 0:
        raise ValueError(f"{who}: the input needs a class axis, shape (C,), (N, C) or "
                         f"(N, C, d1, ...); received an input of shape {x.shape}")
    axis = 1 if x.ndim > 1 else 0
    classes = x.shape[axis]
    if weight is None:
        return x, axis, classes, np.ones(classes, dtype=x.dtype)
    return x, axis, classes, checks.weight_array(weight, x, who, "weight", shape=(classes,))


def _indices(target: Any, x: Tensor, axis: int, ignore_index: int, who: str
             ) -> tuple[np.ndarray, np.ndarray]:
    """The class indices (those ignored replaced by 0) and the mask of the ones counted."""
    values = np.asarray(target.numpy()  # type: ignore[attr-defined]  # (a Tensor, not a Scalar)
                        if isinstance(target, Node) else target)
    expected = x.shape[:axis] + x.shape[axis + 1:]
    if values.shape != expected:
        other = f" (or class probabilities of shape {x.shape})" if who == "cross_entropy" else ""
        raise ValueError(f"{who}: for an input of shape {x.shape} the target must hold one class "
                         f"index per sample, shape {expected}{other}; received a target of "
                         f"shape {values.shape}")
    if values.dtype not in (np.int64, np.uint8):  # PyTorch's two (Long and Byte)
        raise TypeError(f"{who}: class-index targets must have dtype int64 (long) or uint8, as "
                        f"in PyTorch; received dtype {values.dtype}. Convert them with .long()")
    counted = values != ignore_index
    classes = x.shape[axis]
    wrong = counted & ((values < 0) | (values >= classes))
    if wrong.any():
        raise ValueError(f"{who}: class indices must be in [0, {classes - 1}] for {classes} "
                         f"classes, or equal ignore_index={ignore_index}; received "
                         f"{values[wrong].flat[0].item()!r}")
    return np.where(counted, values, 0).astype(np.intp), counted


def _along_classes(vector: np.ndarray, x: Tensor, axis: int) -> np.ndarray:
    """A per-class vector shaped to broadcast along the class axis of ``x``."""
    return vector.reshape((vector.size,) + (1,) * (x.ndim - axis - 1))


def cross_entropy(input: Any, target: Any, weight: Any = None, size_average: bool | None = None,
                  ignore_index: int = -100, reduce: bool | None = None,
                  reduction: str = "mean", label_smoothing: float = 0.0) -> Tensor:
    """Cross-entropy between ``softmax(input)`` over the classes and ``target``.

    Class indices ``y``: ``l = -w_y log_softmax(x)_y`` (0 where ``y == ignore_index``), and
    'mean' is ``sum(l) / sum(w_y)`` over the counted samples. With ``label_smoothing = e``,
    ``l = (1 - e) (-w_y log_softmax(x)_y) + (e / C) (-sum_c w_c log_softmax(x)_c)`` under the same
    denominator. Class probabilities ``p`` (the input's shape, floats):
    ``l = -sum_c w_c ((1 - e) p_c + e / C) log_softmax(x)_c``, 'mean' dividing by the number of
    samples (and positions).

    Args:
        input: Logits of shape (C,), (N, C) or (N, C, d1, ...).
        target: Class indices of shape (), (N,) or (N, d1, ...), or probabilities shaped like
            ``input``.
        weight: One weight >= 0 per class, shape (C,).
        ignore_index: A class index that counts for nothing (class-index targets only).
        reduction: 'mean', 'sum' or 'none'.
        label_smoothing: ``e``, in [0, 1].

    Examples:
        >>> import autograd as ag, nn
        >>> logits = ag.tensor([[0.0, 0.0], [2.0, 0.0]])
        >>> nn.functional.cross_entropy(logits, [1, 0], reduction="none").numpy().round(4)
        array([0.6931, 0.1269], dtype=float32)
        >>> round(nn.functional.cross_entropy(logits, [1, -100]).item(), 4)  # one sample counted
        0.6931
        >>> round(nn.functional.cross_entropy(logits, [1, 0], weight=[1.0, 3.0]).item(), 4)
        0.5516
    """
    reduction = checks.legacy_reduction(size_average, reduce, reduction)
    who = "cross_entropy"
    x, axis, classes, w = _setup(input, weight, ignore_index, reduction, who)
    e = checks.number(label_smoothing, who, "label_smoothing", lambda v: 0 <= v <= 1,
                      "in [0, 1]")
    shape = (target.shape  # type: ignore[attr-defined]  # (a Tensor, not a Scalar)
             if isinstance(target, Node) else np.shape(target))
    if tuple(shape) == x.shape:
        return _with_probabilities(x, target, _along_classes(w, x, axis), axis, ignore_index,
                                   reduction, e)
    plain = weight is None and not e and axis == x.ndim - 1
    indices, w_target, q, count, empty = _class_targets(target, x, axis, ignore_index, w, e,
                                                        plain)
    if plain:
        # Indices on the last axis: one primitive on them (the numbers of the one below), the
        # ignored entries zeroed by their weight 0.
        values = fused.sparse_softmax_cross_entropy(x, classes=indices) * w_target
    else:
        values = fused.softmax_cross_entropy(x, q, axis=axis)
    if reduction == "mean":
        return _mean_over(values.sum(), count, empty)
    return checks.reduce(values, reduction)


def _mean_over(total: Tensor, count: Tensor, empty: np.ndarray) -> Tensor:
    """``total / count``; nan with a zero gradient when nothing was counted (PyTorch's mean
    over no sample), chosen by ``where`` rather than by a Python test of the count, so that a
    captured step decides it anew from each batch."""
    return ag.where(empty, float("nan"), total / count)


def _count(w_target: np.ndarray, dtype: Any) -> tuple[Tensor, np.ndarray]:
    """The sum of the weights as a tensor (1 where it is 0, to divide safely), and whether it
    is 0."""
    total = w_target.sum()
    return Tensor(total if total else 1, dtype=dtype), np.array(not total)


@ag.compiler.disable
def _class_targets(target: Any, x: Tensor, axis: int, ignore_index: int, w: np.ndarray,
                   e: float, plain: bool) -> tuple[Any, ...]:
    """What cross-entropy needs of class-index targets: the indices (ignored ones as 0), the
    weight of each sample's class (0 where ignored), for ``plain`` False the target
    distribution ``q`` (the loss is ``-sum_c q_c log_softmax(x)_c``), and what 'mean' divides
    by (``_count``).

    Computed from the targets' values, so marked ``compiler.disable``: a captured step
    (``autograd.compile``) computes them anew from each call's targets.
    """
    indices, counted = _indices(target, x, axis, ignore_index, "cross_entropy")
    w_target = np.where(counted, w[indices], 0).astype(x.dtype)
    q = None
    if not plain:
        classes = x.shape[axis]
        one_hot = np.expand_dims(indices, axis) == _along_classes(np.arange(classes), x, axis)
        q_values = one_hot * np.expand_dims(w_target * (1.0 - e), axis)
        if e:
            q_values = q_values + (_along_classes(w, x, axis) * np.expand_dims(counted, axis)
                                   * (e / classes))
        q = Tensor(q_values.astype(x.dtype))
    return (indices, Tensor(w_target), q, *_count(w_target, x.dtype))


def _with_probabilities(x: Tensor, target: Any, w: np.ndarray, axis: int, ignore_index: int,
                        reduction: str, e: float) -> Tensor:
    who = "cross_entropy"
    if ignore_index >= 0:
        raise ValueError(f"{who}: ignore_index works with class-index targets only; received "
                         f"ignore_index={ignore_index} with probability targets of shape "
                         f"{x.shape}. Leave ignore_index at its default (-100)")
    kind = (target.dtype.kind  # type: ignore[attr-defined]  # (a Tensor, not a Scalar)
            if isinstance(target, Node) else np.asarray(target).dtype.kind)
    if kind != "f":
        raise TypeError(f"{who}: a target of the input's shape {x.shape} holds class "
                        f"probabilities and must be floating point; received dtype kind "
                        f"{kind!r}. Give floats, or class indices of shape "
                        f"{x.shape[:axis] + x.shape[axis + 1:]}")
    p = checks.as_float(target, x, who, "target")
    if e:
        p = p * (1.0 - e) + e / x.shape[axis]
    return checks.reduce(fused.softmax_cross_entropy(x, p * w, axis=axis), reduction)


def nll_loss(input: Any, target: Any, weight: Any = None, size_average: bool | None = None,
             ignore_index: int = -100, reduce: bool | None = None, reduction: str = "mean"
             ) -> Tensor:
    """Negative log-likelihood of class indices: ``l = -w_y * input_y``, where ``input`` holds
    log-probabilities (``log_softmax`` of logits); 0 where ``y == ignore_index``.

    'mean' is ``sum(l) / sum(w_y)`` over the counted samples. ``nll_loss(log_softmax(x, axis=1),
    y)`` equals ``cross_entropy(x, y)``.

    Examples:
        >>> import numpy as np, autograd as ag, nn
        >>> log_p = ag.tensor(np.log([[0.5, 0.5], [0.25, 0.75]]))
        >>> round(nn.functional.nll_loss(log_p, [0, 1]).item(), 4)
        0.4904
    """
    reduction = checks.legacy_reduction(size_average, reduce, reduction)
    who = "nll_loss"
    x, axis, _, w = _setup(input, weight, ignore_index, reduction, who)
    grids, counted, minus_w, count, empty = _nll_targets(target, x, axis, ignore_index, w)
    picked = x[grids]  # input_y for every sample (and position)
    # ignored entries become 0 by selection, never by 0 * input (which may be -inf)
    values = ag.where(counted, picked * minus_w, 0.0)
    if reduction == "mean":
        return _mean_over(values.sum(), count, empty)
    return checks.reduce(values, reduction)


@ag.compiler.disable
def _nll_targets(target: Any, x: Tensor, axis: int, ignore_index: int, w: np.ndarray
                 ) -> tuple[Any, ...]:
    """What ``nll_loss`` needs of class-index targets: an index picking ``input_y`` (the
    indices and the positions along every other axis), the mask of the counted entries,
    ``-w_y`` where counted (-1 elsewhere), and what 'mean' divides by (as in
    ``_class_targets``, and marked ``compiler.disable`` for the same reason)."""
    indices, counted = _indices(target, x, axis, ignore_index, "nll_loss")
    grids: list[Any] = list(np.indices(indices.shape, sparse=True))
    grids.insert(axis, indices)
    w_target = np.where(counted, w[indices], 0).astype(x.dtype)
    return (tuple(grids), counted, Tensor(np.where(counted, -w_target, -1).astype(x.dtype)),
            *_count(w_target, x.dtype))

