"""The dtype policy, PyTorch's dtype names, and the conversion of user data to numpy arrays.

Python numbers and lists given to ``Tensor(...)`` become the default float dtype (float32, as
``torch.Tensor(...)`` and Keras do), except booleans; numpy arrays and numpy scalars keep their
dtype. ``autograd.tensor`` infers dtypes as ``torch.tensor`` does (see ``infer_dtype``). Only
booleans, integers and floats are accepted: strings, ``None``, objects and complex numbers are
refused with a ``TypeError``.

Operations on tensors promote as PyTorch's do, not as numpy's: categories bool < integer <
float, where a higher category wins whole (int64 with float32 is float32); tensors with
dimensions outrank 0-d tensors, which outrank Python numbers, and a lower-ranked operand changes
the result only by bringing a higher category (a Python float with an integer tensor gives the
default float dtype; a float64 0-d tensor with a float32 tensor stays float32). Operations that
map integers to floats (true division, ``sqrt``, ``exp``, ...) give the default float dtype.
``result_dtype`` states the rule and ``cast_operands`` applies it, inside the ops' forwards.

The dtype names (``float32``, ``float``, ``long``, ...) are numpy dtypes, so that
``t.dtype == autograd.float32`` holds and numpy accepts them wherever it takes a dtype. They are
defined at the end of this module: ``float``, ``int`` and ``bool`` there replace Python's own
names, so the code above them reaches those through ``builtins``.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any

import numpy as np

_default_dtype = np.dtype(np.float32)

# PyTorch's dtype categories, lowest first: a higher one wins in promotion whatever the sizes.
_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2}


def get_default_dtype() -> np.dtype:
    """The float dtype given to tensors made from Python floats (``torch.get_default_dtype``).

    Examples:
        >>> import autograd as torch
        >>> torch.get_default_dtype() == torch.float32
        True
    """
    return _default_dtype


def set_default_dtype(d: Any, /) -> None:
    """Set the float dtype for tensors made from Python floats, as ``torch.set_default_dtype``.

    Args:
        d: A floating-point dtype: ``autograd.float16``, ``float32`` or ``float64`` (numpy's
            dtypes and their names are accepted too). Python's ``float`` is refused, as
            PyTorch refuses it: it would be ambiguous beside ``autograd.float`` (float32).

    Examples:
        >>> import autograd as torch
        >>> torch.set_default_dtype(torch.float64); torch.tensor([1.0]).dtype
        dtype('float64')
        >>> torch.set_default_dtype(torch.float32)
    """
    global _default_dtype
    if d is builtins.float:
        raise TypeError("set_default_dtype: Python's float is not a dtype here; pass "
                        "autograd.float64 (or autograd.float32, which autograd.float names)")
    dtype = to_dtype(d, "set_default_dtype")
    if dtype.kind != "f":
        raise TypeError(f"set_default_dtype: only floating-point types are supported as the "
                        f"default type, got {dtype}")
    _default_dtype = dtype


def to_dtype(dtype: Any, who: str) -> np.dtype:
    """``dtype`` as a numpy dtype of booleans, integers or floats; ``who`` names the caller.

    Accepts the dtype names of this module (``autograd.float32``), numpy dtypes and their
    names (``'float64'``), and Python's ``float``/``int``/``bool`` (float64, int64, bool, as
    PyTorch reads them). ``None`` is not a dtype here: callers handle it first.
    """
    try:
        if dtype is None:  # np.dtype(None) would quietly mean float64
            raise TypeError
        result: np.dtype = np.dtype(dtype)
    except TypeError:
        raise TypeError(f"{who}: expected a dtype such as autograd.float32, a numpy dtype or "
                        f"its name. Received: dtype={dtype!r}") from None
    if result.kind not in "biuf":
        raise TypeError(f"{who}: tensors hold booleans, integers or floats; dtype {result} "
                        f"is none of these")
    return result


def _promote(dtypes: builtins.list[np.dtype]) -> np.dtype:
    """PyTorch's promotion across categories: bool < integer < float; within the highest
    category present, numpy's promotion (so int64 and float32 give float32, not float64)."""
    for dtype in dtypes:  # strings, objects: as_array refuses them with its message
        if dtype.kind not in "biuf":
            return dtype
    for kinds in ("f", "iu", "b"):
        members = [d for d in dtypes if d.kind in kinds]
        if members:
            return np.result_type(*members)
    return _default_dtype


def promote_types(a: np.dtype, b: np.dtype) -> np.dtype:
    """PyTorch's ``promote_types`` for booleans, integers and floats: the higher category wins
    whole (int64 with float16 is float16, where numpy widens to float64); within one category,
    numpy's promotion, which agrees with PyTorch's there (uint8 with int8 is int16)."""
    if a == b:
        return a
    rank_a, rank_b = _CATEGORY[a.kind], _CATEGORY[b.kind]
    if rank_a != rank_b:
        return a if rank_a > rank_b else b
    return np.promote_types(a, b)


def number_dtype(number: Any) -> np.dtype:
    """The dtype PyTorch gives a Python number in an expression (a "wrapped number"): bool for
    booleans, int64 for integers, the default dtype for floats."""
    if isinstance(number, builtins.bool):
        return np.dtype(np.bool_)
    if isinstance(number, builtins.int):
        return np.dtype(np.int64)
    return _default_dtype


def with_lower(higher: np.dtype, lower: np.dtype) -> np.dtype:
    """The dtype of ``higher`` (a higher-priority operand's) once a lower-priority operand of
    dtype ``lower`` joins it: PyTorch's ``combine_categories``. A lower-priority operand changes
    the result only when its category is higher (a float 0-d tensor, or a Python float, beside
    an integer tensor; an integer beside a boolean tensor), and then its own dtype counts."""
    if higher.kind == "f" or _CATEGORY[lower.kind] <= _CATEGORY[higher.kind]:
        return higher
    return promote_types(higher, lower)


def result_dtype(arrays: Sequence[Any]) -> np.dtype:
    """The dtype PyTorch gives an operation on tensors with these arrays (``torch.result_type``);
    numpy scalars count as 0-d arrays.

    Tensors with dimensions outrank 0-d tensors: a 0-d tensor changes the result only by
    bringing a higher category (see ``with_lower``), so a float64 0-d tensor added to a float32
    tensor gives float32, and an int64 0-d tensor added to an int32 tensor gives int32. Python
    numbers are lifted to 0-d tensors of the dtype ``with_lower`` gives them beside the tensor
    they meet (see ``Tensor._lift``), which keeps them lowest.

    Examples:
        >>> import numpy as np
        >>> from autograd.dtypes import result_dtype
        >>> result_dtype([np.zeros(2, np.int64), np.zeros(2, np.float32)])
        dtype('float32')
        >>> result_dtype([np.zeros(2, np.float32), np.zeros((), np.float64)])
        dtype('float32')
    """
    dimensioned: np.dtype | None = None
    zero_dim: np.dtype | None = None
    for array in arrays:
        dtype = array.dtype
        if array.ndim:
            dimensioned = dtype if dimensioned is None else promote_types(dimensioned, dtype)
        else:
            zero_dim = dtype if zero_dim is None else promote_types(zero_dim, dtype)
    if dimensioned is None:
        assert zero_dim is not None, "result_dtype needs at least one array"
        return zero_dim
    return dimensioned if zero_dim is None else with_lower(dimensioned, zero_dim)


def to_float(dtype: np.dtype) -> np.dtype:
    """``dtype`` if it is a float dtype, else the default dtype: what PyTorch's operations that
    map integers to floats (true division, ``sqrt``, ``exp``, ``sigmoid``, ...) compute in."""
    return dtype if dtype.kind == "f" else _default_dtype


def cast_operands(rule: str, operands: Sequence[Any], who: str) -> Sequence[Any]:
    """An operation's raw operands (arrays, numpy scalars) as PyTorch computes with them.

    ``rule`` is an op's ``dtypes`` (see ``autograd.Op``): ``"promote"`` casts every operand to
    their ``result_dtype``, ``"float"`` to that or, for integers and booleans, the default float
    dtype, and ``"same"`` refuses operands of different dtypes with PyTorch's kind of message.
    Operands without a dtype (a Scalar's floats) are returned as they are; ``who`` names the
    operation in the message.
    """
    first = operands[0]
    if type(first) is np.ndarray and (rule != "float" or first.dtype.kind == "f"):
        # the common case, arrays of one dtype: nothing to cast or refuse (a loop, not all(),
        # since a generator costs more than the check on a replayed step's every operation)
        for x in operands:
            if type(x) is not np.ndarray or x.dtype != first.dtype:
                break
        else:
            return operands
    if not all(isinstance(x, (np.ndarray, np.generic)) for x in operands):
        return operands
    if rule == "same":
        first = operands[0].dtype
        for x in operands[1:]:
            if x.dtype != first:
                described = ", ".join(f"{y.dtype} {tuple(y.shape)}" for y in operands)
                raise RuntimeError(
                    f"{who}: expected both operands to have the same dtype, but got "
                    f"{torch_name(first)} and {torch_name(x.dtype)} ({described}); convert one "
                    f"with .to(dtype), .float() or .double()")
        return operands
    dtype = result_dtype(operands)
    if rule == "float":
        dtype = to_float(dtype)
    return [x if x.dtype == dtype else x.astype(dtype) for x in operands]


# PyTorch's names for dtypes in its error messages ("expected ... Float and Double").
_TORCH_NAMES = {"float16": "Half", "float32": "Float", "float64": "Double", "uint8": "Byte",
                "int8": "Char", "int16": "Short", "int32": "Int", "int64": "Long",
                "bool": "Bool"}


def torch_name(dtype: np.dtype) -> str:
    """How PyTorch's messages name ``dtype``: ``Float``, ``Double``, ``Long``, ..."""
    return _TORCH_NAMES.get(str(dtype), str(dtype))


def infer_dtype(data: Any) -> np.dtype:
    """The dtype ``torch.tensor(data)`` gives: Python bools are bool, Python ints int64, Python
    floats the default dtype; numpy arrays, numpy scalars and tensors keep theirs; a list takes
    the promotion of its elements (an empty one is the default dtype).

    Examples:
        >>> from autograd.dtypes import infer_dtype
        >>> infer_dtype([1, 2]), infer_dtype([1, 2.5]), infer_dtype([True])
        (dtype('int64'), dtype('float32'), dtype('bool'))
    """
    kind = type(data)
    if kind is builtins.bool:
        return np.dtype(np.bool_)
    if kind is builtins.int:
        return np.dtype(np.int64)
    if kind is builtins.float:
        return _default_dtype
    if isinstance(data, (builtins.list, builtins.tuple)):
        kinds = {type(item) for item in data}
        # Flat lists of one Python type (the common case) need no walk over the elements.
        if kinds <= {builtins.float, builtins.int, builtins.bool} and len(kinds) == 1:
            return infer_dtype(data[0])
        return _promote([infer_dtype(item) for item in data])
    dtype = getattr(data, "dtype", None)
    if isinstance(dtype, np.dtype):  # numpy arrays and scalars, tensors
        return dtype
    if isinstance(data, (builtins.bool, builtins.int, builtins.float)):  # their subclasses
        return infer_dtype(builtins.float(data) if isinstance(data, builtins.float)
                           else builtins.int(data))
    return np.asarray(data).dtype  # anything else: numpy's reading, which as_array judges


def as_array(data: Any, dtype: Any = None, who: str = "tensor") -> np.ndarray:
    """A new numpy array from ``data``, following the dtype policy; ``who`` names the caller."""
    from_numpy = isinstance(data, (np.ndarray, np.generic))
    try:
        array = np.array(data, dtype=dtype)
    except (ValueError, TypeError) as err:
        raise ValueError(
            f"{who}: could not make an array from the data ({err}); nested lists must be "
            f"rectangular and hold numbers only"
        ) from None
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"{who}: expected numbers or booleans, got data of dtype {array.dtype} "
            f"(from {type(data).__name__}); strings, None, objects and complex numbers are "
            f"not supported"
        )
    if dtype is None and not from_numpy and array.dtype.kind in "iuf":
        array = array.astype(_default_dtype)
    return array


# PyTorch's dtype names, as numpy dtypes. Last in the module: ``float``, ``int`` and ``bool``
# replace Python's names from here on (the functions above use ``builtins``).
float16 = half = np.dtype(np.float16)
float32 = float = np.dtype(np.float32)  # noqa: A001 (torch.float is float32)
float64 = double = np.dtype(np.float64)
uint8 = np.dtype(np.uint8)
int8 = np.dtype(np.int8)
int16 = short = np.dtype(np.int16)
int32 = int = np.dtype(np.int32)  # noqa: A001 (torch.int is int32)
int64 = long = np.dtype(np.int64)
bool = np.dtype(np.bool_)  # noqa: A001 (torch.bool)

DTYPE_NAMES = ("float16", "half", "float32", "float", "float64", "double", "uint8", "int8",
               "int16", "short", "int32", "int", "int64", "long", "bool")
"""The dtype names this module defines, as ``torch`` has them at its top level."""
