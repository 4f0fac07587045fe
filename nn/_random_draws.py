"""The random tensors layers draw at each training call: dropout masks and noise.

Each is drawn by a function marked ``autograd.compiler.disable``, so that a captured training
step (``autograd.compile``, ``compile(jit_compile=True)``) draws anew at every replay, from the
same generator and in the same order as the eager step: new masks every step, the same ones as
eager given the same seed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import autograd as ag
from autograd import Tensor


@ag.compiler.disable
def dropout_scale(rng: np.random.Generator | None, shape: tuple[Any, ...], rate: float,
                  dtype: Any) -> Tensor:
    """``1 / (1 - rate)`` where an element is kept (probability ``1 - rate``), 0 elsewhere;
    ``rng`` None draws from the next generator of the root sequence (``manual_seed``)."""
    keep = ag.as_generator(rng).random(shape) >= rate
    return Tensor(keep / (1.0 - rate), dtype=dtype)


@ag.compiler.disable
def normal(rng: np.random.Generator, mean: float, stddev: float, shape: tuple[Any, ...],
           dtype: Any) -> Tensor:
    """Draws from the normal distribution of ``mean`` and ``stddev``, as ``dtype``."""
    return Tensor(rng.normal(mean, stddev, shape), dtype=dtype)
