"""Keras' cosine schedules: ``CosineDecay`` (with an optional linear warm-up) and
``CosineDecayRestarts`` (SGDR), computed in float32 as Keras computes them."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from nn.optimizers.schedules.decays import LearningRateSchedule

_PI = np.float32(math.pi)


class CosineDecay(LearningRateSchedule):
    """Half a cosine from the rate down to ``alpha`` times it over ``decay_steps``, after an
    optional linear warm-up to ``warmup_target`` over ``warmup_steps``, as
    ``keras.optimizers.schedules.CosineDecay``::

        decayed = (1 - alpha) * 0.5 * (1 + cos(pi * step / decay_steps)) + alpha
        rate = start * decayed      (start: initial_learning_rate, or warmup_target)

    Args:
        initial_learning_rate: The rate at step 0.
        decay_steps: Steps of the decay.
        alpha: The final rate as a fraction of the starting one.
        name: The schedule's name.
        warmup_target: The rate reached by the warm-up; None for no warm-up.
        warmup_steps: Steps of the warm-up.

    Examples:
        >>> import nn
        >>> schedule = nn.optimizers.schedules.CosineDecay(0.0, 10, warmup_target=0.1,
        ...                                                warmup_steps=5)
        >>> [round(float(schedule(s)), 6) for s in (0, 5, 10, 15)]
        [0.0, 0.1, 0.05, 0.0]
    """

    def __init__(self, initial_learning_rate: float, decay_steps: int, alpha: float = 0.0,
                 name: str = "CosineDecay", warmup_target: float | None = None,
                 warmup_steps: int = 0) -> None:
        if not decay_steps > 0:
            raise ValueError(f"Argument `decay_steps` must be > 0. Received: "
                             f"decay_steps={decay_steps}")
        self.initial_learning_rate, self.decay_steps = initial_learning_rate, decay_steps
        self.alpha, self.name = alpha, name
        self.warmup_target, self.warmup_steps = warmup_target, warmup_steps

    def _decay(self, step: np.float32, decay_steps: np.float32,
               start: np.float32) -> np.float32:
        cosine = 0.5 * (1.0 + np.cos(_PI * (step / decay_steps)))
        rate: np.float32 = start * ((1 - self.alpha) * cosine + self.alpha)
        return rate

    def __call__(self, step: int) -> np.float32:
        initial, decay_steps = np.float32(self.initial_learning_rate), np.float32(self.decay_steps)
        step = np.float32(step)
        if self.warmup_target is None:
            return self._decay(np.minimum(step, decay_steps), decay_steps, initial)
        target, warmup = np.float32(self.warmup_target), np.float32(self.warmup_steps)
        step = np.minimum(step, decay_steps + warmup)
        if step < warmup:
            value: np.float32 = (target - initial) * (step / warmup) + initial
            return value
        return self._decay(step - warmup, decay_steps, target)

    def get_config(self) -> dict[str, Any]:
        """The constructor's arguments."""
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "alpha": self.alpha, "name": self.name,
                "warmup_target": self.warmup_target, "warmup_steps": self.warmup_steps}


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay that starts again after each period (SGDR), as
    ``keras.optimizers.schedules.CosineDecayRestarts``: the ``i``-th period lasts
    ``first_decay_steps * t_mul**i`` steps and starts from ``initial_learning_rate * m_mul**i``.

    Args:
        initial_learning_rate: The rate at step 0.
        first_decay_steps: Steps of the first period.
        t_mul: Growth of the periods' lengths.
        m_mul: Factor of each period's starting rate.
        alpha: The lowest rate as a fraction of the initial one.
        name: The schedule's name.

    Examples:
        >>> import nn
        >>> schedule = nn.optimizers.schedules.CosineDecayRestarts(0.1, 10, t_mul=1.0)
        >>> [round(float(schedule(s)), 6) for s in (0, 5, 10)]
        [0.1, 0.05, 0.1]
    """

    def __init__(self, initial_learning_rate: float, first_decay_steps: int, t_mul: float = 2.0,
                 m_mul: float = 1.0, alpha: float = 0.0, name: str = "SGDRDecay") -> None:
        if not first_decay_steps > 0:
            raise ValueError(f"Argument `first_decay_steps` must be > 0. Received: "
                             f"first_decay_steps={first_decay_steps}")
        self.initial_learning_rate, self.first_decay_steps = (initial_learning_rate,
                                                              first_decay_steps)
        self.t_mul, self.m_mul, self.alpha, self.name = t_mul, m_mul, alpha, name

    def __call__(self, step: int) -> np.float32:
        f32 = np.float32
        alpha, t_mul, m_mul = f32(self.alpha), f32(self.t_mul), f32(self.m_mul)
        completed = f32(step) / f32(self.first_decay_steps)
        if t_mul == 1.0:
            restart = np.floor(completed)
            completed = completed - restart
        else:  # the periods grow geometrically: which one holds the step, and how far into it
            restart = np.floor(np.log(f32(1.0 - completed * (1.0 - t_mul))) / np.log(t_mul))
            done_before = (1.0 - np.power(t_mul, restart)) / (1.0 - t_mul)
            completed = (completed - done_before) / np.power(t_mul, restart)
        cosine = 0.5 * np.power(m_mul, restart) * (1.0 + np.cos(_PI * completed))
        result: np.float32 = f32(self.initial_learning_rate) * ((1 - alpha) * cosine + alpha)
        return result

    def get_config(self) -> dict[str, Any]:
        """The constructor's arguments."""
        return {"initial_learning_rate": self.initial_learning_rate,
                "first_decay_steps": self.first_decay_steps, "t_mul": self.t_mul,
                "m_mul": self.m_mul, "alpha": self.alpha, "name": self.name}
