"""Keras' meanings of the layers' computations, as plain functions with the weights passed in.

``nn.functional`` is PyTorch's ``torch.nn.functional``; the Keras layers in ``nn.layers`` compute
with these helpers instead, whose arguments and numbers are Keras' (``dense`` with a kernel of
shape ``(in, out)``, ``dropout(x, rate, ...)``, ``batch_norm`` with Keras' momentum, a biased
moving variance and channels last). Private to ``nn``: users reach them through the layers.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

import autograd as ag
from autograd import Tensor, linear
from nn._checks import as_node


def _tensor(x: Any, who: str) -> Tensor:
    x = as_node(x)
    if not isinstance(x, Tensor):
        raise TypeError(f"{who} expects a Tensor or array-like data. Received: {x!r}")
    return x


def dense(x: Any, kernel: Tensor, bias: Tensor | None = None) -> Tensor:
    """``x @ kernel + bias``: a fully connected layer, applied along the last axis of ``x``.

    Args:
        x: Inputs of shape ``(..., in)``.
        kernel: Weights of shape ``(in, out)`` (Keras' layout: each column feeds one unit).
        bias: Optional, of shape ``(out,)``.

    Examples:
        >>> import autograd as ag, nn._keras_ops
        >>> nn._keras_ops.dense(ag.tensor([[1.0, 2.0]]), ag.tensor([[1.0], [1.0]]),
        ...                     ag.tensor([0.5])).numpy()
        array([[3.5]], dtype=float32)
    """
    x = _tensor(x, "dense")
    if x.ndim == 0 or x.shape[-1] != kernel.shape[0]:
        raise ValueError(f"dense: the last axis of the input must match the kernel's first axis. "
                         f"Received: input shape {tuple(x.shape)}, kernel shape "
                         f"{tuple(kernel.shape)}")
    if bias is None:
        return x @ kernel
    return linear(x, kernel, bias)


def dropout(x: Any, rate: float, training: bool = True, rng: Any = None,
            noise_shape: Any = None) -> Tensor:
    """Zero each element with probability ``rate`` and scale the rest by ``1 / (1 - rate)``.

    The scaling (inverted dropout) keeps the expected value of every element unchanged, so
    nothing needs rescaling at evaluation time, when dropout is the identity.

    Args:
        x: The input tensor.
        rate: The probability of dropping an element, in ``[0, 1)``.
        training: False returns ``x`` unchanged.
        rng: An int seed or a ``numpy.random.Generator`` for the mask.
        noise_shape: The mask's shape when it should be shared along some axes (size 1 or None
            there: None takes the input's size); defaults to the input's shape.

    Examples:
        >>> import autograd as ag, nn._keras_ops
        >>> nn._keras_ops.dropout(ag.ones(6), 0.5, rng=0).numpy()
        array([2., 0., 0., 0., 2., 2.], dtype=float32)
    """
    x = _tensor(x, "dropout")
    rate = check_rate(rate, "dropout")
    if not training or rate == 0.0:
        return x
    shape = x.shape if noise_shape is None else _noise_shape(noise_shape, x.shape)
    keep = ag.as_generator(rng).random(shape) >= rate
    return x * Tensor(keep / (1.0 - rate), dtype=x.dtype)


def check_rate(rate: Any, who: str) -> float:
    """``rate`` as a float in ``[0, 1)``, else a ValueError naming ``who``."""
    if isinstance(rate, bool) or not isinstance(rate, (int, float, np.floating)) \
            or not 0 <= rate < 1:
        raise ValueError(f"{who} expects rate to be a number in [0, 1). Received: rate={rate!r}")
    return float(rate)


def _noise_shape(noise_shape: Any, shape: tuple) -> tuple:
    noise_shape = tuple(noise_shape)
    if len(noise_shape) != len(shape) or any(
            n is not None and n not in (1, size) for n, size in zip(noise_shape, shape)):
        raise ValueError(f"dropout expects noise_shape to have one entry per input axis, each "
                         f"1, None or the input's size. Received: noise_shape={noise_shape} for "
                         f"an input of shape {shape}")
    return tuple(size if n is None else n for n, size in zip(noise_shape, shape))


def batch_norm(x: Any, moving_mean: Tensor | None, moving_variance: Tensor | None,
               gamma: Tensor | None = None, beta: Tensor | None = None, training: bool = False,
               momentum: float = 0.99, epsilon: float = 1e-3, axis: int = -1) -> Tensor:
    """Normalize each channel (the entries along ``axis``) to mean 0 and variance 1, then scale
    by ``gamma`` and shift by ``beta``.

    In training, the statistics are those of the batch (over every axis but ``axis``, the
    variance biased, divided by n), and the moving statistics, when given, are updated in place
    as Keras does: ``moving = moving * momentum + batch * (1 - momentum)``. Otherwise the moving
    statistics are used.

    Examples:
        >>> import autograd as ag, nn._keras_ops
        >>> x = ag.tensor([[1.0], [5.0]])
        >>> mean, var = ag.zeros(1), ag.ones(1)
        >>> nn._keras_ops.batch_norm(x, mean, var, training=True, epsilon=0.0).numpy()
        array([[-1.],
               [ 1.]], dtype=float32)
        >>> mean.numpy().round(4), var.numpy().round(4)
        (array([0.03], dtype=float32), array([1.03], dtype=float32))
    """
    x = _tensor(x, "batch_norm")
    axis = normalize_axis_index(axis, x.ndim)
    reduced = tuple(i for i in range(x.ndim) if i != axis)
    channel_shape = tuple(x.shape[axis] if i == axis else 1 for i in range(x.ndim))
    if training:
        per_channel = math.prod(x.shape) // max(1, x.shape[axis])
        if per_channel < 2:
            raise ValueError(
                f"batch_norm needs more than one value per channel in training, to measure the "
                f"batch's mean and variance. Received: input of shape {tuple(x.shape)}. Use a "
                f"batch of two or more examples, or evaluation mode (training=False).")
        mean = x.mean(axis=reduced, keepdims=True)
        variance = x.var(axis=reduced, keepdims=True, correction=0)  # Keras: biased
        with ag.no_grad():
            for moving, batch in ((moving_mean, mean), (moving_variance, variance)):
                if moving is not None:
                    moving.copy_(moving.numpy() * momentum
                                 + batch.numpy().reshape(moving.shape) * (1.0 - momentum))
    else:
        if moving_mean is None or moving_variance is None:
            raise ValueError("batch_norm in evaluation mode (training=False) normalizes with the "
                             "moving statistics: pass moving_mean and moving_variance")
        # Copies: updating the moving statistics later must not alter this graph's saved data.
        mean = Tensor(np.array(moving_mean.numpy()).reshape(channel_shape))
        variance = Tensor(np.array(moving_variance.numpy()).reshape(channel_shape))
    out = (x - mean) / (variance + epsilon).sqrt()
    if gamma is not None:
        out = out * gamma.reshape(channel_shape)
    if beta is not None:
        out = out + beta.reshape(channel_shape)
    return out


def embedding(indices: Any, embeddings: Tensor) -> Tensor:
    """Row ``i`` of ``embeddings`` for each integer ``i`` in ``indices``: the output has shape
    ``indices.shape + (output_dim,)``; the rows used receive the gradient.

    Examples:
        >>> import autograd as ag, nn._keras_ops
        >>> table = ag.tensor([[0.0, 0.0], [1.0, 2.0]])
        >>> nn._keras_ops.embedding([[1, 0]], table).numpy()
        array([[[1., 2.],
                [0., 0.]]], dtype=float32)
    """
    return embeddings[embedding_indices(indices, embeddings.shape[0], "embedding")]


def embedding_indices(indices: Any, rows: int, who: str) -> np.ndarray:
    """``indices`` as an int64 array, checked to be whole numbers in ``[0, rows)``."""
    values = np.asarray(indices.numpy() if isinstance(indices, Tensor) else indices)
    if values.dtype.kind not in "iuf" or (values.dtype.kind == "f"
                                          and not np.array_equal(values, np.round(values))):
        raise ValueError(f"{who} expects integer indices. Received: values of dtype "
                         f"{values.dtype}")
    values = values.astype(np.int64)
    if values.size and (values.min() < 0 or values.max() >= rows):
        raise ValueError(f"{who} expects indices in [0, {rows}) (input_dim={rows}). Received: "
                         f"indices from {values.min()} to {values.max()}")
    return values
