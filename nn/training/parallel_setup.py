"""What ``nn.training.parallel_fit`` checks and sets up before the first step, beside the
comparison of ranks: runs that data parallelism cannot make equal to one process are refused
(a loss summed over the batch, shares too small for batch normalization), and the layers that
draw random numbers while training (dropout, noise) get one stream per rank.

Every check here depends only on what every rank must agree on anyway (the model, the data
length, the settings), so each rank raises the same error, before any collective.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import numpy as np

import autograd as ag
from nn.layers.dropout import Dropout
from nn.layers.noise_layers import GaussianDropout, GaussianNoise
from nn.layers.normalization import BatchNormalization
from nn.torch_modules.normalization import _BatchNorm
from nn.torch_modules.sync_batch_norm import SyncBatchNorm

_RANDOM_LAYERS = (Dropout, GaussianNoise, GaussianDropout)  # SpatialDropout2D is a Dropout
_NORMALIZATIONS = (BatchNormalization, _BatchNorm)


def refuse_summed_loss(model: Any) -> None:
    """Raise when the compiled loss sums over the batch instead of averaging.

    The gradients are averaged across ranks weighted by each rank's share of the batch, which
    is the gradient of one process only when each rank's loss is a mean over its share: with a
    sum, the update would be about ``1 / size`` of one process's.
    """
    loss = model.loss
    reduction = getattr(loss, "reduction", None)
    module = getattr(loss, "module", None)  # a PyTorch loss module keeps its own reduction
    if module is not None:
        reduction = getattr(module, "reduction", reduction)
    if reduction == "sum":
        name = type(loss if module is None else module).__name__
        raise ValueError(
            f"fit: the loss {name} sums over the batch (reduction='sum'), which data "
            f"parallelism cannot train like one process: each rank's gradient is averaged "
            f"with the others' weighted by its share of the batch, which is right for a mean "
            f"over the samples only. Received: reduction='sum' on every rank. Compile the loss "
            f"with reduction='sum_over_batch_size' (Keras' default; 'mean' for a PyTorch "
            f"loss) and multiply the learning rate by batch_size for the same updates")


def synchronized(layer: Any) -> bool:
    """Whether ``layer`` normalizes with the global batch's statistics (``SyncBatchNorm``,
    ``BatchNormalization(synchronized=True)``): a collective at every training call."""
    return isinstance(layer, SyncBatchNorm) or (
        isinstance(layer, BatchNormalization) and layer.synchronized)


def refuse_single_sample_shares(model: Any, samples: int, batch_size: int, size: int) -> None:
    """Raise when a batch normalization layer would train on a share of one sample.

    The statistics of one sample are no statistics: PyTorch's layers raise in the middle of
    the epoch, Keras' normalize the sample to ``beta``. Which shares hold one sample follows
    from the data length, the batch size and the number of ranks alone. A synchronized layer
    (``synchronized``) normalizes with the global batch, so shares of one sample are fine for
    it; a global batch of one sample is not, nor an empty share (its collectives need every
    rank, and a rank with an empty share skips the model).
    """
    norms = [m for m in model.modules() if isinstance(m, _NORMALIZATIONS)]
    synced = next((m for m in norms if synchronized(m)), None)
    local = next((m for m in norms if not synchronized(m)), None)
    if synced is None and local is None:
        return
    last = samples % batch_size
    batches = ([("every full batch", batch_size)] if samples >= batch_size else []) \
        + ([(f"the last batch of each epoch ({last} samples)", last)] if last else [])
    for which, count in batches:
        shares = [len(range(rank, count, size)) for rank in range(size)]
        if synced is not None and (count == 1 or 0 in shares):
            problem = ("is 1 sample, whose statistics are no statistics" if count == 1 else
                       f"leaves rank {shares.index(0)} an empty share, and every rank must "
                       f"take part in each synchronized normalization")
            raise ValueError(
                f"fit: {type(synced).__name__} (synchronized) normalizes each batch with the "
                f"statistics of the whole batch, and with {samples} samples, "
                f"batch_size={batch_size} and {size} processes {which} {problem}. Use a "
                f"batch_size whose remainder {samples} % batch_size is 0 or at least {size}, "
                f"or drop the last samples (x[:len(x) - len(x) % batch_size])")
        layer = local
        if layer is not None and 1 in shares:
            raise ValueError(
                f"fit: {type(layer).__name__} cannot train on a share of one sample, and with "
                f"{samples} samples, batch_size={batch_size} and {size} processes the share "
                f"of rank {shares.index(1)} in {which} is 1 sample (rank r takes samples r, "
                f"r + {size}, ... of each batch). Use a batch_size of at least {2 * size} (2 "
                f"per process) whose remainder {samples} % batch_size is 0 or at least "
                f"{2 * size}, or drop the last samples (x[:len(x) - len(x) % batch_size]), "
                f"or use fewer processes")


@contextlib.contextmanager
def rank_streams(model: Any, rank: int) -> Iterator[None]:
    """Train inside this block: each rank draws dropout masks and noise of its own.

    Keras layers hold their generators (``seed_per_rank``); PyTorch-style dropout draws from
    autograd's root sequence at each call, which the block moves to a stream of the rank's own
    (``autograd.random.own_stream``) until training ends.
    """
    seed_per_rank(model, rank)
    with ag.random.own_stream(rank):
        yield


def seed_per_rank(model: Any, rank: int) -> None:
    """Give each rank its own stream of dropout masks and noise, deterministic given the seed.

    Every rank built its layers from the same seed, so without this the shares of a batch
    would get the same masks (correlated, unlike one process). Rank ``r`` jumps its layers'
    generators ``r`` times (2**127 draws each for PCG64: streams that never overlap); rank 0
    keeps the stream of one process. A layer is moved once: later fits continue its stream.
    """
    for layer in model.modules():
        moved = getattr(layer, "_rank_stream", None) is not None
        if moved or not isinstance(layer, _RANDOM_LAYERS):
            continue
        if rank > 0:
            layer._rng = _jumped(layer._rng, rank)
        layer._rank_stream = rank


def _jumped(generator: np.random.Generator, jumps: int) -> np.random.Generator:
    """``generator``'s stream advanced ``jumps`` times; a seed folding in the rank for bit
    generators that cannot jump (the jump count is the rank)."""
    bits = generator.bit_generator
    jump = getattr(bits, "jumped", None)
    if callable(jump):
        return np.random.Generator(jump(jumps))
    entropy = [int(v) for v in bits.random_raw(4)]  # from the stream itself: deterministic
    return np.random.default_rng([*entropy, jumps])
