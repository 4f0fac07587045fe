"""The primitive-operation mechanism: an ``Op`` pairs a forward on raw data with its vjp rules.

Every built-in primitive in ``autograd.ops`` is an ``Op``, and users define their own the same
way. ``apply`` runs the forward on the inputs' raw data (a float for ``Scalar``, a numpy array for
``Tensor``), wraps the result, and records a ``Context`` on it when the graph is being recorded.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Union

import numpy as np

from autograd import anomaly
from autograd.grad_mode import state

if TYPE_CHECKING:
    from autograd.node import Node

VjpRule = Callable[..., "Node"]


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
        rule: The local derivative in words, for drawings (``"d tanh = 1 - y²"``).
        domain: Where the tests sample inputs: ``"real"``, ``"positive"``, ``"nonzero"``,
            ``"unit"`` (between -1 and 1) or ``"none"`` (not a differentiable input); a string
            for all inputs or a tuple with one per input.
        view: True when the output may share memory with the first input (reshape, transpose):
            the output then shares the input's version counter, so in-place changes through
            either are detected at backward.

    Example:
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
    ) -> None:
        self.name = name
        self.forward = forward
        self.rules = tuple(vjp) if isinstance(vjp, (tuple, list)) else vjp
        self.label = label or name
        self.rule = rule
        self.domain = domain
        self.view = view

    def vjp(self, index: int, g: Node, out: Node, inputs: tuple[Node, ...], params: dict) -> Node:
        """The gradient for input ``index``, given the gradient ``g`` of the output ``out``."""
        rules = self.rules
        if isinstance(rules, tuple):
            return rules[index](g, out, *inputs, **params)
        return rules(index, g, out, *inputs, **params)

    def __repr__(self) -> str:
        return f"Op({self.name!r})"


class Context:
    """What an output remembers of the operation that made it, for backward.

    ``versions`` holds the version counters of the inputs and of the output at record time; the
    engine compares them at backward to detect data changed in place after it was saved. While
    the context is alive and not released, each input counts it as a holder (``_holders``),
    which makes the input's ``.data`` read-only: numpy writes there bypass the version counter.
    ``released`` is set after a backward without ``retain_graph``; the structure stays so the
    graph can still be drawn, but a second backward through it is refused. ``scope`` holds the
    names of the ``name_scope`` blocks (layers) the operation was recorded in.
    """

    __slots__ = ("op", "inputs", "params", "versions", "released", "trace", "scope")

    def __init__(self, op: Op, inputs: tuple[Node, ...], params: dict, versions: tuple) -> None:
        self.op = op
        self.inputs = inputs
        self.params = params
        self.versions = versions
        self.released = False
        self.trace: str | None = None
        self.scope: tuple = state.scope

    def release(self) -> None:
        """Mark the saved data as no longer needed (after a backward without ``retain_graph``)."""
        if not self.released:
            self.released = True
            for x in self.inputs:
                (x if x._base is None else x._base)._holders -= 1

    def __del__(self) -> None:
        self.release()  # a graph dropped without backward stops holding its inputs when freed


_ERROR_TYPES = (IndexError, ValueError, TypeError)


def apply(op: Op, *inputs: Node, **params: Any) -> Node:
    """Run ``op`` on ``inputs`` and record it when grad mode is on and an input requires grad."""
    try:
        # Most ops take one or two inputs: naming them saves the list (0.25 us of W2's 7 us/op).
        if len(inputs) == 2:
            raw = op.forward(inputs[0]._data, inputs[1]._data, **params)
        elif len(inputs) == 1:
            raw = op.forward(inputs[0]._data, **params)
        else:
            raw = op.forward(*[x._data for x in inputs], **params)
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
    if state.anomaly_enabled:
        anomaly.check_forward(op, out)
    return out


# Calling an op is ``apply`` itself rather than a method that calls it: one Python call less on
# every operation, forward and backward (0.2 us of W2's 7 us/op).
Op.__call__ = apply


def _record(op: Op, inputs: tuple[Node, ...], params: dict, out: Node) -> None:
    if not out._is_differentiable():
        return
    versions = []
    for x in inputs:
        owner = x if x._base is None else x._base
        owner._holders += 1  # held by this context until it is released or freed
        versions.append(owner._version)
    versions.append(0 if out._base is None else out._base._version)  # out is new: 0 unless a view
    ctx = Context(op, inputs, params, tuple(versions))
    if state.anomaly_enabled:
        ctx.trace = anomaly.user_source_line()
    out.requires_grad = True
    out._ctx = ctx
    out._seq = next(_recordings)


_recordings = itertools.count(1)  # numbers the recorded nodes; see engine.topological_order


def _named_error(op: Op, inputs: tuple[Node, ...], err: Exception) -> Exception:
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
