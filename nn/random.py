"""One seed for a whole run: ``nn.set_random_seed(s)`` makes weights, dropout and shuffling
reproducible, as Keras' ``set_random_seed`` does.

Every layer or model built without a seed of its own takes a fresh ``numpy.random.Generator``
from one root sequence. Setting the seed restarts that sequence, so the same program with the same
seed draws the same numbers. numpy's global random state is never used.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import autograd as ag

_root = np.random.SeedSequence()


def set_random_seed(seed: int) -> None:
    """Restart the sequence that layers and models draw their generators from.

    Example:
        >>> import nn
        >>> nn.set_random_seed(0); a = nn.Dense(2, input_shape=[3]).kernel.numpy()
        >>> nn.set_random_seed(0); b = nn.Dense(2, input_shape=[3]).kernel.numpy()
        >>> bool((a == b).all())
        True
    """
    global _root
    if not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"set_random_seed expects a non-negative int. Received: seed={seed!r}")
    _root = np.random.SeedSequence(int(seed))


def generator(seed: Any = None) -> np.random.Generator:
    """A Generator from ``seed`` (an int or a Generator), or the next one of the sequence."""
    if seed is not None:
        return ag.as_generator(seed)
    return np.random.default_rng(_root.spawn(1)[0])
