"""``max_pool2d`` as ``torch.nn.functional`` has it: autograd's ``max_pool2d_with_indices``, with
``return_indices`` choosing what comes back (``avg_pool2d`` and ``adaptive_avg_pool2d`` are
autograd's own, re-exported as they are)."""

from __future__ import annotations

from typing import Any

import numpy as np

import autograd as ag
from autograd import Tensor


def max_pool2d(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0,
               dilation: Any = 1, ceil_mode: bool = False, return_indices: bool = False
               ) -> Tensor | tuple[Tensor, Tensor]:
    """The maximum of each window of NCHW images, as PyTorch's (see
    ``autograd.max_pool2d_with_indices`` for the winner of a window and its gradient).

    Args:
        input: (N, C, H, W) or (C, H, W).
        kernel_size: An int or (kh, kw).
        stride: An int or a pair; None (the default) means ``kernel_size``.
        padding: Implicit -inf added on both sides, at most half the window.
        dilation: Spacing between the window's taps: an int or (dh, dw).
        ceil_mode: Round the output size up instead of down.
        return_indices: Also return each winner's flat index ``h * W + w`` in its channel.

    Examples:
        >>> import numpy as np, autograd as torch, nn.functional as F
        >>> x = torch.tensor(np.arange(16.0).reshape(1, 1, 4, 4))
        >>> F.max_pool2d(x, 2).numpy()[0, 0]
        array([[ 5.,  7.],
               [13., 15.]])
    """
    if not isinstance(return_indices, (bool, np.bool_)):
        raise TypeError(f"max_pool2d expects return_indices to be True or False. Received: "
                        f"{return_indices!r}")
    values, indices = ag.max_pool2d_with_indices(input, kernel_size, stride, padding, dilation,
                                                 ceil_mode)
    return (values, indices) if return_indices else values
