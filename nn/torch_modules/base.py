"""What every PyTorch-style module here shares: ``device``/``dtype`` factory arguments, and a
configuration read from the constructor's arguments so that ``Sequential.save`` can store it."""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

import autograd as ag
from nn.module import Module

_NOT_STORED = ("device", "dtype", "self")


def factory_dtype(device: Any, dtype: Any, who: str) -> np.dtype:
    """The parameters' dtype for PyTorch's ``device=None, dtype=None`` arguments.

    Only the CPU exists here: ``device`` may be None, ``'cpu'`` or anything whose ``str`` is
    ``'cpu'`` (``torch.device('cpu')``); ``dtype`` must be a floating-point dtype or None (the
    default dtype).
    """
    if device is not None and str(device) != "cpu":
        raise ValueError(f"{who}: device={device!r} is not available; this library computes "
                         f"on the CPU only: use device=None or 'cpu'")
    chosen = ag.get_default_dtype() if dtype is None else np.dtype(dtype)
    if chosen.kind != "f":
        raise TypeError(f"{who} expects a floating-point dtype. Received: dtype={chosen}")
    return chosen


class TorchModule(Module):
    """A module built the PyTorch way: its constructor's arguments are kept as attributes of
    the same names, which is its configuration (``get_config``) for saving."""

    def get_config(self) -> dict[str, Any]:
        """The constructor's arguments as JSON-able data, read from the attributes."""
        config = {}
        for name, p in inspect.signature(type(self).__init__).parameters.items():
            if name in _NOT_STORED or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) \
                    or name.startswith("_"):
                continue
            value = getattr(self, name)
            if name == "bias" and not isinstance(value, (bool, np.bool_)):
                value = value is not None  # the argument is a flag; the attribute the tensor
            if isinstance(value, tuple):
                value = list(value)
            config[name] = value.item() if isinstance(value, np.generic) else value
        dtypes = {str(p.dtype) for p in self.parameters()}
        if len(dtypes) == 1:
            config["dtype"] = dtypes.pop()
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> TorchModule:
        """A new module from ``get_config()`` data (JSON's lists become the tuples they were)."""
        arguments: dict[str, Any] = {key: tuple(value) if isinstance(value, list) else value
                                     for key, value in config.items()}
        return cls(**arguments)
