"""The PyTorch-named losses as modules, as in ``torch.nn``: ``nn.MSELoss()(input, target)``.

Each keeps its options and calls its function from ``nn.losses.torch_losses`` in ``forward``.
They have no parameters; given weights are kept as buffers (saved by ``state_dict``), as
PyTorch does. They also serve as a model's loss: ``model.compile(loss=nn.CrossEntropyLoss())``.

Options that PyTorch places after its deprecated ``size_average`` and ``reduce`` arguments are
keyword-only here, so a positional call written for PyTorch fails instead of setting the wrong
option.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import autograd as ag
from autograd import Tensor
from nn.losses import _torch_loss_helpers as checks
from nn.losses import torch_losses as F
from nn.module import Module


class _TorchLoss(Module):
    """Keeps ``reduction`` and the options listed in ``_defaults``; shows those that differ
    from their defaults in its ``repr``."""

    _defaults: tuple[tuple[str, Any], ...] = (("reduction", "mean"),)

    def __init__(self, reduction: str, allowed: tuple[Any, ...] = checks.REDUCTIONS) -> None:
        super().__init__()
        checks.check_reduction(reduction, type(self).__name__, allowed)
        self.reduction = reduction

    def _keep(self, name: str, weight: Any) -> None:
        """A weight as a buffer (or None as a plain attribute)."""
        if weight is None or isinstance(weight, Tensor):
            value = weight
        else:
            data = np.asarray(weight)
            value = Tensor(data if data.dtype.kind == "f" else
                           data.astype(ag.get_default_dtype()))
        if value is None:
            setattr(self, name, None)
        else:
            self.register_buffer(name, value)

    def extra_repr(self) -> str:
        parts = []
        for name, default in self._defaults:
            value = getattr(self, name)
            if isinstance(value, Tensor):
                parts.append(f"{name}={value.numpy().tolist()}")
            elif value != default:
                parts.append(f"{name}={value!r}")
        return ", ".join(parts)


class MSELoss(_TorchLoss):
    """``mse_loss`` as a module: ``l = (input - target)**2`` per element, then reduced.

    Examples:
        >>> import autograd as ag, nn
        >>> nn.MSELoss(reduction="sum")(ag.tensor([1.0, 2.0]), [0.0, 0.0]).item()
        5.0
    """

    def __init__(self, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean") -> None:
        super().__init__(checks.legacy_reduction(size_average, reduce, reduction))

    def forward(self, input: Any, target: Any) -> Tensor:
        return F.mse_loss(input, target, reduction=self.reduction)


class L1Loss(_TorchLoss):
    """``l1_loss`` as a module: ``l = |input - target|`` per element, then reduced."""

    def __init__(self, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean") -> None:
        super().__init__(checks.legacy_reduction(size_average, reduce, reduction))

    def forward(self, input: Any, target: Any) -> Tensor:
        return F.l1_loss(input, target, reduction=self.reduction)


class HuberLoss(_TorchLoss):
    """``huber_loss`` as a module: ``l = d**2 / 2`` where ``|d| < delta``, else
    ``delta * (|d| - delta / 2)``."""

    _defaults = (("reduction", "mean"), ("delta", 1.0))

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction)
        self.delta = checks.number(delta, "HuberLoss", "delta", lambda v: v > 0, "> 0")

    def forward(self, input: Any, target: Any) -> Tensor:
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class SmoothL1Loss(_TorchLoss):
    """``smooth_l1_loss`` as a module: ``l = d**2 / (2 beta)`` where ``|d| < beta``, else
    ``|d| - beta / 2``."""

    _defaults = (("reduction", "mean"), ("beta", 1.0))

    def __init__(self, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean", beta: float = 1.0) -> None:
        super().__init__(checks.legacy_reduction(size_average, reduce, reduction))
        self.beta = checks.number(beta, "SmoothL1Loss", "beta", lambda v: v >= 0, ">= 0")

    def forward(self, input: Any, target: Any) -> Tensor:
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class CrossEntropyLoss(_TorchLoss):
    """``cross_entropy`` as a module: logits in, class indices or probabilities as targets.

    Examples:
        >>> import autograd as ag, nn
        >>> loss = nn.CrossEntropyLoss(label_smoothing=0.1)
        >>> loss
        CrossEntropyLoss(label_smoothing=0.1)
        >>> round(loss(ag.tensor([[0.0, 0.0]]), [1]).item(), 4)
        0.6931
    """

    _defaults = (("weight", None), ("ignore_index", -100), ("reduction", "mean"),
                 ("label_smoothing", 0.0))

    def __init__(self, weight: Any = None, size_average: bool | None = None,
                 ignore_index: int = -100, reduce: bool | None = None,
                 reduction: str = "mean", label_smoothing: float = 0.0) -> None:
        super().__init__(checks.legacy_reduction(size_average, reduce, reduction))
        self._keep("weight", weight)
        self.ignore_index = ignore_index
        self.label_smoothing = checks.number(label_smoothing, "CrossEntropyLoss",
                                             "label_smoothing", lambda v: 0 <= v <= 1,
                                             "in [0, 1]")

    def forward(self, input: Any, target: Any) -> Tensor:
        return F.cross_entropy(input, target, self.weight, ignore_index=self.ignore_index,
                               reduction=self.reduction, label_smoothing=self.label_smoothing)


class NLLLoss(_TorchLoss):
    """``nll_loss`` as a module: log-probabilities in, class indices as targets."""

    _defaults = (("weight", None), ("ignore_index", -100), ("reduction", "mean"))

    def __init__(self, weight: Any = None, size_average: bool | None = None,
                 ignore_index: int = -100, reduce: bool | None = None,
                 reduction: str = "mean") -> None:
        super().__init__(checks.legacy_reduction(size_average, reduce, reduction))
        self._keep("weight", weight)
        self.ignore_index = ignore_index

    def forward(self, input: Any, target: Any) -> Tensor:
        return F.nll_loss(input, target, self.weight, ignore_index=self.ignore_index,
                          reduction=self.reduction)


class BCELoss(_TorchLoss):
    """``binary_cross_entropy`` as a module: probabilities in, logs floored at -100."""

    _defaults = (("weight", None), ("reduction", "mean"))

    def __init__(self, weight: Any = None, size_average: bool | None = None,
                 reduce: bool | None = None, reduction: str = "mean") -> None:
        super().__init__(checks.legacy_reduction(size_average, reduce, reduction))
        self._keep("weight", weight)

    def forward(self, input: Any, target: Any) -> Tensor:
        return F.binary_cross_entropy(input, target, self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_TorchLoss):
    """``binary_cross_entropy_with_logits`` as a module: logits in, stable for any logit."""

    _defaults = (("weight", None), ("reduction", "mean"), ("pos_weight", None))

    def __init__(self, weight: Any = None, size_average: bool | None = None,
                 reduce: bool | None = None, reduction: str = "mean",
                 pos_weight: Any = None) -> None:
        super().__init__(checks.legacy_reduction(size_average, reduce, reduction))
        self._keep("weight", weight)
        self._keep("pos_weight", pos_weight)

    def forward(self, input: Any, target: Any) -> Tensor:
        return F.binary_cross_entropy_with_logits(input, target, self.weight,
                                                  reduction=self.reduction,
                                                  pos_weight=self.pos_weight)


class KLDivLoss(_TorchLoss):
    """``kl_div`` as a module: log-probabilities in; ``reduction='batchmean'`` gives the
    divergence per sample."""

    _defaults = (("reduction", "mean"), ("log_target", False))

    def __init__(self, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean", log_target: bool = False) -> None:
        super().__init__(checks.legacy_reduction(size_average, reduce, reduction),
                         checks.REDUCTIONS + ("batchmean",))
        self.log_target = log_target

    def forward(self, input: Any, target: Any) -> Tensor:
        return F.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)
