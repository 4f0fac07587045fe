"""PyTorch's ``linear``, ``bilinear``, ``embedding``, ``one_hot`` and ``pad``, with
``torch.nn.functional``'s arguments and meanings (weights stored ``(out, in)``, pads listed from
the last axis backwards)."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

import autograd as ag
from autograd import Tensor
from nn.functional._args import is_int, tensor


def linear(input: Any, weight: Any, bias: Any = None) -> Tensor:
    """``input @ weight.T + bias``: PyTorch's fully connected layer on the last axis.

    Args:
        input: Shape ``(..., in_features)``.
        weight: Shape ``(out_features, in_features)`` (or ``(in_features,)`` for one output,
            which drops that axis).
        bias: None, or shape ``(out_features,)`` (a scalar for a 1-D weight).

    Examples:
        >>> import autograd as torch, nn.functional as F
        >>> w = torch.tensor([[1.0, 0.0], [1.0, 1.0]])
        >>> F.linear(torch.tensor([[2.0, 3.0]]), w, torch.tensor([0.5, 0.5])).numpy()
        array([[2.5, 5.5]], dtype=float32)
    """
    x, w = tensor(input, "linear"), tensor(weight, "linear")
    if w.ndim not in (1, 2) or x.ndim == 0 or x.shape[-1] != w.shape[-1]:
        raise ValueError(f"linear: the input's last axis must match the weight's last axis "
                         f"(weight is (out_features, in_features)). Received: input shape "
                         f"{tuple(x.shape)}, weight shape {tuple(w.shape)}")
    out = x @ (w.T if w.ndim == 2 else w)
    if bias is None:
        return out
    b = tensor(bias, "linear")
    want = (w.shape[0],) if w.ndim == 2 else ()
    if tuple(b.shape) not in (want, (1,) if want else ()):
        raise ValueError(f"linear expects a bias of shape {want}, one value per output. "
                         f"Received: bias shape {tuple(b.shape)}")
    if b.dtype != out.dtype:  # torch's addmm refuses it, as matmul refuses mixed operands
        raise RuntimeError(f"linear: expected the bias to have the dtype of the input and "
                           f"weight ({out.dtype}), but got {b.dtype}; convert it with "
                           f".to(dtype)")
    return out + b


def bilinear(input1: Any, input2: Any, weight: Any, bias: Any = None) -> Tensor:
    """``y[..., k] = input1 @ weight[k] @ input2 + bias[k]``.

    Args:
        input1: Shape ``(..., in1_features)``.
        input2: Shape ``(..., in2_features)``, the same leading axes.
        weight: Shape ``(out_features, in1_features, in2_features)``.
        bias: None or shape ``(out_features,)``.
    """
    x1, x2, w = (tensor(v, "bilinear") for v in (input1, input2, weight))
    if w.ndim != 3 or x1.shape[:-1] != x2.shape[:-1] or x1.ndim == 0 or x2.ndim == 0 \
            or (x1.shape[-1], x2.shape[-1]) != tuple(w.shape[1:]):
        raise ValueError(f"bilinear expects input1 (..., in1), input2 (..., in2) with the same "
                         f"leading axes and weight (out, in1, in2). Received: shapes "
                         f"{tuple(x1.shape)}, {tuple(x2.shape)}, {tuple(w.shape)}")
    out_features, in1, in2 = w.shape
    # x1 @ W laid out (in1, out * in2), then the dot product with x2 along in2.
    mixed = x1 @ ag.permute(w, (1, 0, 2)).reshape(in1, out_features * in2)
    mixed = mixed.reshape(*x1.shape[:-1], out_features, in2)
    out = (mixed * x2.reshape(*x2.shape[:-1], 1, in2)).sum(axis=-1)
    if bias is None:
        return out
    b = tensor(bias, "bilinear")
    if tuple(b.shape) != (out_features,):
        raise ValueError(f"bilinear expects a bias of shape ({out_features},). Received: "
                         f"{tuple(b.shape)}")
    return out + b


def one_hot(tensor: Any, num_classes: int = -1) -> Tensor:
    """int64 one-hot vectors: ``tensor.shape + (num_classes,)``, 1 at each class index.

    Args:
        tensor: Integer class indices, each in ``[0, num_classes)``.
        num_classes: The number of classes; -1 takes the largest index plus one.

    Examples:
        >>> import autograd as torch, nn.functional as F
        >>> F.one_hot(torch.tensor([0, 2]), 3).numpy()
        array([[1, 0, 0],
               [0, 0, 1]])
    """
    values = np.asarray(tensor.numpy() if isinstance(tensor, Tensor) else tensor)
    if values.dtype.kind not in "iu":
        raise TypeError(f"one_hot is only applicable to index tensor of an integer dtype. "
                        f"Received: dtype {values.dtype}")
    if not is_int(num_classes) or num_classes < -1 or num_classes == 0 and values.size:
        raise ValueError(f"one_hot expects num_classes to be -1 or a positive int. Received: "
                         f"num_classes={num_classes!r}")
    if values.size and values.min() < 0:
        raise RuntimeError("one_hot: class values must be non-negative.")
    if num_classes == -1:
        if not values.size:
            raise RuntimeError("one_hot: can not infer total number of classes from empty "
                               "tensor.")
        num_classes = int(values.max()) + 1
    if values.size and values.max() >= num_classes:
        raise RuntimeError(f"one_hot: class values must be smaller than num_classes="
                           f"{num_classes}. Received: a value {values.max()}")
    return ag.as_tensor(np.eye(num_classes, dtype=np.int64)[values.astype(np.int64)])


def embedding(input: Any, weight: Any, padding_idx: int | None = None,
              max_norm: float | None = None, norm_type: float = 2.0,
              scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """Row ``i`` of ``weight`` for each integer ``i`` of ``input``: shape
    ``input.shape + (embedding_dim,)``.

    Args:
        input: Integer indices into the rows of ``weight``.
        weight: The table, ``(num_embeddings, embedding_dim)``.
        padding_idx: A row that receives no gradient (negative counts from the end).
        max_norm: When given, each row looked up whose ``norm_type``-norm exceeds it is first
            rescaled in place to that norm (as PyTorch does, changing ``weight``).
        norm_type: The p of the p-norm for ``max_norm``.
        scale_grad_by_freq: Only False is supported.
        sparse: Only False is supported (gradients are dense arrays here).

    Examples:
        >>> import autograd as torch, nn.functional as F
        >>> table = torch.tensor([[0.0, 0.0], [1.0, 2.0]])
        >>> F.embedding(torch.tensor([[1, 0]]), table).numpy()
        array([[[1., 2.],
                [0., 0.]]], dtype=float32)
    """
    for name, value in (("scale_grad_by_freq", scale_grad_by_freq), ("sparse", sparse)):
        if value is not False:
            raise ValueError(f"embedding: {name}={value!r} is not supported; use {name}=False")
    w = tensor(weight, "embedding")
    if w.ndim != 2:
        raise ValueError(f"embedding expects a 2-D weight (num_embeddings, embedding_dim). "
                         f"Received: weight shape {tuple(w.shape)}")
    rows = w.shape[0]
    index = indices(input, rows, "embedding")
    padding = padding_row(padding_idx, rows, "embedding")
    if max_norm is not None:
        _renorm(w, np.unique(index), max_norm, norm_type)
    out = w[index]
    if padding is None:
        return out
    # The padding row's value is used, but as a constant: it receives no gradient.
    hit = ag.as_tensor((index == padding)[..., None])
    return ag.where(hit, ag.as_tensor(w.numpy()[index]), out)


def indices(input: Any, rows: int, who: str) -> np.ndarray:
    """``input`` as an int64 array of row indices in ``[0, rows)``, else an error."""
    values = np.asarray(input.numpy() if isinstance(input, Tensor) else input)
    if values.dtype.kind not in "iu":
        raise TypeError(f"{who} expects integer indices (Long or Int). Received: dtype "
                        f"{values.dtype}")
    if values.size and (values.min() < 0 or values.max() >= rows):
        raise IndexError(f"{who}: index out of range in self: indices must be in [0, {rows}). "
                         f"Received: indices from {values.min()} to {values.max()}")
    return values.astype(np.int64)


def padding_row(padding_idx: Any, rows: int, who: str) -> int | None:
    """``padding_idx`` as a row in ``[0, rows)`` (negative counts from the end), or None."""
    if padding_idx is None:
        return None
    if not is_int(padding_idx) or not -rows <= padding_idx < rows:
        raise ValueError(f"{who}: padding_idx must be within num_embeddings={rows}. Received: "
                         f"padding_idx={padding_idx!r}")
    return int(padding_idx) % rows


def _renorm(weight: Tensor, rows: np.ndarray, max_norm: Any, norm_type: Any) -> None:
    for name, value in (("max_norm", max_norm), ("norm_type", norm_type)):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"embedding expects {name} to be a number. Received: {value!r}")
    data = weight.numpy()[rows]
    norms = np.linalg.norm(data, ord=float(norm_type), axis=1)
    # PyTorch's embedding_renorm_: rows above max_norm are scaled to it (the 1e-7 is its own).
    scale = np.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0).astype(data.dtype)
    with ag.no_grad():
        new = weight.numpy().copy()
        new[rows] = data * scale[:, None]
        weight.copy_(new)


def pad(input: Any, pad: Any, mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad (or, with negative sizes, crop) the last axes.

    Args:
        input: The tensor.
        pad: ``(left, right)`` for the last axis, then ``(top, bottom)`` for the one before,
            and so on: an even number of ints, at most two per axis.
        mode: ``'constant'`` (fill with ``value``), ``'reflect'`` (mirror without repeating the
            edge), ``'replicate'`` (repeat the edge) or ``'circular'`` (wrap around).
        value: The fill value for ``'constant'`` (default 0); the other modes take none.

    Examples:
        >>> import autograd as torch, nn.functional as F
        >>> F.pad(torch.tensor([[1.0, 2.0]]), (1, 2), value=9.0).numpy()
        array([[9., 1., 2., 9., 9.]], dtype=float32)
    """
    x = tensor(input, "pad")
    sizes = list(pad) if isinstance(pad, (list, tuple)) else None
    if sizes is None or len(sizes) % 2 or len(sizes) > 2 * x.ndim \
            or not all(is_int(s) for s in sizes):
        raise ValueError(f"pad expects an even number of ints, at most two per axis of the "
                         f"input (shape {tuple(x.shape)}). Received: pad={pad!r}")
    widths = [(0, 0)] * x.ndim
    for i in range(len(sizes) // 2):
        widths[x.ndim - 1 - i] = (int(sizes[2 * i]), int(sizes[2 * i + 1]))
    if mode == "constant":
        return _pad_constant(x, widths, 0.0 if value is None else value)
    if mode not in ("reflect", "replicate", "circular"):
        raise ValueError(f"pad expects mode 'constant', 'reflect', 'replicate' or 'circular'. "
                         f"Received: mode={mode!r}")
    if value is not None:
        raise ValueError(f'Padding mode "{mode}" doesn\'t take in value argument.')
    for axis, (before, after) in enumerate(widths):
        if before or after:
            x = x[(slice(None),) * axis + (_gather(x.shape[axis], before, after, mode),)]
    return x


def _pad_constant(x: Tensor, widths: list[Any], value: Any) -> Tensor:
    crop = tuple(slice(max(-b, 0), n - max(-a, 0)) for (b, a), n in zip(widths, x.shape))
    if any(n - max(-b, 0) - max(-a, 0) < 0 for (b, a), n in zip(widths, x.shape)):
        raise ValueError(f"pad: negative padding crops more than the input has. Received: "
                         f"input shape {tuple(x.shape)}, pad widths {widths}")
    if any(b < 0 or a < 0 for b, a in widths):
        x = x[crop]
    grow = [(max(b, 0), max(a, 0)) for b, a in widths]
    return ag.pad(x, grow, constant_values=value) if any(b or a for b, a in grow) else x


def _gather(size: int, before: int, after: int, mode: str) -> np.ndarray:
    """The source index of each position of a padded axis."""
    position = np.arange(-before, size + after)
    if mode == "replicate":
        return np.clip(position, 0, size - 1)
    if mode == "circular":
        if before > size or after > size:
            raise ValueError(f"pad: circular padding may wrap at most once: pads ({before}, "
                             f"{after}) for an axis of size {size}")
        return position % size
    if before >= size or after >= size:
        raise ValueError(f"pad: reflect padding must be smaller than the axis it pads: pads "
                         f"({before}, {after}) for an axis of size {size}")
    period = 2 * (size - 1)
    folded = np.abs(position) % period if period else np.zeros_like(position)
    return np.where(folded >= size, period - folded, folded)
