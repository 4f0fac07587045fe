"""``broadcast_optimizer_state``: every process continues from one process's optimizer state.

The state (Adam's moments, step counts, Keras' iteration count) is what ``state_dict`` gives:
its arrays travel as raw buffers, one ``Bcast`` per dtype, and the rest (numbers, options, the
layout of the arrays) as one small pickled object. The receiving processes then load it with
``load_state_dict``, so they hold root's state bit for bit.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from optim.distributed.comm import Communicator, as_communicator
from optim.distributed.packing import FlatBuffer, by_dtype, describe_parameters
from optim.optimizer import Optimizer

_WHO = "broadcast_optimizer_state"


class _Slot:
    """Where an array of the state was: its position in the list of arrays sent apart."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index


def broadcast_optimizer_state(optimizer: Optimizer, root_rank: int = 0, comm: Any = None) -> None:
    """Give every process ``root_rank``'s optimizer state and options (Horovod's
    ``broadcast_optimizer_state(optimizer, root_rank)``).

    Call it after ``broadcast_parameters`` when one process loaded a checkpoint (its Adam
    moments and step counts) and the others did not: without it, each process would scale its
    updates by its own moments and the replicas would drift apart. Afterwards the state and the
    options of every parameter group (learning rate included) are bitwise root's. ``fit`` under
    ``nn.distribution.DataParallel`` calls it with rank 0 before training.

    Every process must call it. First, every process checks that all hold an optimizer of the
    same class over parameters of the same shapes and dtypes; a difference, or a problem on one
    process, raises the same error on every process instead of leaving the others waiting.

    Args:
        optimizer: An ``optim.Optimizer`` (also a ``DistributedOptimizer`` or one of
            ``nn.optimizers``) with its parameters bound, in the same order on every process.
        root_rank: The rank whose state wins.
        comm: A ``Communicator`` or mpi4py communicator; ``world()`` when None.

    Raises:
        ValueError: When the processes' optimizers differ (class, parameter shapes), naming
            the first rank that differs and how.

    Examples:
        >>> from optim import distributed as dist
        >>> opt = dist.DistributedOptimizer(optim.Adam(model.parameters()))  # doctest: +SKIP
        >>> if dist.world().rank == 0:  # doctest: +SKIP
        ...     opt.load_state_dict(saved["optimizer"])
        >>> dist.broadcast_parameters(model.parameters())  # doctest: +SKIP
        >>> dist.broadcast_optimizer_state(opt, root_rank=0)  # doctest: +SKIP
    """
    communicator = as_communicator(comm)
    entries, error = [], None
    try:
        entries = _description(optimizer, root_rank, communicator)
    except Exception as err:  # shared by check_same, so that every process stops
        error = err
    communicator.check_same(entries, _WHO, error)
    sent = optimizer.state_dict() if communicator.rank == root_rank else None
    skeleton, arrays = _receive(sent, root_rank, communicator)
    error = None
    if communicator.rank != root_rank:
        try:
            optimizer.load_state_dict(_filled(skeleton, arrays))
        except Exception as err:  # cannot happen after the check above; agreed on all the same
            error = err
    communicator.check_same([], _WHO, error)


def _description(optimizer: Any, root_rank: Any, comm: Communicator) -> list[tuple[str, str]]:
    """What every process must agree on before the state travels: the optimizer's class and
    its parameters' shapes and dtypes (``load_state_dict`` needs them to match)."""
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"{_WHO} expects an optim.Optimizer. Received: "
                        f"{type(optimizer).__name__}")
    if isinstance(root_rank, bool) or not isinstance(root_rank, (int, np.integer)) \
            or not 0 <= root_rank < comm.size:
        raise ValueError(f"{_WHO}: root_rank must be a rank, from 0 to {comm.size - 1}. "
                         f"Received: root_rank={root_rank!r}")
    if not optimizer.param_groups:
        raise RuntimeError(f"{_WHO}: the optimizer has no parameters yet; bind them first "
                           f"(model.compile does, or pass them: optim.Adam(model.parameters()))")
    kind = type(optimizer)
    params = [p for group in optimizer.param_groups for p in group["params"]]
    return [("optimizer", f"{kind.__module__}.{kind.__name__}"),
            ("parameter groups", str(len(optimizer.param_groups))),
            *describe_parameters(params)]


def _receive(sent: dict[str, Any] | None, root: int,
             comm: Communicator) -> tuple[Any, list[np.ndarray]]:
    """Root's state dict on every process, as a skeleton (arrays replaced by ``_Slot``) and
    its arrays: the skeleton pickled, the arrays in one raw buffer per dtype."""
    arrays: list[np.ndarray] = []
    skeleton = None if sent is None else _skeleton(sent, arrays)
    layout = [(a.shape, a.dtype.str) for a in arrays]
    skeleton, layout = comm.broadcast_object((skeleton, layout), root)
    received: list[np.ndarray | None] = [None] * len(layout)
    for dtype, index in by_dtype([dtype for _, dtype in layout]):
        buffer = FlatBuffer([layout[i][0] for i in index], dtype)
        if comm.rank == root:
            buffer.pack([arrays[i] for i in index])
        comm.broadcast_(buffer.data, root)
        for k, i in enumerate(index):
            received[i] = buffer.view(k)
    return skeleton, received  # type: ignore[return-value]  # (every slot filled above)


def _skeleton(value: Any, arrays: list[np.ndarray]) -> Any:
    """``value`` with each array replaced by a ``_Slot`` and appended to ``arrays``."""
    if isinstance(value, np.ndarray):
        arrays.append(np.ascontiguousarray(value))
        return _Slot(len(arrays) - 1)
    if isinstance(value, dict):
        return {key: _skeleton(item, arrays) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_skeleton(item, arrays) for item in value)
    return value


def _filled(value: Any, arrays: list[np.ndarray]) -> Any:
    """The inverse of ``_skeleton``: each ``_Slot`` replaced by its array."""
    if isinstance(value, _Slot):
        return arrays[value.index]
    if isinstance(value, dict):
        return {key: _filled(item, arrays) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_filled(item, arrays) for item in value)
    return value
