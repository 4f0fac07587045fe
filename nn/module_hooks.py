"""PyTorch's module hooks: ``register_forward_pre_hook``, ``register_forward_hook``,
``register_full_backward_pre_hook`` and ``register_full_backward_hook``, as
``torch.nn.Module``'s.

A module keeps no hook table until its first hook is registered, and ``Module.__call__`` asks
one class attribute (``_hooks_on``) before taking the path that runs them: a call without hooks
costs what it cost before hooks existed. The backward hooks follow torch's ``BackwardHook``: the
tensors among the positional inputs, and among the outputs, pass through an identity operation
(an ``autograd.Function``) whose backward sees all their gradients at once; the output side runs
the pre-hooks (which may replace ``grad_output``), the input side the hooks (which may replace
``grad_input``).
"""

from __future__ import annotations

import itertools
import warnings
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

import autograd as ag
from autograd import Tensor

if TYPE_CHECKING:
    from nn.module import Module

_ids = itertools.count()
_TABLES = ("_forward_pre_hooks", "_forward_pre_hooks_with_kwargs", "_forward_hooks",
           "_forward_hooks_with_kwargs", "_forward_hooks_always_called", "_backward_pre_hooks",
           "_backward_hooks")


class RemovableHandle:
    """What a module's ``register_*_hook`` returns: ``remove()`` unregisters the hook (also on
    leaving a ``with`` block), as ``torch.utils.hooks.RemovableHandle``. (nn may use only
    autograd's public face, which exports no handle class: hence one of its own.)

    Attributes:
        id: The hook's number, unique in this process.
    """

    def __init__(self, hooks: dict[int, Any], *extra: dict[int, Any]) -> None:
        # Weak references, as torch's: a handle kept after its module is gone holds nothing.
        self._tables = tuple(weakref.ref(table) for table in (hooks, *extra))
        self.id = next(_ids)

    def remove(self) -> None:
        """Unregister the hook; removing twice does nothing."""
        for reference in self._tables:
            table = reference()
            if table is not None:
                table.pop(self.id, None)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


class ModuleHooks:
    """The hook tables of a module and their ``register_*`` methods; ``Module`` inherits them."""

    # Set on a module (to True) by its first registration: until then calls skip all of this.
    _hooks_on = False

    def _hook_table(self, name: str) -> OrderedDict[int, Any]:
        table: OrderedDict[int, Any] | None = self.__dict__.get(name)
        if table is None:
            for each in _TABLES:  # all at once: the call path reads them without a test
                object.__setattr__(self, each, OrderedDict())
            object.__setattr__(self, "_hooks_on", True)
            table = self.__dict__[name]
        return table

    def _add_hook(self, kind: str, hook: Callable[..., Any], prepend: bool,
                  *flags: str) -> RemovableHandle:
        if not callable(hook):
            raise TypeError(f"register_{kind} expects a function. Received: {hook!r:.60}")
        table = self._hook_table(f"_{kind}s")
        marks = [self._hook_table(flag) for flag in flags]
        handle = RemovableHandle(table, *marks)
        for mark in marks:
            mark[handle.id] = True
        table[handle.id] = hook
        if prepend:
            table.move_to_end(handle.id, last=False)
        return handle

    def register_forward_pre_hook(self, hook: Callable[..., Any], *, prepend: bool = False,
                                  with_kwargs: bool = False) -> RemovableHandle:
        """Call ``hook(module, args)`` before each ``forward`` (``hook(module, args, kwargs)``
        with ``with_kwargs=True``), as PyTorch does. A value it returns replaces the
        positional inputs (a non-tuple is wrapped in a tuple); with ``with_kwargs`` it returns
        ``(args, kwargs)`` or None. ``prepend=True`` runs it before the hooks already there.

        Returns:
            A handle whose ``remove()`` unregisters the hook.

        Examples:
            >>> import autograd as torch, nn
            >>> layer = nn.Identity()
            >>> handle = layer.register_forward_pre_hook(lambda m, args: args[0] * 2)
            >>> layer(torch.tensor([1.0, 2.0])).tolist()
            [2.0, 4.0]
            >>> handle.remove()
        """
        flags = ("_forward_pre_hooks_with_kwargs",) if with_kwargs else ()
        return self._add_hook("forward_pre_hook", hook, prepend, *flags)

    def register_forward_hook(self, hook: Callable[..., Any], *, prepend: bool = False,
                              with_kwargs: bool = False, always_call: bool = False
                              ) -> RemovableHandle:
        """Call ``hook(module, args, output)`` after each ``forward`` (``hook(module, args,
        kwargs, output)`` with ``with_kwargs=True``), as PyTorch does; a value it returns
        replaces the output. ``args`` are the inputs ``forward`` got (after the pre-hooks).
        ``always_call=True`` runs it even when ``forward`` (or a hook) raised, with the output
        None, before the error goes on. ``prepend=True`` runs it before the others.

        Returns:
            A handle whose ``remove()`` unregisters the hook.

        Examples:
            >>> import autograd as torch, nn
            >>> layer = nn.Identity()
            >>> handle = layer.register_forward_hook(lambda m, args, out: out + 1)
            >>> layer(torch.tensor([1.0])).tolist()
            [2.0]
            >>> handle.remove()
        """
        flags = (("_forward_hooks_with_kwargs",) if with_kwargs else ()) + (
            ("_forward_hooks_always_called",) if always_call else ())
        return self._add_hook("forward_hook", hook, prepend, *flags)

    def register_full_backward_pre_hook(self, hook: Callable[..., Any], prepend: bool = False
                                        ) -> RemovableHandle:
        """Call ``hook(module, grad_output)`` each time the gradients with respect to the
        module's outputs are computed, as PyTorch does: ``grad_output`` has one entry per
        output (None for a non-tensor, or an output that received no gradient). A tuple it
        returns, of the same length, replaces ``grad_output``.

        Returns:
            A handle whose ``remove()`` unregisters the hook.

        Examples:
            >>> import autograd as torch, nn
            >>> layer = nn.Identity()
            >>> handle = layer.register_full_backward_pre_hook(lambda m, go: (go[0] * 10,))
            >>> x = torch.tensor([1.0], requires_grad=True)
            >>> layer(x).sum().backward(); x.grad.tolist()
            [10.0]
        """
        return self._add_hook("backward_pre_hook", hook, prepend)

    def register_full_backward_hook(self, hook: Callable[..., Any], prepend: bool = False
                                    ) -> RemovableHandle:
        """Call ``hook(module, grad_input, grad_output)`` each time the gradients with respect
        to the module's inputs are computed, as PyTorch does: one entry per positional input of
        the call (None for a non-tensor) and per output. A tuple it returns, of the same length,
        replaces ``grad_input``. When no input requires grad it runs once the output gradients
        are known, with ``grad_input`` all None (and a warning, as PyTorch's), and must return
        None. One difference: where torch passes no gradient on (a hook returning None for an
        input, a module output that got none), zeros go on here, so a leaf reached only that
        way gets a zero ``.grad`` where torch leaves None.

        Returns:
            A handle whose ``remove()`` unregisters the hook.

        Examples:
            >>> import autograd as torch, nn
            >>> layer = nn.Identity()
            >>> handle = layer.register_full_backward_hook(
            ...     lambda m, gi, go: print(gi[0].tolist(), go[0].tolist()))
            >>> x = torch.tensor([1.0], requires_grad=True)
            >>> (layer(x) * 3).sum().backward()
            [3.0] [3.0]
        """
        return self._add_hook("backward_hook", hook, prepend)

    def _call_with_hooks(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """``Module.__call__`` for a module that has hooks: torch's ``_call_impl``."""
        module = cast("Module", self)  # a mixin of Module's only
        d = self.__dict__
        if ag.compiler.is_compiling() and any(d[table] for table in _TABLES):
            raise ag.capture.CaptureError(
                f"autograd.compile: {type(module).__name__} '{module.name}' has forward or "
                f"backward hooks, which a replayed step would not call; remove them (their "
                f"handles' remove()) or run this step eagerly")
        result = None
        called: set[int] = set()
        try:
            for key, hook in list(d["_forward_pre_hooks"].items()):
                if key in d["_forward_pre_hooks_with_kwargs"]:
                    new = hook(module, args, kwargs)
                    if new is not None:
                        if not (isinstance(new, tuple) and len(new) == 2):
                            raise RuntimeError(f"forward pre-hook must return None or a tuple "
                                               f"of (new_args, new_kwargs), but got {new}.")
                        args, kwargs = new
                else:
                    new = hook(module, args)
                    if new is not None:
                        args = new if isinstance(new, tuple) else (new,)
            backward = None
            if d["_backward_hooks"] or d["_backward_pre_hooks"]:
                backward = _BackwardHook(module, list(d["_backward_hooks"].values()),
                                         list(d["_backward_pre_hooks"].values()))
                args = backward.setup_inputs(args)
            with ag.name_scope(module.name):
                result = module.forward(*args, **kwargs)
            for key, hook in list(d["_forward_hooks"].items()):
                if key in d["_forward_hooks_always_called"]:
                    called.add(key)
                result = _after_forward_hook(d, key, hook, module, args, kwargs, result)
            if backward is not None:
                if not isinstance(result, (Tensor, tuple)):
                    warnings.warn(f"For backward hooks to be called, module output should be a "
                                  f"Tensor or a tuple of Tensors but received {type(result)}",
                                  stacklevel=3)
                result = backward.setup_outputs(result)
            return result
        except Exception:
            for key, hook in list(d["_forward_hooks"].items()):
                if key not in d["_forward_hooks_always_called"] or key in called:
                    continue
                try:  # the error of forward is the one to report: a hook's is only warned
                    result = _after_forward_hook(d, key, hook, module, args, kwargs, result)
                except Exception as e:
                    warnings.warn(f"module forward hook with ``always_call=True`` raised an "
                                  f"exception that was silenced as another error was raised "
                                  f"in forward: {e}", stacklevel=3)
            raise


def _after_forward_hook(d: dict[str, Any], key: int, hook: Callable[..., Any], module: Any,
                        args: tuple[Any, ...], kwargs: dict[str, Any], result: Any) -> Any:
    """The output after one forward hook: what it returns, or ``result`` when it returns None."""
    if key in d["_forward_hooks_with_kwargs"]:
        new = hook(module, args, kwargs, result)
    else:
        new = hook(module, args, result)
    return result if new is None else new


class _BackwardHook:
    """One call's backward hooks (torch's ``BackwardHook``): the output side stores
    ``grad_output`` for the input side, which runs the hooks once ``grad_input`` is known."""

    def __init__(self, module: Module, hooks: list[Any], pre_hooks: list[Any]) -> None:
        self.module, self.hooks, self.pre_hooks = module, hooks, pre_hooks
        self.grad_outputs: tuple[Any, ...] | None = None
        self.n_inputs = self.n_outputs = -1
        self.input_index: list[int] | None = None
        self.output_index: list[int] | None = None
        self.received: set[int] = set()  # the outputs that a gradient reached

    def setup_inputs(self, args: tuple[Any, ...]) -> tuple[Any, ...]:
        self.n_inputs = len(args)
        args, self.input_index = _through(self.on_inputs, args)
        return args

    def setup_outputs(self, result: Any) -> Any:
        single = not isinstance(result, tuple)
        outputs = (result,) if single else result
        self.n_outputs = len(outputs)
        outputs, self.output_index = _through(self.on_outputs, outputs)
        if self.output_index is not None and len(self.output_index) > 1:
            # Each output is a slice of one recorded value, which gets a zero gradient for an
            # output nothing used: its hook tells a gradient that reached it from such a zero.
            for k, i in enumerate(self.output_index):
                outputs[i].register_hook(lambda g, k=k: self.received.add(k))
        return outputs[0] if single else outputs

    def on_outputs(self, grads: tuple[Any, ...]) -> tuple[Any, ...]:
        assert self.output_index is not None  # set when the outputs went through
        if len(grads) > 1:
            grads = tuple(g if k in self.received else None for k, g in enumerate(grads))
        self.received = set()
        self.grad_outputs = _packed(self.output_index, grads, self.n_outputs)
        for hook in self.pre_hooks:
            new = hook(self.module, self.grad_outputs)
            if new is None:
                continue
            if len(new) != len(self.grad_outputs):
                raise RuntimeError(f"Backward pre hook returned an invalid number of "
                                   f"grad_output, got {len(new)}, but expected "
                                   f"{len(self.grad_outputs)}")
            self.grad_outputs = tuple(new)
        given = self.grad_outputs
        if self.input_index is None:  # no input requires grad: the hooks run here
            warnings.warn("Full backward hook is firing when gradients are computed with "
                          "respect to module outputs since no inputs require gradients.",
                          stacklevel=2)
            nothing = (None,) * self.n_inputs
            for hook in self.hooks:
                new = hook(self.module, nothing, given)
                if new is not None and not (isinstance(new, tuple)
                                            and all(v is None for v in new)):
                    raise RuntimeError("Backward hook for Modules where no input requires "
                                       "gradient should always return None or None for all "
                                       "gradients.")
            self.grad_outputs = None
        return tuple(given[i] for i in self.output_index)

    def on_inputs(self, grads: tuple[Any, ...]) -> tuple[Any, ...]:
        assert self.input_index is not None
        if self.grad_outputs is None:  # reached without passing through the outputs
            return grads
        values = _packed(self.input_index, grads, self.n_inputs)
        for hook in self.hooks:
            new = hook(self.module, values, self.grad_outputs)
            if new is None:
                continue
            if len(new) != len(values):
                raise RuntimeError(f"Backward hook returned an invalid number of grad_input, "
                                   f"got {len(new)}, but expected {len(values)}")
            values = tuple(new)
        self.grad_outputs = None
        return tuple(values[i] for i in self.input_index)


def _packed(index: list[int], values: tuple[Any, ...], size: int) -> tuple[Any, ...]:
    packed: list[Any] = [None] * size
    for i, value in zip(index, values):
        packed[i] = value
    return tuple(packed)


def _through(on_backward: Callable[[tuple[Any, ...]], tuple[Any, ...]],
             values: tuple[Any, ...]) -> tuple[Any, list[int] | None]:
    """``values`` with its tensors passed through the identity whose backward calls
    ``on_backward``, and their positions;
    unchanged (and None) when none of them requires grad, as in torch."""
    index = [i for i, v in enumerate(values) if isinstance(v, Tensor)]
    tensors = [values[i] for i in index]
    if not (any(t.requires_grad for t in tensors) and ag.is_grad_enabled()):
        return values, None
    new = list(values)
    for i, t in zip(index, BackwardHookFunction.apply(on_backward, *tensors)):
        new[i] = t
    return tuple(new), index


class BackwardHookFunction(ag.Function):
    """The identity that a hooked call's tensor inputs, and then its outputs, pass through
    (torch's, by name): its backward hands the gradients of all of them, at once, to
    ``on_backward`` (``_BackwardHook.on_inputs`` or ``on_outputs``), whose result goes on."""

    @staticmethod
    def forward(ctx: Any, on_backward: Callable[[tuple[Any, ...]], tuple[Any, ...]],
                *tensors: Tensor) -> tuple[Tensor, ...]:
        ctx.on_backward = on_backward
        ctx.mark_non_differentiable(*[t for t in tensors if not t.requires_grad])
        return tensors

    @staticmethod
    def backward(ctx: Any, *grads: Any) -> tuple[Any, ...]:
        return (None, *ctx.on_backward(grads))
