"""``Value``: everything the engine needs from a value in the graph, stated in one place.

``Scalar`` and ``Tensor`` both satisfy it (through ``Node``, which declares every member). The
engine, ``op.apply`` and anomaly detection are written against this protocol only, so a new kind
of value joins the same engine by providing these members.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from autograd.op import Op


class Value(Protocol):
    """A value the engine can record and differentiate.

    The record of the operation that made a value lives in its own fields (see ``Node`` for
    why): ``_op`` is None for a leaf, else the ``Op``, and the rest of the record is read through
    ``_inputs()``, ``_params``, ``_seq``, ``_released`` and ``_trace``.
    """

    grad: Any
    requires_grad: bool
    _data: Any
    _op: Op | None
    _params: dict[str, Any]
    _seq: int
    _released: bool
    _retains_grad: bool
    _trace: str | None
    _base: Value | None
    _changed: int
    # written by ``op.apply`` when it records an operation (see ``Node`` for what each holds)
    _holders: int
    _version: int
    _in0: Value
    _in1: Value | None
    _more: tuple[Value, ...] | None
    _scope: tuple[str, ...]

    def _inputs(self) -> tuple[Value, ...]:
        """The inputs of the operation that made this value, in order."""
        ...

    def _owner(self) -> Value:
        """The value that keeps the in-place change counters of this data."""
        ...

    def _describe(self) -> str:
        """How error messages name this value."""
        ...

    def _seed_gradient(self, gradient: Any, who: str) -> Value:
        """The gradient that starts backward here: ``gradient`` checked, or 1 when omitted."""
        ...

    def _fit_gradient(self, g: Any, op: Op, index: int) -> Value:
        """A rule's gradient for this value (input ``index`` of ``op``), checked and fit."""
        ...

    def _fit_raw_gradient(self, g: Any, op: Op, index: int) -> Any:
        """``_fit_gradient`` for a raw gradient (a float, a numpy array): fit to this value."""
        ...

    def _writable_raw(self, raw: Any) -> bool:
        """Whether raw gradient data for this value owns memory that can be written in place,
        and is large enough for that to pay."""
        ...

    @staticmethod
    def _wrap(raw: Any) -> Value:
        """A new constant value of this kind around raw data."""
        ...

    def _owned_copy(self, owned: set[int], create_graph: bool) -> Value:
        """This gradient, copied where it would share memory with another one handed out."""
        ...

    def _accumulate_grad(self, g: Any) -> None:
        """Add ``g`` to ``.grad``."""
        ...

    def _release(self, inputs: tuple[Value, ...]) -> None:
        """Stop holding the saved data of ``inputs`` (this value's ``_inputs()``)."""
        ...

    def _is_differentiable(self) -> bool:
        """Whether operations on this value can be recorded (a floating-point dtype)."""
        ...

    def __add__(self, other: Any) -> Value: ...
