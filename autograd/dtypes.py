"""The dtype policy and the conversion of user data to numpy arrays.

Python numbers and lists become the default float dtype (float32, as in PyTorch and Keras), except
booleans; numpy arrays and numpy scalars keep their dtype. Only booleans, integers and floats are
accepted: strings, ``None``, objects and complex numbers are refused with a ``TypeError``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_default_dtype = np.dtype(np.float32)


def get_default_dtype() -> np.dtype:
    """The float dtype given to tensors made from Python numbers and lists."""
    return _default_dtype


def set_default_dtype(dtype: Any) -> None:
    """Set the float dtype for tensors made from Python data (``np.float32`` or ``np.float64``).

    Example:
        >>> import numpy as np, autograd as ag
        >>> ag.set_default_dtype(np.float64); ag.tensor([1.0]).dtype
        dtype('float64')
        >>> ag.set_default_dtype(np.float32)
    """
    global _default_dtype
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"set_default_dtype: expected a floating-point dtype, got {dtype}")
    _default_dtype = dtype


def as_array(data: Any, dtype: Any = None, who: str = "tensor") -> np.ndarray:
    """A new numpy array from ``data``, following the dtype policy; ``who`` names the caller."""
    from_numpy = isinstance(data, (np.ndarray, np.generic))
    try:
        array = np.array(data, dtype=dtype)
    except (ValueError, TypeError) as err:
        raise ValueError(
            f"{who}: could not make an array from the data ({err}); nested lists must be "
            f"rectangular and hold numbers only"
        ) from None
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"{who}: expected numbers or booleans, got data of dtype {array.dtype} "
            f"(from {type(data).__name__}); strings, None, objects and complex numbers are "
            f"not supported"
        )
    if dtype is None and not from_numpy and array.dtype.kind in "iuf":
        array = array.astype(_default_dtype)
    return array
