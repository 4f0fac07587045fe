"""One seed for a whole run: ``nn.set_random_seed(s)`` makes weights, dropout and shuffling
reproducible, as Keras' ``set_random_seed`` does.

The seed lives in autograd (``autograd.manual_seed``): every layer or model built without a seed
of its own, and every draw made with ``rng=None`` anywhere in the library, takes a fresh
``numpy.random.Generator`` from autograd's one root sequence. Setting the seed restarts that
sequence, so the same program with the same seed draws the same numbers. Unlike Keras, numpy's
global random state and Python's ``random`` module are neither used nor seeded.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import autograd as ag


def set_random_seed(seed: int) -> None:
    """Restart the sequence that layers, models and data sets draw their generators from.

    The same as ``autograd.manual_seed(seed)``, under Keras' name.

    Examples:
        >>> import nn
        >>> nn.set_random_seed(0); a = nn.Dense(2, input_shape=[3]).kernel.numpy()
        >>> nn.set_random_seed(0); b = nn.Dense(2, input_shape=[3]).kernel.numpy()
        >>> bool((a == b).all())
        True
    """
    try:
        ag.manual_seed(seed)
    except ValueError:
        raise ValueError(f"set_random_seed expects a non-negative int. Received: seed={seed!r}"
                         ) from None


def generator(seed: Any = None) -> np.random.Generator:
    """A Generator from ``seed`` (an int or a Generator), or the next one of autograd's root
    sequence when ``seed`` is None.

    Examples:
        >>> import nn
        >>> nn.set_random_seed(5); first = nn.random.generator().random()
        >>> nn.set_random_seed(5); bool(nn.random.generator().random() == first)
        True
    """
    return ag.as_generator(seed)
