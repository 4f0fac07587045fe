"""Losses under PyTorch's names, defined as ``torch.nn.functional`` defines them.

Each is called as ``loss(input, target, ...)``, ``input`` being the prediction (logits,
probabilities or log-probabilities, as each function says). Values are computed per element (per
sample and position for the class losses), then ``reduction`` gives their mean (``'mean'``, the
default), their sum (``'sum'``) or the values themselves (``'none'``).

How they differ from the Keras-named losses of ``nn.losses``: Keras first averages over the last
axis, so there ``mean_squared_error(p, t, reduction='none')`` has one value per row and
``'sum'`` adds row means, where ``mse_loss`` here keeps one value per element and adds elements
(with ``'mean'`` the two give the same number). The class axis is axis 1 here,
``(N, C, d1, ...)``, and the last axis in Keras; ``cross_entropy`` always takes logits and
``binary_cross_entropy`` probabilities (Keras chooses with ``from_logits``), whose logs are
floored at -100 here where Keras clips the probabilities to ``[1e-7, 1 - 1e-7]``.

Where this module is stricter than PyTorch it raises instead of computing: input and target
shapes must be equal (PyTorch warns, then broadcasts), and negative weights or negative
``kl_div`` probabilities are refused. Class-index targets may also be floats holding whole
numbers (``autograd.Tensor([0, 2])`` is float32), where PyTorch asks for int64. Weights are
constants: no gradient flows to them. Targets may be tensors, numpy arrays or lists, and take the
input's dtype. Options in the places of PyTorch's deprecated ``size_average`` and ``reduce`` are
keyword-only, so a positional call cannot bind the wrong one.

``cross_entropy`` and ``nll_loss`` live in ``nn.losses.torch_class_losses`` and are re-exported
here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import autograd as ag
from autograd import Tensor
from autograd import fused_losses as fused
from nn.losses import _torch_loss_helpers as checks
from nn.losses.torch_class_losses import cross_entropy, nll_loss

__all__ = ["binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy",
           "huber_loss", "kl_div", "l1_loss", "mse_loss", "nll_loss", "smooth_l1_loss"]

_LOG_FLOOR = -100.0  # PyTorch floors the logs of binary_cross_entropy here


def mse_loss(input: Any, target: Any, size_average: bool | None = None,
             reduce: bool | None = None, reduction: str = "mean", weight: Any = None) -> Tensor:
    """Squared error per element: ``l = (input - target)**2``, then reduced.

    ``weight`` (of the input's shape) multiplies each value; the weighted 'mean' is then
    ``sum(w * l) / sum(w)``.

    Examples:
        >>> import autograd as ag, nn
        >>> p, t = ag.tensor([[1.0, 2.0], [3.0, 4.0]]), ag.tensor([[1.0, 4.0], [0.0, 4.0]])
        >>> nn.functional.mse_loss(p, t, reduction="none").numpy()
        array([[0., 4.],
               [9., 0.]], dtype=float32)
        >>> F = nn.functional
        >>> F.mse_loss(p, t).item(), F.mse_loss(p, t, reduction="sum").item()
        (3.25, 13.0)
    """
    reduction = checks.legacy_reduction(size_average, reduce, reduction)
    who = "mse_loss"
    x, t = checks.input_and_target(input, target, reduction, who)
    if weight is None and reduction == "mean" and x.numel():
        return fused.mean_squared_error(x, t)  # one recorded operation instead of three
    diff = x - t
    return checks.reduce_weighted(diff * diff, weight, x, reduction, who, by_weight=True)


def l1_loss(input: Any, target: Any, size_average: bool | None = None,
            reduce: bool | None = None, reduction: str = "mean", weight: Any = None) -> Tensor:
    """Absolute error per element: ``l = |input - target|``, then reduced (weights as in
    ``mse_loss``)."""
    reduction = checks.legacy_reduction(size_average, reduce, reduction)
    who = "l1_loss"
    x, t = checks.input_and_target(input, target, reduction, who)
    return checks.reduce_weighted((x - t).abs(), weight, x, reduction, who, by_weight=True)


def huber_loss(input: Any, target: Any, reduction: str = "mean", delta: float = 1.0,
               weight: Any = None) -> Tensor:
    """``l = d**2 / 2`` where ``|d| < delta``, else ``delta * (|d| - delta / 2)``, with
    ``d = input - target``; then reduced.

    With ``weight`` (of the input's shape) the weighted 'mean' divides by the number of elements,
    as PyTorch's does.

    Examples:
        >>> import autograd as ag, nn
        >>> nn.functional.huber_loss(ag.tensor([0.5, 3.0]), [0.0, 0.0], reduction="none").numpy()
        array([0.125, 2.5  ], dtype=float32)
    """
    who = "huber_loss"
    delta = checks.number(delta, who, "delta", lambda v: v > 0, "> 0")
    x, t = checks.input_and_target(input, target, reduction, who)
    diff = x - t
    size = diff.abs()
    values = ag.where(size < delta, 0.5 * diff * diff, delta * (size - 0.5 * delta))
    return checks.reduce_weighted(values, weight, x, reduction, who, by_weight=False)


def smooth_l1_loss(input: Any, target: Any, size_average: bool | None = None,
                   reduce: bool | None = None, reduction: str = "mean", beta: float = 1.0
                   ) -> Tensor:
    """``l = d**2 / (2 beta)`` where ``|d| < beta``, else ``|d| - beta / 2``, with
    ``d = input - target``; ``beta = 0`` gives ``l1_loss``. Then reduced.

    It is ``huber_loss`` divided by ``beta`` (with ``delta = beta``).
    """
    reduction = checks.legacy_reduction(size_average, reduce, reduction)
    who = "smooth_l1_loss"
    beta = checks.number(beta, who, "beta", lambda v: v >= 0, ">= 0")
    x, t = checks.input_and_target(input, target, reduction, who)
    diff = x - t
    size = diff.abs()
    if beta == 0:
        return checks.reduce(size, reduction)
    values = ag.where(size < beta, 0.5 / beta * diff * diff, size - 0.5 * beta)
    return checks.reduce(values, reduction)


def _floored_log(p: Tensor) -> Tensor:
    # Clipping to the smallest positive number first keeps log(0) (and its warning) away; the
    # floor then gives log 0 the value -100, as PyTorch does.
    tiny = np.finfo(p.dtype).smallest_subnormal
    return p.clip(tiny, None).log().clip(_LOG_FLOOR, None)


def binary_cross_entropy(input: Any, target: Any, weight: Any = None,
                         size_average: bool | None = None, reduce: bool | None = None,
                         reduction: str = "mean") -> Tensor:
    """``l = -w * (y log p + (1 - y) log(1 - p))`` for probabilities ``p = input`` and targets
    ``y``, each log floored at -100 (so ``p = 0`` or ``1`` gives a finite loss); then reduced.

    ``weight`` multiplies each value; its shape must broadcast to the input's.

    Examples:
        >>> import autograd as ag, nn
        >>> p = ag.tensor([0.5, 1.0])
        >>> nn.functional.binary_cross_entropy(p, [1.0, 0.0], reduction="none").numpy()
        array([  0.6931472, 100.       ], dtype=float32)
    """
    reduction = checks.legacy_reduction(size_average, reduce, reduction)
    who = "binary_cross_entropy"
    x, t = checks.input_and_target(input, target, reduction, who, floating_target=True)
    for what, data, hint in (
            ("input", x.numpy(), "Pass sigmoid(logits), or give the logits to "
                                 "binary_cross_entropy_with_logits"),
            ("target", t.numpy(), "Labels such as -1/+1 need mapping to 0/1 first")):
        inside = (data >= 0) & (data <= 1)  # NaN is outside too, as in PyTorch
        if not inside.all():
            raise ValueError(f"{who}: the {what} must hold probabilities in [0, 1]; received "
                             f"{data[~inside].flat[0].item()!r}. {hint}")
    values = (t - 1) * _floored_log(1 - x) - t * _floored_log(x)
    if weight is not None:
        values = values * checks.weight_array(weight, x, who, "weight")
    return checks.reduce(values, reduction)


def binary_cross_entropy_with_logits(input: Any, target: Any, weight: Any = None,
                                     size_average: bool | None = None,
                                     reduce: bool | None = None, reduction: str = "mean",
                                     pos_weight: Any = None) -> Tensor:
    """``binary_cross_entropy(sigmoid(input), target)`` computed from the logits ``z``, finite
    and exact for any ``z``: ``l = w * ((1 - y) z + (1 + (c - 1) y) softplus(-z))``; then reduced.

    ``pos_weight`` (``c``, broadcast along the input's last axis, one per class) scales the
    positive term ``-y log sigmoid(z)``; ``weight`` multiplies each value. Both must broadcast
    to the input's shape.

    Examples:
        >>> import numpy as np, autograd as ag, nn
        >>> z = ag.tensor(np.array([0.0, 1000.0, -1000.0]))
        >>> loss = nn.functional.binary_cross_entropy_with_logits
        >>> loss(z, [1.0, 0.0, 0.0], reduction="none").numpy().round(4).tolist()
        [0.6931, 1000.0, 0.0]
    """
    reduction = checks.legacy_reduction(size_average, reduce, reduction)
    who = "binary_cross_entropy_with_logits"
    x, t = checks.input_and_target(input, target, reduction, who, floating_target=True)
    if pos_weight is None:
        values = fused.sigmoid_cross_entropy(x, t)  # one recorded operation
    else:
        c = checks.weight_array(pos_weight, x, who, "pos_weight")
        values = (1 - t) * x + (t * (c - 1) + 1) * ag.softplus(-x)
    if weight is not None:
        values = values * checks.weight_array(weight, x, who, "weight")
    return checks.reduce(values, reduction)


def kl_div(input: Any, target: Any, size_average: bool | None = None, reduce: bool | None = None,
           reduction: str = "mean", log_target: bool = False) -> Tensor:
    """Kullback-Leibler divergence terms ``l = y (log y - x)`` for log-probabilities
    ``x = input`` and probabilities ``y = target`` (``0 log 0 = 0``), or, with
    ``log_target=True`` and ``target = log y``, ``l = exp(target) (target - x)``; then reduced.

    ``reduction='batchmean'`` divides the sum by the batch size (``input.shape[0]``), giving the
    divergence per sample; 'mean', as PyTorch, divides by the number of elements.

    Examples:
        >>> import numpy as np, autograd as ag, nn
        >>> x = ag.tensor(np.log([[0.5, 0.5]]))
        >>> round(nn.functional.kl_div(x, [[0.25, 0.75]], reduction="batchmean").item(), 4)
        0.1308
    """
    reduction = checks.legacy_reduction(size_average, reduce, reduction)
    who = "kl_div"
    x, t = checks.input_and_target(input, target, reduction, who,
                                   checks.REDUCTIONS + ("batchmean",), floating_target=True)
    if log_target:
        values = t.exp() * (t - x)
    else:
        data = t.numpy()
        if (data < 0).any():
            raise ValueError(f"{who}: the target must hold probabilities (>= 0); received "
                             f"{data[data < 0].flat[0].item()!r}. For log-probabilities pass "
                             f"log_target=True")
        positive = data > 0
        values = t * (ag.where(positive, t, 1.0).log() - x)  # log 1 = 0 makes 0 log 0 = 0
    if reduction != "batchmean":
        return checks.reduce(values, reduction)
    total = values.sum()
    return total if x.ndim == 0 else checks.mean_of(total, x.shape[0])
