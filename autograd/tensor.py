"""``Tensor``: a numpy array in the graph, with ``torch.Tensor``'s methods and PyTorch's
autograd."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from autograd.capture import state as capture_state
from autograd.constants import refuse_if_shared, share_number
from autograd.dtypes import (
    as_array,
    get_default_dtype,
    number_dtype,
    result_dtype,
    torch_name,
    with_lower,
)
from autograd.held_array import held_view
from autograd.node import Node
from autograd.op import describe_array
from autograd.ops import elementwise as ew
from autograd.ops import linalg, reduce
from autograd.ops import shape as shape_ops
from autograd.tensor_aliases import TorchAliases, torch_axis
from autograd.tensor_inplace import InPlaceMethods
from autograd.tensor_math import TorchMath
from autograd.tensor_picking import TorchPicking
from autograd.tensor_shapes import TorchShapes
from autograd.tensor_torch import TorchMethods, dims_tuple

if TYPE_CHECKING:
    from typing import TypeAlias

    # The other operand of an operation on a Tensor: a tensor, or data that becomes a constant
    # of the tensor's kind (see ``Tensor._lift``): a numpy array or number, a Python number,
    # nested lists.
    Operand: TypeAlias = "Tensor | np.ndarray | np.generic | float | list[Any] | tuple[Any, ...]"


def _shape_arg(shape: tuple[Any, ...]) -> tuple[Any, ...]:
    """Accept both ``f(2, 3)`` and ``f((2, 3))``."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return shape


def _axes(axis: Any, ndim: int, who: str) -> Any:
    """A reduction's axes: torch takes a list of dims (``x.sum([0, 1])``), numpy a tuple. A 0-d
    tensor takes dim 0 and -1 (its one element: no axis for numpy), as in PyTorch."""
    if ndim == 0 and axis is not None:
        return dims_tuple(who, axis, 0)
    return tuple(axis) if isinstance(axis, list) else axis


def _plain_index(index: Any) -> Any:
    """Indices may hold tensors (integer or boolean): use their arrays."""
    if isinstance(index, tuple):  # built from a list: see autograd.ops.reduce.kept_shape
        return tuple([i._data if isinstance(i, Tensor) else i for i in index])
    return index._data if isinstance(index, Tensor) else index


def _broadcast_axes(shape: tuple[int, ...], target: tuple[int, ...], op: Any,
                    index: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The axes to sum a gradient of ``shape`` over to get ``target``: (new leading axes, axes
    where ``target`` has size 1), or an error naming the rule whose gradient does not fit."""
    extra = len(shape) - len(target)
    if extra < 0 or any(t not in (1, n) for t, n in zip(target, shape[extra:])):
        raise RuntimeError(
            f"{op.name}: the vjp rule for input {index} returned a gradient of shape "
            f"{shape}, which does not reduce to the input's shape {target}"
        )
    # a list, not a generator: see autograd.ops.reduce.kept_shape
    kept = tuple([extra + i for i, t in enumerate(target) if t == 1 and shape[extra + i] != 1])
    return tuple(range(extra)), kept


# The size from which writing a gradient in place beats making a new array (float32, measured:
# 4,096 elements save 0.5 us, 16,384 save 6 us): see ``_writable_raw``.
_REUSED_FROM = 8192

# The constants that Python numbers lift to, by (number, dtype): see autograd.constants.
_NUMBERS: dict[tuple[Any, np.dtype], Tensor] = {}


@capture_state.deterministic  # a captured step may keep it as it is
def _number_constant(number: Any, dtype: np.dtype) -> Tensor:
    """A new constant tensor holding ``number`` as ``dtype``, read-only, shared if it can be."""
    # astype, not asarray(dtype=): a number beyond a small integer dtype wraps, as in torch
    # (int8 tensor + 300), where numpy's conversion raises OverflowError
    array = np.asarray(number).astype(dtype)
    array.flags.writeable = False
    return share_number(_NUMBERS, (number, dtype), number, Tensor._wrap(array))


def _clip_by_tensors(x: Tensor, low: Any, high: Any) -> Tensor:
    """``x.clip(low, high)`` with a bound that is a tensor: PyTorch's values and gradients, built
    from ``where`` so that each of ``x``, ``low`` and ``high`` gets the gradient where the
    result is its value (see ``Tensor.clip``)."""
    lo = None if low is None else x._lift(low)
    hi = None if high is None else x._lift(high)
    dtype = result_dtype([t._data for t in (x, lo, hi) if t is not None])
    x = x.astype(dtype)
    lo = None if lo is None else lo.astype(dtype)
    hi = None if hi is None else hi.astype(dtype)
    data = x._data
    with np.errstate(invalid="ignore"):  # comparisons with NaN are False, as wanted
        if hi is None:
            assert lo is not None
            value = np.maximum(data, lo._data)
            inside, on_low, on_high = data >= lo._data, data < lo._data, None
        elif lo is None:
            value = np.minimum(data, hi._data)
            inside, on_low, on_high = data <= hi._data, None, data > hi._data
        else:
            low_data, high_data = lo._data, hi._data
            value = np.minimum(np.maximum(data, low_data), high_data)
            inside = (data >= low_data) & (data <= high_data)
            on_low = (data < low_data) & (low_data < high_data)
            on_high = (data > high_data) | (high_data < low_data)
    # Where no condition holds (x or a bound is NaN; x below min == max), torch's value with no
    # gradient for anyone
    out = Tensor._wrap(value)
    if on_high is not None:
        assert hi is not None
        out = ew.where(hi, out, cond=on_high)
    if on_low is not None:
        assert lo is not None
        out = ew.where(lo, out, cond=on_low)
    return ew.where(x, out, cond=inside)


class Tensor(TorchMethods, TorchShapes, TorchPicking, TorchMath, InPlaceMethods, TorchAliases,
             Node):
    """An n-dimensional array that records the operations applied to it.

    Args:
        data: Numbers, nested lists, a numpy array or another tensor. Python data becomes the
            default float dtype (float32); numpy data keeps its dtype. The data is copied.
        requires_grad: Record operations on this tensor so ``backward`` can reach it. Only
            floating-point tensors can require grad.
        dtype: Convert the data to this dtype.
        name: A label for drawings and error messages.

    Every method ``torch.Tensor`` also has means what it means there (``size(dim)``,
    ``max(dim)`` giving ``(values, indices)``, unbiased ``std``/``var``, ``transpose(dim0,
    dim1)``, ``repeat`` as tiling, in-place ``*_`` methods): see ``autograd.tensor_torch``,
    ``tensor_shapes``, ``tensor_picking``, ``tensor_math``, ``tensor_inplace`` and
    ``tensor_aliases``. numpy's ``axis=``/``keepdims=`` are accepted beside ``dim=``/``keepdim=``,
    as torch accepts them; numpy's meanings are numpy functions on ``numpy()``.

    Examples:
        >>> import autograd as ag
        >>> x = ag.Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        >>> (x * x).sum().backward()
        >>> x.grad.numpy()
        array([[2., 4.],
               [6., 8.]], dtype=float32)
    """

    __slots__ = ()
    # numpy must not treat a Tensor as an array in ``ndarray * tensor``: it defers to our
    # reflected operators instead, so the operation is recorded.
    __array_ufunc__ = None
    # Defining __eq__ (elementwise) would otherwise make Tensor unhashable; the engine keys
    # dictionaries by node identity.
    __hash__ = Node.__hash__

    # Node's slots, narrowed: a Tensor's data is an array, its gradient a tensor
    _data: np.ndarray
    grad: Tensor | None

    if TYPE_CHECKING:
        # Node's operations, as the type checker should see them here: they give a Tensor.
        def __add__(self, other: Operand) -> Tensor: ...
        def __radd__(self, other: Operand) -> Tensor: ...
        def __sub__(self, other: Operand) -> Tensor: ...
        def __rsub__(self, other: Operand) -> Tensor: ...
        def __mul__(self, other: Operand) -> Tensor: ...
        def __rmul__(self, other: Operand) -> Tensor: ...
        def __truediv__(self, other: Operand) -> Tensor: ...
        def __rtruediv__(self, other: Operand) -> Tensor: ...
        def __pow__(self, other: Operand) -> Tensor: ...
        def __rpow__(self, other: Operand) -> Tensor: ...
        def maximum(self, other: Operand) -> Tensor: ...
        def minimum(self, other: Operand) -> Tensor: ...
        def __neg__(self) -> Tensor: ...
        def __abs__(self) -> Tensor: ...
        def exp(self) -> Tensor: ...
        def log(self) -> Tensor: ...
        def sqrt(self) -> Tensor: ...
        def abs(self) -> Tensor: ...
        def sin(self) -> Tensor: ...
        def cos(self) -> Tensor: ...
        def tanh(self) -> Tensor: ...
        def sigmoid(self) -> Tensor: ...
        def relu(self) -> Tensor: ...
        def softplus(self) -> Tensor: ...
        def detach(self) -> Tensor: ...
        def leaky_relu(self, negative_slope: float = 0.01) -> Tensor: ...
        # (and the data it hands out is an array)
        def _exposed(self) -> np.ndarray: ...

    def __init__(
        self, data: Any, requires_grad: bool = False, dtype: Any = None, name: str | None = None
    ) -> None:
        self._op = None  # first: a node that fails to initialize is still finalized
        if isinstance(data, Node):
            data = data._data
        self._data = as_array(data, dtype, "Tensor")
        self.grad = None
        self.requires_grad = False
        if name is not None:
            self.name = name
        self._holders = 0
        self._base = None
        if requires_grad:
            self.requires_grad_(True)

    # --- hooks used by the engine and the op table ---

    @staticmethod
    def _wrap(raw: Any) -> Tensor:
        t = object.__new__(Tensor)
        t._op = None
        t._data = raw if type(raw) is np.ndarray else np.asarray(raw)
        t.grad = None
        t.requires_grad = False
        t._holders = 0
        t._base = None
        return t

    def _lift(self, other: Any) -> Tensor:
        if isinstance(other, Tensor):
            return other
        if isinstance(other, np.generic) and other.dtype.kind in "biuf":
            other = other.item()  # PyTorch reads a numpy scalar as the Python number it holds
        if isinstance(other, (bool, int, float)):
            # PyTorch's rule for a Python number: the tensor's dtype, unless the number's
            # category is higher (a float with an integer tensor: the default float dtype; an
            # int with a boolean tensor: int64). With a float tensor that is always the
            # tensor's dtype, told without a call (W2). The constant is 0-d, so that the
            # operation's promotion (autograd.dtypes.result_dtype) ranks it below the tensor.
            dtype = self._data.dtype
            if dtype.kind != "f":
                dtype = with_lower(dtype, number_dtype(other))
            constant = _NUMBERS.get((other, dtype))
            return constant if constant is not None else _number_constant(other, dtype)
        if isinstance(other, np.ndarray):
            if other.dtype.kind not in "biuf":
                raise TypeError(f"cannot combine a Tensor with an array of dtype {other.dtype}")
            # numpy's promotion, as PyTorch gives it (``tensor + ndarray`` is numpy's operation
            # there): lifted to numpy's result dtype, the array wins PyTorch's promotion too
            dtype = np.result_type(self._data, other)
            return Tensor._wrap(other if other.dtype == dtype else other.astype(dtype))
        if isinstance(other, (list, tuple)):
            return Tensor(other)
        raise TypeError(
            f"cannot combine a Tensor ({self._describe()}) with {type(other).__name__} "
            f"({other!r:.60}); use tensors, numpy arrays or numbers"
        )

    def _constant(self, raw: Any) -> Tensor:
        return Tensor._wrap(np.asarray(raw, dtype=self._data.dtype))

    def _describe(self) -> str:
        return ("Tensor " + describe_array(self._data)
                + (f" '{self.name}'" if self.name else ""))

    def _is_differentiable(self) -> bool:
        return self._data.dtype.kind == "f"

    def _checked_data(self, value: Any) -> np.ndarray:
        return value if isinstance(value, np.ndarray) else as_array(value, self.dtype, "data")

    def _seed_gradient(self, gradient: object, who: str) -> Tensor:
        """The gradient that starts backward at this tensor, checked against its shape."""
        if gradient is None:
            if self._data.size != 1:
                raise RuntimeError(
                    f"{who}: a gradient can only be implied for a single-element output, but "
                    f"this output has shape {self.shape}; pass gradient= (or grad_outputs=) "
                    f"of that shape, or reduce the output first (e.g. .sum())"
                )
            return Tensor._wrap(np.ones(self.shape, dtype=self.dtype))
        if not isinstance(gradient, Tensor):
            gradient = Tensor(gradient, dtype=self.dtype)
        if gradient.shape != self.shape:
            raise ValueError(
                f"{who}: the gradient has shape {gradient.shape} but the output has shape "
                f"{self.shape}; they must match"
            )
        if gradient.requires_grad:  # a recorded gradient (higher order): keep its graph
            return gradient if gradient.dtype == self.dtype else gradient.astype(self.dtype)
        return Tensor._wrap(np.array(gradient._data, dtype=self.dtype))

    def _fit_gradient(self, g: object, op: Any, index: int) -> Tensor:
        """Check a rule's gradient for this input, summing broadcast axes back to our shape."""
        if not isinstance(g, Tensor):
            raise TypeError(
                f"{op.name}: the vjp rule for input {index} returned {type(g).__name__}; rules "
                f"must return a Tensor built with graph operations"
            )
        if g._data.shape != self._data.shape:
            g = g._sum_to(self._data.shape, op, index)
        if g._data.dtype != self._data.dtype:
            g = g.astype(self._data.dtype)
        return g

    def _fit_raw_gradient(self, g: Any, op: Any, index: int) -> Any:  # a numpy array
        """``_fit_gradient`` on a raw gradient, with the same numpy calls the ops would make."""
        if type(g) is not np.ndarray:  # numpy gives a scalar, not a 0-d array, for 0-d products
            if not isinstance(g, (np.generic, float)):
                raise TypeError(
                    f"{op.name}: the vjp rule for input {index} returned {type(g).__name__}; "
                    f"with raw_rules a rule must return a numpy array")
            g = np.asarray(g)
        data = self._data
        if g.shape != data.shape:
            leading, kept = _broadcast_axes(g.shape, data.shape, op, index)
            if kept:
                g = np.add.reduce(g, axis=leading + kept, keepdims=True).reshape(data.shape)
            else:
                g = np.add.reduce(g, axis=leading)
        if g.dtype != data.dtype:
            g = g.astype(data.dtype)
        return g

    def _writable_raw(self, raw: Any) -> bool:
        # Below a few thousand elements a new array costs no more than the bookkeeping that
        # would let relu write into this one (W3t): such gradients are never offered.
        return (type(raw) is np.ndarray and raw.size >= _REUSED_FROM and raw.base is None
                and raw.flags.writeable)

    def _sum_to(self, target: tuple[int, ...], op: Any, index: int) -> Tensor:
        leading, kept = _broadcast_axes(self.shape, target, op, index)
        if not kept:  # only new leading axes (a bias): summing them away gives the shape
            return self.sum(axis=leading)
        return self.sum(axis=leading + kept, keepdims=True).reshape(target)

    def _owned_copy(self, owned: set[int], create_graph: bool) -> Tensor:
        """This gradient, copied if its array is a view or already handed to another value."""
        if create_graph:
            return self
        data = self._data
        if data.base is not None or id(data) in owned:
            data = data.copy()
        owned.add(id(data))
        return self if data is self._data else Tensor._wrap(data)

    def _accumulate_grad(self, g: Tensor) -> None:
        self.grad = g if self.grad is None else self.grad + g

    # --- array facts ---

    @property
    def shape(self) -> tuple[int, ...]:
        """The array's shape."""
        return self._data.shape

    @property
    def ndim(self) -> int:
        """The number of dimensions."""
        return self._data.ndim

    @property
    def dtype(self) -> np.dtype:
        """The numpy dtype."""
        return self._data.dtype

    @property
    def data(self) -> Tensor:
        """The values as a tensor that shares this one's memory and is not recorded (PyTorch's
        ``.data``): ``p.data -= lr * p.grad``, ``p.data.zero_()`` and ``p.data = new`` change
        ``p`` outside the graph; ``numpy()`` gives the array itself.

        Unlike PyTorch, such a change is counted: a graph that saved the old values refuses to
        run backward rather than give a wrong gradient.

        Examples:
            >>> import autograd as torch
            >>> p = torch.tensor([1.0, 2.0], requires_grad=True)
            >>> _ = p.data.mul_(10)
            >>> p.tolist(), p.is_leaf, p.requires_grad
            ([10.0, 20.0], True, True)
        """
        out = Tensor._wrap(self._data)
        out._base = self._owner()
        return out

    @data.setter
    def data(self, value: Any) -> None:
        refuse_if_shared(self, "data assignment")
        self._data = self._checked_data(value._data if isinstance(value, Node) else value)
        self._mark_changed()

    def numpy(self) -> np.ndarray:
        """The data as a numpy array (shared, not copied; read-only while a graph holds it)."""
        return self._exposed()

    def _read_only(self) -> np.ndarray:
        return held_view(self._data)

    def item(self) -> Any:
        """The single element as a Python number."""
        if self._data.size != 1:
            raise ValueError(f"item: the tensor has {self.numel()} elements (shape {self.shape}); "
                             f"item() needs exactly one")
        return self._data.item()

    def tolist(self) -> Any:
        """The data as (nested) Python lists."""
        return self._data.tolist()

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        if dtype is not None and dtype != self._data.dtype:
            return self._data.astype(dtype)
        return self._data.copy() if copy else self._exposed()

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self._data)

    def __iter__(self) -> Iterator[Tensor]:
        for i in range(len(self)):
            yield self[i]

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise ValueError(f"bool(): the truth value of a tensor with {self.numel()} elements "
                             f"(shape {self.shape}) is ambiguous; use .numpy().any() or "
                             f".numpy().all()")
        return bool(self._data)

    def __repr__(self) -> str:
        body = np.array2string(self._data, separator=", ", prefix="tensor(")
        extras = [f"dtype={self.dtype}"] if self.dtype != np.float32 else []
        if self.requires_grad:
            extras.append("requires_grad=True" if self._op is None else f"op={self.op}")
        if self.name:
            extras.append(f"name={self.name!r}")
        return f"tensor({body}{''.join(', ' + e for e in extras)})"

    # --- comparisons: not differentiable, boolean tensors ---

    def _compare(self, ufunc: np.ufunc, other: Operand) -> Tensor:
        return Tensor._wrap(ufunc(self._data, self._lift(other)._data))

    def __lt__(self, other: Operand) -> Tensor:
        return self._compare(np.less, other)

    def __le__(self, other: Operand) -> Tensor:
        return self._compare(np.less_equal, other)

    def __gt__(self, other: Operand) -> Tensor:
        return self._compare(np.greater, other)

    def __ge__(self, other: Operand) -> Tensor:
        return self._compare(np.greater_equal, other)

    # (elementwise, as numpy and torch: a boolean Tensor, where object's gives a bool)
    def __eq__(self, other: Operand) -> Tensor:  # type: ignore[override]
        return self._compare(np.equal, other)

    def __ne__(self, other: Operand) -> Tensor:  # type: ignore[override]  # (as __eq__)
        return self._compare(np.not_equal, other)

    def clip(self, min: Any = None, max: Any = None) -> Tensor:
        """Limit values to ``[min, max]``; either bound may be None, a number or a tensor.

        As ``torch.clamp``: tensor bounds broadcast with the input, the result has the dtype
        of the input and bounds together (an integer tensor clipped at 0.5 is float32), and the
        gradient reaches the input where ``min <= x <= max``, a bound where the value is that
        bound's: ``min`` where ``x < min < max``, ``max`` where ``x > max`` or ``max < min``.

        Examples:
            >>> import autograd as ag
            >>> x = ag.tensor([-1.0, 0.5, 2.0], requires_grad=True)
            >>> low = ag.tensor([0.0, 0.0, 1.0], requires_grad=True)
            >>> x.clip(low, 1.5).sum().backward()
            >>> x.grad.tolist(), low.grad.tolist()
            ([0.0, 1.0, 0.0], [1.0, 0.0, 0.0])
        """
        if min is None and max is None:
            raise ValueError("clip: give at least one of min and max")
        if isinstance(min, (Node, np.ndarray)) or isinstance(max, (Node, np.ndarray)):
            return _clip_by_tensors(self, min, max)
        x = self
        if x._data.dtype.kind != "f" and (isinstance(min, (float, np.floating))
                                          or isinstance(max, (float, np.floating))):
            x = x.astype(get_default_dtype())  # PyTorch's promotion: a float bound wins
        return ew.clip(x, a_min=min, a_max=max)

    # --- reductions ---

    def sum(self, axis: Any = None, keepdims: bool = False, *, dim: Any = None,
            keepdim: bool | None = None, dtype: Any = None) -> Tensor:
        """Sum over ``axis`` (an int, a tuple or list, or None for all axes).

        Every reduction also takes PyTorch's ``dim=`` and ``keepdim=`` for ``axis`` and
        ``keepdims`` (give one name of each pair); ``dtype`` converts first, as in PyTorch.

        Examples:
            >>> import autograd as ag
            >>> ag.tensor([[1.0, 2.0], [3.0, 4.0]]).sum(dim=1, keepdim=True).numpy()
            array([[3.],
                   [7.]], dtype=float32)
        """
        if dim is not None or keepdim is not None:
            axis, keepdims = torch_axis("sum", axis, dim, keepdims, keepdim)
        axis = _axes(axis, self._data.ndim, "sum")
        if dtype is not None:
            return reduce.sum(self.to(dtype), axis=axis, keepdims=keepdims)
        return reduce.sum(self, axis=axis, keepdims=keepdims)

    def mean(self, axis: Any = None, keepdims: bool = False, *, dim: Any = None,
             keepdim: bool | None = None, dtype: Any = None) -> Tensor:
        """Arithmetic mean over ``axis`` (or ``dim``: an int, a list or a tuple), in ``dtype``
        when given.

        As in PyTorch, an integer or boolean tensor needs ``dtype`` (or ``.float()`` first):
        PyTorch refuses to guess the float dtype of its mean.
        """
        if dim is not None or keepdim is not None:
            axis, keepdims = torch_axis("mean", axis, dim, keepdims, keepdim)
        axis = _axes(axis, self._data.ndim, "mean")
        if dtype is not None:
            return reduce.mean(self.to(dtype), axis=axis, keepdims=keepdims)
        if self._data.dtype.kind != "f":
            raise RuntimeError(
                f"mean(): could not infer output dtype. Input dtype must be either a floating "
                f"point or complex dtype. Got: {torch_name(self._data.dtype)} (convert with "
                f".float(), or pass dtype=)")
        return reduce.mean(self, axis=axis, keepdims=keepdims)

    def logsumexp(self, axis: Any = None, keepdims: bool = False, *, dim: Any = None,
                  keepdim: bool | None = None) -> Tensor:
        """``log(sum(exp(x)))`` over ``axis`` (or ``dim``), computed without overflow."""
        if dim is not None or keepdim is not None:
            axis, keepdims = torch_axis("logsumexp", axis, dim, keepdims, keepdim)
        return reduce.logsumexp(self, axis=_axes(axis, self._data.ndim, "logsumexp"),
                                keepdims=keepdims)

    def softmax(self, axis: Any = -1, *, dim: Any = None) -> Tensor:
        """``exp(x) / sum(exp(x))`` along ``axis`` (or ``dim``), computed without overflow."""
        if dim is not None:
            axis = torch_axis("softmax", axis, dim, axis_default=-1)[0]
        return reduce.softmax(self, axis=axis)

    def log_softmax(self, axis: Any = -1, *, dim: Any = None) -> Tensor:
        """``x - logsumexp(x)`` along ``axis`` (or ``dim``): the log of ``softmax``, stably."""
        if dim is not None:
            axis = torch_axis("log_softmax", axis, dim, axis_default=-1)[0]
        return reduce.log_softmax(self, axis=axis)

    # --- linear algebra ---

    def matmul(self, other: Operand) -> Tensor:
        """Matrix product with numpy's rules (1-D operands, broadcast batch axes)."""
        return linalg.matmul(self, self._lift(other))

    def __matmul__(self, other: Operand) -> Tensor:
        return linalg.matmul(self, self._lift(other))

    def __rmatmul__(self, other: Operand) -> Tensor:
        return linalg.matmul(self._lift(other), self)

    # --- shape ---

    def reshape(self, *shape: Any) -> Tensor:
        """The same elements in a new shape (one dimension may be -1)."""
        return shape_ops.reshape(self, shape=_shape_arg(shape))

    @property
    def mT(self) -> Tensor:
        """The last two axes swapped (a batch of transposed matrices)."""
        n = self._data.ndim
        if n < 2:
            raise RuntimeError(f"tensor.mT is only supported on matrices or batches of "
                               f"matrices. Got a {n}-D tensor (shape {self.shape})")
        # The axes written out: every matmul rule transposes, and swapaxes' checks are slow.
        return shape_ops.transpose(self, axes=(*range(n - 2), n - 1, n - 2))

    def broadcast_to(self, *shape: Any) -> Tensor:
        """Repeat along size-1 and new leading axes to reach ``shape`` (numpy's rules)."""
        return shape_ops.broadcast_to(self, shape=_shape_arg(shape))

    def astype(self, dtype: Any) -> Tensor:
        """A copy converted to ``dtype``; differentiable between float dtypes."""
        dtype = np.dtype(dtype)
        if dtype == self.dtype:
            return self
        if dtype.kind != "f":
            return Tensor._wrap(self._data.astype(dtype))
        return shape_ops.astype(self, dtype=dtype)

    def __getitem__(self, index: Any) -> Tensor:
        return shape_ops.getitem(self, index=_plain_index(index))
