"""The optimizers' hooks, as ``torch.optim.Optimizer``'s: around ``step``, ``state_dict`` and
``load_state_dict``.

Every ``step`` a subclass defines is wrapped once, when the class is created (torch patches it
at the first instance): pre-hooks may replace the call's arguments, post-hooks see them after
the update. A hook is registered in an ordered table and removed through the handle returned.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from typing import Any

from autograd import compiler

_ids = itertools.count()


class RemovableHandle:
    """What ``register_*_hook`` returns: ``remove()`` unregisters the hook (also on leaving a
    ``with`` block), as ``torch.utils.hooks.RemovableHandle``."""

    def __init__(self, table: dict[int, Callable[..., Any]], key: int) -> None:
        self._table, self.id = table, key

    def remove(self) -> None:
        """Unregister the hook; removing twice does nothing."""
        self._table.pop(self.id, None)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


class OptimizerHooks:
    """The hook tables and their ``register_*`` methods; ``Optimizer`` inherits them."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "step" in cls.__dict__:
            # Live in a captured step (autograd.compile): an update reads the learning rate
            # and state it has when it runs, so a replay calls it rather than repeating it.
            # (every optimizer defines step; this base class does not)
            cls.step = compiler.disable(  # type: ignore[attr-defined]
                _with_step_hooks(cls.__dict__["step"]))

    def _hooks(self, kind: str) -> dict[int, Callable[..., Any]]:
        tables: dict[str, dict[int, Callable[..., Any]]] = self.__dict__.setdefault(
            "_hook_tables", {})
        return tables.setdefault(kind, {})

    def _register(self, kind: str, hook: Callable[..., Any],
                  prepend: bool = False) -> RemovableHandle:
        if not callable(hook):
            raise TypeError(f"register_{kind}_hook expects a function. Received: {hook!r:.60}")
        table, key = self._hooks(kind), next(_ids)
        table[key] = hook
        if prepend:  # run first: move it to the front of the ordered table
            items = list(table.items())
            table.clear()
            table.update([items[-1], *items[:-1]])
        return RemovableHandle(table, key)

    def register_step_pre_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """Call ``hook(optimizer, args, kwargs)`` before each ``step``; it may return
        ``(new_args, new_kwargs)`` to replace the call's arguments (``args[0]`` is the
        optimizer, as in torch)."""
        return self._register("step_pre", hook)

    def register_step_post_hook(self, hook: Callable[..., Any]) -> RemovableHandle:
        """Call ``hook(optimizer, args, kwargs)`` after each ``step``."""
        return self._register("step_post", hook)

    def register_state_dict_pre_hook(self, hook: Callable[..., Any],
                                     prepend: bool = False) -> RemovableHandle:
        """Call ``hook(optimizer)`` before ``state_dict`` builds its result."""
        return self._register("state_dict_pre", hook, prepend)

    def register_state_dict_post_hook(self, hook: Callable[..., Any],
                                      prepend: bool = False) -> RemovableHandle:
        """Call ``hook(optimizer, state_dict)`` on ``state_dict``'s result; a dict it returns
        replaces the result."""
        return self._register("state_dict_post", hook, prepend)

    def register_load_state_dict_pre_hook(self, hook: Callable[..., Any],
                                          prepend: bool = False) -> RemovableHandle:
        """Call ``hook(optimizer, state_dict)`` before loading; a dict it returns is loaded
        instead."""
        return self._register("load_state_dict_pre", hook, prepend)

    def register_load_state_dict_post_hook(self, hook: Callable[..., Any],
                                           prepend: bool = False) -> RemovableHandle:
        """Call ``hook(optimizer)`` after ``load_state_dict``."""
        return self._register("load_state_dict_post", hook, prepend)

    def _state_dict_with_hooks(self, build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        for hook in list(self._hooks("state_dict_pre").values()):
            hook(self)
        result = build()
        for hook in list(self._hooks("state_dict_post").values()):
            returned = hook(self, result)
            if returned is not None:
                result = returned
        return result

    def _load_with_hooks(self, state_dict: dict[str, Any],
                         load: Callable[[dict[str, Any]], None]) -> None:
        for hook in list(self._hooks("load_state_dict_pre").values()):
            returned = hook(self, state_dict)
            if returned is not None:
                state_dict = returned
        load(state_dict)
        for hook in list(self._hooks("load_state_dict_post").values()):
            hook(self)


def _with_step_hooks(step: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(step)
    def stepped(*args: Any, **kwargs: Any) -> Any:
        self = args[0]
        if self.__dict__.get("_in_step"):  # a step calling its parent's: hooks run once
            return step(*args, **kwargs)
        for hook in list(self._hooks("step_pre").values()):
            result = hook(self, args, kwargs)
            if result is not None:
                if not (isinstance(result, tuple) and len(result) == 2):
                    raise RuntimeError(f"{step.__qualname__} pre-hook must return None or a "
                                       f"tuple of (new_args, new_kwargs), but got {result!r:.80}")
                args, kwargs = result
        self.__dict__["_in_step"] = True
        try:
            out = step(*args, **kwargs)
        finally:
            self.__dict__["_in_step"] = False
        for hook in list(self._hooks("step_post").values()):
            hook(self, args, kwargs)
        return out

    return stepped
