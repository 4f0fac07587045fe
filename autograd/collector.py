"""``gc_paused``: Python's cyclic garbage collector, paused while the library runs a loop it owns.

The engine makes no reference cycles: a graph is freed by reference counting as soon as nothing
refers to it, so the cyclic collector never has anything to find in one. Yet it runs again and
again while a graph is built and differentiated (it is set off by the number of objects
allocated), and each of its full passes rescans every object alive, the whole graph included.
Loops that the library runs from start to end (backward; ``nn``'s training, evaluation and
prediction steps) pause it. Code the user writes between two library calls runs with the
collector as the user left it: nothing is changed at import, and no pause outlives its loop.
"""

from __future__ import annotations

import gc


class gc_paused:
    """Context manager: pause Python's cyclic garbage collector inside, restore it on exit.

    Meant for a bounded piece of work that builds or walks a graph: one backward pass, one
    training step. It turns the collector off on entry and back on at exit if (and only if) it
    was on at entry, on every way out, exceptions included. Nested pauses (a backward inside a
    paused training step) therefore leave it to the outermost one, and a program that keeps the
    collector off keeps it off. Objects are still freed by reference counting meanwhile; only
    garbage held in reference cycles (which the engine does not make) waits for the end of the
    pause. So pause around one step of a loop rather than the whole loop, in which callbacks or
    other user code may leave cycles behind.

    The setting is process-wide: a pause in one thread also pauses collection for the others
    until it ends. That costs them memory for a while, never correctness.

    Examples:
        >>> import gc
        >>> import autograd as ag
        >>> x = ag.tensor([1.0, 2.0], requires_grad=True)
        >>> with ag.gc_paused():
        ...     paused = not gc.isenabled()
        ...     (x * x).sum().backward()
        >>> paused, gc.isenabled()
        (True, True)
    """

    __slots__ = ("_was_enabled",)

    def __enter__(self) -> gc_paused:
        self._was_enabled = gc.isenabled()
        gc.disable()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._was_enabled:
            gc.enable()
