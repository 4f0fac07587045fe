"""PyTorch's ``torch.nn.utils``: gradient clipping and flattening parameters into one vector.

The clipping functions are ``optim``'s (an optimizer's companions, usable without ``nn``),
called through functions of their own here so that each name is documented where users find it.

Examples:
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
import optim
from autograd import Node, Tensor

__all__ = [
    "clip_grad_norm_", "clip_grad_value_", "clip_grads_with_norm_", "get_total_norm",
    "parameters_to_vector", "vector_to_parameters",
]


def clip_grad_norm_(parameters: Node | Iterable[Node], max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False, foreach: bool | None = None) -> Tensor:
    """Scale all gradients together so that their joint norm is at most ``max_norm``.

    Every gradient is multiplied by ``min(max_norm / (total_norm + 1e-6), 1)``, where
    ``total_norm`` is ``get_total_norm`` of the gradients; the norm before clipping is
    returned as a 0-d Tensor. See ``optim.clip_grad_norm_`` for the details.

    Args:
        parameters: A parameter or an iterable of parameters (``model.parameters()``).
        max_norm: The largest joint norm allowed (>= 0).
        norm_type: The order of the norm (2.0, 1.0, ``math.inf``, any real order).
        error_if_nonfinite: Raise if the joint norm is NaN or infinite.
        foreach: Accepted (None, True or False) for torch's signature.

    Examples:
        >>> import autograd as ag, nn
        >>> w = ag.tensor([0.0, 0.0], requires_grad=True)
        >>> w.grad = ag.tensor([3.0, 4.0])
        >>> nn.utils.clip_grad_norm_([w], 1.0).item()
        5.0
        >>> w.grad.numpy().round(3)
        array([0.6, 0.8], dtype=float32)
    """
    # (optim's clipping functions are Any to mypy: autograd.compiler.disable returns Any)
    return optim.clip_grad_norm_(
        parameters, max_norm, norm_type, error_if_nonfinite, foreach)


def clip_grad_value_(parameters: Node | Iterable[Node], clip_value: float,
                     foreach: bool | None = None) -> None:
    """Clip every gradient element into ``[-clip_value, clip_value]``, in place.

    Args:
        parameters: A parameter or an iterable of parameters.
        clip_value: The largest absolute value a gradient element may keep (>= 0).
        foreach: Accepted (None, True or False) for torch's signature.
    """
    # (optim's clipping functions are Any to mypy: autograd.compiler.disable returns Any)
    return optim.clip_grad_value_(parameters, clip_value, foreach)


def clip_grads_with_norm_(parameters: Node | Iterable[Node], max_norm: float,
                          total_norm: Tensor | float, foreach: bool | None = None) -> None:
    """Multiply every gradient by ``min(max_norm / (total_norm + 1e-6), 1)``, in place.

    Args:
        parameters: A parameter or an iterable of parameters.
        max_norm: The largest norm allowed (>= 0).
        total_norm: The gradients' norm, from ``get_total_norm``.
        foreach: Accepted (None, True or False) for torch's signature.
    """
    # (optim's clipping functions are Any to mypy: autograd.compiler.disable returns Any)
    return optim.clip_grads_with_norm_(
        parameters, max_norm, total_norm, foreach)


def get_total_norm(tensors: Node | Iterable[Node], norm_type: float = 2.0,
                   error_if_nonfinite: bool = False, foreach: bool | None = None) -> Tensor:
    """The ``norm_type``-norm of all the tensors' elements taken as one vector (a 0-d Tensor).

    Args:
        tensors: A tensor or an iterable of tensors (gradients, for clipping).
        norm_type: The order of the norm.
        error_if_nonfinite: Raise if the norm is NaN or infinite.
        foreach: Accepted (None, True or False) for torch's signature.
    """
    # (optim's clipping functions are Any to mypy: autograd.compiler.disable returns Any)
    return optim.get_total_norm(
        tensors, norm_type, error_if_nonfinite, foreach)


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """One 1-D tensor holding every parameter's elements, in order (each flattened row-major).

    The result is computed in the graph, as torch's is: gradients flow back to the parameters.

    Args:
        parameters: An iterable of tensors (``model.parameters()``).

    Examples:
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

    Examples:
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
