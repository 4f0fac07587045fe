"""``HeldArray``: the read-only view of a tensor's data that a recorded graph still needs.

While an unreleased graph saved a tensor, ``t.numpy()`` (and ``t.data.numpy()``) hand out a
read-only view: a numpy write into it would change the value behind the engine's back and
give a wrong gradient. A plain read-only array refuses such writes with numpy's terse "assignment
destination is read-only"; this subclass refuses them with what happened and what to do. It
behaves as an ordinary array otherwise: arithmetic on it gives plain arrays, and it prints as one.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_REFUSED = (
    "this array is the data of a tensor that a recorded graph still needs for backward, so "
    "it is read-only: writing into it would make the gradients wrong. Call backward() first "
    "(it releases the graph), or write outside the graph with `with autograd.no_grad(): "
    "t.copy_(new_values)` / `t.data = new_array` (backward through the old graph then "
    "refuses to run), or work on a copy: t.numpy().copy()")


class HeldArray(np.ndarray):
    """A read-only array whose refused writes explain themselves (see the module docstring)."""

    def _refuse_if_read_only(self) -> None:
        if not self.flags.writeable:
            raise ValueError(f"assignment destination is read-only: {_REFUSED}")

    def __setitem__(self, key: Any, value: Any) -> None:
        self._refuse_if_read_only()
        super().__setitem__(key, value)

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        out = kwargs.get("out")
        if out is not None:
            for target in out:
                if isinstance(target, HeldArray):
                    target._refuse_if_read_only()
            kwargs["out"] = tuple(_plain(target) for target in out)
        return getattr(ufunc, method)(*map(_plain, inputs), **kwargs)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        if func is np.copyto and isinstance(args[0] if args else kwargs.get("dst"), HeldArray):
            (args[0] if args else kwargs["dst"])._refuse_if_read_only()
        return super().__array_function__(func, types, args, kwargs)

    def __repr__(self) -> str:
        return repr(self.view(np.ndarray))


def _plain(value: Any) -> Any:
    return value.view(np.ndarray) if isinstance(value, HeldArray) else value


def held_view(array: np.ndarray) -> HeldArray:
    """A read-only ``HeldArray`` view of ``array`` (no copy)."""
    view = array.view(HeldArray)
    view.flags.writeable = False
    return view
