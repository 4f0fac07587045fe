"""PyTorch's device and dtype methods of ``Module``: ``to``, ``cpu``, ``cuda``, ``double`` and
``float``. The CPU is the only device here (parameters are numpy arrays), so ``to`` changes
dtypes and refuses other devices, as ``cuda`` does, with an error that says why."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

import autograd as ag
from autograd import Tensor

if TYPE_CHECKING:
    from nn.module import Module


class Placement:
    """The mixin ``Module`` takes these methods from; they use its ``parameters()`` and
    ``buffers()``."""

    def to(self: Module, *args: Any, **kwargs: Any) -> Placement:
        """PyTorch's ``Module.to``: ``to(device)``, ``to(dtype)``, ``to(device, dtype)`` or
        ``to(tensor)``; floating-point parameters and buffers (and their gradients) take the
        dtype, in place; returns ``self``. The device must be the CPU (``'cpu'``).

        Examples:
            >>> import numpy as np, nn
            >>> layer = nn.Linear(2, 1).to("cpu", np.float64)
            >>> layer.weight.dtype
            dtype('float64')
        """
        who = f"{type(self).__name__}.to"
        device, dtype = kwargs.pop("device", None), kwargs.pop("dtype", None)
        if kwargs.pop("non_blocking", False) is not False or kwargs:
            raise TypeError(f"{who} accepts device, dtype and non_blocking=False. Received: "
                            f"{sorted(kwargs) or 'non_blocking=True'}")
        for arg in args:
            if isinstance(arg, Tensor):
                dtype = arg.dtype if arg.dtype.kind == "f" else dtype
            elif isinstance(arg, str) or type(arg).__name__ == "device":
                device = arg
            else:
                dtype = arg
        if device is not None and str(device).split(":")[0] != "cpu":
            raise RuntimeError(f"{who}: device {str(device)!r} is not available; this library "
                               f"computes with numpy on the CPU: use 'cpu'")
        if dtype is not None:
            dtype = np.dtype(dtype)
            if dtype.kind != "f":
                raise TypeError(f"{who} only accepts floating point dtypes, but got desired "
                                f"dtype={dtype}")
            self._cast_floating(dtype)
        return self

    def _cast_floating(self: Module, dtype: Any) -> Placement:
        with ag.no_grad():
            for value in (*self.parameters(), *self.buffers()):
                if value.dtype.kind == "f" and value.dtype != dtype:
                    value.data = value.numpy().astype(dtype)
                    if value.grad is not None:
                        value.grad = ag.as_tensor(value.grad.numpy().astype(dtype))
        return self

    def cpu(self: Module) -> Placement:
        """``self``: parameters and buffers already live in the computer's memory."""
        return self

    def cuda(self: Module, device: Any = None) -> Placement:
        """Refused: there is no GPU here (PyTorch's ``cuda()`` moves to one)."""
        raise RuntimeError(f"{type(self).__name__}.cuda(): no CUDA device; this library "
                           f"computes with numpy on the CPU: leave the module where it is")

    def double(self: Module) -> Placement:
        """Cast floating-point parameters and buffers to float64; returns ``self``."""
        return self._cast_floating(np.float64)

    def float(self: Module) -> Placement:
        """Cast floating-point parameters and buffers to float32; returns ``self``."""
        return self._cast_floating(np.float32)
