"""``DistributedSampler``: which samples each process trains on, epoch after epoch."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

_SAME_SETTINGS = ("Every process must create its DistributedSampler with the same num_samples, "
                  "num_replicas, shuffle, seed and drop_last (a seed that depends on the rank "
                  "leaves some samples out of every epoch; lengths that differ make the "
                  "processes wait for each other forever)")


def _count(value: Any, name: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise ValueError(f"DistributedSampler: {name} must be an int >= {low}. Received: "
                         f"{name}={value!r}")
    return int(value)


class DistributedSampler:
    """This process's share of the sample indices ``0 .. num_samples - 1`` for each epoch.

    Every process draws the same permutation (from ``seed`` and the epoch) and takes every
    ``num_replicas``-th index of it, starting at its rank, so each sample is used exactly once
    per epoch across the processes. Taking the k-th batch of ``b`` indices on every process
    then covers positions ``k*b*N`` to ``(k+1)*b*N - 1`` of the permutation: the same global
    batch a single process would take with batch size ``b*N``.

    Unlike PyTorch's sampler of the same name, no index is repeated to even out the shares: the
    shares differ by at most one sample (``DistributedOptimizer.step(samples=...)`` weighs
    them). ``drop_last=True`` drops the last ``num_samples % num_replicas`` indices of the
    permutation instead, as PyTorch does.

    When it takes ``num_replicas`` or ``rank`` from a communicator (left None, or ``comm``
    given), the processes compare their ``num_samples``, ``num_replicas``, ``shuffle``,
    ``seed`` and ``drop_last`` (one small ``allgather``) and all raise the same error if any
    differs: another seed draws another permutation, so that some samples are used twice in
    an epoch and others never; another length gives the processes different numbers of
    batches, and the one with more waits forever in its extra step. Every process must then
    create its sampler at the same point of the program. With both ``num_replicas`` and
    ``rank`` given and no ``comm``, nothing is compared (PyTorch's way: the caller knows).

    Args:
        num_samples: The size of the data set.
        num_replicas: The number of processes; the communicator's size when None.
        rank: This process's rank; the communicator's when None.
        shuffle: Draw a new permutation each epoch (else the indices stay in order).
        seed: The seed of the permutations; the same on every process.
        drop_last: Make every share the same size by dropping the last few indices.
        comm: Ours, not PyTorch's: a ``Communicator`` or mpi4py communicator to take the size
            and rank from and to compare the settings over (keyword); ``world()`` when None
            and one of ``num_replicas``, ``rank`` is None.

    Examples:
        >>> from optim.distributed import DistributedSampler
        >>> DistributedSampler(10, num_replicas=3, rank=1, shuffle=False).indices().tolist()
        [1, 4, 7]
        >>> sampler = DistributedSampler(10, num_replicas=3, rank=1, seed=0)
        >>> sampler.set_epoch(1)
        >>> [len(index) for index in sampler.batches(2)]
        [2, 1]
    """

    def __init__(self, num_samples: int, num_replicas: int | None = None,
                 rank: int | None = None, shuffle: bool = True, seed: int = 0,
                 drop_last: bool = False, *, comm: Any = None) -> None:
        communicator = None
        if comm is not None or num_replicas is None or rank is None:
            from optim.distributed.comm import as_communicator

            communicator = as_communicator(comm)
            num_replicas = communicator.size if num_replicas is None else num_replicas
            rank = communicator.rank if rank is None else rank
        error = None
        try:
            self._settle(num_samples, num_replicas, rank, shuffle, seed, drop_last)
        except ValueError as err:
            if communicator is None:
                raise
            error = err  # shared by _agree: the others must not wait for this process
        if communicator is not None:
            self._agree(communicator, error)

    def _agree(self, communicator: Any, error: ValueError | None) -> None:
        """Raise on every process unless all made their sampler with the same settings."""
        settings = [] if error is not None else [
            (name, getattr(self, name))
            for name in ("num_samples", "num_replicas", "shuffle", "seed", "drop_last")]
        communicator.check_same(settings, "DistributedSampler", error,
                                {name: _SAME_SETTINGS for name, _ in settings})

    def _settle(self, num_samples: Any, num_replicas: Any, rank: Any, shuffle: Any, seed: Any,
                drop_last: Any) -> None:
        """Check the arguments and keep them."""
        self.num_replicas = _count(num_replicas, "num_replicas", 1)
        self.rank = _count(rank, "rank", 0)
        if self.rank >= self.num_replicas:
            raise ValueError(f"DistributedSampler: rank must be below num_replicas="
                             f"{self.num_replicas}. Received: rank={self.rank}")
        self.num_samples = _count(num_samples, "num_samples", 1)
        if self.num_samples < self.num_replicas:
            raise ValueError(f"DistributedSampler: the data set has {self.num_samples} "
                             f"samples, fewer than the {self.num_replicas} processes, so some "
                             f"would have nothing to train on. Use fewer processes or more data")
        self.shuffle = bool(shuffle)
        self.seed = _count(seed, "seed", 0)
        self.drop_last = bool(drop_last)
        self.epoch = 0

    def set_epoch(self, epoch: int) -> None:
        """Choose the epoch whose permutation ``indices`` returns (call it before each epoch)."""
        self.epoch = _count(epoch, "epoch", 0)

    @property
    def total_size(self) -> int:
        """How many indices all processes take together in one epoch."""
        return self.num_samples - (self.num_samples % self.num_replicas if self.drop_last else 0)

    def indices(self) -> np.ndarray:
        """This process's indices for the current epoch, in the order to use them."""
        if self.shuffle:
            order = np.random.default_rng([self.seed, self.epoch]).permutation(self.num_samples)
        else:
            order = np.arange(self.num_samples)
        return order[:self.total_size][self.rank::self.num_replicas]

    def batches(self, batch_size: int) -> Iterator[np.ndarray]:
        """This process's indices in batches of ``batch_size`` (its share of each global batch).

        Every process gets the same number of batches, so that every one of them calls the
        optimizer's step as often; a process whose share ran out gets empty arrays at the end.
        """
        batch_size = _count(batch_size, "batch_size", 1)
        index = self.indices()
        longest = -(-self.total_size // self.num_replicas)
        for start in range(0, longest, batch_size):
            yield index[start:start + batch_size]

    def __iter__(self) -> Iterator[int]:
        return iter(self.indices().tolist())

    def __len__(self) -> int:
        return len(range(self.rank, self.total_size, self.num_replicas))

    def __repr__(self) -> str:
        return (f"DistributedSampler(num_samples={self.num_samples}, num_replicas="
                f"{self.num_replicas}, rank={self.rank}, shuffle={self.shuffle}, "
                f"seed={self.seed}, drop_last={self.drop_last})")
