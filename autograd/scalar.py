"""``Scalar``: one Python float in the graph, micrograd's level of detail.

Every number is a node, which is what a learner should see first. Scalars use the same engine and
the same op table as tensors; their elementwise operations come from ``Node``.
"""

from __future__ import annotations

import numbers
import operator
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from autograd.constants import share_number
from autograd.grad_mode import state
from autograd.node import Node

# The constants that Python numbers lift to, by number: see autograd.constants.
_NUMBERS: dict[numbers.Real, Scalar] = {}


class Scalar(Node):
    """A single number that records the operations applied to it.

    Unlike a ``Tensor``, a Scalar requires grad by default (as in micrograd) and its ``.grad`` is
    a Python float after ``backward()``.

    Args:
        data: A real number.
        requires_grad: Whether backward should compute a gradient for it (default True).
        name: A label for drawings.
        label: micrograd's name for ``name`` (``Value(2.0, label='a')``): give one of the two.
            ``s.label`` reads and sets the same label afterwards.

    Examples:
        >>> from autograd import Scalar
        >>> a, b = Scalar(2.0, name="a"), Scalar(-3.0, name="b")
        >>> c = a * b + a
        >>> c.backward()
        >>> a.grad, b.grad
        (-2.0, 2.0)
    """

    __slots__ = ()

    # Node's slots, narrowed
    _data: float
    grad: float | Scalar | None  # a Scalar where backward recorded its graph (create_graph)

    if TYPE_CHECKING:
        # Node's operations, as the type checker should see them here: they give a Scalar.
        def __add__(self, other: Any) -> Scalar: ...
        def __radd__(self, other: Any) -> Scalar: ...
        def __sub__(self, other: Any) -> Scalar: ...
        def __rsub__(self, other: Any) -> Scalar: ...
        def __mul__(self, other: Any) -> Scalar: ...
        def __rmul__(self, other: Any) -> Scalar: ...
        def __truediv__(self, other: Any) -> Scalar: ...
        def __rtruediv__(self, other: Any) -> Scalar: ...
        def __pow__(self, other: Any) -> Scalar: ...
        def __rpow__(self, other: Any) -> Scalar: ...
        def maximum(self, other: Any) -> Scalar: ...
        def minimum(self, other: Any) -> Scalar: ...
        def __neg__(self) -> Scalar: ...
        def __abs__(self) -> Scalar: ...
        def exp(self) -> Scalar: ...
        def log(self) -> Scalar: ...
        def sqrt(self) -> Scalar: ...
        def abs(self) -> Scalar: ...
        def sin(self) -> Scalar: ...
        def cos(self) -> Scalar: ...
        def tanh(self) -> Scalar: ...
        def sigmoid(self) -> Scalar: ...
        def relu(self) -> Scalar: ...
        def softplus(self) -> Scalar: ...
        def log1p(self) -> Scalar: ...
        def expm1(self) -> Scalar: ...
        def floor(self) -> Scalar: ...
        def ceil(self) -> Scalar: ...
        def trunc(self) -> Scalar: ...
        def round(self, *, decimals: int = 0) -> Scalar: ...
        def sign(self) -> Scalar: ...
        def detach(self) -> Scalar: ...
        def leaky_relu(self, negative_slope: float = 0.01) -> Scalar: ...
        def clip(self, min: Any = None, max: Any = None) -> Scalar: ...

    def __init__(self, data: Any, requires_grad: bool = True, name: str | None = None, *,
                 label: str | None = None) -> None:
        self._op = None  # first: a node that fails to initialize is still finalized
        self._data = _to_float(data)
        self.grad = None
        self.requires_grad = bool(requires_grad)
        if label is not None:
            if name is not None and name != label:
                raise TypeError(f"Scalar: got name={name!r} and label={label!r}, which are the "
                                f"same setting (label is micrograd's name for it); give one")
            name = label
        if name is not None:
            self.name = name
        self._holders = 0
        self._base = None

    @property
    def label(self) -> str | None:
        """micrograd's name for ``name``: the label drawings show (``e.label = 'e'``)."""
        return self.name

    @label.setter
    def label(self, value: str | None) -> None:
        self.name = value

    @staticmethod
    def _wrap(raw: Any) -> Scalar:
        s = object.__new__(Scalar)
        s._op = None
        s._data = raw if type(raw) is float else float(raw)
        s.grad = None
        s.requires_grad = False
        s._holders = 0
        s._base = None
        return s

    def _lift(self, other: Any) -> Scalar:
        if isinstance(other, Scalar):
            return other
        if isinstance(other, numbers.Real) and not isinstance(other, Node):
            constant = _NUMBERS.get(other)
            if constant is None:
                constant = share_number(_NUMBERS, other, other, Scalar._wrap(other))
            return constant
        if isinstance(other, Node):
            raise TypeError(
                f"cannot combine a Scalar ({self._describe()}) with a {other._describe()}: "
                f"a Scalar holds one number in its own graph node; wrap the number in a Tensor "
                f"with autograd.tensor(...) to combine it with tensors"
            )
        raise TypeError(f"cannot combine a Scalar with {type(other).__name__} ({other!r:.60})")

    def _constant(self, raw: Any) -> Scalar:
        return Scalar._wrap(raw)

    def _describe(self) -> str:
        return f"Scalar({self._data:.6g})" + (f" '{self.name}'" if self.name else "")

    def _checked_data(self, value: Any) -> float:
        return _to_float(value)

    def _seed_gradient(self, gradient: Any, who: str) -> Scalar:
        if gradient is None:
            return Scalar._wrap(1.0)
        if isinstance(gradient, Scalar):
            return gradient
        return Scalar._wrap(_to_float(gradient))

    def _fit_gradient(self, g: Any, op: Any, index: int) -> Scalar:
        if not isinstance(g, Scalar):
            raise TypeError(
                f"{op.name}: the vjp rule for input {index} returned {type(g).__name__}; rules "
                f"must return a Scalar built with graph operations"
            )
        return g

    def _fit_raw_gradient(self, g: Any, op: Any, index: int) -> float:
        if not isinstance(g, float):  # numpy's float64 is one too
            raise TypeError(
                f"{op.name}: the vjp rule for input {index} returned {type(g).__name__}; with "
                f"raw_rules a rule on Scalars must return a float")
        return g

    def _writable_raw(self, raw: Any) -> bool:
        return False  # a float cannot be written in place

    def _owned_copy(self, owned: set[int], create_graph: bool) -> Scalar:
        return self  # floats are immutable: nothing can be shared by mistake

    def _accumulate_grad(self, g: Scalar) -> None:
        # A plain float, micrograd-style; a graph node only when it must stay differentiable.
        value = g if g._op is not None else g._data
        self.grad = value if self.grad is None else self.grad + value

    def item(self) -> float:
        """The value as a Python float."""
        return self._data

    def __float__(self) -> float:
        return self._data

    def __format__(self, spec: str) -> str:
        """Formatted as its number: ``f"{loss:.4f}"``, as for a 0-d tensor."""
        return format(self._data, spec) if spec else repr(self)

    def __repr__(self) -> str:
        name = f", name={self.name!r}" if self.name else ""
        return f"Scalar(data={self._data:.6g}, grad={self.grad}{name})"

    # ``p -= lr * p.grad`` inside ``no_grad`` changes p itself, as it changes a tensor there
    # (PyTorch's update idiom, which would otherwise rebind the loop variable and train nothing);
    # with grad mode on it makes a new node, as in micrograd, where ``c += c + 1`` extends the
    # graph and the name moves to the new value.
    def __iadd__(self, other: Any) -> Scalar:
        return self._augmented(other, operator.add)

    def __isub__(self, other: Any) -> Scalar:
        return self._augmented(other, operator.sub)

    def __imul__(self, other: Any) -> Scalar:
        return self._augmented(other, operator.mul)

    def __itruediv__(self, other: Any) -> Scalar:
        return self._augmented(other, operator.truediv)

    def _augmented(self, other: Any, combine: Callable[[Any, Any], Any]) -> Scalar:
        if state.grad_enabled:
            return combine(self, other)  # type: ignore[no-any-return]
        self.data = combine(self._data, self._lift(other)._data)  # counted as a change
        return self

    # Comparisons give plain booleans, so ``if loss < 0.1:`` reads naturally.
    def __lt__(self, other: Any) -> bool:
        return self._data < _value_of(other)

    def __le__(self, other: Any) -> bool:
        return self._data <= _value_of(other)

    def __gt__(self, other: Any) -> bool:
        return self._data > _value_of(other)

    def __ge__(self, other: Any) -> bool:
        return self._data >= _value_of(other)


def _value_of(other: Any) -> float:
    return other._data if isinstance(other, Scalar) else other


def _to_float(value: Any) -> float:
    if isinstance(value, Scalar):
        return value._data
    if isinstance(value, numbers.Real) and not isinstance(value, Node):
        return float(value)
    if hasattr(value, "shape") and getattr(value, "size", None) == 1:
        return float(value)  # a one-element numpy array
    raise TypeError(f"Scalar: expected a real number, got {type(value).__name__} ({value!r:.60})")
