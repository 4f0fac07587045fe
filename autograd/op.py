"""The primitive-operation mechanism: an ``Op`` pairs a forward on raw data with its vjp rules.

Every built-in primitive in ``autograd.ops`` is an ``Op``, and users define their own the same
way. ``apply`` runs the forward on the inputs' raw data (a float for ``Scalar``, a numpy array for
``Tensor``), wraps the result, and records the operation on it when the graph is being recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, Union, cast, overload

import numpy as np

from autograd import anomaly
from autograd.dtypes import cast_operands
from autograd.grad_mode import state

if TYPE_CHECKING:
    from autograd.graph import Value
    from autograd.node import Node
    from autograd.scalar import Scalar
    from autograd.tensor import Tensor

VjpRule = Callable[..., "Value"]

_DTYPE_RULES = (None, "promote", "float", "same")


class Op:
    """A differentiable primitive: a forward on raw data and one vjp rule per input.

    Args:
        name: Short name, used in error messages and drawings.
        forward: ``forward(*raw_inputs, **params)`` on floats or numpy arrays; returns raw data.
        vjp: Either a tuple with one rule per input, each ``rule(g, out, *inputs, **params)``,
            or one callable ``rule(index, g, out, *inputs, **params)`` for ops that take any
            number of inputs. ``g`` is the gradient flowing into the output ``out``; ``inputs``
            are the op's input nodes. A rule returns the gradient for its input as a graph value,
            written with graph operations, so that higher-order gradients come for free. A rule
            may return a gradient of a broadcast shape: the engine sums it to the input's shape.
        label: Text for drawings (defaults to ``name``).
        rule: The local derivative in words (``"d tanh(x) = 1 - y²"``), shown in drawings and
            step-throughs: the one place an op's math is written down.
        domain: Where the tests draw inputs: ``"real"``, ``"positive"``, ``"nonzero"`` (away
            from a kink or pole at 0) or ``"unit"`` (inside (-1, 1)); a string for all inputs or
            a tuple with one per input. The table's tests draw each case's inputs from it, and
            check an op that has no case written for it from its entry alone.
        view: True when the output may share memory with the first input (reshape, transpose):
            the output then shares the input's version counter, so in-place changes through
            either are detected at backward.
        raw_rules: True when the rules use only what raw data has with the same meaning: the
            operators ``+``, ``-``, ``*`` and ``@``, and methods numpy arrays share with
            ``Tensor`` (``reshape``, ``transpose``, ``sum``, ``mT``, indexing). A backward that
            records nothing (``create_graph=False``) then runs them on the raw data directly,
            skipping a graph value per gradient; otherwise it wraps the raw gradient for the
            rule. The rules of an op that Scalars have must not divide or take powers: on
            floats Python raises where numpy gives ``inf``. Other ops are called through
            ``call``. The op table's tests check that both ways give the same bits.
        reuses_gradient: For an op of one input with ``raw_rules``: its rule takes a keyword
            ``into``, an array it may write its result into (``np.multiply(g, mask,
            out=into)``). A backward that records nothing passes ``into=g`` when no one but
            itself refers to ``g`` (see ``engine``), saving a gradient-sized array; otherwise
            the rule is called without it.
        dtypes: How the inputs' dtypes meet, as in PyTorch (arrays only; a Scalar's floats
            need nothing): ``"promote"`` computes in ``dtypes.result_dtype`` of the inputs (add,
            maximum, where, concatenate); ``"float"`` too, in the default float dtype where that
            is an integer or boolean one (true division, ``exp``, ``sqrt``); ``"same"`` refuses
            inputs of different dtypes, as PyTorch's matrix products do. ``None`` (the default)
            gives the forward the arrays as they are. The rule is part of ``forward`` (the
            given function is ``bare_forward``), so whatever runs the forward gets it; the
            inputs keep their dtypes in the graph, and the engine casts each one's gradient to
            its dtype, as PyTorch does.

    Examples:
        >>> import autograd as ag
        >>> cube = ag.Op("cube", forward=lambda x: x**3, vjp=(lambda g, y, x: g * 3 * x**2,))
        >>> x = ag.tensor([2.0], requires_grad=True)
        >>> cube(x).sum().backward()
        >>> x.grad.numpy()
        array([12.], dtype=float32)
    """

    def __init__(
        self,
        name: str,
        forward: Callable[..., Any],
        vjp: Union[Sequence[VjpRule], VjpRule],
        *,
        label: str | None = None,
        rule: str | None = None,
        domain: Union[str, tuple[str, ...]] = "real",
        view: bool = False,
        raw_rules: bool = False,
        reuses_gradient: bool = False,
        dtypes: str | None = None,
    ) -> None:
        if reuses_gradient and not (raw_rules and isinstance(vjp, (tuple, list))
                                    and len(vjp) == 1):
            raise ValueError(f"Op {name!r}: reuses_gradient needs raw_rules and one input's "
                             f"rule, since that rule writes into the gradient it is given")
        if dtypes not in _DTYPE_RULES:
            raise ValueError(f"Op {name!r}: dtypes must be one of {_DTYPE_RULES}, got {dtypes!r}")
        self.name = name
        self.dtypes = dtypes
        self.bare_forward = forward
        self.forward = forward if dtypes is None else _promoting(forward, dtypes, name)
        # a sequence other than a tuple or list is taken for one callable rule, as it always was
        self.rules: tuple[VjpRule, ...] | VjpRule = (
            tuple(vjp) if isinstance(vjp, (tuple, list)) else cast(VjpRule, vjp))
        self.label = label or name
        self.rule = rule
        self.domain = domain
        self.view = view
        self.raw_rules = raw_rules
        self.reuses_gradient = reuses_gradient

    if TYPE_CHECKING:
        # Calling an op is ``apply`` (assigned below): an op gives a value of its inputs' kind,
        # a Tensor from tensors (a Parameter's too), a Scalar from scalars.
        @overload
        def __call__(self, *inputs: Tensor, **params: Any) -> Tensor: ...
        @overload
        def __call__(self, *inputs: Scalar, **params: Any) -> Scalar: ...
        @overload
        def __call__(self, *inputs: Node, **params: Any) -> Node: ...
        @overload
        def __call__(self, *inputs: Value, **params: Any) -> Value: ...
        def __call__(self, *inputs: Value, **params: Any) -> Value: ...

    def vjp(
        self, index: int, g: Value, out: Value, inputs: tuple[Value, ...], params: dict[str, Any]
    ) -> Value:
        """The gradient for input ``index``, given the gradient ``g`` of the output ``out``."""
        rules = self.rules
        if isinstance(rules, tuple):
            return rules[index](g, out, *inputs, **params)
        return rules(index, g, out, *inputs, **params)

    def raw_vjp(
        self, index: int, g: Any, out: Value, inputs: tuple[Value, ...], params: dict[str, Any],
        reuse: bool = False,
    ) -> Any:
        """``vjp`` on raw data: the raw gradient for input ``index``, given the raw ``g``.

        What backward runs when it records nothing. The result is fit to the input's shape
        and dtype only when the rule ran on graph values (``raw_rules`` False). ``reuse``: no
        one else refers to ``g``, so a rule of an op with ``reuses_gradient`` gets it as
        ``into``.
        """
        if reuse and self.reuses_gradient:
            # reuses_gradient comes with a tuple of one rule (checked in __init__); no cast here,
            # on backward's path
            return self.rules[0](  # type: ignore[index]
                g, out._data, inputs[0]._data, into=g, **params)
        if not self.raw_rules:
            grad = self.vjp(index, out._wrap(g), out, inputs, params)
            return inputs[index]._fit_gradient(grad, self, index)._data
        rules = self.rules
        if isinstance(rules, tuple):
            if not params:  # the common cases, without building a list
                if len(inputs) == 2:
                    return rules[index](g, out._data, inputs[0]._data, inputs[1]._data)
                if len(inputs) == 1:
                    return rules[0](g, out._data, inputs[0]._data)
            return rules[index](g, out._data, *[x._data for x in inputs], **params)
        return rules(index, g, out._data, *[x._data for x in inputs], **params)

    def __repr__(self) -> str:
        return f"Op({self.name!r})"


RAW = (float, np.ndarray, np.generic)
"""The kinds of raw data: a Scalar's float, a Tensor's array, a numpy scalar from a 0-d product.
A rule of an op with ``raw_rules`` gets raw data in a backward that records nothing."""


def raw_data(value: Any) -> Any:
    """The raw data of a graph value, and raw data as it is (for rules with ``raw_rules``)."""
    return value if isinstance(value, RAW) else value._data


def call(op: Op, *inputs: Any, **params: Any) -> Any:
    """``op`` called from a rule with ``raw_rules``: on graph values it is applied (and recorded
    under ``create_graph``); on raw data its forward runs alone, which is what applying it would
    compute."""
    if isinstance(inputs[0], RAW):
        return op.forward(*inputs, **params)
    return op(*inputs, **params)


def _promoting(forward: Callable[..., Any], rule: str, name: str) -> Callable[..., Any]:
    """``forward`` preceded by the dtype rule ``rule`` on its arrays (see ``Op``'s ``dtypes``)."""
    def promoted(*raw: Any, **params: Any) -> Any:
        return forward(*cast_operands(rule, raw, name), **params)

    promoted.__wrapped__ = forward  # type: ignore[attr-defined]
    return promoted


class Context(NamedTuple):
    """The record of the operation that made a node, gathered in one read-only object.

    The record lives in the node's own fields (see ``Node``), which the engine reads;
    ``node.record`` gathers them for code that inspects one node's record (the drawings and
    step-throughs of ``autograd.viz``, tests, a debugging session).
    ``released`` is True once a backward without ``retain_graph`` ran through the operation: the
    structure stays so the graph can still be drawn, but a second backward is refused. ``scope``
    holds the names of the ``name_scope`` blocks (layers) the operation was recorded in, and
    ``trace`` the user's source line under ``detect_anomaly``.
    """

    op: Op
    inputs: tuple[Any, ...]  # values of the graph's kind: Scalars or Tensors
    params: dict[str, Any]
    scope: tuple[str, ...]
    trace: str | None
    released: bool


_ERROR_TYPES = (IndexError, ValueError, TypeError)


def apply(op: Op, *inputs: Value, **params: Any) -> Value:
    """Run ``op`` on ``inputs`` and record it when grad mode is on and an input requires grad."""
    if state.anomaly_enabled:
        return _apply_detecting_anomaly(op, inputs, params)
    forward = op.forward
    if op.dtypes is not None:
        # The dtype rule lives in ``op.forward`` (for every caller of it: captured replays, rules
        # on raw data). Its common case, tensors of one float dtype or Scalars' floats, is told
        # here by one or two comparisons, and the bare forward then saves the wrapper's call.
        forward = op.bare_forward
        first = inputs[0]._data
        if type(first) is np.ndarray:
            dtype = first.dtype
            if ((op.dtypes == "float" and dtype.kind != "f")
                    or (len(inputs) == 2 and inputs[1]._data.dtype != dtype)
                    or (len(inputs) > 2 and any(x._data.dtype != dtype for x in inputs))):
                forward = op.forward
    try:
        # Most ops take one or two inputs and no parameters: naming the inputs saves building a
        # list, and a call without ``**`` is faster still (W2, W3s).
        if params:
            raw = forward(*[x._data for x in inputs], **params)
        elif len(inputs) == 2:
            raw = forward(inputs[0]._data, inputs[1]._data)
        elif len(inputs) == 1:
            raw = forward(inputs[0]._data)
        else:
            raw = forward(*[x._data for x in inputs])
    except _ERROR_TYPES as err:
        raise _named_error(op, inputs, err) from None
    out = inputs[0]._wrap(raw)
    if op.view and inputs[0]._data is not raw and getattr(raw, "base", None) is not None:
        base = inputs[0]
        out._base = base if base._base is None else base._base
    if state.grad_enabled:
        for x in inputs:
            if x.requires_grad:
                _record(op, inputs, params, out)
                break
    return out


def _apply_detecting_anomaly(op: Op, inputs: tuple[Value, ...], params: dict[str, Any]) -> Value:
    """``apply`` under ``detect_anomaly``: the output is checked, and its record names the line.

    numpy's own warning about a NaN or Inf (log of a negative number) would otherwise come
    first and, where warnings are errors or ``np.seterr`` raises, replace the anomaly error
    that names the op and the user's line.
    """
    state.anomaly_enabled = False
    try:
        with np.errstate(all="ignore"):
            out = apply(op, *inputs, **params)
    finally:
        state.anomaly_enabled = True
    if out._op is not None:
        out._trace = anomaly.user_source_line()
    anomaly.check_forward(op, out)
    return out


# Calling an op is ``apply`` itself rather than a method that calls it: one Python call less on
# every operation, forward and backward (W2).
# The overloads declared in ``Op`` are its signature, value kind by value kind.
Op.__call__ = apply  # type: ignore[method-assign, assignment]


def _record(op: Op, inputs: tuple[Value, ...], params: dict[str, Any], out: Value) -> None:
    """Write the record of ``op`` on its output (see ``Node`` for the fields)."""
    if not out._is_differentiable():
        return
    for x in inputs:
        (x if x._base is None else x._base)._holders += 1  # held until released or freed
    n = len(inputs)
    out._in0 = inputs[0]
    out._in1 = inputs[1] if n > 1 else None
    if n > 2:
        out._more = inputs
    out._params = params or _NO_PARAMS  # frees the call's own empty dict (see _NO_PARAMS)
    out._released = False
    out._scope = state.scope
    out._seq = last_change
    out._op = op  # last: a node with an ``_op`` has every record field
    out.requires_grad = True


# Most operations have no parameters. Python makes a new empty dict for ``**params`` at each
# call; kept in the record, it would count as one more allocation per operation towards the
# cyclic collector's next pass (W3s, W6). One shared empty dict, never written to, does the same
# job (a read-only mapping would cost a copy at every ``**params`` of a vjp call).
_NO_PARAMS: dict[str, Any] = {}

# A clock that counts in-place changes: a recording notes its reading (``_seq``) and a change
# stamps the changed data with the new one (``_changed``), so an input whose ``_changed`` is
# later than the ``_seq`` of an operation that saved it was modified since. Between two changes
# every recording notes the same int object: no new object per operation for the cyclic
# collector to visit (W6).
last_change = 0


def _named_error(op: Op, inputs: tuple[Value, ...], err: Exception) -> Exception:
    """Turn a numpy error from inside a forward into one that names the op and its inputs."""
    described = ", ".join(x._describe() for x in inputs)
    message = f"{op.name}: {err} (inputs: {described})"
    for kind in (TypeError, ValueError, IndexError):
        if isinstance(err, kind):
            return kind(message)
    return RuntimeError(message)


def describe_array(data: np.ndarray) -> str:
    """``float32 (2, 3)``: how error messages name a tensor."""
    return f"{data.dtype} {tuple(data.shape)}"


def op_table() -> dict[str, tuple[Op, ...]]:
    """The op table: the ``Op`` entries of each family module of ``autograd.ops``, in order.

    Keyed by family (``"elementwise"``, ``"reduce"``, ...). The tests read it to check every
    entry, and ``autograd.functions`` to make ``autograd.<name>`` from an op's method.
    """
    from autograd import ops  # the table's modules import this one

    return {family: tuple(value for value in vars(getattr(ops, family)).values()
                          if isinstance(value, Op))
            for family in ops.__all__}
