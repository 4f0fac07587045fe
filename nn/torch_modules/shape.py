"""``Flatten`` and ``Unflatten``: PyTorch's modules that reshape a range of axes."""

from __future__ import annotations

import math
from typing import Any

from autograd import Tensor
from nn.functional._args import is_int, tensor
from nn.torch_modules.base import TorchModule


def _axis(dim: Any, ndim: int, who: str) -> int:
    if not is_int(dim) or not -max(ndim, 1) <= dim < max(ndim, 1):
        raise IndexError(f"{who}: Dimension out of range (expected to be in range of "
                         f"[{-max(ndim, 1)}, {max(ndim, 1) - 1}], but got {dim!r})")
    return int(dim) % max(ndim, 1)


class Flatten(TorchModule):
    """Merge the axes ``start_dim`` to ``end_dim`` (inclusive) into one.

    Examples:
        >>> import autograd as torch, nn
        >>> nn.Flatten()(torch.zeros((8, 3, 28, 28))).shape
        (8, 2352)
        >>> nn.Flatten(0, 1)(torch.zeros((8, 3, 5))).shape
        (24, 5)
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, input: Any) -> Tensor:
        """``input`` with axes ``start_dim..end_dim`` merged."""
        x = tensor(input, "Flatten")
        start = _axis(self.start_dim, x.ndim, "Flatten")
        end = _axis(self.end_dim, x.ndim, "Flatten")
        if x.ndim == 0:  # a 0-d tensor counts as one axis, as in torch
            return x.reshape(1)
        if start > end:
            raise RuntimeError(f"Flatten: start_dim cannot come after end_dim. Received: "
                               f"start_dim={self.start_dim}, end_dim={self.end_dim} for an "
                               f"input of shape {tuple(x.shape)}")
        merged = math.prod(x.shape[start:end + 1])
        return x.reshape(*x.shape[:start], merged, *x.shape[end + 1:])

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(TorchModule):
    """Split axis ``dim`` into ``unflattened_size`` (one entry may be -1).

    Examples:
        >>> import autograd as torch, nn
        >>> nn.Unflatten(1, (2, 5))(torch.zeros((3, 10))).shape
        (3, 2, 5)
    """

    def __init__(self, dim: int, unflattened_size: Any) -> None:
        super().__init__()
        sizes = tuple(unflattened_size) if isinstance(unflattened_size, (list, tuple)) else None
        if not sizes or not all(is_int(s) and (s > 0 or s == -1) for s in sizes) \
                or sum(s == -1 for s in sizes) > 1:
            raise TypeError(f"Unflatten expects unflattened_size to be a tuple of positive ints "
                            f"(one may be -1). Received: {unflattened_size!r}")
        if not is_int(dim):
            raise TypeError(f"Unflatten expects dim to be an int. Received: dim={dim!r}")
        self.dim, self.unflattened_size = dim, sizes

    def forward(self, input: Any) -> Tensor:
        """``input`` with axis ``dim`` split."""
        x = tensor(input, "Unflatten")
        axis = _axis(self.dim, x.ndim, "Unflatten")
        known = math.prod(s for s in self.unflattened_size if s != -1)
        size = x.shape[axis]
        if size % known or (-1 not in self.unflattened_size and known != size):
            raise RuntimeError(f"Unflatten: unflattened_size {self.unflattened_size} does not "
                               f"fit axis {self.dim} of size {size} (input shape "
                               f"{tuple(x.shape)})")
        sizes = tuple(size // known if s == -1 else s for s in self.unflattened_size)
        return x.reshape(*x.shape[:axis], *sizes, *x.shape[axis + 1:])

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
