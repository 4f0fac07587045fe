"""The index checks of Keras' ``Embedding`` layer, shared by ``nn.layers``' lookups.

Private to ``nn``: users reach it through the layers.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import Tensor


def embedding_indices(indices: Any, rows: int, who: str) -> np.ndarray:
    """``indices`` as an int64 array, checked to be whole numbers in ``[0, rows)``."""
    values = np.asarray(indices.numpy() if isinstance(indices, Tensor) else indices)
    if values.dtype.kind not in "iuf" or (values.dtype.kind == "f"
                                          and not np.array_equal(values, np.round(values))):
        raise ValueError(f"{who} expects integer indices. Received: values of dtype "
                         f"{values.dtype}")
    values = values.astype(np.int64)
    if values.size and (values.min() < 0 or values.max() >= rows):
        raise ValueError(f"{who} expects indices in [0, {rows}) (input_dim={rows}). Received: "
                         f"indices from {values.min()} to {values.max()}")
    return values
