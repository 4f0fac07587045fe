"""One seed for every random draw the library makes: ``manual_seed(s)``, as in PyTorch.

A single root ``numpy.random.SeedSequence`` stands behind every draw made without an explicit
seed: ``randn``/``rand`` with ``rng=None``, layers' initial weights, dropout masks, shuffling in
``fit``, the toy data sets. Each such user asks ``next_generator()`` for a fresh, independent
``numpy.random.Generator`` spawned from the root, so ``manual_seed`` followed by the same
program gives the same numbers. Until ``manual_seed`` is called the root is seeded from the
operating system. numpy's global random state and Python's ``random`` module are never used.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

import numpy as np

_root = np.random.SeedSequence()
# spawn() counts its children in the root; the lock keeps two threads from getting the same one.
_lock = threading.Lock()
# Far above any count of children, so that a stream of its own never meets a spawned child.
_OWN_STREAM = 2**40


def manual_seed(seed: int) -> None:
    """Restart the root sequence from ``seed``, a non-negative int.

    Unlike PyTorch's, it returns nothing: there is no generator object to hand back, only the
    sequence that ``next_generator`` draws from.

    Examples:
        >>> import autograd as ag
        >>> ag.manual_seed(0); a = ag.randn(3)
        >>> ag.manual_seed(0); b = ag.randn(3)
        >>> bool((a.numpy() == b.numpy()).all())
        True
    """
    global _root
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"manual_seed expects a non-negative int. Received: seed={seed!r}")
    with _lock:
        _root = np.random.SeedSequence(int(seed))


def next_generator() -> np.random.Generator:
    """A new ``numpy.random.Generator``, the next child of the root sequence.

    Library code that needs randomness and was given no seed takes its Generator from here (or
    through ``as_generator(None)``), so that ``manual_seed`` governs it.

    Examples:
        >>> import autograd as ag
        >>> ag.manual_seed(1); first = ag.next_generator().random()
        >>> ag.manual_seed(1); bool(ag.next_generator().random() == first)
        True
    """
    with _lock:
        child = _root.spawn(1)[0]
    return np.random.default_rng(child)


def as_generator(rng: Any = None) -> np.random.Generator:
    """A ``numpy.random.Generator`` from a Generator (returned as it is), an int seed, or None
    (the next generator of the root sequence that ``manual_seed`` restarts).

    Examples:
        >>> import autograd as ag
        >>> bool(ag.as_generator(3).random() == ag.as_generator(3).random())
        True
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        return next_generator()
    if isinstance(rng, (int, np.integer)):
        return np.random.default_rng(rng)
    raise TypeError(f"rng: expected a numpy.random.Generator, an int seed or None, "
                    f"got {type(rng).__name__}")


@contextlib.contextmanager
def own_stream(key: int) -> Iterator[None]:
    """Inside the block, ``next_generator`` draws from a stream of ``key``'s own; after it, the
    root goes on as if the block had drawn from it (the same number of children spawned).

    Data-parallel training runs the same program, seeded alike, on every process: each enters
    the block with its rank, so that what layers draw at each call (PyTorch-style dropout)
    differs between processes, deterministically, while everything drawn after the block
    (weights of a model built next) is the same everywhere again. ``key`` 0 changes nothing.

    Examples:
        >>> import autograd as ag
        >>> ag.manual_seed(0)
        >>> with ag.random.own_stream(1):
        ...     inside = ag.next_generator().random()
        >>> after = ag.next_generator().random()
        >>> ag.manual_seed(0); plain = ag.next_generator().random()
        >>> bool(inside != plain), bool(after == ag.next_generator().random())
        (True, True)
    """
    global _root
    if key == 0:
        yield
        return
    with _lock:
        original = _root
        _root = np.random.SeedSequence(original.entropy, spawn_key=(
            *original.spawn_key, original.n_children_spawned, _OWN_STREAM + int(key)))
    try:
        yield
    finally:
        with _lock:
            drawn, _root = _root.n_children_spawned, original
            original.spawn(drawn)
