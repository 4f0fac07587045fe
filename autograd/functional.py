"""Derivatives of functions of tensors, as in ``torch.autograd.functional``.

Each function takes ``func`` and ``inputs`` (a tensor or a tuple of tensors), evaluates ``func``
on fresh leaves holding the inputs' data, and differentiates it with ``autograd.grad``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from autograd.engine import grad
from autograd.grad_mode import enable_grad
from autograd.tensor import Tensor


def _leaves(inputs: Any, who: str) -> tuple[bool, tuple[Tensor, ...]]:
    single = not isinstance(inputs, (tuple, list))
    items = (inputs,) if single else tuple(inputs)
    leaves = []
    for i, x in enumerate(items):
        if not isinstance(x, Tensor):
            raise TypeError(f"{who}: input {i} must be a Tensor, got {type(x).__name__}")
        if x.dtype.kind != "f":
            raise TypeError(f"{who}: input {i} must be floating point, got {x.dtype}")
        leaves.append(Tensor._wrap(x.numpy()).requires_grad_())
    return single, tuple(leaves)


def _outputs(func: Callable, leaves: tuple, who: str) -> tuple[bool, tuple[Tensor, ...]]:
    with enable_grad():
        out = func(*leaves)
    single = not isinstance(out, (tuple, list))
    outs = (out,) if single else tuple(out)
    for i, o in enumerate(outs):
        if not isinstance(o, Tensor):
            raise TypeError(f"{who}: output {i} of func must be a Tensor, got {type(o).__name__}")
    return single, outs


def _zeros_if_none(g: Tensor | None, like: Tensor) -> Tensor:
    return Tensor._wrap(np.zeros(like.shape, like.dtype)) if g is None else g


def jacobian(func: Callable, inputs: Any, create_graph: bool = False) -> Any:
    """The Jacobian of ``func`` at ``inputs``: shape ``output.shape + input.shape``.

    Returns one tensor for one input and one output, a tuple over inputs (or outputs), or a tuple
    of tuples ``J[i][j]`` = d output i / d input j.

    Example:
        >>> import autograd as ag
        >>> J = ag.jacobian(lambda x: x ** 2, ag.tensor([1.0, 2.0]))
        >>> J.numpy()
        array([[2., 0.],
               [0., 4.]], dtype=float32)
    """
    single_in, leaves = _leaves(inputs, "jacobian")
    single_out, outs = _outputs(func, leaves, "jacobian")
    table = []
    for out in outs:
        rows: list[list[Tensor]] = [[] for _ in leaves]
        for k in range(out.size):
            if out.requires_grad:
                onehot = np.zeros(out.size, out.dtype)
                onehot[k] = 1
                grads = grad(out, leaves, grad_outputs=onehot.reshape(out.shape),
                             retain_graph=True, create_graph=create_graph, allow_unused=True)
            else:
                grads = (None,) * len(leaves)
            for j, (g, x) in enumerate(zip(grads, leaves)):
                rows[j].append(_zeros_if_none(g, x))
        table.append(tuple(
            _stack_rows(rows[j], out.shape + leaves[j].shape, leaves[j]) for j in range(len(leaves))
        ))
    if single_out:
        return table[0][0] if single_in else table[0]
    return tuple(row[0] for row in table) if single_in else tuple(table)


def _stack_rows(rows: list[Tensor], shape: tuple, like: Tensor) -> Tensor:
    from autograd.functions import stack

    if not rows:
        return Tensor._wrap(np.zeros(shape, like.dtype))
    return stack(rows).reshape(shape)


def hessian(func: Callable, inputs: Any, create_graph: bool = False) -> Any:
    """The Hessian of a function with a single-element output.

    Returns one tensor of shape ``input.shape + input.shape`` for one input, else a tuple of
    tuples ``H[i][j]``.

    Example:
        >>> import autograd as ag
        >>> H = ag.hessian(lambda x: (x ** 3).sum(), ag.tensor([1.0, 2.0]))
        >>> H.numpy()
        array([[ 6.,  0.],
               [ 0., 12.]], dtype=float32)
    """
    single_in, leaves = _leaves(inputs, "hessian")

    def gradient(*xs: Tensor) -> tuple[Tensor, ...]:
        out = func(*xs)
        if not isinstance(out, Tensor) or out.size != 1:
            raise ValueError("hessian: func must return a single-element Tensor")
        grads = grad(out, xs, create_graph=True, allow_unused=True)
        return tuple(_zeros_if_none(g, x) for g, x in zip(grads, xs))

    table = jacobian(gradient, leaves, create_graph=create_graph)
    return table[0][0] if single_in else table


def vjp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False) -> tuple:
    """``(outputs, vᵀ J)``: the outputs of ``func`` and the vector-Jacobian product with ``v``.

    ``v`` may be omitted for a single-element output.
    """
    single_in, leaves = _leaves(inputs, "vjp")
    single_out, outs = _outputs(func, leaves, "vjp")
    vs = None if v is None else ((v,) if single_out else tuple(v))
    live = [i for i, o in enumerate(outs) if o.requires_grad]
    grads = grad([outs[i] for i in live], leaves,
                 grad_outputs=None if vs is None else [vs[i] for i in live],
                 create_graph=create_graph, allow_unused=True) if live else (None,) * len(leaves)
    grads = tuple(_zeros_if_none(g, x) for g, x in zip(grads, leaves))
    detached = tuple(o.detach() for o in outs)
    return (detached[0] if single_out else detached), (grads[0] if single_in else grads)


def jvp(func: Callable, inputs: Any, v: Any = None, create_graph: bool = False) -> tuple:
    """``(outputs, J v)``: the outputs of ``func`` and the Jacobian-vector product with ``v``.

    Computed with the double-vjp trick: ``u ↦ uᵀ J`` is linear in ``u``, so differentiating
    it with respect to ``u`` in the direction ``v`` gives ``J v``. ``v`` may be omitted when the
    input has a single element.
    """
    single_in, leaves = _leaves(inputs, "jvp")
    if v is None:
        if any(x.size != 1 for x in leaves):
            raise ValueError("jvp: v is required unless every input has a single element")
        v = tuple(Tensor._wrap(np.ones(x.shape, x.dtype)) for x in leaves)
    vs = (v,) if single_in and not isinstance(v, (tuple, list)) else tuple(v)
    vs = tuple(t if isinstance(t, Tensor) else Tensor(t, dtype=x.dtype) for t, x in zip(vs, leaves))
    single_out, outs = _outputs(func, leaves, "jvp")
    dummies = tuple(Tensor._wrap(np.zeros(o.shape, o.dtype)).requires_grad_() for o in outs)
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
