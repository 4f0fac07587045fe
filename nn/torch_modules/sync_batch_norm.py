"""``SyncBatchNorm``: PyTorch's batch normalization with the statistics of the global batch,
the shares of every process together (the collectives: ``nn/functional/sync_batch_norm.py``).
"""

from __future__ import annotations

from typing import Any

import autograd as ag
from autograd import Tensor
from nn import _checks
from nn.functional import sync_batch_norm as sync
from nn.functional.normalization import _update as update_running
from nn.torch_modules.normalization import _BatchNorm


class SyncBatchNorm(_BatchNorm):
    """Batch normalization of (N, C, ...) inputs with the statistics of the global batch: the
    shares of every process of ``process_group`` together, as PyTorch's.

    In training mode with more than one process, the mean and (biased) variance that normalize
    each channel are those of all the processes' inputs together (two ``Allreduce`` calls in
    the forward pass, one in the backward pass; ``nn/functional/sync_batch_norm.py``), and the
    running statistics are updated with the global batch's unbiased variance, so every process
    keeps the same ones. Otherwise (evaluation mode, one process, or no mpi4py and no
    ``process_group``) it computes exactly what ``BatchNorm1d`` does, as PyTorch's does on
    one process. Every process must call it in the same order, a process whose share of the
    batch is empty included (it still takes part in the collectives). The input gradient
    assumes what ``fit`` and ``DistributedOptimizer.step(samples=len(share))`` do: each
    process's loss is a mean over its share, and gradients are averaged weighted by the shares
    (with equal shares, PyTorch's rule exactly).

    Differences from PyTorch: ``process_group`` is an ``optim.distributed.Communicator`` or an
    mpi4py communicator (PyTorch takes a ``ProcessGroup``), and None means
    ``optim.distributed.world()``; it runs on numpy arrays on the CPU, where PyTorch's
    synchronized path raises unless the input is on a GPU.

    Args:
        num_features: The number of channels C.
        eps: Added to the variance.
        momentum: The weight of each new batch in the running statistics, or None.
        affine: Learn ``weight`` (ones) and ``bias`` (zeros).
        track_running_stats: Keep running statistics (False: always the batch's).
        process_group: The processes whose shares make the batch; see above.
        device: None or ``'cpu'``.
        dtype: The floating-point dtype of parameters and statistics.
        bias: With ``affine``, whether to learn the shift.

    Examples:
        >>> import autograd as torch, nn
        >>> bn = nn.SyncBatchNorm(2)  # one process: BatchNorm1d's numbers
        >>> bn(torch.tensor([[1.0, 2.0], [3.0, 6.0]])).numpy().round(3)
        array([[-1., -1.],
               [ 1.,  1.]], dtype=float32)
        >>> model = nn.SyncBatchNorm.convert_sync_batchnorm(
        ...     nn.ModuleList([nn.Linear(3, 2), nn.BatchNorm1d(2)]))
        >>> type(model[1]).__name__
        'SyncBatchNorm'
    """

    def __init__(self, num_features: int, eps: float = 1e-05, momentum: float | None = 0.1,
                 affine: bool = True, track_running_stats: bool = True,
                 process_group: Any = None, device: Any = None, dtype: Any = None, *,
                 bias: bool = True) -> None:
        super().__init__(num_features, eps, momentum, affine, track_running_stats, device,
                         dtype, bias=bias)
        self.process_group = process_group

    def _checked_input(self, input: Any) -> Tensor:
        x = _checks.as_node(input)
        if not isinstance(x, Tensor) or x.ndim < 2:
            shape = tuple(x.shape) if isinstance(x, Tensor) else type(input).__name__
            raise ValueError(f"SyncBatchNorm expected at least 2D input (N, C, ...). Received: "
                             f"{shape}")
        if x.shape[1] != self.num_features:
            raise ValueError(f"SyncBatchNorm({self.num_features}) expects {self.num_features} "
                             f"channels on axis 1. Received: input shape {tuple(x.shape)}")
        return x

    def forward(self, input: Any) -> Tensor:
        """Normalize with the global batch's statistics in training mode (updating the running
        ones), else as ``BatchNorm1d``; a collective in training mode on several processes."""
        x = self._checked_input(input)
        momentum = self._momentum()
        comm = sync.communicator(self.process_group) if self.training else None
        if comm is None or comm.size == 1:
            return self._batch_norm(x, momentum)
        out, mean, variance, count = sync.sync_batch_norm(x, self.weight, self.bias, 1,
                                                          self.eps, comm)
        if count <= 1:  # the same count on every process: they all raise
            raise ValueError(f"Expected more than 1 value per channel when training, got input "
                             f"size {tuple(x.shape)} on rank {comm.rank} and {count} value(s) "
                             f"per channel over the {comm.size} processes")
        if self.track_running_stats:
            with ag.no_grad():
                for running, batch, correction in ((self.running_mean, mean, 1.0),
                                                   (self.running_var, variance,
                                                    count / (count - 1))):
                    dtype = running.dtype  # type: ignore[union-attr]  # (a buffer)
                    update_running(running, ag.as_tensor(batch.astype(dtype)), momentum,
                                   correction)
        return out

    @classmethod
    def convert_sync_batchnorm(cls, module: Any, process_group: Any = None) -> Any:
        """Replace every ``BatchNorm1d``/``BatchNorm2d`` (any ``_BatchNorm``) in ``module``'s
        tree by a ``SyncBatchNorm`` holding the same parameters and buffers, as PyTorch's.

        Args:
            module: A module; when it is a batch normalization itself, a new module is
                returned in its place.
            process_group: The new modules' ``process_group``.

        Returns:
            ``module`` with its batch normalizations replaced (or the new module).
        """
        output = module
        if isinstance(module, _BatchNorm):
            output = SyncBatchNorm(module.num_features, module.eps, module.momentum,
                                   module.affine, module.track_running_stats, process_group,
                                   bias=module.bias is not None)
            if module.affine:  # the same Parameter objects, as PyTorch shares them
                output.weight, output.bias = module.weight, module.bias
            output.running_mean = module.running_mean
            output.running_var = module.running_var
            output.num_batches_tracked = module.num_batches_tracked
            output.training = module.training
        for name, child in module.named_children():
            output.add_module(name, cls.convert_sync_batchnorm(child, process_group))
        return output
