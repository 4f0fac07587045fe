"""Route the engine's entry points through a ``Recording`` while a step is captured.

Each hook replaces one class or module attribute for the duration of the recording and puts the
original back afterwards, so the eager engine keeps its own code, unchanged and at full speed,
whenever nothing is being captured.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import numpy as np

from autograd import engine, node, op, tensor_aliases, tensor_inplace, tensor_torch
from autograd.capture import state
from autograd.capture.recording import Recording
from autograd.capture.state import CaptureError
from autograd.scalar import Scalar
from autograd.tensor import Tensor

_READS = {
    Tensor: ("item", "tolist", "numpy", "__array__", "__bool__"),
    tensor_aliases.TorchAliases: ("__float__", "__int__"),
    tensor_torch.TorchMethods: ("__index__",),
}


@contextlib.contextmanager
def recording_hooks(recording: Recording) -> Iterator[None]:
    """Install the hooks that feed ``recording``; remove them on exit, whatever happens."""
    if state.recording is not None:
        raise CaptureError("autograd.compile: a compiled step was called while another one is "
                           "being captured; compile the outer step only")
    saved: list[tuple[Any, str, Any]] = []

    def replace(owner: Any, name: str, value: Any) -> None:
        saved.append((owner, name, owner.__dict__[name]))
        setattr(owner, name, value)

    original_apply = op.apply
    replace(op.Op, "__call__",
            lambda self, *inputs, **params: recording.apply(original_apply, self, inputs, params))

    for kind in (Tensor, Scalar):  # every value made during the step is noted
        replace(kind, "_wrap", staticmethod(_noting_wrap(recording, kind._wrap)))
        replace(kind, "__init__", _noting_init(recording, kind.__init__))
    original_compare = Tensor._compare
    replace(Tensor, "_compare", lambda self, ufunc, other: recording.compare(
        original_compare, self, ufunc, other))
    original_run_backward = engine.run_backward
    replace(engine, "run_backward", lambda roots, seeds, **options: recording.backward(
        original_run_backward, roots, seeds, **options))
    original_in_place = tensor_inplace.InPlaceMethods._in_place
    replace(tensor_inplace.InPlaceMethods, "_in_place",
            lambda self, name, other, compute, ufunc=None: recording.in_place(
                original_in_place, self, name, other, compute, ufunc))
    original_write = tensor_inplace.InPlaceMethods._write
    replace(tensor_inplace.InPlaceMethods, "_write",
            lambda self, name, values: recording.write(original_write, self, name, values))
    data_property = Tensor.__dict__["data"]
    replace(Tensor, "data", property(data_property.fget, lambda self, value: recording.set_data(
        data_property.fset, self, value)))
    scalar_data = node.Node.__dict__["data"]
    replace(node.Node, "data", property(_refusing_scalar_read(recording, scalar_data.fget),
                                        _refusing_scalar_write(recording)))
    for owner, names in _READS.items():
        for name in names:
            replace(owner, name, _refusing(recording, owner.__dict__[name], name))
    state.recording = recording
    try:
        yield
    finally:
        state.recording = None
        for owner, name, value in reversed(saved):
            setattr(owner, name, value)


_ARRAYS = (np.ndarray, np.generic)


def _noting_wrap(recording: Recording, wrap: Any) -> Any:
    """``kind._wrap`` that tells ``recording`` of the value it makes."""
    def noting(raw: Any) -> Any:
        value = wrap(raw)
        recording.created_tensor(value)
        return value
    return noting


def _noting_init(recording: Recording, init: Any) -> Any:
    """``kind.__init__`` that tells ``recording`` of the value it makes, and marks a tensor
    made from Python numbers or lists a constant."""
    def noting(self: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        init(self, data, *args, **kwargs)
        recording.created_tensor(self)
        if isinstance(self, Tensor) and not isinstance(data, (node.Node, *_ARRAYS)):
            recording.mark_constant(self)
    return noting


def _refusing(recording: Recording, method: Any, name: str) -> Any:
    def read(self: Tensor, *args: Any, **kwargs: Any) -> Any:
        recording.refuse_read(self, f"{name}()")
        return method(self, *args, **kwargs)
    read.__name__ = name
    return read


def _refusing_scalar_read(recording: Recording, getter: Any) -> Any:
    def read(self: Any) -> Any:
        if isinstance(self, Scalar):
            recording.refuse_scalar(self, "reading .data")
        return getter(self)
    return read


def _refusing_scalar_write(recording: Recording) -> Any:
    def write(self: Any, value: Any) -> None:
        recording.refuse_scalar(self, "assigning .data")
    return write
