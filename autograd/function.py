"""``autograd.Function``: custom operations written as ``torch.autograd.Function``.

A subclass writes ``forward(ctx, *args)`` and ``backward(ctx, *grad_outputs)`` as static
methods and is called through ``apply``. Each call becomes one operation of the engine: an
``Op`` made for that call, whose forward hands over what the user's ``forward`` computed and
whose vjp rule calls the user's ``backward`` once for all inputs. ``forward`` runs without
recording, as in PyTorch; ``backward`` runs in the engine's mode, so a ``backward`` written with
tensor operations has its own gradient under ``create_graph=True``.

Several outputs are supported: the differentiable ones are packed into one recorded value, and
each output returned is a slice of it, so the gradients of all of them reach one ``backward``
call (an output nothing used gets a zero gradient, as PyTorch's materialized gradients are).
"""

from __future__ import annotations

import functools
import inspect
from typing import Any

import numpy as np

from autograd.grad_mode import is_grad_enabled, no_grad
from autograd.op import Op
from autograd.tensor import Tensor


class FunctionCtx:
    """The ``ctx`` that ``forward`` and ``backward`` share, as in PyTorch.

    Attributes:
        needs_input_grad: One bool per argument of ``apply``: whether it is a tensor that
            requires grad (``backward`` may skip the others' gradients and return None).

    Any other attribute may be set on it in ``forward`` and read in ``backward``.
    """

    def __init__(self, needs_input_grad: tuple[bool, ...] = ()) -> None:
        self.needs_input_grad = needs_input_grad
        self.materialize_grads = True
        self._saved: tuple[Any, ...] = ()
        self._non_differentiable: set[int] = set()

    def save_for_backward(self, *tensors: Tensor | None) -> None:
        """Keep tensors (or None) for ``backward``, which reads them as ``saved_tensors``."""
        for i, t in enumerate(tensors):
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(f"save_for_backward can only save variables, but argument {i} "
                                f"is of type {type(t).__name__}; keep other values as "
                                f"attributes of ctx (ctx.name = value)")
        self._saved = tensors

    @property
    def saved_tensors(self) -> tuple[Any, ...]:
        """The tensors given to ``save_for_backward``, in order."""
        return self._saved

    def mark_non_differentiable(self, *outputs: Tensor) -> None:
        """Declare outputs (of ``forward``) that have no gradient, such as indices."""
        self._non_differentiable.update(id(t) for t in outputs)

    def set_materialize_grads(self, value: bool) -> None:
        """PyTorch's switch between zeros and None for unused outputs' gradients. Both are
        accepted; ``backward`` gets zeros either way (the same result for a ``backward`` that
        treats None as zero, which PyTorch requires of it)."""
        self.materialize_grads = bool(value)

    def mark_dirty(self, *tensors: Tensor) -> None:
        """Not supported: a ``forward`` that changes its inputs in place."""
        raise RuntimeError("mark_dirty: custom Functions that modify their inputs in place are "
                           "not supported; return a new tensor from forward instead")


class Function:
    """Base class of custom differentiable operations, as ``torch.autograd.Function``.

    Examples:
        >>> import autograd as torch
        >>> class MyReLU(torch.autograd.Function):
        ...     @staticmethod
        ...     def forward(ctx, input):
        ...         ctx.save_for_backward(input)
        ...         return input.clamp(min=0)
        ...     @staticmethod
        ...     def backward(ctx, grad_output):
        ...         (input,) = ctx.saved_tensors
        ...         return grad_output * (input > 0)
        >>> x = torch.tensor([-1.0, 2.0], requires_grad=True)
        >>> MyReLU.apply(x).sum().backward()
        >>> x.grad.tolist()
        [0.0, 1.0]
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("Legacy autograd function with non-static forward method is not "
                           "supported: write forward and backward as static methods and call "
                           f"{type(self).__name__}.apply(...)")

    @staticmethod
    def forward(ctx: Any, *args: Any, **kwargs: Any) -> Any:
        """The operation on tensors (not recorded); ``ctx`` keeps what ``backward`` needs."""
        raise NotImplementedError("You must implement the forward function for custom "
                                  "autograd.Function.")

    @staticmethod
    def setup_context(ctx: Any, inputs: tuple[Any, ...], output: Any) -> None:
        """Optional: with it, ``forward(*args)`` takes no ``ctx`` and this fills it instead."""
        raise NotImplementedError("setup_context is not overridden")

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        """The gradient of each input of ``forward`` (None for non-tensors), given the
        gradient of each output."""
        raise NotImplementedError("You must implement the backward method for your custom "
                                  "autograd.Function to use it with backward mode AD.")

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        """Run ``forward`` on ``args`` and record the operation for ``backward``."""
        new_style = _new_style(cls)
        if kwargs or new_style:  # as PyTorch: arguments bound to positions, defaults included
            bound = inspect.signature(cls.forward).bind(
                *(() if new_style else (None,)), *args, **kwargs)
            bound.apply_defaults()
            args = bound.args if new_style else bound.args[1:]
        recording = is_grad_enabled()
        ctx = FunctionCtx(tuple(isinstance(a, Tensor) and a.requires_grad for a in args))
        with no_grad():
            if new_style:
                output = cls.forward(*args)
                cls.setup_context(ctx, args, output)
            else:
                output = cls.forward(ctx, *args)
        inputs = [a for a in args if isinstance(a, Tensor)]
        if not (recording and any(a.requires_grad for a in inputs)):
            return output
        return _record(cls, ctx, args, inputs, output)


def once_differentiable(backward: Any) -> Any:
    """Mark a ``backward`` that is not itself differentiable, as PyTorch's decorator does.

    It runs without recording. Under ``create_graph=True`` it raises instead of returning
    gradients without a graph, which a second derivative would silently treat as constants.

    Examples:
        >>> import autograd as torch
        >>> from autograd.function import once_differentiable
        >>> class Square(torch.autograd.Function):
        ...     @staticmethod
        ...     def forward(ctx, x):
        ...         ctx.save_for_backward(x)
        ...         return x * x
        ...     @staticmethod
        ...     @once_differentiable
        ...     def backward(ctx, g):
        ...         (x,) = ctx.saved_tensors
        ...         return 2 * x * g
        >>> x = torch.tensor([3.0], requires_grad=True)
        >>> Square.apply(x).sum().backward(); x.grad.tolist()
        [6.0]
    """
    @functools.wraps(backward)
    def wrapper(ctx: Any, *grad_outputs: Any) -> Any:
        if is_grad_enabled():
            raise RuntimeError(f"{backward.__qualname__} is marked @once_differentiable: it "
                               f"cannot be differentiated again, so create_graph=True cannot "
                               f"go through it; write its backward with tensor operations and "
                               f"drop the decorator to get higher-order gradients")
        return backward(ctx, *grad_outputs)

    return wrapper


def _new_style(cls: type[Function]) -> bool:
    return cls.setup_context is not Function.setup_context


def _record(cls: type[Any], ctx: FunctionCtx, args: tuple[Any, ...], inputs: list[Any],
            output: Any) -> Any:
    """Record one call of ``cls`` as an operation on ``inputs``; the outputs to return."""
    outputs = output if isinstance(output, tuple) else (output,)
    differentiable = [k for k, o in enumerate(outputs)
                      if isinstance(o, Tensor) and o.dtype.kind == "f"
                      and id(o) not in ctx._non_differentiable]
    if not differentiable:
        return output
    rule = _BackwardRule(cls, ctx, args, outputs, differentiable)
    op = Op(f"{cls.__name__}Backward", forward=rule.forward_data, vjp=rule,
            label=cls.__name__)
    node = op(*inputs)
    results = list(outputs)
    if len(outputs) == 1:
        results[0] = node
    else:
        offset = 0
        for k in differentiable:
            o = outputs[k]
            piece = node[offset:offset + o._data.size].reshape(o.shape)
            results[k] = piece if piece.dtype == o.dtype else piece.astype(o.dtype)
            offset += o._data.size
    # backward reads the recorded outputs where forward saved what it returned
    replaced = {id(outputs[k]): results[k] for k in differentiable
                if not any(outputs[k] is a for a in inputs)}
    ctx._saved = tuple(replaced.get(id(t), t) for t in ctx._saved)
    return tuple(results) if isinstance(output, tuple) else results[0]


class _BackwardRule:
    """The vjp rule of one call: the user's ``backward``, run once per incoming gradient and
    its results handed out to the inputs one by one (the engine asks for each input)."""

    def __init__(self, cls: type[Any], ctx: FunctionCtx, args: tuple[Any, ...],
                 outputs: tuple[Any, ...],
                 differentiable: list[int]) -> None:
        self.cls, self.ctx, self.args = cls, ctx, args
        self.outputs, self.differentiable = outputs, differentiable
        self.positions = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        self.cache: tuple[Any, ...] | None = None

    def forward_data(self, *raw_inputs: Any) -> Any:  # the outputs' raw data
        if len(self.outputs) == 1:
            return self.outputs[0]._data
        pieces = [self.outputs[k]._data.reshape(-1) for k in self.differentiable]
        return np.concatenate([p.astype(np.result_type(*pieces)) for p in pieces])

    def __call__(self, index: int, g: Tensor, out: Tensor, *inputs: Tensor) -> Any:  # a Tensor
        if self.cache is None or self.cache[0] is not g._data:
            pending = {i for i, x in enumerate(inputs) if x.requires_grad}
            self.cache = (g._data, self._input_gradients(g, inputs), pending)
        _, grads, pending = self.cache
        pending.discard(index)
        if not pending:  # every input served: do not hold the gradients any longer
            self.cache = None
        return grads[index]

    def _output_gradients(self, g: Tensor) -> list[Any]:
        if len(self.outputs) == 1:
            return [g]
        grads: list[Any] = [None] * len(self.outputs)
        offset = 0
        for k in self.differentiable:
            o = self.outputs[k]
            piece = g[offset:offset + o._data.size].reshape(o.shape)
            grads[k] = piece if piece.dtype == o.dtype else piece.astype(o.dtype)
            offset += o._data.size
        for k, o in enumerate(self.outputs):
            if grads[k] is None and isinstance(o, Tensor):
                grads[k] = Tensor._wrap(np.zeros(o.shape, o.dtype))
        return grads

    def _input_gradients(self, g: Tensor, inputs: tuple[Any, ...]) -> list[Any]:
        name = f"{self.cls.__name__}Backward"
        result = self.cls.backward(self.ctx, *self._output_gradients(g))
        result = result if isinstance(result, tuple) else (result,)
        if len(result) < len(self.args):
            raise RuntimeError(f"function {name} returned an incorrect number of gradients "
                               f"(expected {len(self.args)}, got {len(result)})")
        for i, grad in enumerate(result):
            if grad is not None and (i >= len(self.args) or not isinstance(self.args[i], Tensor)):
                raise RuntimeError(f"function {name} returned a gradient different than None "
                                   f"at position {i + 1}, but the corresponding forward input "
                                   f"was not a tensor")
        grads = []
        for i, x in zip(self.positions, inputs):
            grad = result[i]
            if grad is None:
                grad = Tensor._wrap(np.zeros(x.shape, x.dtype))
            elif not isinstance(grad, Tensor):
                raise TypeError(f"function {name} returned a {type(grad).__name__} as the "
                                f"gradient at position {i + 1}; return a tensor or None")
            elif not _expandable(x.shape, grad.shape):
                raise RuntimeError(f"Function {name} returned an invalid gradient at index {i} "
                                   f"- got {list(grad.shape)} but expected shape compatible "
                                   f"with {list(x.shape)}")
            grads.append(grad)
        return grads


def _expandable(shape: tuple[int, ...], target: tuple[int, ...]) -> bool:
    """Whether ``shape`` broadcasts to ``target``: an input's gradient may have the input's
    shape broadcast (the engine sums it back), as PyTorch allows."""
    return len(shape) <= len(target) and all(
        a in (1, b) for a, b in zip(shape[::-1], target[::-1]))
