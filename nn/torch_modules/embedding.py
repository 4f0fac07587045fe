"""``Embedding``: PyTorch's lookup table, ``weight`` of shape (num_embeddings, embedding_dim)
drawn from N(0, 1), the ``padding_idx`` row zero and never trained."""

from __future__ import annotations

from typing import Any

import numpy as np

import autograd as ag
from autograd import Tensor
from nn import _checks
from nn import functional as F
from nn import random as nn_random
from nn.functional.core import padding_row
from nn.parameter import Parameter
from nn.torch_modules.base import TorchModule, factory_dtype


class Embedding(TorchModule):
    """A learned vector per integer index: ``F.embedding(input, weight, padding_idx, ...)``.

    Args:
        num_embeddings: The number of rows (indices run from 0 to ``num_embeddings - 1``).
        embedding_dim: The length of each vector.
        padding_idx: A row that starts at zeros and receives no gradient.
        max_norm: Rows looked up with a larger ``norm_type``-norm are rescaled in place.
        norm_type: The p of that p-norm.
        scale_grad_by_freq: Only False is supported.
        sparse: Only False is supported.
        _weight: An initial table of that shape instead of the random one.
        _freeze: Whether the table is frozen (``requires_grad=False``).
        device: None or ``'cpu'``.
        dtype: The table's floating-point dtype.

    Examples:
        >>> import autograd as torch, nn
        >>> table = nn.Embedding(10, 3, padding_idx=0)
        >>> table(torch.tensor([[1, 2, 0]])).shape, table.weight.numpy()[0].tolist()
        ((1, 3, 3), [0.0, 0.0, 0.0])
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx: int | None = None,
                 max_norm: float | None = None, norm_type: float = 2.0,
                 scale_grad_by_freq: bool = False, sparse: bool = False, _weight: Any = None,
                 _freeze: bool = False, device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self.num_embeddings = _checks.positive_int(num_embeddings, "Embedding", "num_embeddings")
        self.embedding_dim = _checks.positive_int(embedding_dim, "Embedding", "embedding_dim")
        self.padding_idx = padding_row(padding_idx, self.num_embeddings, "Embedding")
        for name, value in (("scale_grad_by_freq", scale_grad_by_freq), ("sparse", sparse)):
            if value is not False:
                raise ValueError(f"Embedding: {name}={value!r} is not supported; use "
                                 f"{name}=False")
        self.max_norm, self.norm_type = max_norm, norm_type
        self.scale_grad_by_freq, self.sparse = scale_grad_by_freq, sparse
        dtype = factory_dtype(device, dtype, "Embedding")
        shape = (self.num_embeddings, self.embedding_dim)
        if _weight is None:
            self.weight = Parameter(np.empty(shape, dtype), requires_grad=not _freeze)
            self.reset_parameters()
        else:
            data = np.asarray(_weight.numpy() if isinstance(_weight, Tensor) else _weight)
            if data.shape != shape:
                raise ValueError(f"Embedding: shape of _weight {data.shape} does not match "
                                 f"num_embeddings and embedding_dim {shape}")
            self.weight = Parameter(data.astype(dtype), requires_grad=not _freeze)

    @classmethod
    def from_pretrained(cls, embeddings: Any, freeze: bool = True,
                        padding_idx: int | None = None, max_norm: float | None = None,
                        norm_type: float = 2.0, scale_grad_by_freq: bool = False,
                        sparse: bool = False) -> Embedding:
        """An ``Embedding`` whose table is a copy of the 2-D ``embeddings``, frozen unless
        ``freeze=False``, as PyTorch's ``Embedding.from_pretrained``.

        Examples:
            >>> import autograd as torch, nn
            >>> table = nn.Embedding.from_pretrained(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
            >>> table(torch.tensor([1])).numpy(), table.weight.requires_grad
            (array([[3., 4.]], dtype=float32), False)
        """
        data = np.asarray(embeddings.numpy() if isinstance(embeddings, Tensor)
                          else embeddings)
        if data.ndim != 2:
            raise ValueError(f"Embeddings parameter is expected to be 2-dimensional. Received: "
                             f"shape {data.shape}")
        return cls(data.shape[0], data.shape[1], padding_idx, max_norm, norm_type,
                   scale_grad_by_freq, sparse, _weight=data, _freeze=freeze,
                   dtype=data.dtype if data.dtype.kind == "f" else None)

    def reset_parameters(self) -> None:
        """Draw the table from N(0, 1) again (zeros in the ``padding_idx`` row)."""
        values = nn_random.generator(None).standard_normal(self.weight.shape)
        if self.padding_idx is not None:
            values[self.padding_idx] = 0.0
        with ag.no_grad():
            self.weight.copy_(values.astype(self.weight.dtype))

    def forward(self, input: Any) -> Tensor:
        """The rows of ``input``'s indices: shape ``input.shape + (embedding_dim,)``."""
        return F.embedding(input, self.weight, self.padding_idx, self.max_norm, self.norm_type,
                           self.scale_grad_by_freq, self.sparse)

    def extra_repr(self) -> str:
        text = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            text += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            text += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            text += f", norm_type={self.norm_type}"
        return text
