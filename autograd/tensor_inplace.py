"""In-place updates of a ``Tensor``, as in PyTorch: ``add_``, ``-=``, ``x[i] = v``, ``zero_`` ...

- Outside the graph (grad mode off, or nothing involved requires grad) the array is changed in
  place and the change counted, so a graph that saved the old values refuses to run backward.
- A leaf that requires grad cannot be changed in place while grad mode is on: PyTorch's error
  (``a leaf Variable that requires grad is being used in an in-place operation.``). Optimizers
  and hand-written updates do it under ``no_grad()``.
- Otherwise (a result of recorded operations, or a constant changed with a value that requires
  grad) the change is recorded, as PyTorch records it: the old value becomes a node of its own,
  the operation is recorded from it, and this tensor takes the result, in its own array (views
  and other names of it see the new values) and with the new record. Where a recorded operation
  already used this tensor, its record would then point to the new value: the method refuses,
  saying so, and ``x += y`` falls back to ``x = x + y`` (the same values and gradients for the
  name ``x``; another name for the old tensor keeps the old values).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from autograd import grad_hooks
from autograd import op as op_module
from autograd.constants import refuse_if_shared
from autograd.grad_mode import no_grad, state
from autograd.ops import elementwise as ew
from autograd.ops import shape as shape_ops
from autograd.random import as_generator

if TYPE_CHECKING:
    from collections.abc import Callable

    from autograd.op import Op
    from autograd.tensor import Operand, Tensor

# The fields that hold the record of the operation that made a node (see ``Node``).
_RECORD = ("_op", "_in0", "_in1", "_params", "_seq", "_released", "_scope")
_OPTIONAL = ("_more", "_trace")


def _requires_grad(value: Any) -> bool:
    return bool(getattr(value, "requires_grad", False))


class InPlaceMethods:
    """PyTorch's in-place methods (``*_``), augmented assignments and item assignment."""

    __slots__ = ()
    # Node's fields that these methods assign (declared for the type checker, which would
    # otherwise take the assignments for new fields of this class)
    requires_grad: bool
    _seq: int
    _op: Op | None

    def _in_place(self: Tensor, name: str, other: Any, compute: Callable[[Tensor], Tensor],
                  ufunc: np.ufunc | None = None) -> Tensor:
        """Apply ``compute(old) -> new`` to this tensor in place: see the module docstring.

        Outside the graph, ``ufunc`` (``np.add`` for ``add_``), when given, writes the result
        straight into the array instead: no new array per optimizer-style update.
        """
        if not state.grad_enabled or not (self.requires_grad or _requires_grad(other)):
            if ufunc is not None:
                refuse_if_shared(self, name)
                value = other._data if hasattr(other, "_data") else other
                try:
                    ufunc(self._data, value, out=self._data, casting="same_kind")
                except (ValueError, TypeError) as err:
                    raise RuntimeError(f"{name}: {err} (tensor {self._describe()})") from None
                self._mark_changed()
                return self
            with no_grad():
                new = compute(self)
            self._write(name, new._data)
            return self
        if self._op is None and self.requires_grad:
            raise RuntimeError(
                f"a leaf Variable that requires grad is being used in an in-place operation. "
                f"({name} on {self._describe()}: update it under `with no_grad():`, as "
                f"optimizers do, or write it out of place, y = x + ...)")
        if self._base is not None or self._holders > 0:
            raise RuntimeError(
                f"{name}: {self._describe()} is "
                + ("a view of another tensor" if self._base is not None else
                   "already used by a recorded operation")
                + ", so recording an in-place change of it is not supported; write it out of "
                  "place (y = x + ..., or x = x + ...)")
        old = self._wrap(self._data.copy())
        self._hand_record_to(old)
        grad_hooks.hand_over(self, old)  # hooks registered so far watch the value before
        new = compute(old)
        self._write(name, new._data)
        if new._op is None:  # the new values depend on nothing that requires grad
            self.requires_grad = False
        else:
            self._take_record_of(new)
            self._seq = op_module.last_change  # recorded as of the change just counted
        return self

    def _write(self: Tensor, name: str, values: np.ndarray) -> None:
        refuse_if_shared(self, name)
        try:
            np.copyto(self._data, values, casting="same_kind")
        except (ValueError, TypeError) as err:
            raise RuntimeError(f"{name}: {err} (tensor {self._describe()})") from None
        self._mark_changed()

    def _hand_record_to(self: Tensor, old: Tensor) -> None:
        """``old`` takes this tensor's record: it is the value before the change."""
        if self._op is None:
            return
        for field in _RECORD:
            setattr(old, field, getattr(self, field))
        for field in _OPTIONAL:
            if field in getattr(self, "__dict__", {}):
                setattr(old, field, getattr(self, field))
        old.requires_grad = True
        self._op = None

    def _take_record_of(self: Tensor, new: Tensor) -> None:
        """This tensor takes the record of ``new``, the result of the change."""
        for field in _RECORD:
            setattr(self, field, getattr(new, field))
        for field in ("_more", "_trace"):
            if field in getattr(new, "__dict__", {}):
                setattr(self, field, getattr(new, field))
        self.requires_grad = True
        new._op = None  # the record is ours now: ``new`` must not release it when freed

    # --- the methods ---

    def add_(self: Tensor, other: Operand, *, alpha: float = 1) -> Tensor:
        """``self += alpha * other``, in place."""
        return self._in_place("add_", other, lambda x: x + (other if alpha == 1
                                                              else self._lift(other) * alpha),
                              np.add if alpha == 1 else None)

    def sub_(self: Tensor, other: Operand, *, alpha: float = 1) -> Tensor:
        """``self -= alpha * other``, in place."""
        return self._in_place("sub_", other, lambda x: x - (other if alpha == 1
                                                              else self._lift(other) * alpha),
                              np.subtract if alpha == 1 else None)

    def mul_(self: Tensor, other: Operand) -> Tensor:
        """``self *= other``, in place."""
        return self._in_place("mul_", other, lambda x: x * other, np.multiply)

    def div_(self: Tensor, other: Operand, *, rounding_mode: str | None = None) -> Tensor:
        """``self /= other``, in place (true division; ``rounding_mode`` is not supported)."""
        if rounding_mode is not None:
            raise ValueError(f"div_: rounding_mode={rounding_mode!r} is not supported; "
                             f"leave it None (true division)")
        return self._in_place("div_", other, lambda x: x / other, np.true_divide)

    def pow_(self: Tensor, exponent: Any) -> Tensor:
        """``self **= exponent``, in place."""
        return self._in_place("pow_", exponent, lambda x: x ** exponent)

    def clamp_(self: Tensor, min: Any = None, max: Any = None) -> Tensor:
        """``clamp(min, max)``, in place."""
        return self._in_place("clamp_", None, lambda x: x.clamp(min, max))

    def exp_(self: Tensor) -> Tensor:
        """``exp``, in place."""
        return self._in_place("exp_", None, lambda x: x.exp())

    def log_(self: Tensor) -> Tensor:
        """``log``, in place."""
        return self._in_place("log_", None, lambda x: x.log())

    def sqrt_(self: Tensor) -> Tensor:
        """``sqrt``, in place."""
        return self._in_place("sqrt_", None, lambda x: x.sqrt())

    def abs_(self: Tensor) -> Tensor:
        """``abs``, in place."""
        return self._in_place("abs_", None, lambda x: x.abs())

    def neg_(self: Tensor) -> Tensor:
        """``-self``, in place."""
        return self._in_place("neg_", None, lambda x: -x)

    def relu_(self: Tensor) -> Tensor:
        """``relu``, in place."""
        return self._in_place("relu_", None, lambda x: x.relu())

    def sigmoid_(self: Tensor) -> Tensor:
        """``sigmoid``, in place."""
        return self._in_place("sigmoid_", None, lambda x: x.sigmoid())

    def tanh_(self: Tensor) -> Tensor:
        """``tanh``, in place."""
        return self._in_place("tanh_", None, lambda x: x.tanh())

    def masked_fill_(self: Tensor, mask: Any, value: Any) -> Tensor:
        """``masked_fill(mask, value)``, in place."""
        return self._in_place("masked_fill_", value, lambda x: x.masked_fill(mask, value))

    def scatter_(self: Tensor, dim: int, index: Any, src: Any = None, *, value: Any = None,
                 reduce: str | None = None) -> Tensor:
        """``scatter(dim, index, src)``, in place."""
        return self._in_place("scatter_", src, lambda x: x.scatter(dim, index, src, value=value,
                                                                   reduce=reduce))

    def scatter_add_(self: Tensor, dim: int, index: Any, src: Any) -> Tensor:
        """``scatter_add(dim, index, src)``, in place."""
        return self._in_place("scatter_add_", src, lambda x: x.scatter_add(dim, index, src))

    def copy_(self: Tensor, src: Any, non_blocking: bool = False) -> Tensor:
        """Overwrite the elements with ``src`` (broadcast to this shape), in place."""
        def compute(x: Tensor) -> Tensor:
            value = self._lift(src)
            if value.dtype != x.dtype:
                value = value.astype(x.dtype)
            if not (x.requires_grad or value.requires_grad):
                return self._wrap(np.broadcast_to(value._data, x.shape))
            # recorded as PyTorch records it: the old values get a zero gradient
            return ew.where(value, x, cond=np.ones(x.shape, dtype=bool))
        return self._in_place("copy_", src, compute)

    def fill_(self: Tensor, value: Any) -> Tensor:
        """Set every element to ``value``, in place."""
        return self.copy_(value)

    def zero_(self: Tensor) -> Tensor:
        """Set every element to 0, in place."""
        return self.copy_(0)

    def normal_(self: Tensor, mean: float = 0.0, std: float = 1.0, *,
                generator: Any = None) -> Tensor:
        """Fill with draws from a normal distribution, in place (``generator``: a seed or a numpy
        Generator; None draws from ``manual_seed``'s sequence)."""
        draws = as_generator(generator).normal(mean, std, self.shape)
        return self._in_place("normal_", None, lambda x: self._wrap(draws))

    def uniform_(self: Tensor, a: float = 0.0, b: float = 1.0, *, generator: Any = None) -> Tensor:
        """Fill with draws from the uniform distribution on ``[a, b)``, in place (PyTorch calls
        the bounds ``from`` and ``to``: positional here, as ``from`` is a Python keyword)."""
        draws = as_generator(generator).uniform(a, b, self.shape)
        return self._in_place("uniform_", None, lambda x: self._wrap(draws))

    def __setitem__(self: Tensor, index: Any, value: Any) -> None:
        from autograd.tensor import _plain_index

        index = _plain_index(index)

        def compute(x: Tensor) -> Tensor:
            if not (x.requires_grad or _requires_grad(value)):
                out = x._data.copy()
                out[index] = value._data if hasattr(value, "_data") else value
                return self._wrap(out)
            return _assigned(x, index, self._lift(value))
        self._in_place("__setitem__", value, compute)

    # ``x += y`` changes x in place, as in PyTorch; where that cannot be recorded (x was used by
    # a recorded operation), ``x = x + y`` instead: see the module docstring.
    def __iadd__(self: Tensor, other: Operand) -> Tensor:
        return self._augmented("+=", other, lambda x: x + other, np.add)

    def __isub__(self: Tensor, other: Operand) -> Tensor:
        return self._augmented("-=", other, lambda x: x - other, np.subtract)

    def __imul__(self: Tensor, other: Operand) -> Tensor:
        return self._augmented("*=", other, lambda x: x * other, np.multiply)

    def __itruediv__(self: Tensor, other: Operand) -> Tensor:
        return self._augmented("/=", other, lambda x: x / other, np.true_divide)

    def _augmented(self: Tensor, name: str, other: Any, compute: Callable[[Tensor], Tensor],
                   ufunc: np.ufunc) -> Tensor:
        if (state.grad_enabled and (self.requires_grad or _requires_grad(other))
                and not (self._op is None and self.requires_grad)
                and (self._base is not None or self._holders > 0)):
            return compute(self)
        return self._in_place(name, other, compute, ufunc)


def _assigned(x: Tensor, index: Any, value: Tensor) -> Tensor:
    """``x`` with ``x[index] = value``, recorded: ``value`` scattered where the mask is set."""
    positions = np.arange(x._data.size).reshape(x.shape)[index]
    if not shape_ops.is_basic_index(index) and np.unique(positions).size != positions.size:
        raise RuntimeError("__setitem__: the index names an element twice, which PyTorch "
                           "leaves undefined while recording; assign each element once")
    mask = np.zeros(x.shape, dtype=bool)
    mask[index] = True
    if value.dtype != x.dtype:
        value = value.astype(x.dtype)
    placed = shape_ops.scatter_add(value.broadcast_to(positions.shape), index=index,
                                   shape=x.shape)
    return ew.where(placed, x, cond=mask)
