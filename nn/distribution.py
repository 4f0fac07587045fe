"""Where training runs: Keras 3's ``keras.distribution`` idea, on MPI processes.

``set_distribution(DataParallel())`` makes every later ``fit`` train data-parallel: each process
started by ``mpiexec`` holds the whole model and the whole data set, takes its share of every
global batch, and averages gradients with the others before each update. ``batch_size`` stays
the global batch, as in Keras 3. Nothing else in a Keras-style program changes; only rank 0
prints progress and writes files (``model.save``, ``ModelCheckpoint``, ``CSVLogger``).

Without a distribution (the default) nothing here runs and mpi4py is never imported.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

_current: DataParallel | None = None


class DataParallel:
    """Data parallelism over MPI processes: replicated weights, sharded batches.

    ``fit`` under this distribution:

    - checks that every process built the same model, compiled the same optimizer (class
      and settings) and passed the same data (shapes and a fingerprint of the values) and
      settings, then broadcasts rank 0's weights, buffers and optimizer state;
    - cuts each global batch of ``batch_size`` samples (the same shuffled order on every
      process) into one share per process, every ``size``-th sample;
    - averages the gradients across processes before each update, weighting each by its share
      of the batch, so the update equals one process's on the whole batch;
    - reports in ``History`` the loss and metrics of the whole epoch over all processes (one
      reduction per epoch), validates on shares of the validation data the same way;
    - averages the moving statistics of ``BatchNormalization`` at each epoch's end (each
      process normalizes its training share with that share's own statistics, as in Horovod);
    - prints progress on rank 0 only, and keeps ``model.save``, ``ModelCheckpoint`` and
      ``CSVLogger`` to rank 0;
    - ends every process (``rank R: <traceback>``, exit status 1) when one raises during
      training; a problem found before training (bad input on one process, models that
      differ) raises the same error on every process.

    ``evaluate`` and ``predict`` are shared the same way (each process takes its share of
    every batch; every process gets the whole result), so every process must call them, as
    ``fit``; one called by some processes only raises once another has reached the end of its
    program (``optim.distributed.meet``), and says why it waits meanwhile.
    ``test_on_batch`` and ``predict_on_batch`` run on the calling process alone;
    ``train_on_batch`` is refused (each process would train alone). From its creation, an
    exception that nothing catches ends every process instead of leaving them waiting
    (``optim.distributed.abort_on_uncaught_exception``, as ``python -m mpi4py`` does).
    Creating it is a collective operation: every process creates it.

    Args:
        comm: A ``optim.distributed.Communicator`` or an mpi4py communicator; every process
            ``mpiexec`` started when None.
        bucket_cap_mb: None (the default): the gradients are averaged in one reduction before
            each update. A number: in buckets of at most that many MiB, each reduction
            starting during backward as soon as its gradients are final (PyTorch
            ``DistributedDataParallel``'s name; see ``optim.distributed.DistributedOptimizer``):
            the same numbers, bit for bit, sooner for large gradients.

    Attributes:
        communicator: The ``optim.distributed.Communicator`` used.
        bucket_cap_mb: As given.

    Examples:
        >>> import nn
        >>> nn.distribution.set_distribution(nn.distribution.DataParallel())  # doctest: +SKIP
        >>> model.fit(x, y, batch_size=64, epochs=10)  # doctest: +SKIP
    """

    def __init__(self, comm: Any = None, bucket_cap_mb: float | None = None) -> None:
        from optim import distributed

        if bucket_cap_mb is not None and (
                isinstance(bucket_cap_mb, bool) or not isinstance(bucket_cap_mb, (int, float))
                or not bucket_cap_mb > 0):
            raise ValueError(f"DataParallel: bucket_cap_mb must be a number > 0 (MiB per "
                             f"bucket) or None. Received: bucket_cap_mb={bucket_cap_mb!r}")
        self.bucket_cap_mb = bucket_cap_mb
        self.communicator = distributed.as_communicator(comm)
        distributed.abort_on_uncaught_exception(self.communicator)
        # A shared call (fit, evaluate, predict) that some process never makes because it has
        # ended raises on the others instead of leaving them waiting.
        distributed.meet_at_exit(self.communicator)

    @property
    def rank(self) -> int:
        """This process's number, from 0."""
        return self.communicator.rank

    @property
    def size(self) -> int:
        """How many processes train together."""
        return self.communicator.size

    @contextlib.contextmanager
    def scope(self) -> Iterator[DataParallel]:
        """Use this distribution inside a ``with`` block only (Keras' ``distribution.scope()``)."""
        previous = _current
        set_distribution(self)
        try:
            yield self
        finally:
            set_distribution(previous)

    def fit(self, model: Any, *args: Any, **kwargs: Any) -> Any:
        """``model.fit(*args, **kwargs)`` on every process together; ``Model.fit`` calls it."""
        from nn.training import parallel_fit

        with self.scope():  # layers that synchronize (BatchNormalization) look for it there
            return parallel_fit.fit(model, self.communicator, *args, **kwargs,
                                    bucket_cap_mb=self.bucket_cap_mb)

    def __repr__(self) -> str:
        buckets = "" if self.bucket_cap_mb is None else f", bucket_cap_mb={self.bucket_cap_mb}"
        return f"DataParallel(rank={self.rank}, size={self.size}{buckets})"


def set_distribution(value: DataParallel | None) -> None:
    """Make ``value`` the distribution every later ``fit`` uses; None trains on one process.

    Examples:
        >>> import nn
        >>> nn.distribution.set_distribution(None)
        >>> nn.distribution.distribution() is None
        True
    """
    global _current
    if value is not None and not isinstance(value, DataParallel):
        raise TypeError(f"set_distribution expects a DataParallel or None. Received: "
                        f"{type(value).__name__}")
    if value is not None:  # again: the program may have replaced sys.excepthook since
        from optim import distributed

        distributed.abort_on_uncaught_exception(value.communicator)
    _current = value


def distribution() -> DataParallel | None:
    """The distribution set by ``set_distribution``, or None (Keras' ``distribution()``).

    Examples:
        >>> import nn
        >>> nn.distribution.distribution() is None
        True
    """
    return _current


def is_chief() -> bool:
    """True where files are written and progress printed: everywhere without a distribution,
    on rank 0 under one.

    Examples:
        >>> import nn
        >>> nn.distribution.is_chief()
        True
    """
    return _current is None or _current.rank == 0
