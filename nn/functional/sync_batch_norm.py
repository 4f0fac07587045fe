"""Batch normalization with the statistics of the global batch: every process's share together.

Shared by ``nn.SyncBatchNorm`` (PyTorch's face) and ``layers.BatchNormalization(synchronized=True)``
(Keras'). The forward pass makes two ``Allreduce`` calls, both in float64 whatever the input's
dtype: the count and per-channel sums, for the mean, then the per-channel sums of squared
deviations from that mean, for the (biased) variance; the two passes avoid the cancellation of
``E[x^2] - E[x]^2``. The backward pass makes one more, of the per-channel sums of the upstream
gradient ``dy`` and of ``dy * xhat``, which the input gradient needs. A process whose share is
empty takes part in every collective with zeros.

The input gradient assumes what ``fit`` and ``DistributedOptimizer.step(samples=n)`` do: each
process's loss is a mean over its share, and the gradients are averaged weighted by the
shares. So each process's sums count in proportion to its share, and its input gradient is
returned divided by its weight, which the optimizer's average multiplies back. With equal
shares this is PyTorch's rule (plain sums, plain average). The weight and bias gradients are
local sums, averaged by the optimizer like every other gradient, as in PyTorch.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

import autograd as ag
from autograd import Tensor

if TYPE_CHECKING:  # imported when first needed, as optim does: see communicator
    from optim import distributed as dist


def communicator(process_group: Any) -> dist.Communicator | None:
    """The processes to synchronize with: ``process_group`` (a ``Communicator`` or an mpi4py
    communicator), else ``optim.distributed.world()``; None when no process group was given
    and mpi4py is not installed (one process: nothing to synchronize)."""
    from optim import distributed as dist

    if process_group is None:
        return dist.world() if dist.is_available() else None
    return dist.as_communicator(process_group)


def _reduced_axes(ndim: int, axis: int) -> tuple[int, ...]:
    return tuple(i for i in range(ndim) if i != axis)


def global_moments(x: np.ndarray, axis: int, comm: dist.Communicator
                   ) -> tuple[np.ndarray, np.ndarray, int]:
    """Per-channel mean and biased variance of the global batch (float64), and its count of
    values per channel; every process of ``comm`` must call it, an empty share included."""
    axes = _reduced_axes(x.ndim, axis)
    channels = x.shape[axis]
    first = np.zeros(1 + channels, np.float64)
    first[0] = x.size // channels if channels else 0
    if x.size:
        first[1:] = x.sum(axis=axes, dtype=np.float64)
    comm.allreduce_(first)
    count = int(round(first[0]))
    mean = first[1:] / max(count, 1)
    shape = tuple(channels if i == axis else 1 for i in range(x.ndim))
    squares = np.zeros(channels, np.float64)
    if x.size:
        centered = x.astype(np.float64) - mean.reshape(shape)
        squares = (centered * centered).sum(axis=axes)
    comm.allreduce_(squares)
    return mean, squares / max(count, 1), count


class _SyncBatchNormFunction(ag.Function):
    """``y = (x - mean) / sqrt(var + eps) * weight + bias`` with the global statistics given;
    the backward pass reduces its per-channel sums across the processes."""

    @staticmethod
    def forward(ctx: Any, x: Tensor, weight: Tensor | None, bias: Tensor | None,
                mean: np.ndarray, variance: np.ndarray, eps: float, axis: int, count: int,
                comm: dist.Communicator) -> Tensor:
        data = x.numpy()
        shape = tuple(data.shape[axis] if i == axis else 1 for i in range(data.ndim))
        dtype = data.dtype
        # The same operations, in the input's dtype, as one process's batch normalization.
        std = np.sqrt(variance.astype(dtype).reshape(shape) + dtype.type(eps))
        xhat = (data - mean.astype(dtype).reshape(shape)) / std
        out = xhat
        if weight is not None:
            out = out * weight.numpy().reshape(shape)
        if bias is not None:
            out = out + bias.numpy().reshape(shape)
        ctx.xhat, ctx.std, ctx.shape, ctx.axis = xhat, std, shape, axis
        ctx.count, ctx.comm = count, comm
        ctx.weight = None if weight is None else weight.numpy()
        ctx.shapes = (None if weight is None else weight.shape,
                      None if bias is None else bias.shape)
        return ag.as_tensor(np.asarray(out, dtype))

    @staticmethod
    def backward(ctx: Any, grad_output: Tensor) -> tuple[Any, ...]:
        if ag.is_grad_enabled():  # numpy below: gradients without a graph would be constants
            raise RuntimeError("SyncBatchNorm's backward pass cannot be differentiated again "
                               "(create_graph=True) on several processes")
        dy = grad_output.numpy()
        xhat, axis = ctx.xhat, ctx.axis
        axes = _reduced_axes(dy.ndim, axis)
        channels = xhat.shape[axis]
        sum_dy = dy.sum(axis=axes, dtype=np.float64)
        sum_dy_xhat = (dy * xhat).sum(axis=axes, dtype=np.float64)
        grads: list[Any] = [None] * 9
        weight_shape, bias_shape = ctx.shapes
        if weight_shape is not None and ctx.needs_input_grad[1]:
            grads[1] = ag.as_tensor(sum_dy_xhat.astype(dy.dtype).reshape(weight_shape))
        if bias_shape is not None and ctx.needs_input_grad[2]:
            grads[2] = ag.as_tensor(sum_dy.astype(dy.dtype).reshape(bias_shape))
        if ctx.needs_input_grad[0]:
            # Each share's sums count in proportion to its share (its weight in the optimizer's
            # average); an empty share sends zeros, but it must send them.
            local = xhat.size // channels if channels else 0
            sums = np.concatenate([sum_dy, sum_dy_xhat]) * local
            ctx.comm.allreduce_(sums)
            grad_input = np.zeros(dy.shape, dy.dtype)
            if local:
                per_value = sums / (local * ctx.count)  # (the global means, over this weight)
                mean_dy = per_value[:channels].astype(dy.dtype).reshape(ctx.shape)
                mean_dy_xhat = per_value[channels:].astype(dy.dtype).reshape(ctx.shape)
                scale = 1.0 / ctx.std
                if ctx.weight is not None:
                    scale = scale * ctx.weight.reshape(ctx.shape)
                grad_input = scale * (dy - mean_dy - xhat * mean_dy_xhat)
            grads[0] = ag.as_tensor(np.asarray(grad_input, dy.dtype))
        return tuple(grads)


def sync_batch_norm(x: Tensor, weight: Tensor | None, bias: Tensor | None, axis: int,
                    eps: float, comm: dist.Communicator
                    ) -> tuple[Tensor, np.ndarray, np.ndarray, int]:
    """Normalize ``x`` along channel ``axis`` with the global batch's statistics, then scale
    by ``weight`` and shift by ``bias`` (one value per channel, or None).

    A collective: every process of ``comm`` calls it with its share (empty or not), in the
    same order, and calls ``backward`` through it together.

    Returns:
        The output, and the global mean, biased variance (float64, one per channel) and
        number of values per channel, for the running statistics.
    """
    mean, variance, count = global_moments(x.numpy(), axis, comm)
    out = _SyncBatchNormFunction.apply(x, weight, bias, mean, variance, float(eps), axis,
                                       count, comm)
    return out, mean, variance, count
