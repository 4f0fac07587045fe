"""``Parameter``: a tensor that a ``Module`` learns, found by ``module.parameters()``."""

from __future__ import annotations

from typing import Any

import numpy as np

import autograd as ag
from autograd import Tensor


class Parameter(Tensor):
    """A floating-point ``Tensor`` that requires grad and registers itself on a ``Module``.

    Assigning a Parameter to an attribute of a module (``self.kernel = Parameter(...)``) is what
    makes it appear in ``parameters()``, ``state_dict()`` and the optimizer's list. Operations on
    a Parameter give ordinary tensors.

    Args:
        data: Numbers, nested lists, a numpy array or a tensor; copied. Python data becomes the
            default float dtype; numpy data keeps its dtype, which must be floating-point.
        requires_grad: False freezes the parameter (it stays registered but gets no gradient).
        dtype: Convert the data to this floating-point dtype.
        name: A label for drawings and error messages.

    Examples:
        >>> import nn
        >>> w = nn.Parameter([[1.0, 2.0]])
        >>> w.requires_grad, w.dtype
        (True, dtype('float32'))
    """

    __slots__ = ()

    def __init__(self, data: Any = None, requires_grad: bool = True, dtype: Any = None,
                 name: str | None = None) -> None:
        if data is None:  # torch's Parameter(): an empty float tensor
            data = np.empty(0, dtype=ag.get_default_dtype() if dtype is None else dtype)
        super().__init__(data, dtype=dtype, name=name)
        if self.dtype.kind != "f":
            raise TypeError(
                f"Parameter expects floating-point data, so that it can be differentiated. "
                f"Received: dtype={self.dtype}. Convert it first, e.g. with "
                f"array.astype(np.float32)."
            )
        self.requires_grad = bool(requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()
