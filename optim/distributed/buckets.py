"""Gradient buckets: the reduction of each group of gradients starts as soon as they are final.

What ``DistributedOptimizer(..., bucket_cap_mb=25)`` does, after PyTorch's
``DistributedDataParallel``: the parameters are cut into buckets of at most ``bucket_cap_mb``
MiB each, in reverse order of registration (the last layers' gradients are final first in
backward), one dtype per bucket. A post-accumulate-grad hook on each parameter marks it ready;
when every parameter of the next bucket is ready, the bucket is packed and its non-blocking
``Iallreduce`` starts, while backward goes on with the earlier layers. Buckets start strictly in
order, as in DDP, because every process must start the same reductions in the same order (a
process whose share was empty starts them all in ``step``). ``step`` starts the buckets that
backward did not (parameters without a gradient, a process without samples), waits for all and
finishes as the blocking path does.

Each bucket carries its own counts: the process's weight (its sample count) and one
has-gradient flag per parameter, in spare slots after the gradients, as the blocking path's one
buffer does. The weight must therefore be known before backward: ``zero_grad(samples=n)``.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd import Node, Tensor
from optim.distributed.comm import Communicator, Request
from optim.distributed.packing import FlatBuffer, _grad, _value, write_averages


def assign_buckets(sizes: Sequence[int], dtypes: Sequence[Any],
                   cap_bytes: float) -> list[list[int]]:
    """Positions of the parameters in each bucket, buckets in the order they start.

    DDP's heuristic: parameters in reverse order (``sizes`` in bytes), one open bucket per
    dtype, closed once adding the next parameter would pass ``cap_bytes``; a parameter larger
    than the cap has a bucket of its own. Buckets are ordered by their first parameter.

    Examples:
        >>> from optim.distributed.buckets import assign_buckets
        >>> assign_buckets([400, 40, 400, 40], ["float32"] * 4, cap_bytes=450)
        [[3, 2], [1, 0]]
    """
    buckets: list[list[int]] = []
    open_bucket: dict[str, tuple[int, int]] = {}  # dtype -> (its bucket's position, bytes)
    for i in reversed(range(len(sizes))):
        key = np.dtype(dtypes[i]).str
        where = open_bucket.get(key)
        if where is None or (where[1] > 0 and where[1] + sizes[i] > cap_bytes):
            buckets.append([])
            where = (len(buckets) - 1, 0)
        buckets[where[0]].append(i)
        open_bucket[key] = (where[0], where[1] + sizes[i])
    return buckets


class _Bucket:
    """One bucket: its parameters' positions, its buffer (gradients, then the weight and one
    has-gradient flag per parameter) and, once started, its request."""

    def __init__(self, index: list[int], params: Sequence[Node], dtype: np.dtype) -> None:
        self.index = index
        self.buffer = FlatBuffer([_value(params[i]).shape for i in index], dtype,
                                 extra=1 + len(index))
        self.waiting = len(index)  # parameters not ready yet in this step
        self.request: Request | None = None


class GradientBuckets:
    """The buckets of a list of parameters, their hooks and the state of one step's reduction.

    Args:
        params: The parameters, in order of registration.
        comm: The communicator.
        cap_bytes: The largest bucket, in bytes (a larger parameter gets a bucket of its own).
        summed_in: The dtype a parameter's gradient is summed in, from the parameter's dtype.
    """

    def __init__(self, params: Sequence[Node], comm: Communicator, cap_bytes: float,
                 summed_in: Any) -> None:
        self.params = list(params)
        self.comm = comm
        dtypes = [summed_in(_value(p).dtype) for p in self.params]
        sizes = [_value(p).size * dtype.itemsize for p, dtype in zip(self.params, dtypes)]
        self.buckets = [_Bucket(index, self.params, dtypes[index[0]])
                        for index in assign_buckets(sizes, dtypes, cap_bytes)]
        self.where = {i: b for b, bucket in enumerate(self.buckets) for i in bucket.index}
        self.weight = 1.0  # this process's weight in the current step
        self.paused = False  # inside no_sync(): gradients only accumulate
        self._next = 0  # the next bucket to start
        self._ready = [False] * len(self.params)
        # The hooks hold this object weakly: the hook table is global, and a strong reference
        # would keep the buckets, and through them the parameters, alive forever.
        me = weakref.ref(self)
        self._handles = [p.register_post_accumulate_grad_hook(functools.partial(_on_ready, me, i))
                         for i, p in enumerate(self.params)
                         if isinstance(p, Tensor) and p.requires_grad and p.is_leaf]
        weakref.finalize(self, _remove, self._handles)

    def started(self) -> bool:
        """Whether some bucket of this step has started its reduction."""
        return self._next > 0

    def ready(self, i: int) -> None:
        """Parameter ``i``'s gradient is final: start every bucket that is complete now, in
        order, and let MPI advance those already started."""
        if self.paused:
            return
        b = self.where[i]
        if b < self._next:
            raise RuntimeError(
                "DistributedOptimizer: a second backward before step, but with bucket_cap_mb "
                "the gradients of the first were already sent. To accumulate gradients over "
                "several backward calls, run all but the last inside opt.no_sync(), as with "
                "DistributedDataParallel")
        if not self._ready[i]:
            self._ready[i] = True
            self.buckets[b].waiting -= 1
        while self._next < len(self.buckets) and self.buckets[self._next].waiting == 0:
            self._start(self._next)
        for bucket in self.buckets[:self._next]:
            if bucket.request is not None:
                bucket.request.test()

    def _start(self, b: int) -> None:
        bucket = self.buckets[b]
        grads = [None if self.weight == 0 else _grad(self.params[i]) for i in bucket.index]
        bucket.buffer.pack(grads, scale=self.weight)
        tail = bucket.buffer.tail
        tail[0] = self.weight
        tail[1:] = [grad is not None for grad in grads]
        bucket.request = self.comm.iallreduce_(bucket.buffer.data)
        self._next = b + 1

    def finish(self, write: bool = True) -> None:
        """Start the buckets backward did not, wait for every one, then (``write``) give each
        parameter the weighted average, as the blocking path does; ready for the next step."""
        while self._next < len(self.buckets):
            self._start(self._next)
        for bucket in self.buckets:
            assert bucket.request is not None
            bucket.request.wait()
        for bucket in self.buckets:
            if write:
                tail = bucket.buffer.tail
                write_averages(bucket.buffer, bucket.index, self.params, float(tail[0]),
                               tail[1:] > 0)
            bucket.request = None
            bucket.waiting = len(bucket.index)
        self._next = 0
        self._ready = [False] * len(self.params)

    def remove(self) -> None:
        """Unregister the hooks."""
        _remove(self._handles)


def _on_ready(buckets: weakref.ref[GradientBuckets], i: int, param: Tensor) -> None:
    owner = buckets()
    if owner is not None:
        owner.ready(i)


def _remove(handles: list[Any]) -> None:
    for handle in handles:
        handle.remove()
