"""PyTorch's ``torch.nn.utils``: gradient clipping and flattening parameters into one vector.

The clipping functions live in ``optim`` (an optimizer's companions, usable without ``nn``) and
are the same objects here, under torch's names.

Example:
    >>> import autograd as ag, nn
    >>> w = ag.tensor([0.0, 0.0], requires_grad=True)
    >>> w.grad = ag.tensor([3.0, 4.0])
    >>> nn.utils.clip_grad_norm_([w], max_norm=1.0).item()
    5.0
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

import autograd as ag
from autograd import Tensor
from optim import clip_grad_norm_, clip_grad_value_, clip_grads_with_norm_, get_total_norm

__all__ = [
    "clip_grad_norm_", "clip_grad_value_", "clip_grads_with_norm_", "get_total_norm",
    "parameters_to_vector", "vector_to_parameters",
]


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """One 1-D tensor holding every parameter's elements, in order (each flattened row-major).

    The result is computed in the graph, as torch's is: gradients flow back to the parameters.

    Args:
        parameters: An iterable of tensors (``model.parameters()``).

    Example:
        >>> import autograd as ag, nn
        >>> v = nn.utils.parameters_to_vector([ag.ones(2, 2), ag.zeros(3)])
        >>> v.numpy().tolist()
        [1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0]
    """
    params = _tensors(parameters, "parameters_to_vector")
    if not params:
        raise ValueError("parameters_to_vector: expected a non-empty list of Tensors (there "
                         "are no parameters to concatenate)")
    return ag.cat([p.reshape(-1) for p in params])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Copy consecutive slices of ``vec`` into the parameters' data, in order.

    Like torch's, it replaces each parameter's ``.data`` (outside the graph) and does not check
    that ``vec`` has exactly as many elements as the parameters hold: extra elements are left
    unused. Unlike torch's, the parameters get copies, not views of ``vec`` (a later change of
    ``vec`` does not reach them), and keep their dtype (torch's take ``vec``'s).

    Args:
        vec: A 1-D tensor, e.g. from ``parameters_to_vector``.
        parameters: An iterable of tensors to overwrite.

    Example:
        >>> import autograd as ag, nn
        >>> a, b = ag.zeros(2, 2), ag.zeros(3)
        >>> nn.utils.vector_to_parameters(ag.arange(7.0), [a, b])
        >>> a.numpy().tolist(), b.numpy().tolist()
        ([[0.0, 1.0], [2.0, 3.0]], [4.0, 5.0, 6.0])
    """
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected Tensor, but got: {type(vec).__name__}")
    flat = np.asarray(vec.data).reshape(-1)
    params = _tensors(parameters, "vector_to_parameters")
    needed = sum(int(np.prod(p.shape)) for p in params)
    if needed > flat.size:  # checked before any parameter changes (torch fails midway)
        raise RuntimeError(f"vector_to_parameters: vec has {flat.size} elements, fewer than the "
                           f"{needed} the parameters hold; pass parameters_to_vector's result "
                           f"for the same parameters")
    pointer = 0
    for p in params:
        count = int(np.prod(p.shape))
        with ag.no_grad():
            p.data = flat[pointer:pointer + count].reshape(p.shape).astype(p.dtype, copy=True)
        pointer += count


def _tensors(parameters: Iterable[Tensor], who: str) -> list[Tensor]:
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    for i, p in enumerate(params):
        if not isinstance(p, Tensor):
            raise TypeError(f"{who}: item {i} is a {type(p).__name__}, not a Tensor")
    return params
