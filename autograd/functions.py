"""Operations as functions: ``autograd.exp(x)`` as well as ``x.exp()``.

Every op of the table (``autograd.ops``) that is a method of ``Node`` or ``Tensor`` is also a
function: unless written out below, it is made here from the method, ``autograd.<name>(x, ...)``
calling ``x.<name>(...)`` with the method's docstring and signature. Adding a primitive and its
method therefore adds the function too. Written out below are the functions that do more than
call a method (``maximum`` lifts either argument, ``reshape`` and ``transpose`` take numpy's
arguments), those with parameters that nn calls on every step (a made function passes
``*args, **kwargs`` on, which costs time), the composites, and the operations on several
tensors (``where``, ``concatenate``, ``stack``, ``split``, ``pad``).

Functions of one value accept a ``Scalar``, a ``Tensor`` or array-like data (made a ``Tensor``);
one that only tensors have refuses a ``Scalar`` with a ``TypeError`` naming the function.
PyTorch's names are accepted beside numpy's: ``dim=``/``keepdim=`` wherever ``axis=``/``keepdims=``
are, and ``cat``, ``permute``, ``clamp``.
"""

from __future__ import annotations

import builtins
import inspect
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any, overload

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from autograd.node import Node
from autograd.op import op_table
from autograd.ops import elementwise as ew
from autograd.ops import linalg
from autograd.ops import shape as shape_ops
from autograd.tensor import Tensor
from autograd.tensor_aliases import torch_axis

if TYPE_CHECKING:
    from autograd.scalar import Scalar
    from autograd.tensor import Operand


def _node(x: Any) -> Node:
    return x if isinstance(x, Node) else Tensor(x)


def _tensor(x: Any, who: str) -> Tensor:
    if isinstance(x, Tensor):
        return x
    if isinstance(x, Node):
        raise TypeError(f"{who}: expected tensors, got {x._describe()}")
    return Tensor(x)


# where's a and b when not given: a private object, so that no value a caller passes (None
# included, which torch refuses there) is taken for "only the condition".
_ONLY_CONDITION: Any = object()

# Functions of Node's operations give the kind of value they are given (a Scalar for Scalars, a
# Tensor for tensors and data): overloads tell type checkers.
@overload
def leaky_relu(x: Scalar, negative_slope: float = 0.01) -> Scalar: ...
@overload
def leaky_relu(x: Operand, negative_slope: float = 0.01) -> Tensor: ...
def leaky_relu(x: Any, negative_slope: float = 0.01) -> Node:
    """``x`` where positive, ``negative_slope * x`` elsewhere."""
    return _node(x).leaky_relu(negative_slope)


@overload
def maximum(a: Scalar, b: Scalar | float) -> Scalar: ...
@overload
def maximum(a: float, b: Scalar) -> Scalar: ...
@overload
def maximum(a: Operand, b: Operand) -> Tensor: ...
def maximum(a: object, b: object) -> Node:
    """Elementwise maximum of two values (broadcast)."""
    a = _node(a) if isinstance(a, Node) or not isinstance(b, Node) else b._lift(a)
    return a.maximum(b)


@overload
def minimum(a: Scalar, b: Scalar | float) -> Scalar: ...
@overload
def minimum(a: float, b: Scalar) -> Scalar: ...
@overload
def minimum(a: Operand, b: Operand) -> Tensor: ...
def minimum(a: object, b: object) -> Node:
    """Elementwise minimum of two values (broadcast)."""
    a = _node(a) if isinstance(a, Node) or not isinstance(b, Node) else b._lift(a)
    return a.minimum(b)


@overload
def clip(x: Scalar, min: Any = None, max: Any = None) -> Scalar: ...
@overload
def clip(x: Operand, min: Any = None, max: Any = None) -> Tensor: ...
def clip(x: Any, min: Any = None, max: Any = None) -> Node:
    """Limit values to ``[min, max]``."""
    return _node(x).clip(min, max)


@overload
def clamp(x: Scalar, min: Any = None, max: Any = None) -> Scalar: ...
@overload
def clamp(x: Operand, min: Any = None, max: Any = None) -> Tensor: ...
def clamp(x: Any, min: Any = None, max: Any = None) -> Node:
    """Limit values to ``[min, max]``: PyTorch's name for ``clip``; either bound may be None.

    Examples:
        >>> import autograd as ag
        >>> ag.clamp(ag.tensor([-1.0, 2.0]), min=0.0).numpy()
        array([0., 2.], dtype=float32)
    """
    if min is None and max is None:
        raise ValueError("clamp: both min and max are None; give at least one bound")
    return _node(x).clip(min, max)


@overload
def where(condition: Any) -> tuple[Tensor, ...]: ...
@overload
def where(condition: Any, a: Scalar, b: Scalar | float) -> Scalar: ...
@overload
def where(condition: Any, a: float, b: Scalar) -> Scalar: ...
@overload
def where(condition: Any, a: Operand, b: Operand) -> Tensor: ...
def where(condition: Any, a: Any = _ONLY_CONDITION, b: Any = _ONLY_CONDITION) -> Any:
    """``a`` where ``condition`` holds, else ``b`` (broadcast); differentiable in ``a`` and ``b``.

    ``where(condition)`` alone is ``torch.where``'s other form: the indices of the nonzero
    elements, one int64 tensor per dimension (``nonzero(as_tuple=True)``).

    Examples:
        >>> import autograd as ag
        >>> x = ag.tensor([-1.0, 2.0])
        >>> ag.where(x > 0, x, 0.0).numpy()
        array([0., 2.], dtype=float32)
        >>> ag.where(ag.tensor([[0, 3], [5, 0]]))
        (tensor([0, 1], dtype=int64), tensor([1, 0], dtype=int64))
    """
    if a is _ONLY_CONDITION and b is _ONLY_CONDITION:
        data = condition._data if isinstance(condition, Node) else np.asarray(condition)
        # numpy gives a 0-d array one index array; torch treats it as one element of shape (1,)
        return tuple(Tensor._wrap(index.astype(np.int64)) for index in np.nonzero(
            np.atleast_1d(data)))
    if a is _ONLY_CONDITION or b is _ONLY_CONDITION:
        raise TypeError("where: give both a and b (or only the condition, for the indices of "
                        "its nonzero elements)")
    cond = condition._data if isinstance(condition, Node) else np.asarray(condition)
    if cond.dtype != np.bool_:
        raise TypeError(f"where: the condition must be boolean, got dtype {cond.dtype}")
    first = a if isinstance(a, Node) else (b if isinstance(b, Node) else Tensor(a))
    return ew.where(first._lift(a), first._lift(b), cond=cond)


def matmul(a: Any, b: Any) -> Tensor:
    """Matrix product with numpy's rules."""
    return _tensor(a, "matmul").matmul(b)


def sum(x: Any, axis: Any = None, keepdims: bool = False, *, dim: Any = None,
        keepdim: bool | None = None) -> Tensor:
    """Sum over ``axis`` (or ``dim``)."""
    return _tensor(x, "sum").sum(axis=axis, keepdims=keepdims, dim=dim, keepdim=keepdim)


def mean(x: Any, axis: Any = None, keepdims: bool = False, *, dim: Any = None,
         keepdim: bool | None = None) -> Tensor:
    """Mean over ``axis`` (or ``dim``)."""
    return _tensor(x, "mean").mean(axis=axis, keepdims=keepdims, dim=dim, keepdim=keepdim)


def var(x: Any, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction: float | None = None, axis: Any = None, keepdims: bool | None = None) -> Tensor:
    """The variance over ``dim``, divided by ``n - correction`` (default 1: unbiased), as
    ``torch.var``; see ``Tensor.var``."""
    return _tensor(x, "var").var(dim, unbiased, keepdim, correction=correction, axis=axis,
                                 keepdims=keepdims)


def std(x: Any, dim: Any = None, unbiased: bool | None = None, keepdim: bool = False, *,
        correction: float | None = None, axis: Any = None, keepdims: bool | None = None) -> Tensor:
    """The standard deviation over ``dim`` (unbiased by default), as ``torch.std``."""
    return _tensor(x, "std").std(dim, unbiased, keepdim, correction=correction, axis=axis,
                                 keepdims=keepdims)


def max(x: Any, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
        keepdims: bool | None = None) -> Any:
    """The largest element; with ``dim``, ``(values, indices)`` along it; with a tensor as
    second argument, the elementwise maximum: ``torch.max``.

    Examples:
        >>> import autograd as torch
        >>> _, predicted = torch.max(torch.tensor([[0.1, 0.9], [0.8, 0.2]]), 1)
        >>> predicted.tolist()
        [1, 0]
    """
    return _tensor(x, "max").max(dim, keepdim, axis=axis, keepdims=keepdims)


def min(x: Any, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
        keepdims: bool | None = None) -> Any:
    """The smallest element; with ``dim``, ``(values, indices)``: ``torch.min``."""
    return _tensor(x, "min").min(dim, keepdim, axis=axis, keepdims=keepdims)


def amax(x: Any, dim: Any = (), keepdim: bool = False) -> Tensor:
    """The maximum over ``dim`` (all dimensions by default), as ``torch.amax``."""
    return _tensor(x, "amax").amax(dim, keepdim)


def amin(x: Any, dim: Any = (), keepdim: bool = False) -> Tensor:
    """The minimum over ``dim`` (all dimensions by default), as ``torch.amin``."""
    return _tensor(x, "amin").amin(dim, keepdim)


def logsumexp(x: Any, axis: Any = None, keepdims: bool = False, *, dim: Any = None,
              keepdim: bool | None = None) -> Tensor:
    """``log(sum(exp(x)))`` over ``axis`` (or ``dim``), computed without overflow."""
    return _tensor(x, "logsumexp").logsumexp(axis=axis, keepdims=keepdims, dim=dim, keepdim=keepdim)


def softmax(x: Any, axis: Any = -1, *, dim: Any = None) -> Tensor:
    """Softmax along ``axis`` (or ``dim``)."""
    return _tensor(x, "softmax").softmax(axis=axis, dim=dim)


def log_softmax(x: Any, axis: Any = -1, *, dim: Any = None) -> Tensor:
    """Log-softmax along ``axis`` (or ``dim``)."""
    return _tensor(x, "log_softmax").log_softmax(axis=axis, dim=dim)


def argmax(x: Any, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
           keepdims: bool | None = None) -> Tensor:
    """The index of the largest element (flattened, or along ``dim``); not differentiable."""
    return _tensor(x, "argmax").argmax(dim, keepdim, axis=axis, keepdims=keepdims)


def argmin(x: Any, dim: Any = None, keepdim: bool = False, *, axis: Any = None,
           keepdims: bool | None = None) -> Tensor:
    """The index of the smallest element (flattened, or along ``dim``); not differentiable."""
    return _tensor(x, "argmin").argmin(dim, keepdim, axis=axis, keepdims=keepdims)


def reshape(x: Any, shape: Any) -> Tensor:
    """The same elements in a new shape."""
    return _tensor(x, "reshape").reshape(shape)


def transpose(x: Any, dim0: int, dim1: int) -> Tensor:
    """Swap dimensions ``dim0`` and ``dim1``, as ``torch.transpose`` (``permute`` orders all)."""
    return _tensor(x, "transpose").transpose(dim0, dim1)


def permute(x: Any, dims: Sequence[int]) -> Tensor:
    """The axes in the order ``dims``, one index per axis: PyTorch's name for ``transpose``.

    Examples:
        >>> import autograd as ag
        >>> ag.permute(ag.zeros(2, 3, 4), (2, 0, 1)).shape
        (4, 2, 3)
    """
    return _tensor(x, "permute").permute(dims)


def broadcast_to(x: Any, shape: Any) -> Tensor:
    """Broadcast to ``shape``."""
    return _tensor(x, "broadcast_to").broadcast_to(shape)


def squeeze(x: Any, dim: Any = None, *, axis: Any = None) -> Tensor:
    """Remove dimensions of size 1 (all, or those of ``dim`` that have size 1), as
    ``torch.squeeze``."""
    return _tensor(x, "squeeze").squeeze(dim, axis=axis)


def unsqueeze(x: Any, dim: Any = None, *, axis: Any = None) -> Tensor:
    """Insert a dimension of size 1 at ``dim``, as ``torch.unsqueeze``."""
    return _tensor(x, "unsqueeze").unsqueeze(dim, axis=axis)


def flatten(x: Any, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Dimensions ``start_dim`` to ``end_dim`` merged into one, as ``torch.flatten``."""
    return _tensor(x, "flatten").flatten(start_dim, end_dim)


def concatenate(tensors: Sequence[Any], axis: int | None = 0, *,
                dim: int | None = None) -> Tensor:
    """Join tensors along an existing axis (``axis=None`` flattens them first, as numpy does).

    ``cat`` is the same function under PyTorch's name, and ``dim`` PyTorch's name for ``axis``.

    Examples:
        >>> import autograd as ag
        >>> ag.cat([ag.zeros(2, 1), ag.ones(2, 2)], dim=1).numpy()
        array([[0., 1., 1.],
               [0., 1., 1.]], dtype=float32)
    """
    if dim is not None:
        axis = torch_axis("concatenate", axis, dim, axis_default=0)[0]
    parts = [_tensor(t, "concatenate") for t in tensors]
    if not parts:
        raise ValueError("concatenate: needs at least one tensor")
    if axis is None:
        parts, axis = [t.flatten() for t in parts], 0
    try:
        axis = normalize_axis_index(axis, parts[0].ndim)
    except (ValueError, IndexError) as err:
        raise ValueError(f"concatenate: {err} (first shape {parts[0].shape})") from None
    return shape_ops.concatenate(*parts, axis=axis)


cat = concatenate


def stack(tensors: Sequence[Any], axis: int = 0, *, dim: int | None = None) -> Tensor:
    """Join same-shaped tensors along a new axis (``axis``, or PyTorch's ``dim``)."""
    if dim is not None:
        axis = torch_axis("stack", axis, dim, axis_default=0)[0]
    tensors = [_tensor(t, "stack") for t in tensors]
    if not tensors:
        raise ValueError("stack: needs at least one tensor")
    shapes = {t.shape for t in tensors}
    if len(shapes) > 1:
        raise ValueError(f"stack: all tensors must have the same shape, got {sorted(shapes)}")
    return concatenate([t.unsqueeze(axis) for t in tensors], axis=axis)


def split(tensor: Any, split_size_or_sections: Any, dim: int = 0) -> tuple[Any, ...]:
    """Pieces along ``dim``, of ``split_size`` each (the last may be shorter) or of the listed
    sizes, as ``torch.split`` (numpy's ``np.split`` counts sections instead)."""
    return _tensor(tensor, "split").split(split_size_or_sections, dim)


def pad(x: object, pad_width: Any, mode: str = "constant", constant_values: float = 0) -> Tensor:
    """Pad with a constant (numpy's ``pad_width``: an int, a pair, or one pair per axis)."""
    x = _tensor(x, "pad")
    if mode != "constant":
        raise ValueError(f"pad: only mode='constant' is supported, got mode={mode!r}")
    try:
        widths = np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (x.ndim, 2))
    except ValueError:
        raise ValueError(f"pad: pad_width {pad_width!r} does not fit a tensor of shape "
                         f"{x.shape}; give an int, a (before, after) pair or one pair per axis"
                         ) from None
    if (widths < 0).any():
        raise ValueError(f"pad: pad_width must not be negative, got {pad_width!r}")
    pairs = tuple((int(b), int(a)) for b, a in widths)
    return shape_ops.pad(x, pad_width=pairs, value=constant_values)


def einsum(equation: str, *operands: Any) -> Tensor:
    """Sums of products over the axes an equation names, as ``torch.einsum`` (and numpy's):
    ``'ij,jk->ik'`` is a matrix product, ``'ii->i'`` a diagonal, ``'...ij->...ji'`` a batched
    transpose; without ``->`` the output is the letters used once, in order. The operands may
    also come as one list. Differentiable in every operand (the gradient is an einsum too).

    Examples:
        >>> import autograd as torch
        >>> a, b = torch.tensor([[1.0, 2.0]]), torch.tensor([[3.0], [4.0]])
        >>> torch.einsum("ij,jk->ik", a, b).tolist(), torch.einsum("ij,ij", a, a).item()
        ([[11.0]], 5.0)
    """
    if not isinstance(equation, str):
        raise TypeError(f"einsum(): the equation must be a string. Received: {equation!r}")
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    tensors = [_tensor(x, "einsum") for x in operands]
    if not tensors:
        raise ValueError("einsum(): must provide at least one operand")
    explicit = linalg.explicit_equation(equation, [t.ndim for t in tensors])
    return linalg.einsum(*tensors, equation=explicit)


def _method_as_function(name: str) -> Callable[..., Node]:
    """``autograd.<name>(x, ...)``: the method ``x.<name>(...)``, with its docstring and signature.

    ``x`` may be array data (made a Tensor); a method only tensors have refuses a Scalar. For a
    method that takes only the value (``x.exp()``), the function calls the method directly and
    costs what a written-out one does. One with parameters passes ``*args, **kwargs`` on, about
    150 ns more per call: write such a function out where a hot path calls it.
    """
    on_node = inspect.isfunction(getattr(Node, name, None))
    owner = Node if on_node else Tensor
    method = getattr(owner, name)
    signature = inspect.signature(method)
    _, *rest = signature.parameters.values()
    lift = _node if on_node else partial(_tensor, who=name)
    # builtins.all: this module's own ``all`` is torch's, made below
    inherited = builtins.all(getattr(kind, name) is method for kind in owner.__subclasses__())
    if not rest and inherited:
        def function(x: Any) -> Any:
            return method(lift(x))
    else:
        # (the variants differ on purpose: this one passes the method's arguments on)
        def function(x: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[misc]
            return getattr(lift(x), name)(*args, **kwargs)
    first = inspect.Parameter("x", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation="Any")
    function.__name__ = function.__qualname__ = name
    function.__doc__ = method.__doc__
    # what inspect.signature reports (a function object takes the attribute)
    function.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[first, *rest])
    return function


# The functions written out above (each listed here: a test checks it) take precedence; every
# other op of the table that is a method is made a function from it and added to this list.
__all__ = ["amax", "amin", "argmax", "argmin", "broadcast_to", "cat", "clamp", "clip",
           "concatenate", "einsum", "flatten", "leaky_relu", "log_softmax", "logsumexp",
           "matmul", "max", "maximum", "mean", "min",
           "minimum", "pad", "permute", "reshape", "softmax", "split", "squeeze", "stack", "std",
           "sum", "transpose", "unsqueeze", "var", "where"]

# Tensor methods that are not ops of their own but that PyTorch also offers as functions
# (``torch.sort(x)``, ``torch.topk(x, 3)``): made from the method too.
TORCH_METHOD_FUNCTIONS = ["all", "any", "argsort", "chunk", "flip", "isnan", "masked_fill",
                          "repeat_interleave", "sort", "square", "swapaxes", "swapdims", "t",
                          "topk", "unbind", "index_select", "masked_select", "nonzero", "isinf",
                          "isfinite", "dot", "outer", "tril", "triu", "scatter_add", "unique"]

for _name in TORCH_METHOD_FUNCTIONS:
    if _name not in globals():
        globals()[_name] = _method_as_function(_name)
        __all__.append(_name)

for _op in (op for family in op_table().values() for op in family):
    if _op.name not in globals() and (inspect.isfunction(getattr(Node, _op.name, None))
                                    or inspect.isfunction(getattr(Tensor, _op.name, None))):
        globals()[_op.name] = _method_as_function(_op.name)
        __all__.append(_op.name)
del _op, _name

if TYPE_CHECKING:
    # The functions made above from methods, as type checkers see them (they do not run the
    # loops that make them): each takes the value the method is called on first. A function of
    # Node's takes a Scalar too and gives the kind of value it is given; tests/test_typing.py
    # checks this list against the functions made.
    from autograd.tensor_torch import ValuesIndices

    __all__ += ["all", "any", "argsort", "chunk", "flip", "isnan", "masked_fill",
                "repeat_interleave", "sort", "square", "swapaxes", "swapdims", "t", "topk",
                "unbind", "index_select", "masked_select", "nonzero", "isinf", "isfinite", "dot",
                "outer", "tril", "triu", "scatter_add", "unique", "add", "sub", "mul", "div",
                "pow", "neg", "exp", "log", "sqrt", "abs", "sin", "cos", "tanh", "sigmoid",
                "relu", "softplus", "log1p", "expm1", "floor", "ceil", "trunc", "round", "sign",
                "floor_divide", "remainder", "fmod", "cumsum", "prod", "norm", "gather",
                "scatter", "clone", "astype"]
    def all(x: Operand, dim: Any = None, keepdim: bool = False) -> Tensor: ...
    def any(x: Operand, dim: Any = None, keepdim: bool = False) -> Tensor: ...
    def argsort(x: Operand, dim: int = -1, descending: bool = False, *,
                stable: bool = False) -> Tensor: ...
    def chunk(x: Operand, chunks: int, dim: int = 0) -> tuple[Tensor, ...]: ...
    def flip(x: Operand, *dims: Any) -> Tensor: ...
    def isnan(x: Operand) -> Tensor: ...
    def masked_fill(x: Operand, mask: Any, value: Any) -> Tensor: ...
    def repeat_interleave(x: Operand, repeats: Any, dim: int | None = None, *,
                          output_size: int | None = None) -> Tensor: ...
    def sort(x: Operand, dim: int = -1, descending: bool = False, *,
             stable: bool = False) -> ValuesIndices: ...
    def square(x: Operand) -> Tensor: ...
    def swapaxes(x: Operand, axis0: int, axis1: int) -> Tensor: ...
    def swapdims(x: Operand, dim0: int, dim1: int) -> Tensor: ...
    def t(x: Operand) -> Tensor: ...
    def topk(x: Operand, k: int, dim: int = -1, largest: bool = True,
             sorted: bool = True) -> ValuesIndices: ...
    def unbind(x: Operand, dim: int = 0) -> tuple[Tensor, ...]: ...
    def index_select(x: Operand, dim: int, index: Any) -> Tensor: ...
    def masked_select(x: Operand, mask: Any) -> Tensor: ...
    def nonzero(x: Operand, *, as_tuple: bool = False) -> Any: ...
    def isinf(x: Operand) -> Tensor: ...
    def isfinite(x: Operand) -> Tensor: ...
    def dot(x: Operand, other: Any) -> Tensor: ...
    def outer(x: Operand, vec2: Any) -> Tensor: ...
    def tril(x: Operand, diagonal: int = 0) -> Tensor: ...
    def triu(x: Operand, diagonal: int = 0) -> Tensor: ...
    def scatter_add(x: Operand, dim: int, index: Any, src: Any) -> Tensor: ...
    def unique(x: Operand, sorted: bool = True, return_inverse: bool = False,
               return_counts: bool = False, dim: int | None = None) -> Any: ...
    def add(x: Operand, other: Operand, *, alpha: float = 1) -> Tensor: ...
    def sub(x: Operand, other: Operand, *, alpha: float = 1) -> Tensor: ...
    def mul(x: Operand, other: Operand) -> Tensor: ...
    def div(x: Operand, other: Operand, *, rounding_mode: str | None = None) -> Tensor: ...
    def pow(x: Operand, exponent: Operand) -> Tensor: ...
    def neg(x: Operand) -> Tensor: ...
    @overload
    def exp(x: Scalar) -> Scalar: ...
    @overload
    def exp(x: Operand) -> Tensor: ...
    def exp(x: Scalar | Operand) -> Scalar | Tensor: ...
    @overload
    def log(x: Scalar) -> Scalar: ...
    @overload
    def log(x: Operand) -> Tensor: ...
    def log(x: Scalar | Operand) -> Scalar | Tensor: ...
    @overload
    def sqrt(x: Scalar) -> Scalar: ...
    @overload
    def sqrt(x: Operand) -> Tensor: ...
    def sqrt(x: Scalar | Operand) -> Scalar | Tensor: ...
    @overload
    def abs(x: Scalar) -> Scalar: ...
    @overload
    def abs(x: Operand) -> Tensor: ...
    def abs(x: Scalar | Operand) -> Scalar | Tensor: ...
    @overload
    def sin(x: Scalar) -> Scalar: ...
    @overload
    def sin(x: Operand) -> Tensor: ...
    def sin(x: Scalar | Operand) -> Scalar | Tensor: ...
    @overload
    def cos(x: Scalar) -> Scalar: ...
    @overload
    def cos(x: Operand) -> Tensor: ...
    def cos(x: Scalar | Operand) -> Scalar | Tensor: ...
    @overload
    def tanh(x: Scalar) -> Scalar: ...
    @overload
    def tanh(x: Operand) -> Tensor: ...
    def tanh(x: Scalar | Operand) -> Scalar | Tensor: ...
    @overload
    def sigmoid(x: Scalar) -> Scalar: ...
    @overload
    def sigmoid(x: Operand) -> Tensor: ...
    def sigmoid(x: Scalar | Operand) -> Scalar | Tensor: ...
    @overload
    def relu(x: Scalar) -> Scalar: ...
    @overload
    def relu(x: Operand) -> Tensor: ...
    def relu(x: Scalar | Operand) -> Scalar | Tensor: ...
    @overload
    def softplus(x: Scalar) -> Scalar: ...
    @overload
    def softplus(x: Operand) -> Tensor: ...
    def softplus(x: Scalar | Operand) -> Scalar | Tensor: ...
    @overload
    def log1p(x: Scalar) -> Scalar: ...
    @overload
    def log1p(x: Operand) -> Tensor: ...
    def log1p(x: Scalar | Operand) -> Scalar | Tensor: ...
    @overload
    def expm1(x: Scalar) -> Scalar: ...
    @overload
    def expm1(x: Operand) -> Tensor: ...
    def expm1(x: Scalar | Operand) -> Scalar | Tensor: ...
    @overload
    def floor(x: Scalar) -> Scalar: ...
    @overload
    def floor(x: Operand) -> Tensor: ...
    def floor(x: Scalar | Operand) -> Scalar | Tensor: ...
    @overload
    def ceil(x: Scalar) -> Scalar: ...
    @overload
    def ceil(x: Operand) -> Tensor: ...
    def ceil(x: Scalar | Operand) -> Scalar | Tensor: ...
    @overload
    def trunc(x: Scalar) -> Scalar: ...
    @overload
    def trunc(x: Operand) -> Tensor: ...
    def trunc(x: Scalar | Operand) -> Scalar | Tensor: ...
    @overload
    def round(x: Scalar, *, decimals: int = 0) -> Scalar: ...
    @overload
    def round(x: Operand, *, decimals: int = 0) -> Tensor: ...
    def round(x: Scalar | Operand, *, decimals: int = 0) -> Scalar | Tensor: ...
    @overload
    def sign(x: Scalar) -> Scalar: ...
    @overload
    def sign(x: Operand) -> Tensor: ...
    def sign(x: Scalar | Operand) -> Scalar | Tensor: ...
    def floor_divide(x: Operand, other: Operand) -> Tensor: ...
    def remainder(x: Operand, other: Operand) -> Tensor: ...
    def fmod(x: Operand, other: Operand) -> Tensor: ...
    def cumsum(x: Operand, dim: int, *, dtype: Any = None) -> Tensor: ...
    def prod(x: Operand, dim: int | None = None, keepdim: bool = False, *,
             dtype: Any = None) -> Tensor: ...
    def norm(x: Operand, p: Any = "fro", dim: Any = None, keepdim: bool = False,
             dtype: Any = None) -> Tensor: ...
    def gather(x: Operand, dim: int, index: Any, *, sparse_grad: bool = False) -> Tensor: ...
    def scatter(x: Operand, dim: int, index: Any, src: Any = None, *, value: Any = None,
                reduce: str | None = None) -> Tensor: ...
    def clone(x: Operand) -> Tensor: ...
    def astype(x: Operand, dtype: Any) -> Tensor: ...
