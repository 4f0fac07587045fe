"""``BatchNorm1d``, ``BatchNorm2d`` and ``LayerNorm``: PyTorch's normalization
modules, with its arguments, state names (``weight``, ``bias``, ``running_mean``,
``running_var``, ``num_batches_tracked``) and running-statistics update (momentum 0.1, unbiased
variance)."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

import autograd as ag
from autograd import Tensor
from nn import _checks
from nn import functional as F
from nn.functional.normalization import normalized
from nn.parameter import Parameter
from nn.torch_modules.base import TorchModule, factory_dtype


def _flag(value: Any, who: str, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{who} expects {name} to be True or False. Received: {name}={value!r}")
    return bool(value)


def _number(value: Any, who: str, name: str, allow_none: bool = False) -> Any:
    if value is None and allow_none:
        return None
    # (typeshed's numbers.Real declares no comparison with an int; every real number has one)
    if (isinstance(value, bool) or not isinstance(value, numbers.Real)
            or not value >= 0):  # type: ignore[operator]
        raise ValueError(f"{who} expects {name} to be a number >= 0"
                         f"{' or None' if allow_none else ''}. Received: {name}={value!r}")
    return value


class _BatchNorm(TorchModule):
    """Batch normalization over axis 1; subclasses say which input ranks they take."""

    # buffers while track_running_stats, else None
    running_mean: Tensor | None
    running_var: Tensor | None
    num_batches_tracked: Tensor | None

    ranks: tuple[int, ...] = ()

    def __init__(self, num_features: int, eps: float = 1e-05, momentum: float | None = 0.1,
                 affine: bool = True, track_running_stats: bool = True, device: Any = None,
                 dtype: Any = None, *, bias: bool = True) -> None:
        super().__init__()
        who = type(self).__name__
        self.num_features = _checks.positive_int(num_features, who, "num_features")
        self.eps = _number(eps, who, "eps")
        self.momentum = _number(momentum, who, "momentum", allow_none=True)
        self.affine = _flag(affine, who, "affine")
        self.track_running_stats = _flag(track_running_stats, who, "track_running_stats")
        with_bias = _flag(bias, who, "bias")
        dtype = factory_dtype(device, dtype, who)
        n = self.num_features
        self.weight = Parameter(np.ones(n, dtype)) if self.affine else None
        self.bias = Parameter(np.zeros(n, dtype)) if self.affine and with_bias else None
        if self.track_running_stats:
            self.register_buffer("running_mean", ag.as_tensor(np.zeros(n, dtype)))
            self.register_buffer("running_var", ag.as_tensor(np.ones(n, dtype)))
            self.register_buffer("num_batches_tracked", ag.as_tensor(np.array(0, np.int64)))
        else:
            self.running_mean = self.running_var = self.num_batches_tracked = None

    def reset_running_stats(self) -> None:
        """Running mean 0, running variance 1, no batch counted."""
        if self.track_running_stats:
            with ag.no_grad():
                # (buffers: track_running_stats)
                self.running_mean.zero_()  # type: ignore[union-attr]
                self.running_var.fill_(1.0)  # type: ignore[union-attr]
                self.num_batches_tracked.zero_()  # type: ignore[union-attr]

    def reset_parameters(self) -> None:
        """Reset the running statistics, ``weight`` to ones and ``bias`` to zeros."""
        self.reset_running_stats()
        with ag.no_grad():
            if self.weight is not None:
                self.weight.fill_(1.0)
            if self.bias is not None:
                self.bias.zero_()

    def _checked_input(self, input: Any) -> Tensor:
        """``input`` as a Tensor of one of ``ranks`` axes with ``num_features`` channels."""
        x = _checks.as_node(input)
        if not isinstance(x, Tensor) or x.ndim not in self.ranks:
            shape = tuple(x.shape) if isinstance(x, Tensor) else type(input).__name__
            raise ValueError(f"{type(self).__name__} expected "
                             f"{' or '.join(f'{r}D' for r in self.ranks)} input (N, C, ...). "
                             f"Received: {shape}")
        if x.shape[1] != self.num_features:
            raise ValueError(f"{type(self).__name__}({self.num_features}) expects "
                             f"{self.num_features} channels on axis 1. Received: input shape "
                             f"{tuple(x.shape)}")
        return x

    def _momentum(self) -> float:
        """The weight of this batch in the running statistics; counts the batch in training."""
        momentum = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats:
            with ag.no_grad():
                self.num_batches_tracked.add_(1)  # type: ignore[union-attr]  # (a buffer)
            if self.momentum is None:  # a cumulative moving average
                momentum = 1.0 / float(
                    self.num_batches_tracked.numpy())  # type: ignore[union-attr]  # (a buffer)
        return momentum

    def forward(self, input: Any) -> Tensor:
        """Normalize with the batch's statistics in training mode (updating the running ones),
        with the running statistics in evaluation mode (the batch's if none are tracked)."""
        return self._batch_norm(self._checked_input(input), self._momentum())

    def _batch_norm(self, x: Tensor, momentum: float) -> Tensor:
        use_batch = self.training or self.running_mean is None
        tracked = not self.training or self.track_running_stats
        return F.batch_norm(x, self.running_mean if tracked else None,
                            self.running_var if tracked else None, self.weight, self.bias,
                            use_batch, momentum, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, bias={self.bias is not None}, "
                f"track_running_stats={self.track_running_stats}")


class BatchNorm1d(_BatchNorm):
    """Batch normalization of (N, C) or (N, C, L) inputs, per channel C, as PyTorch's.

    ``y = (x - mean) / sqrt(var + eps) * weight + bias``. In training mode the mean and the
    (biased) variance are the batch's, and the running statistics move towards them:
    ``running = (1 - momentum) * running + momentum * batch`` with the batch's unbiased
    variance (``momentum=None``: a cumulative average over ``num_batches_tracked``). In
    evaluation mode (``model.eval()``) the running statistics normalize.

    Args:
        num_features: The number of channels C.
        eps: Added to the variance.
        momentum: The weight of each new batch in the running statistics, or None.
        affine: Learn ``weight`` (ones) and ``bias`` (zeros).
        track_running_stats: Keep running statistics (False: always the batch's).
        device: None or ``'cpu'``.
        dtype: The floating-point dtype of parameters and statistics.
        bias: With ``affine``, whether to learn the shift.

    Examples:
        >>> import autograd as torch, nn
        >>> bn = nn.BatchNorm1d(2)
        >>> y = bn(torch.tensor([[1.0, 2.0], [3.0, 6.0]]))
        >>> bn.running_mean.numpy(), bn.running_var.numpy()
        (array([0.2, 0.4], dtype=float32), array([1.1, 1.7], dtype=float32))
        >>> list(bn.state_dict())
        ['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']
    """

    ranks = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch normalization of (N, C, H, W) images, per channel C; see ``BatchNorm1d``.

    Examples:
        >>> import autograd as torch, nn
        >>> bn = nn.BatchNorm2d(3).eval()
        >>> bn(torch.ones((2, 3, 4, 4))).shape
        (2, 3, 4, 4)
    """

    ranks = (4,)


class LayerNorm(TorchModule):
    """Give each example zero mean and unit variance over its last ``len(normalized_shape)``
    axes, then scale by ``weight`` and shift by ``bias``: ``F.layer_norm``.

    The variance divides by n; nothing depends on the batch, so training and evaluation compute
    the same thing.

    Args:
        normalized_shape: The shape of the trailing axes to normalize (an int for one axis).
        eps: Added to the variance.
        elementwise_affine: Learn ``weight`` (ones) and ``bias`` (zeros) of that shape.
        bias: With ``elementwise_affine``, whether to learn the shift.
        device: None or ``'cpu'``.
        dtype: The parameters' floating-point dtype.

    Examples:
        >>> import numpy as np, nn
        >>> norm = nn.LayerNorm(4)
        >>> norm
        LayerNorm((4,), eps=1e-05, elementwise_affine=True, bias=True)
        >>> y = norm(np.array([[1.0, 2.0, 3.0, 4.0]], dtype=np.float32))
        >>> np.round(y.numpy(), 4)
        array([[-1.3416, -0.4472,  0.4472,  1.3416]], dtype=float32)
    """

    def __init__(self, normalized_shape: Any, eps: float = 1e-05,
                 elementwise_affine: bool = True, bias: bool = True, device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__()
        self.normalized_shape = normalized(normalized_shape, "LayerNorm")
        self.eps = _number(eps, "LayerNorm", "eps")
        self.elementwise_affine = _flag(elementwise_affine, "LayerNorm", "elementwise_affine")
        with_bias = _flag(bias, "LayerNorm", "bias")
        dtype = factory_dtype(device, dtype, "LayerNorm")
        affine = self.elementwise_affine
        self.weight = Parameter(np.ones(self.normalized_shape, dtype)) if affine else None
        self.bias = Parameter(np.zeros(self.normalized_shape, dtype)) \
            if affine and with_bias else None

    def reset_parameters(self) -> None:
        """Set ``weight`` back to ones and ``bias`` to zeros."""
        with ag.no_grad():
            if self.weight is not None:
                self.weight.fill_(1.0)
            if self.bias is not None:
                self.bias.zero_()

    def forward(self, input: Any) -> Tensor:
        """Normalize over the trailing axes, then scale and shift."""
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def get_config(self) -> dict[str, Any]:
        """The constructor's arguments as JSON-able data."""
        config = super().get_config()
        config["bias"] = self.bias is not None or not self.elementwise_affine
        return config

    def extra_repr(self) -> str:
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}, "
                f"bias={self.bias is not None}")
