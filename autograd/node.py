"""``Node``: what ``Scalar`` and ``Tensor`` share as values in one graph.

A node holds raw data (a float or a numpy array), an optional gradient, and, when it was made by a
recorded operation, the record of that operation (see ``Node``). The elementwise operators live
here, once, for both kinds of value; ``Tensor`` adds shapes, reductions and linear algebra.
"""

from __future__ import annotations

import numbers
from typing import TYPE_CHECKING, Any

from autograd import engine, grad_hooks
from autograd import op as op_module
from autograd.constants import refuse_if_shared
from autograd.grad_mode import set_grad_enabled
from autograd.op import Context, Op
from autograd.ops import elementwise as ew

if TYPE_CHECKING:
    from typing_extensions import Self

    from autograd.graph import Value


class Node:
    """Base class of ``Scalar`` and ``Tensor``: a value in the graph the engine differentiates.

    Attributes:
        grad: The gradient accumulated by ``backward`` (leaves, and non-leaves that called
            ``retain_grad()``), or None.
        requires_grad: Whether operations on this value are recorded for backward.
        name: An optional label, shown in drawings and error messages.
    """

    # ``_version`` counts in-place changes of the data, ``_changed`` is the change clock's
    # reading at the last one (0: never), and ``_holders`` counts the unreleased recorded
    # operations that saved the data; a view (or a detached value) shares all three with the
    # node whose data it views, ``_base``.
    #
    # A node made by a recorded operation also holds the record of that operation, in its own
    # fields rather than in a separate object: every object that outlives the forward pass is
    # rescanned by Python's cyclic collector while the graph grows (W3s, W6), so each recorded
    # operation leaves one such object, the node, and lifted constants add none. A leaf has
    # ``_op = None`` and no other record field is set:
    #   _op        the ``Op``
    #   _in0, _in1 its first two inputs (``_in1`` None for an op of one input), held directly:
    #              no tuple per operation; ``_more`` is the tuple of all the inputs of an op of
    #              three or more, else None (``_inputs()`` gives them as one tuple)
    #   _params    its keyword parameters
    #   _seq       the change clock's reading (``op.last_change``) when it was recorded: a
    #              saved value whose ``_changed`` is later was modified in place since
    #   _released  set by a backward without ``retain_graph``: the inputs are no longer held
    #   _trace     the user's source line, recorded under ``detect_anomaly``, else None
    #   _scope     the names of the ``name_scope`` blocks (layers) it was recorded in
    #
    # Fields that most nodes never set are class attributes with their default instead of
    # slots: each slot is one more field for the collector to visit in every node it rescans
    # (W6 at 10^6 nodes), and one more store in every node made. A node that sets one gets an
    # instance dictionary for it (``__dict__``): a named or modified leaf, a node that asked to
    # retain its gradient, an op of three or more inputs, a recording under ``detect_anomaly``.
    __slots__ = ("_data", "grad", "requires_grad", "_holders", "_base", "__dict__",
                 "__weakref__", "_op", "_in0", "_in1", "_params", "_seq", "_released", "_scope")
    # The slots' types, for the type checker (annotations without a value make no class
    # attribute, so the slots above stay the only storage). ``autograd.graph.Value`` states the
    # same members, with the same types, for the engine.
    _data: Any  # a float for Scalar, a numpy array for Tensor
    grad: Any  # narrowed by Scalar and Tensor
    requires_grad: bool
    _holders: int
    _base: Value | None
    _op: Op | None
    _in0: Value
    _in1: Value | None
    _params: dict[str, Any]
    _seq: int
    _released: bool
    _scope: tuple[str, ...]

    name: str | None = None
    _version = 0
    _changed = 0
    _retains_grad = False
    _more: tuple[Value, ...] | None = None
    _trace: str | None = None

    # Identity hashing: nodes are dictionary keys in the engine, while ``==`` on a Tensor is
    # elementwise (numpy's meaning).
    __hash__ = object.__hash__

    # --- subclass hooks ---

    @staticmethod
    def _wrap(raw: Any) -> Node:
        """A new constant node of the subclass around raw data, without validation."""
        raise NotImplementedError

    def _lift(self, other: Any) -> Node:
        """``other`` as a node of the same kind as ``self`` (Python numbers become constants)."""
        raise NotImplementedError

    def _constant(self, raw: Any) -> Node:
        """A constant of the same kind and dtype as ``self`` holding ``raw``."""
        raise NotImplementedError

    def _describe(self) -> str:
        raise NotImplementedError

    def _is_differentiable(self) -> bool:
        return True

    # --- what the engine asks of each kind of value (see ``autograd.graph.Value``) ---

    def _seed_gradient(self, gradient: Any, who: str) -> Node:
        """The gradient that starts backward here: ``gradient`` checked, or 1 when omitted."""
        raise NotImplementedError

    def _fit_gradient(self, g: Any, op: Op, index: int) -> Node:
        """A rule's gradient for this value (input ``index`` of ``op``), checked and fit."""
        raise NotImplementedError

    def _fit_raw_gradient(self, g: Any, op: Op, index: int) -> Any:
        """``_fit_gradient`` on raw data, for a backward that records nothing."""
        raise NotImplementedError

    def _writable_raw(self, raw: Any) -> bool:
        """Whether raw gradient data for this value owns memory that can be written in place,
        and is large enough for that to pay."""
        raise NotImplementedError

    def _owned_copy(self, owned: set[int], create_graph: bool) -> Node:
        """This gradient, copied where it would share memory with another one handed out."""
        raise NotImplementedError

    def _accumulate_grad(self, g: Any) -> None:
        """Add ``g`` to ``.grad``."""
        raise NotImplementedError

    # --- data and graph ---

    @property
    def data(self) -> Any:
        """The raw value: a float for ``Scalar`` (micrograd's ``Value.data``). ``Tensor``
        overrides it with PyTorch's meaning, a tensor sharing the memory (its array is
        ``numpy()``).

        Assigning to it counts as an in-place change: a graph that saved this value for backward
        will refuse to run rather than produce a wrong gradient.
        """
        return self._exposed()

    @data.setter
    def data(self, value: Any) -> None:
        refuse_if_shared(self, "data assignment")
        self._data = self._checked_data(value)
        self._mark_changed()

    def _exposed(self) -> Any:
        """The data as handed to the user: read-only while a graph holds it."""
        return self._read_only() if self._is_held() else self._data

    def _is_held(self) -> bool:
        """True while an unreleased recorded operation saved this value (as input or output)."""
        return self._owner()._holders > 0 or (self._op is not None and not self._released)

    def _read_only(self) -> Any:
        """The data as the user may see it while it is held; floats are immutable already."""
        return self._data

    def _owner(self) -> Value:
        """The node that keeps the counters of this data: the viewed node, or ``self``."""
        return self if self._base is None else self._base

    def _mark_changed(self) -> None:
        """Count an in-place change of the data, so graphs that saved it refuse to backward."""
        owner = self._owner()
        owner._version += 1
        owner._changed = op_module.last_change = op_module.last_change + 1

    def _checked_data(self, value: Any) -> Any:
        return value

    @property
    def is_leaf(self) -> bool:
        """True for values not produced by a recorded operation (inputs, parameters, constants)."""
        return self._op is None

    @property
    def op(self) -> str | None:
        """Name of the recorded operation that produced this value, or None for a leaf."""
        return None if self._op is None else self._op.name

    @property
    def record(self) -> Context | None:
        """The record of the operation that made this value, or None for a leaf.

        A ``Context`` (built on each call): the ``op``, its ``inputs`` in order, its ``params``,
        the ``scope`` (``name_scope`` names) it was recorded in, the user's source line
        (``trace``, under ``detect_anomaly``) and whether backward ``released`` it. Drawings
        and step-throughs read the graph through it.
        """
        return self._ctx

    if TYPE_CHECKING:
        # Scalar and Tensor each define it: the value as a Python number
        def item(self) -> Any: ...

    def describe(self) -> str:
        """How error messages name this value: ``Tensor float32 (2, 3) 'x'``, ``Scalar(2) 'a'``."""
        return self._describe()

    # --- the record of the operation that made this node (see the slots above) ---

    def _inputs(self) -> tuple[Value, ...]:
        """The inputs of the operation that made this node, in order (recorded nodes only)."""
        if self._more is not None:
            return self._more
        if self._in1 is None:
            return (self._in0,)
        return (self._in0, self._in1)

    @property
    def _ctx(self) -> Context | None:
        """The record as one ``Context`` (built on each call); None for a leaf."""
        if self._op is None:
            return None
        return Context(self._op, self._inputs(), self._params, self._scope, self._trace,
                       self._released)

    def _release(self, inputs: tuple[Value, ...]) -> None:
        """Stop holding the data of ``inputs``, this node's ``_inputs()``, for backward.

        Done by a backward without ``retain_graph``. The record stays, so the graph can still
        be drawn, but a second backward through it is refused.
        """
        self._released = True
        for x in inputs:
            (x if x._base is None else x._base)._holders -= 1

    def __del__(self) -> None:
        # A graph dropped without backward stops holding its inputs when its nodes are freed.
        if self._op is not None and not self._released:
            self._release(self._inputs())

    def backward(
        self, gradient: Any = None, retain_graph: bool | None = None, create_graph: bool = False,
        inputs: Any = None,
    ) -> None:
        """Accumulate the gradient of this value into ``.grad`` of every leaf it depends on.

        Args:
            gradient: The gradient of some final result with respect to this value. Optional when
                this value holds a single element (then it is 1).
            retain_graph: Keep the graph usable for another backward call (None: as
                ``create_graph``, PyTorch's default).
            create_graph: Record the backward computation itself, so that gradients can be
                differentiated again (higher-order derivatives).
            inputs: Accumulate into ``.grad`` of these values only (a value or a sequence, leaves
                or not), as PyTorch's ``inputs=``; None: every leaf that requires grad.
        """
        retain = create_graph if retain_graph is None else bool(retain_graph)
        if inputs is None:
            engine.backward(self, gradient, retain_graph=retain, create_graph=create_graph)
            return
        wanted = [inputs] if isinstance(inputs, Node) else list(inputs)
        if not wanted or not all(isinstance(x, Node) for x in wanted):
            raise RuntimeError(f"backward: inputs= must be a value or a non-empty sequence of "
                               f"values. Received: {inputs!r:.80}")
        engine._require_grad(self, "backward")
        seed = self._seed_gradient(gradient, "backward")
        found = engine.run_backward([self], [seed], retain_graph=retain or create_graph,
                                    create_graph=create_graph, capture=wanted)
        for x in wanted:
            if x in found:
                x._accumulate_grad(found[x])
                if x._op is None:  # a leaf's post-accumulate-grad hooks run, as in PyTorch
                    with set_grad_enabled(create_graph):  # as inside the backward loop
                        grad_hooks.run(x)

    def retain_grad(self) -> Self:
        """Ask backward to also store ``.grad`` on this non-leaf value."""
        if not self.requires_grad:
            raise RuntimeError(
                f"retain_grad: {self._describe()} does not require grad, so no gradient "
                "reaches it"
            )
        self._retains_grad = True
        return self

    def detach(self) -> Node:
        """The same data as a new leaf that does not require grad (no copy is made)."""
        out = self._wrap(self._data)
        out._base = self._owner()
        return out

    def requires_grad_(self, requires_grad: bool = True) -> Self:
        """Set ``requires_grad`` in place on a leaf and return ``self``."""
        if self._op is not None and not requires_grad:
            raise RuntimeError(
                "requires_grad_: cannot turn off requires_grad on a non-leaf value; "
                "use .detach() instead"
            )
        if requires_grad:
            refuse_if_shared(self, "requires_grad_")
        if requires_grad and not self._is_differentiable():
            raise TypeError(
                f"requires_grad_: only floating-point values can require grad; "
                f"got {self._describe()}"
            )
        self.requires_grad = bool(requires_grad)
        return self

    # --- elementwise operations, shared by Scalar and Tensor ---

    def __add__(self, other: Any) -> Node:
        return ew.add(self, self._lift(other))

    def __radd__(self, other: Any) -> Node:
        return ew.add(self._lift(other), self)

    def __sub__(self, other: Any) -> Node:
        return ew.sub(self, self._lift(other))

    def __rsub__(self, other: Any) -> Node:
        return ew.sub(self._lift(other), self)

    def __mul__(self, other: Any) -> Node:
        return ew.mul(self, self._lift(other))

    def __rmul__(self, other: Any) -> Node:
        return ew.mul(self._lift(other), self)

    def __truediv__(self, other: Any) -> Node:
        return ew.div(self, self._lift(other))

    def __rtruediv__(self, other: Any) -> Node:
        return ew.div(self._lift(other), self)

    def __pow__(self, other: Any) -> Node:
        return ew.pow(self, self._lift(other))

    def __rpow__(self, other: Any) -> Node:
        return ew.pow(self._lift(other), self)

    def __neg__(self) -> Node:
        return ew.neg(self)

    def __pos__(self) -> Self:
        return self

    def __abs__(self) -> Node:
        return ew.abs(self)

    def exp(self) -> Node:
        """e to the power of each element."""
        return ew.exp(self)

    def log(self) -> Node:
        """Natural logarithm."""
        return ew.log(self)

    def sqrt(self) -> Node:
        """Square root."""
        return ew.sqrt(self)

    def abs(self) -> Node:
        """Absolute value (its derivative at 0 is taken as 0)."""
        return ew.abs(self)

    def sin(self) -> Node:
        """Sine."""
        return ew.sin(self)

    def cos(self) -> Node:
        """Cosine."""
        return ew.cos(self)

    def tanh(self) -> Node:
        """Hyperbolic tangent."""
        return ew.tanh(self)

    def sigmoid(self) -> Node:
        """Logistic sigmoid ``1 / (1 + exp(-x))``, computed without overflow."""
        return ew.sigmoid(self)

    def relu(self) -> Node:
        """``max(x, 0)``; its derivative at 0 is taken as 0."""
        return ew.relu(self)

    def leaky_relu(self, negative_slope: float = 0.01) -> Node:
        """``x`` where positive, ``negative_slope * x`` elsewhere."""
        return ew.leaky_relu(self, negative_slope=float(negative_slope))

    def softplus(self) -> Node:
        """``log(1 + exp(x))``, computed without overflow."""
        return ew.softplus(self)

    def log1p(self) -> Node:
        """``log(1 + x)``, accurate for small x (where ``1 + x`` would round it away).

        Examples:
            >>> import autograd as torch
            >>> x = torch.tensor([1e-10], dtype=torch.float64)
            >>> x.log1p().item(), (1 + x).log().item()
            (9.999999999500001e-11, 1.000000082690371e-10)
        """
        return ew.log1p(self)

    def expm1(self) -> Node:
        """``exp(x) - 1``, accurate for small x."""
        return ew.expm1(self)

    def floor(self) -> Node:
        """The largest whole number <= x (slope 0; integer tensors unchanged)."""
        return ew.floor(self)

    def ceil(self) -> Node:
        """The smallest whole number >= x (slope 0; integer tensors unchanged)."""
        return ew.ceil(self)

    def trunc(self) -> Node:
        """x rounded towards 0 (slope 0; integer tensors unchanged)."""
        return ew.trunc(self)

    def round(self, *, decimals: int = 0) -> Node:
        """x rounded to ``decimals`` places, halves to the even neighbour (slope 0).

        Examples:
            >>> import autograd as torch
            >>> torch.tensor([0.5, 1.5, 2.5, 1.234]).round().tolist()
            [0.0, 2.0, 2.0, 1.0]
        """
        if isinstance(decimals, bool) or not isinstance(decimals, numbers.Integral):
            raise TypeError(f"round: decimals must be an int; received {decimals!r}")
        return ew.round(self, decimals=int(decimals))

    def sign(self) -> Node:
        """-1, 0 or 1 by the sign of x (slope 0)."""
        return ew.sign(self)

    def maximum(self, other: Any) -> Node:
        """Elementwise maximum; at ties the gradient is split equally."""
        return ew.maximum(self, self._lift(other))

    def minimum(self, other: Any) -> Node:
        """Elementwise minimum; at ties the gradient is split equally."""
        return ew.minimum(self, self._lift(other))

    def clip(self, min: Any = None, max: Any = None) -> Node:
        """Limit values to ``[min, max]``; the gradient passes where the value was not clipped."""
        if min is None and max is None:
            raise ValueError("clip: give at least one of min and max")
        return ew.clip(self, a_min=min, a_max=max)
