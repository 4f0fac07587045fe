"""The base class of ``nn.initializers``: how an initializer is called, seeded and described
(its config), shared by the deterministic and the random ones."""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

import autograd as ag
from nn import _checks


class Initializer:
    """Base class: ``initializer(shape, dtype=None)`` returns a numpy array, as in Keras.

    Subclasses write ``sample(shape, rng)``; those that draw at random take a ``seed`` (an int:
    the same values at every call, as in Keras; a Generator: its stream continues; None: the
    ``rng`` given at the call, a layer's generator, or else the next generator of autograd's
    root).
    """

    seed: Any = None

    def _set_seed(self, seed: Any) -> None:
        if seed is not None and not isinstance(seed, (int, np.integer, np.random.Generator)):
            raise TypeError(f"{type(self).__name__} expects seed to be an int, a "
                            f"numpy.random.Generator or None. Received: seed={seed!r}")
        self.seed = seed

    def __call__(self, shape: Any, dtype: Any = None, rng: Any = None) -> np.ndarray:
        shape = _checks.shape_tuple(shape, type(self).__name__, "shape")
        dtype = ag.get_default_dtype() if dtype is None else np.dtype(dtype)
        generator = ag.as_generator(self.seed if self.seed is not None else rng)
        return np.asarray(self.sample(shape, generator), dtype=dtype)

    def sample(self, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        """The values, as float64; ``__call__`` converts them to the dtype asked for."""
        raise NotImplementedError(f"{type(self).__name__} must define sample(shape, rng)")

    def get_config(self) -> dict[str, Any]:
        """The constructor's arguments, as Keras' ``get_config`` gives them."""
        names = [n for n in inspect.signature(type(self).__init__).parameters if n != "self"]
        config = {n: getattr(self, n) for n in names if hasattr(self, n)}
        if isinstance(config.get("seed"), np.random.Generator):
            config["seed"] = None  # a Generator's position is not a setting
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Initializer:
        """A new initializer from ``get_config()`` data."""
        return cls(**config)

    def __repr__(self) -> str:
        settings = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items() if k != "seed")
        return f"{type(self).__name__}({settings})"


def no_axes(who: str, input_axes: Any, output_axes: Any) -> None:
    """Keras' ``input_axes``/``output_axes`` (fans of einsum kernels) are not supported."""
    for name, value in (("input_axes", input_axes), ("output_axes", output_axes)):
        if value is not None:
            raise ValueError(f"{who}: {name}={value!r} is not supported by this library; only "
                             f"the Keras default {name}=None is (fans from the last two axes). "
                             f"Remove the argument.")
