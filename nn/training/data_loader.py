"""``TensorDataset`` and ``DataLoader``: mini-batches for a hand-written training loop, in the
manner of PyTorch's ``torch.utils.data``.

``Sequential.fit`` batches its data itself; these are for the PyTorch-style loop::

    for xb, yb in loader:
        opt.zero_grad(); loss = F.mse_loss(model(xb), yb); loss.backward(); opt.step()
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np

import autograd as ag
from autograd import Node, Tensor
from nn import _checks
from nn import random as nn_random
from nn.training.data import as_array


class TensorDataset:
    """Examples made of several tensors indexed together along their first axis.

    Item ``i`` is the tuple ``(tensors[0][i], tensors[1][i], ...)``, typically ``(x, y)``.

    Args:
        *tensors: Tensors, numpy arrays or nested lists, all with the same first dimension.
            Numpy data keeps its dtype (integer labels stay integer); Python floats take the
            default float dtype.

    Attributes:
        tensors: The data, as a tuple of Tensors.

    Examples:
        >>> import numpy as np, nn
        >>> data = nn.TensorDataset(np.zeros((5, 2), np.float32), np.arange(5))
        >>> len(data), data[3][1].item()
        (5, 3)
    """

    def __init__(self, *tensors: Any) -> None:
        if not tensors:
            raise ValueError("TensorDataset expects at least one tensor or array")
        arrays = [as_array(t, "TensorDataset", f"tensors[{i}]") for i, t in enumerate(tensors)]
        if any(a.ndim == 0 for a in arrays):
            shapes = [a.shape for a in arrays]
            raise ValueError(f"TensorDataset expects arrays with a first (example) axis. "
                             f"Received shapes {shapes}")
        sizes = [len(a) for a in arrays]
        if len(set(sizes)) != 1:
            raise ValueError(f"TensorDataset expects tensors with the same first dimension "
                             f"(one entry per example). Received first dimensions {sizes}")
        self.tensors = tuple(ag.tensor(a) for a in arrays)

    def __getitem__(self, index: Any) -> tuple[Tensor, ...]:
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return len(self.tensors[0])


def _check_loading_settings(num_workers: Any, pin_memory: Any, timeout: Any,
                            worker_init_fn: Any, prefetch_factor: Any,
                            persistent_workers: Any) -> None:
    """PyTorch's settings of how batches are loaded: checked as PyTorch checks them, and
    accepted where the batches stay the same (they are always made in this process)."""
    if isinstance(num_workers, bool) or not isinstance(num_workers, (int, np.integer)) \
            or num_workers < 0:
        raise ValueError(f"DataLoader expects num_workers to be an int >= 0. Received: "
                         f"num_workers={num_workers!r}")
    for flag, value in (("pin_memory", pin_memory), ("persistent_workers", persistent_workers)):
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"DataLoader expects {flag} to be True or False. "
                            f"Received: {flag}={value!r}")
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout < 0:
        raise ValueError(f"DataLoader expects timeout to be a number >= 0. Received: "
                         f"timeout={timeout!r}")
    if num_workers == 0 and (prefetch_factor is not None or persistent_workers):
        # PyTorch's own rule: these describe workers, and there are none
        raise ValueError("DataLoader: prefetch_factor and persistent_workers describe worker "
                         "processes, so they need num_workers > 0 (as in PyTorch)")
    if worker_init_fn is not None and num_workers > 0:
        raise ValueError("DataLoader: worker_init_fn is not supported with num_workers > 0: "
                         "batches are made in this process, so no worker would call it. Do its "
                         "setup before the loop")
    if num_workers > 0:
        warnings.warn(f"DataLoader: num_workers={num_workers} is accepted, but batches are made "
                      f"in this process (numpy data needs no worker processes); they are the "
                      f"same batches, in the same order", stacklevel=3)


class DataLoader:
    """Iterate over a dataset in mini-batches, optionally reshuffled at every epoch.

    Each batch is a tuple of Tensors whose first axis is the batch (a single Tensor when the
    dataset's items are single values). A ``TensorDataset`` is sliced directly, without visiting
    examples one by one; any other object with ``__getitem__`` and ``__len__`` is read item by
    item and its items are stacked.

    Args:
        dataset: A ``TensorDataset``, or any object with ``__len__`` and ``__getitem__`` taking
            an int and returning a value or a tuple of values (arrays, tensors or numbers).
        batch_size: Examples per batch, > 0.
        shuffle: Visit the examples in a new random order at every epoch (every ``iter``).
        drop_last: Leave out the last batch when it would be smaller than ``batch_size``.
        generator: An int seed or a ``numpy.random.Generator`` for the shuffling. Without it, a
            generator is taken at construction from the sequence ``nn.set_random_seed`` restarts.
        num_workers, pin_memory, timeout, prefetch_factor, persistent_workers: PyTorch's
            loading settings, accepted so that its programs run: batches are always made in
            this process, and they are the batches PyTorch's workers would give, in the same
            order. ``num_workers > 0`` says so once (a warning); ``pin_memory`` has nothing to
            do without a GPU, as in PyTorch on a CPU-only machine. ``worker_init_fn`` with
            ``num_workers > 0`` is refused: no worker would call it.

    Examples:
        >>> import numpy as np, nn
        >>> data = nn.TensorDataset(np.arange(10.0).reshape(5, 2), np.arange(5))
        >>> loader = nn.DataLoader(data, batch_size=2)
        >>> len(loader), [yb.numpy().tolist() for _, yb in loader]
        (3, [[0, 1], [2, 3], [4]])
    """

    def __init__(self, dataset: Any, batch_size: int = 1, shuffle: bool | None = None, *,
                 num_workers: int = 0, pin_memory: bool = False, drop_last: bool = False,
                 timeout: float = 0, worker_init_fn: Any = None, generator: Any = None,
                 prefetch_factor: int | None = None, persistent_workers: bool = False) -> None:
        _check_loading_settings(num_workers, pin_memory, timeout, worker_init_fn,
                                prefetch_factor, persistent_workers)
        shuffle = False if shuffle is None else shuffle  # PyTorch's None: no shuffling
        if not (hasattr(dataset, "__getitem__") and hasattr(dataset, "__len__")):
            raise TypeError(f"DataLoader expects a dataset with __getitem__ and __len__ (such "
                            f"as nn.TensorDataset(x, y)). Received: {type(dataset).__name__}")
        self.dataset = dataset
        self.batch_size = _checks.positive_int(batch_size, "DataLoader", "batch_size")
        for flag, value in (("shuffle", shuffle), ("drop_last", drop_last)):
            if not isinstance(value, (bool, np.bool_)):
                raise TypeError(f"DataLoader expects {flag} to be True or False. "
                                f"Received: {flag}={value!r}")
        self.shuffle, self.drop_last = bool(shuffle), bool(drop_last)
        if generator is not None and (isinstance(generator, bool) or not isinstance(
                generator, (int, np.integer, np.random.Generator))):
            raise TypeError(f"DataLoader expects generator to be an int seed, a "
                            f"numpy.random.Generator or None. Received: {generator!r:.80}")
        self.generator = nn_random.generator(generator) if self.shuffle else None

    def __len__(self) -> int:
        count = len(self.dataset)
        if self.drop_last:
            return count // self.batch_size
        return math.ceil(count / self.batch_size)

    def __iter__(self) -> Iterator[Any]:
        count = len(self.dataset)
        order = (self.generator.permutation(count)  # type: ignore[union-attr]  # (when shuffling)
                 if self.shuffle else np.arange(count))
        for start in range(0, len(self) * self.batch_size, self.batch_size):
            indices = order[start:start + self.batch_size]
            if isinstance(self.dataset, TensorDataset):
                yield tuple(ag.tensor(t.numpy()[indices]) for t in self.dataset.tensors)
            else:
                yield _collate([self.dataset[int(i)] for i in indices])

    def __repr__(self) -> str:
        return (f"DataLoader({type(self.dataset).__name__} of {len(self.dataset)}, "
                f"batch_size={self.batch_size}, shuffle={self.shuffle}, "
                f"drop_last={self.drop_last})")


def _collate(samples: list[Any]) -> Any:
    """Stack a list of items: tuples field by field, dicts key by key, values directly."""
    first = samples[0]
    if isinstance(first, (tuple, list)):
        if any(len(s) != len(first) for s in samples):
            raise ValueError(f"DataLoader: the dataset's items have different lengths "
                             f"({sorted({len(s) for s in samples})}); each must have the same "
                             f"fields")
        return tuple(_stack(list(field)) for field in zip(*samples))
    if isinstance(first, dict):
        return {key: _stack([s[key] for s in samples]) for key in first}
    return _stack(samples)


def _stack(values: list[Any]) -> Tensor:
    if isinstance(values[0], (Tensor, np.ndarray, np.generic)):
        arrays = [v.numpy() if isinstance(v, Tensor) else v for v in values]
        try:
            return ag.tensor(np.stack(arrays))
        except ValueError as err:
            shapes = sorted({np.shape(a) for a in arrays})
            raise ValueError(f"DataLoader could not stack the items of a batch ({err}). "
                             f"Received shapes {shapes}") from None
    # Python numbers (or Scalars): integers stay integer, floats take the default float dtype.
    values = [v.data if isinstance(v, Node) else v for v in values]
    return ag.tensor(as_array(values, "DataLoader", "a batch of items"))
