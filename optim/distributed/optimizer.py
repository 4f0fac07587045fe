"""``DistributedOptimizer``: average the gradients of every process, then take the usual step.

The wrapper is built like Horovod's: an instance of a subclass of the wrapped optimizer's own
class, sharing its attributes (``param_groups``, ``state``, ``defaults``). It is therefore an
``optim.Adam`` wherever an ``optim.Adam`` is expected (schedules, ``model.save``, which records
the class name), and whatever one of the two objects changes, the other sees.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from autograd import enable_grad
from optim.distributed.buckets import GradientBuckets
from optim.distributed.comm import as_communicator
from optim.distributed.packing import (
    FlatBuffer,
    _grad,
    _value,
    by_dtype,
    check_parameters,
    write_averages,
)
from optim.optimizer import Optimizer

_SUBCLASSES: dict[type, type] = {}


class DistributedOptimizer(Optimizer):
    """Wrap an optimizer so that each ``step`` first averages the gradients across processes.

    Before the wrapped update, ``step`` packs the gradient of every parameter into one
    contiguous buffer per dtype, sums the buffers across processes with one ``Allreduce`` each,
    and writes the average back into ``.grad``. The average is weighted by ``samples``: with
    ``samples=n`` on each process, the result is ``sum(grad_r * n_r) / sum(n_r)``, the gradient
    of the mean loss over the global batch even when the processes' shares differ in size (the
    last batch of an epoch). The counts travel in spare slots of the widest float buffer: no
    extra message. float16 gradients are summed in float32 and cast back (times the counts,
    they overflow float16's 65,504). Without ``samples`` every process counts once (Horovod's
    plain average).

    A parameter that has no gradient on any process keeps ``grad = None`` (the wrapped optimizer
    skips it); one that has a gradient on some processes only gets the weighted average, the
    others counting zero.

    With ``bucket_cap_mb`` (PyTorch ``DistributedDataParallel``'s name and unit, MiB; DDP's
    default is 25), the reduction overlaps backward instead (``optim.distributed.buckets``):
    the gradients are cut into buckets of at most that size, last layers first, and each
    bucket's non-blocking ``Iallreduce`` starts as soon as backward has finished its gradients;
    ``step`` waits for them. The averages are the blocking path's, bit for bit. Since a bucket
    leaves during backward, its weight must be known before: give ``samples`` to ``zero_grad``
    (``step(samples=)`` then refuses another number), and accumulate gradients over several
    backward calls inside ``no_sync()``, as with DDP. Parameters without a gradient in a step
    hold back their bucket (and, buckets leaving in order, the later ones) until ``step``.

    Args:
        optimizer: Any ``optim.Optimizer``, with or without its parameters bound yet
            (``DistributedOptimizer(optim.Adam(0.1))`` can go to ``compile``).
        comm: A ``Communicator`` or mpi4py communicator; ``world()`` when None.
        bucket_cap_mb: The largest bucket in MiB for a reduction overlapped with backward;
            None (the default): one blocking ``Allreduce`` per dtype in ``step``. With bound
            parameters the buckets are made at once: every process must create the optimizer.

    Examples:
        >>> from optim import distributed as dist
        >>> opt = dist.DistributedOptimizer(optim.SGD(model.parameters(), lr=0.1))  # doctest: +SKIP
        >>> for index in sampler.batches(32):  # doctest: +SKIP
        ...     opt.zero_grad()
        ...     if len(index):  # the last batch may leave this process nothing to do
        ...         nn.functional.mse_loss(model(x[index]), y[index]).backward()
        ...     opt.step(samples=len(index))

        The same loop with the reduction overlapped with backward:

        >>> opt = dist.DistributedOptimizer(optim.SGD(model.parameters(), lr=0.1),
        ...                                 bucket_cap_mb=25)  # doctest: +SKIP
        >>> for index in sampler.batches(32):  # doctest: +SKIP
        ...     opt.zero_grad(samples=len(index))  # the weight, before the buckets leave
        ...     if len(index):
        ...         nn.functional.mse_loss(model(x[index]), y[index]).backward()
        ...     opt.step()
    """

    __slots__ = ("communicator", "_layout", "_buffers", "_synchronized", "bucket_cap_mb",
                 "_buckets", "_samples")

    def __new__(cls, optimizer: Optimizer, comm: Any = None,
                bucket_cap_mb: float | None = None) -> DistributedOptimizer:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"DistributedOptimizer expects an optim.Optimizer, e.g. "
                            f"optim.SGD(model.parameters(), lr=0.1). Received: "
                            f"{type(optimizer).__name__}")
        if isinstance(optimizer, DistributedOptimizer):
            raise ValueError("DistributedOptimizer: this optimizer is already distributed; "
                             "wrapping it twice would average every gradient twice")
        base = type(optimizer)
        subclass = _SUBCLASSES.get(base)
        if subclass is None:
            # Named like the wrapped class, so that saving records 'Adam' and loading finds it.
            subclass = _SUBCLASSES[base] = type(base.__name__, (cls, base), {
                "__slots__": (), "__module__": base.__module__,
                "__qualname__": f"DistributedOptimizer[{base.__qualname__}]"})
        wrapper: DistributedOptimizer = object.__new__(subclass)
        wrapper.__dict__ = optimizer.__dict__  # shared, not copied: one optimizer, two faces
        return wrapper

    def __init__(self, optimizer: Optimizer, comm: Any = None,
                 bucket_cap_mb: float | None = None) -> None:
        if bucket_cap_mb is not None and (
                isinstance(bucket_cap_mb, bool) or not isinstance(bucket_cap_mb, (int, float))
                or not bucket_cap_mb > 0):
            raise ValueError(f"DistributedOptimizer: bucket_cap_mb must be a number > 0 (MiB "
                             f"per bucket, as DistributedDataParallel's) or None. Received: "
                             f"bucket_cap_mb={bucket_cap_mb!r}")
        self.communicator = as_communicator(comm)
        self.bucket_cap_mb = bucket_cap_mb
        self._layout: tuple[Any, ...] | None = None
        self._buffers: list[Any] = []
        self._buckets: GradientBuckets | None = None
        self._samples: float | None = None  # given to zero_grad, for the coming step
        self._synchronized = False
        if bucket_cap_mb is not None and self.param_groups:
            self._buckets_for(self._params())  # hooks in place before the first backward

    def synchronize(self, samples: float | None = None) -> None:
        """Average the gradients across processes now (``step`` then does not do it again).

        Call it to look at or clip the averaged gradients before ``step``.

        Args:
            samples: How many samples this process's gradient is the mean over (0 when it had
                none); None counts every process once, or takes the number given to
                ``zero_grad``.
        """
        samples = self._agreed_samples(samples)
        weight = _weight(samples)
        params = self._params()
        if self.bucket_cap_mb is not None:
            buckets = self._buckets_for(params)
            buckets.weight = weight
            buckets.finish()
            self._synchronized = True
            return
        buffers = self._buffers_for(params)
        grads = [None if weight == 0 else _grad(p) for p in params]
        for buffer, index in buffers:
            buffer.pack([grads[i] for i in index], scale=weight)
        tail = next(buffer.tail for buffer, _ in buffers if buffer.tail.size)
        tail[0] = weight
        tail[1:] = [grad is not None for grad in grads]
        for buffer, _ in buffers:
            self.communicator.allreduce_(buffer.data)
        total, has_grad = float(tail[0]), tail[1:] > 0
        for buffer, index in buffers:
            write_averages(buffer, index, params, total, has_grad[index])
        self._synchronized = True

    def zero_grad(self, set_to_none: bool = True, samples: float | None = None) -> None:
        """Forget the gradients (and that they were averaged): see ``Optimizer.zero_grad``.

        Args:
            set_to_none: As in ``Optimizer.zero_grad``.
            samples: How many samples the coming gradient is the mean over (0 for none), for
                the coming ``step``; needed before backward with ``bucket_cap_mb``, where the
                gradients leave during backward. None: every process counts once, unless
                ``step`` gives the number (without ``bucket_cap_mb`` only).
        """
        weight = _weight(samples)
        if self._buckets is not None and self._buckets.started():
            # Reductions that backward started are collectives every process must complete.
            self._buckets.finish(write=False)
        self._synchronized = False
        self._samples = samples
        if self._buckets is not None:
            self._buckets.weight = weight
        super().zero_grad(set_to_none)

    @contextlib.contextmanager
    def no_sync(self) -> Iterator[None]:
        """Within it, backward only accumulates gradients: with ``bucket_cap_mb``, buckets do
        not leave (``DistributedDataParallel.no_sync``). The first backward after it sends the
        accumulated gradients. Without ``bucket_cap_mb`` nothing leaves before ``step`` anyway.

        Examples:
            >>> opt.zero_grad(samples=64)  # doctest: +SKIP
            >>> with opt.no_sync():  # doctest: +SKIP
            ...     loss(model(x[:32]), y[:32]).backward()
            >>> loss(model(x[32:]), y[32:]).backward()  # doctest: +SKIP
            >>> opt.step()  # doctest: +SKIP
        """
        buckets = self._buckets
        if buckets is None:
            yield
            return
        paused, buckets.paused = buckets.paused, True
        try:
            yield
        finally:
            buckets.paused = paused

    def step(self, closure: Callable[[], Any] | None = None,
             samples: float | None = None) -> Any:
        """Average the gradients across processes (unless ``synchronize`` just did), then
        update as the wrapped optimizer does. Every process must call it, also one whose share
        of the batch was empty (with ``samples=0``).

        Args:
            closure: As in ``Optimizer.step``; it runs before the gradients are averaged.
            samples: See ``synchronize``.

        Returns:
            The closure's loss (this process's), or None.
        """
        if not self.param_groups:
            return super().step()  # the wrapped class's error: no parameters bound yet
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        if not self._synchronized:
            self.synchronize(samples)
        else:
            self._agreed_samples(samples)
        self._synchronized = False
        self._samples = None
        if self._buckets is not None:
            self._buckets.weight = 1.0
        super().step()
        return loss

    def _params(self) -> list[Any]:
        return [p for group in self.param_groups for p in group["params"]]

    def _agreed_samples(self, samples: float | None) -> float | None:
        """The step's sample count: ``samples``, or the one given to ``zero_grad``."""
        if samples is None:
            return self._samples
        if self._samples is not None and _weight(samples) != _weight(self._samples):
            raise ValueError(f"DistributedOptimizer: step got samples={samples!r} but "
                             f"zero_grad got samples={self._samples!r}; give it once")
        if self._samples is None and self.bucket_cap_mb is not None:
            raise ValueError(
                f"DistributedOptimizer: with bucket_cap_mb the gradients leave during "
                f"backward, weighted by the sample count, so it must be known before: call "
                f"opt.zero_grad(samples={samples!r}) before backward instead of "
                f"step(samples={samples!r})")
        return samples

    def _buckets_for(self, params: list[Any]) -> GradientBuckets:
        layout = tuple((id(p), _value(p).shape, _value(p).dtype.str) for p in params)
        if self._buckets is None or layout != self._layout:
            # First step, or other parameters: agree once on the layout, then new buckets.
            if self._buckets is not None:
                self._buckets.finish(write=False)  # started with the old parameters
                self._buckets.remove()
            check_parameters(params, self.communicator)
            assert self.bucket_cap_mb is not None
            self._buckets = GradientBuckets(params, self.communicator,
                                            self.bucket_cap_mb * 2 ** 20, _summed_in)
            self._layout = layout
        return self._buckets

    def _buffers_for(self, params: list[Any]) -> list[Any]:
        layout = tuple((_value(p).shape, _value(p).dtype.str) for p in params)
        if layout != self._layout:
            # First step, or parameters were added: agree once on the layout, because buffers of
            # different sizes would make Allreduce fail or mix unrelated numbers.
            check_parameters(params, self.communicator)
            self._buffers = _gradient_buffers(params)
            self._layout = layout
        return self._buffers

    def __repr__(self) -> str:
        return (f"DistributedOptimizer({super().__repr__()}, rank={self.communicator.rank}, "
                f"size={self.communicator.size})")


def _summed_in(dtype: Any) -> np.dtype:
    """The dtype a gradient is summed in: float16 gradients in float32, since scaled by the
    sample counts they overflow (a gradient of 20 times 4,000 samples is above 65,504)."""
    dtype = np.dtype(dtype)
    return np.dtype(np.float32) if dtype.kind == "f" and dtype.itemsize < 4 else dtype


def _gradient_buffers(params: list[Any]) -> list[tuple[FlatBuffer, list[int]]]:
    """One buffer per dtype summed in, the counts (the weight, then one has-gradient flag per
    parameter) in spare slots of the widest float buffer: float32 counts are exact up to
    2**24 samples per step, float64 ones far beyond."""
    groups = by_dtype([_summed_in(_value(p).dtype) for p in params])
    floats = [n for n, (dtype, _) in enumerate(groups) if dtype.kind == "f"]
    counts = max(floats, key=lambda n: groups[n][0].itemsize) if floats else 0
    return [(FlatBuffer([_value(params[i]).shape for i in index], dtype,
                        1 + len(params) if n == counts else 0), index)
            for n, (dtype, index) in enumerate(groups)]


def describe_optimizer(optimizer: Optimizer) -> list[tuple[str, str]]:
    """``(label, value)`` pairs for ``Communicator.check_same``: the optimizer's class and every
    setting that shapes its updates, so that processes whose optimizers differ are refused
    before the first step instead of drifting apart.

    The settings are each parameter group's options (``lr``, ``betas``, ..., a learning-rate
    schedule by its class and ``get_config``) and, for Keras' optimizers, the rest of
    ``get_config`` (clipping, gradient accumulation) but its ``name``. A plain function given
    as the learning rate is compared by name only.

    Examples:
        >>> import optim
        >>> from optim.distributed import describe_optimizer
        >>> describe_optimizer(optim.SGD(0.1))[:3]
        [('optimizer', 'optim.sgd.SGD'), ('optimizer lr', '0.1'), ('optimizer momentum', '0')]
    """
    kind = type(optimizer)  # with its module: optim.Adam and nn.optimizers.Adam differ
    entries = [("optimizer", f"{kind.__module__}.{kind.__name__}")]
    groups = optimizer.param_groups or [optimizer.defaults]
    if len(groups) > 1:
        entries.append(("optimizer parameter groups", str(len(groups))))
    for i, group in enumerate(groups):
        where = "optimizer" if len(groups) == 1 else f"optimizer group {i}"
        entries += [(f"{where} {key}", _setting(value)) for key, value in group.items()
                    if key not in ("params", "param_names")]
    config = getattr(optimizer, "get_config", None)
    if callable(config):  # Keras' optimizers keep clipping and accumulation outside the groups
        # The name differs with the number of optimizers made before (adam, adam_1, ...).
        entries += [(f"optimizer {key}", _setting(value)) for key, value in config().items()
                    if key not in ("name", "learning_rate") and key not in groups[0]]
    return entries


def _setting(value: Any) -> str:
    """A setting as text that is equal on two processes exactly when the settings are."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, (tuple, list)):
        return "(" + ", ".join(_setting(v) for v in value) + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_setting(v)}" for k, v in value.items()) + "}"
    config = getattr(value, "get_config", None)
    if callable(config):  # a learning-rate schedule: its kind and its arguments
        return f"{type(value).__name__}({_setting(config())})"
    if callable(value):  # its code cannot be compared; its name can
        return getattr(value, "__qualname__", type(value).__name__)
    text = repr(value)
    # A default repr holds a memory address, which differs between processes for no reason.
    return type(value).__name__ if " at 0x" in text else text


def _weight(samples: Any) -> float:
    if samples is None:
        return 1.0
    if isinstance(samples, bool) or not isinstance(samples, (int, float, np.integer,
                                                             np.floating)) \
            or not math.isfinite(samples) or samples < 0:
        raise ValueError(f"DistributedOptimizer: samples must be a number >= 0 (how many "
                         f"samples this process's gradient averages). Received: "
                         f"samples={samples!r}")
    return float(samples)
