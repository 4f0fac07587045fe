"""Shape and indexing primitives: reshape, transpose, broadcast, indexing, joining, padding.

Most rules move the gradient back the way the forward moved the data. ``broadcast_to`` needs no
rule of its own beyond passing ``g`` on: the engine sums broadcast gradients to the input's shape.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.op import Op, call
from autograd.ops import elementwise


def is_basic_index(index: Any) -> bool:
    """True for indices made of ints, slices, None and Ellipsis only (no element repeats)."""
    items = index if isinstance(index, tuple) else (index,)
    return all(
        i is None or i is Ellipsis or isinstance(i, slice)
        or (isinstance(i, (int, np.integer)) and not isinstance(i, (bool, np.bool_)))
        for i in items
    )


def _scatter_add(g: np.ndarray, index: Any, shape: tuple[int, ...]) -> np.ndarray:
    out = np.zeros(shape, dtype=g.dtype)
    if is_basic_index(index):
        out[index] = g
    else:
        np.add.at(out, index, g)  # advanced indices may repeat: each occurrence adds
    return out


def _concatenate_vjp(index: int, g: Any, y: Any, *xs: Any, axis: int) -> Any:
    start = 0
    for x in xs[:index]:
        start += x.shape[axis]
    window = [slice(None)] * y.ndim
    window[axis] = slice(start, start + xs[index].shape[axis])
    return g[tuple(window)]


reshape = Op("reshape", lambda x, shape: np.reshape(x, shape),
             (lambda g, y, x, shape: g.reshape(x.shape),), rule="d reshape = reshape back",
             view=True, raw_rules=True)

transpose: Op = Op(
    "transpose", lambda x, axes: np.transpose(x, axes),
    # ``call``: a Tensor's ``transpose`` is PyTorch's (two dims), an array's numpy's
    (lambda g, y, x, axes: call(transpose, g, axes=tuple(np.argsort(axes).tolist())),),
    rule="d transpose = inverse permutation", view=True, raw_rules=True)

# The engine sums the gradient over the broadcast axes: the rule passes it on.
broadcast_to = Op("broadcast_to", lambda x, shape: np.broadcast_to(x, shape),
                  (lambda g, y, x, shape: g,), rule="d broadcast = sum over copies", view=True,
                  raw_rules=True)

getitem = Op("getitem", lambda x, index: x[index],
             (lambda g, y, x, index: call(scatter_add, g, index=index, shape=x.shape),),
             label="[]", rule="d x[i] = scatter into zeros (repeats add up)", view=True,
             raw_rules=True)

# The rule behind getitem's gradients of higher order.
scatter_add: Op = Op("scatter_add", _scatter_add,
                     (lambda g, y, src, index, shape: g[index],),
                     rule="d scatter = gather", raw_rules=True)

def along(index: np.ndarray, axis: int) -> tuple[Any, ...]:
    """The numpy index that picks, for each position of ``index``, the element at that position
    with its ``axis`` coordinate replaced by the value of ``index`` (PyTorch's ``gather``).

    ``index`` may be shorter than the data along the other axes: only its positions are picked.
    """
    where: list[Any] = list(np.indices(index.shape, sparse=True))
    where[axis] = index
    return tuple(where)


def _scatter_along(g: np.ndarray, index: np.ndarray, axis: int,
                   shape: tuple[int, ...]) -> np.ndarray:
    out = np.zeros(shape, dtype=g.dtype)
    np.add.at(out, along(index, axis), g)  # an index may repeat: each occurrence adds
    return out


gather = Op("gather", lambda x, index, axis: x[along(index, axis)],
            (lambda g, y, x, index, axis:
             call(scatter_along, g, index=index, axis=axis, shape=x.shape),),
            rule="d gather = scatter-add into zeros", raw_rules=True)

# The rule behind gather's gradients of higher order.
scatter_along: Op = Op(
    "scatter_along", _scatter_along,
    (lambda g, y, src, index, axis, shape: call(gather, g, index=index, axis=axis),),
    rule="d scatter = gather", raw_rules=True)

def _scatter(x: np.ndarray, src: np.ndarray, index: np.ndarray, axis: int) -> np.ndarray:
    out = x.copy()
    out[along(index, axis)] = src  # where an index repeats, one of its values stays, as in torch
    return out


def _not_overwritten(g: Any, x: Any, index: np.ndarray, axis: int) -> Any:
    """``g`` with 0 in the places ``index`` writes to (``where``: no NaN of g leaks)."""
    written = np.zeros(x.shape, dtype=bool)
    written[along(index, axis)] = True
    return elementwise.where(g._constant(np.zeros((), g._data.dtype)), g, cond=written)


# PyTorch's rules: the overwritten elements of x get no gradient, each src element the
# gradient of the place it was written to (gather), repeats included.
scatter = Op("scatter", _scatter,
             (lambda g, y, x, src, index, axis: _not_overwritten(g, x, index, axis),
              lambda g, y, x, src, index, axis: gather(g, index=index, axis=axis)),
             rule="d scatter/dx = 1 where not written, d scatter/dsrc = gather of g")

clone = Op("clone", lambda x: np.array(x, copy=True), (lambda g, y, x: g,),
           rule="d clone = 1", raw_rules=True)

concatenate = Op("concatenate", lambda *xs, axis: np.concatenate(xs, axis=axis),
                 _concatenate_vjp, rule="d concat = split the gradient", raw_rules=True,
                 dtypes="promote")

pad = Op("pad",
         lambda x, pad_width, value: np.pad(x, pad_width, mode="constant", constant_values=value),
         (lambda g, y, x, pad_width, value:
          g[tuple(slice(before, before + n) for (before, _), n in zip(pad_width, x.shape))],),
         rule="d pad = crop", raw_rules=True)

astype = Op("astype", lambda x, dtype: x.astype(dtype),
            (lambda g, y, x, dtype: g.astype(x.dtype),), rule="d cast = cast back", raw_rules=True)
