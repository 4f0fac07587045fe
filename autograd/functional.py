"""Derivatives of functions, as in ``torch.autograd.functional``, for Tensors and for Scalars.

Each function takes ``func`` and ``inputs`` (a value or a tuple of values), evaluates ``func`` on
fresh leaves holding the inputs' data, and differentiates it with ``autograd.grad``. The inputs
are all Tensors or all Scalars, and ``func`` returns values of the same kind (one, or a tuple).
Results have PyTorch's structure (one value for one input and one output, tuples otherwise);
with Scalars every entry is a ``Scalar`` (``float(entry)`` gives the number), since a Scalar
has one element and so does each of its derivatives.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from autograd.engine import grad
from autograd.grad_mode import enable_grad
from autograd.node import Node
from autograd.scalar import Scalar
from autograd.tensor import Tensor

_TO_TENSOR = "ag.tensor(s.data, requires_grad=True) makes a Tensor of a Scalar s"

# The values below are the inputs' kind, Scalar or Tensor, known when a call begins: they are
# typed Any, as the results are.


def _kind_of(x: Any, who: str, what: str) -> type[Node]:
    if isinstance(x, Tensor):
        return Tensor
    if isinstance(x, Scalar):
        return Scalar
    raise TypeError(f"{who}: {what} must be a Tensor or a Scalar, got {type(x).__name__}")


def _check_kind(x: Any, kind: type[Node], who: str, what: str) -> None:
    """A TypeError naming both kinds when ``x`` is not of the inputs' kind."""
    found = _kind_of(x, who, what)
    if found is not kind:
        raise TypeError(f"{who}: {what} is a {x._describe()}, but the inputs are {kind.__name__}s; "
                        f"Scalars and Tensors cannot be mixed ({_TO_TENSOR})")


def _leaves(inputs: Any, who: str) -> tuple[bool, type[Node], tuple[Any, ...]]:
    single = not isinstance(inputs, (tuple, list))
    items = (inputs,) if single else tuple(inputs)
    kind = _kind_of(items[0], who, "input 0") if items else Tensor
    leaves: list[Node] = []
    for i, x in enumerate(items):
        _check_kind(x, kind, who, f"input {i}")
        if kind is Scalar:
            leaves.append(Scalar._wrap(x._data).requires_grad_())
            continue
        if x.dtype.kind != "f":
            raise TypeError(f"{who}: input {i} must be floating point, got {x.dtype}")
        leaves.append(Tensor._wrap(x.numpy()).requires_grad_())
    return single, kind, tuple(leaves)


def _outputs(func: Callable[..., Any], leaves: tuple[Any, ...], kind: type[Node],
             who: str) -> tuple[bool, tuple[Any, ...]]:
    with enable_grad():
        out = func(*leaves)
    single = not isinstance(out, (tuple, list))
    outs = (out,) if single else tuple(out)
    for i, o in enumerate(outs):
        _check_kind(o, kind, who, f"output {i} of func")
    return single, outs


def _zeros_if_none(g: Any, like: Any) -> Any:
    if g is not None:
        return g
    if isinstance(like, Scalar):
        return Scalar._wrap(0.0)
    return Tensor._wrap(np.zeros(like.shape, like.dtype))


def _size(x: Any) -> int:
    return 1 if isinstance(x, Scalar) else x.numel()


def _direction(v: Any, like: Any, who: str) -> Any:
    """``v`` (a vector for a vjp or jvp) as a value of the same kind as ``like``."""
    if isinstance(v, Node):
        _check_kind(v, Scalar if isinstance(like, Scalar) else Tensor, who, "v")
        return v
    if isinstance(like, Scalar):
        return Scalar._wrap(float(v))
    return Tensor(v, dtype=like.dtype)


def _directions(v: Any, single: bool, likes: tuple[Any, ...], who: str,
                what: str) -> tuple[Any, ...]:
    # A tuple holds one entry per value; for a single value a list is the data of that entry.
    many = isinstance(v, tuple) or (not single and isinstance(v, list))
    vs = tuple(v) if many else (v,)
    if len(vs) != len(likes):
        raise ValueError(f"{who}: v has {len(vs)} entries for {len(likes)} {what}; give one "
                         f"per {what[:-1]}")
    return tuple(_direction(t, x, who) for t, x in zip(vs, likes))


def jacobian(func: Callable[..., Any], inputs: Any, create_graph: bool = False) -> Any:
    """The Jacobian of ``func`` at ``inputs``: shape ``output.shape + input.shape``.

    Returns one value for one input and one output, a tuple over inputs (or outputs), or a tuple
    of tuples ``J[i][j]`` = d output i / d input j. With Scalars each entry is a Scalar.

    Examples:
        >>> import autograd as ag
        >>> J = ag.jacobian(lambda x: x ** 2, ag.tensor([1.0, 2.0]))
        >>> J.numpy()
        array([[2., 0.],
               [0., 4.]], dtype=float32)
        >>> float(ag.jacobian(lambda a: a * a, ag.Scalar(3.0)))
        6.0
    """
    single_in, kind, leaves = _leaves(inputs, "jacobian")
    single_out, outs = _outputs(func, leaves, kind, "jacobian")
    table = []
    for out in outs:
        rows: list[list[Any]] = [[] for _ in leaves]
        for k in range(_size(out)):
            seed = None
            if kind is Tensor:
                onehot = np.zeros(out.numel(), out.dtype)
                onehot[k] = 1
                seed = onehot.reshape(out.shape)
            grads = grad(out, leaves, grad_outputs=seed, retain_graph=True,
                         create_graph=create_graph, allow_unused=True
                         ) if out.requires_grad else (None,) * len(leaves)
            for j, (g, x) in enumerate(zip(grads, leaves)):
                rows[j].append(_zeros_if_none(g, x))
        if kind is Scalar:
            table.append(tuple(row[0] for row in rows))
        else:
            table.append(tuple(_stack_rows(rows[j], out.shape + leaves[j].shape, leaves[j])
                               for j in range(len(leaves))))
    if single_out:
        return table[0][0] if single_in else table[0]
    return tuple(row[0] for row in table) if single_in else tuple(table)


def _stack_rows(rows: list[Any], shape: tuple[int, ...], like: Tensor) -> Tensor:
    from autograd.functions import stack

    if not rows:
        return Tensor._wrap(np.zeros(shape, like.dtype))
    return stack(rows).reshape(shape)


def hessian(func: Callable[..., Any], inputs: Any, create_graph: bool = False) -> Any:
    """The Hessian of a function with a single-element output (a Scalar, or a Tensor).

    Returns one value of shape ``input.shape + input.shape`` for one input, else a tuple of
    tuples ``H[i][j]``; with Scalars each entry is a Scalar.

    Examples:
        >>> import autograd as ag
        >>> H = ag.hessian(lambda x: (x ** 3).sum(), ag.tensor([1.0, 2.0]))
        >>> H.numpy()
        array([[ 6.,  0.],
               [ 0., 12.]], dtype=float32)
        >>> H = ag.hessian(lambda a, b: a * a * b, (ag.Scalar(1.0), ag.Scalar(2.0)))
        >>> [[float(h) for h in row] for row in H]
        [[4.0, 2.0], [2.0, 0.0]]
    """
    single_in, kind, leaves = _leaves(inputs, "hessian")

    def gradient(*xs: Any) -> tuple[Any, ...]:
        out = func(*xs)
        if isinstance(out, Node):
            _check_kind(out, kind, "hessian", "the output of func")
        if not isinstance(out, Node) or _size(out) != 1:
            raise ValueError(f"hessian: func must return a single-element Tensor or a Scalar, "
                             f"got {out._describe() if isinstance(out, Node) else repr(out)}")
        grads = grad(out, xs, create_graph=True, allow_unused=True)
        return tuple(_zeros_if_none(g, x) for g, x in zip(grads, xs))

    table = jacobian(gradient, leaves, create_graph=create_graph)
    return table[0][0] if single_in else table


def vjp(func: Callable[..., Any], inputs: Any, v: Any = None,
        create_graph: bool = False) -> tuple[Any, ...]:
    """``(outputs, vᵀ J)``: the outputs of ``func`` and the vector-Jacobian product with ``v``.

    ``v`` (one entry per output: a Tensor, array or number for Tensors, a Scalar or number for
    Scalars) may be omitted for single-element outputs.

    Examples:
        >>> import autograd as ag
        >>> out, g = ag.vjp(lambda a, b: a * b, (ag.Scalar(2.0), ag.Scalar(5.0)), 3.0)
        >>> float(out), [float(x) for x in g]
        (10.0, [15.0, 6.0])
    """
    single_in, kind, leaves = _leaves(inputs, "vjp")
    single_out, outs = _outputs(func, leaves, kind, "vjp")
    vs = None if v is None else _directions(v, single_out, outs, "vjp", "outputs")
    live = [i for i, o in enumerate(outs) if o.requires_grad]
    grads = grad([outs[i] for i in live], leaves,
                 grad_outputs=None if vs is None else [vs[i] for i in live],
                 create_graph=create_graph, allow_unused=True) if live else (None,) * len(leaves)
    grads = tuple(_zeros_if_none(g, x) for g, x in zip(grads, leaves))
    detached = tuple(o.detach() for o in outs)
    return (detached[0] if single_out else detached), (grads[0] if single_in else grads)


def jvp(func: Callable[..., Any], inputs: Any, v: Any = None,
        create_graph: bool = False) -> tuple[Any, ...]:
    """``(outputs, J v)``: the outputs of ``func`` and the Jacobian-vector product with ``v``.

    Computed with the double-vjp trick: ``u ↦ uᵀ J`` is linear in ``u``, so differentiating
    it with respect to ``u`` in the direction ``v`` gives ``J v``. ``v`` (one entry per input)
    may be omitted when every input has a single element (always so for Scalars).

    Examples:
        >>> import autograd as ag
        >>> out, jv = ag.jvp(lambda a, b: a * b, (ag.Scalar(2.0), ag.Scalar(5.0)), (1.0, 0.0))
        >>> float(out), float(jv)
        (10.0, 5.0)
    """
    single_in, kind, leaves = _leaves(inputs, "jvp")
    if v is None:
        if any(_size(x) != 1 for x in leaves):
            raise ValueError("jvp: v is required unless every input has a single element")
        v = tuple(Scalar._wrap(1.0) if kind is Scalar else Tensor._wrap(np.ones(x.shape, x.dtype))
                  for x in leaves)
    vs = _directions(v, single_in, leaves, "jvp", "inputs")
    single_out, outs = _outputs(func, leaves, kind, "jvp")
    dummies = tuple(_zeros_if_none(None, o).requires_grad_() for o in outs)
    live = [i for i, o in enumerate(outs) if o.requires_grad]
    with enable_grad():
        grads = grad([outs[i] for i in live], leaves, grad_outputs=[dummies[i] for i in live],
                     create_graph=True, allow_unused=True) if live else (None,) * len(leaves)
        pairs = [(g, u) for g, u in zip(grads, vs) if g is not None]
        results = []
        for i, d in enumerate(dummies):
            if i in live and pairs:
                (jv,) = grad([g for g, _ in pairs], [d], grad_outputs=[u for _, u in pairs],
                             retain_graph=True, create_graph=create_graph, allow_unused=True)
            else:
                jv = None
            results.append(_zeros_if_none(jv, d))
    detached = tuple(o.detach() for o in outs)
    return (detached[0] if single_out else detached), (results[0] if single_out else tuple(results))
