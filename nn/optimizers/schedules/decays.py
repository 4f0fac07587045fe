"""The schedule base class and Keras' decays: exponential, inverse-time, polynomial, piecewise.

Values are computed in float32, as Keras computes them from a Python-float initial rate.
"""

from __future__ import annotations

from typing import Any

import numpy as np


class LearningRateSchedule:
    """Base of the schedules: ``schedule(step)`` gives the learning rate at that step.

    A subclass writes ``__call__(self, step)`` and ``get_config``, as in Keras.

    Examples:
        >>> import nn
        >>> class Halving(nn.optimizers.schedules.LearningRateSchedule):
        ...     def __call__(self, step):
        ...         return 0.1 / (step + 1)
        >>> Halving()(1)
        0.05
    """

    def __call__(self, step: int) -> Any:
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must "
                                  f"override `__call__(self, step)`.")

    def __float__(self) -> float:
        # Callbacks read and set a rate as one number (float(lr)); Keras refuses to set the
        # rate of an optimizer that follows a schedule, and so does this.
        raise TypeError(f"This optimizer was created with a LearningRateSchedule "
                        f"({type(self).__name__}) as its learning_rate, hence its learning rate "
                        f"is not settable (by LearningRateScheduler or ReduceLROnPlateau). If "
                        f"you need it settable, give the optimizer a float learning_rate.")

    def get_config(self) -> dict[str, Any]:
        """The constructor's arguments (a subclass defines it, to be saved)."""
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must "
                                  f"override `get_config()` in order to be serializable.")

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> LearningRateSchedule:
        """A schedule from ``get_config``'s dict."""
        return cls(**config)


def _step(step: Any) -> np.float32:
    result: np.float32 = np.float32(step)
    return result


def _positive_steps(decay_steps: Any) -> None:
    if not decay_steps > 0:
        raise ValueError(f"Argument `decay_steps` must be > 0. Received: "
                         f"decay_steps={decay_steps}")


class ExponentialDecay(LearningRateSchedule):
    """``initial_learning_rate * decay_rate ** (step / decay_steps)`` (the exponent rounded
    down when ``staircase``), as ``keras.optimizers.schedules.ExponentialDecay``.

    Args:
        initial_learning_rate: The rate at step 0.
        decay_steps: Steps over which the rate is multiplied by ``decay_rate`` once.
        decay_rate: The factor.
        staircase: Decay in whole steps of ``decay_steps``.
        name: The schedule's name.

    Examples:
        >>> import nn
        >>> float(nn.optimizers.schedules.ExponentialDecay(1.0, 2, 0.5, staircase=True)(3))
        0.5
    """

    def __init__(self, initial_learning_rate: float, decay_steps: int, decay_rate: float,
                 staircase: bool = False, name: str = "ExponentialDecay") -> None:
        _positive_steps(decay_steps)
        self.initial_learning_rate, self.decay_steps = initial_learning_rate, decay_steps
        self.decay_rate, self.staircase, self.name = decay_rate, staircase, name

    def __call__(self, step: int) -> np.float32:
        p = _step(step) / np.float32(self.decay_steps)
        if self.staircase:
            p = np.floor(p)
        rate: np.float32 = np.float32(self.initial_learning_rate) * np.power(
            np.float32(self.decay_rate), p)
        return rate

    def get_config(self) -> dict[str, Any]:
        """The constructor's arguments."""
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}


class InverseTimeDecay(LearningRateSchedule):
    """``initial_learning_rate / (1 + decay_rate * step / decay_steps)`` (the quotient rounded
    down when ``staircase``), as ``keras.optimizers.schedules.InverseTimeDecay``.

    Args:
        initial_learning_rate: The rate at step 0.
        decay_steps: How often the rate is decayed.
        decay_rate: The decay factor.
        staircase: Decay in whole steps of ``decay_steps``.
        name: The schedule's name.

    Examples:
        >>> import nn
        >>> float(nn.optimizers.schedules.InverseTimeDecay(1.0, 1, 0.5)(2))
        0.5
    """

    def __init__(self, initial_learning_rate: float, decay_steps: int, decay_rate: float,
                 staircase: bool = False, name: str = "InverseTimeDecay") -> None:
        _positive_steps(decay_steps)
        self.initial_learning_rate, self.decay_steps = initial_learning_rate, decay_steps
        self.decay_rate, self.staircase, self.name = decay_rate, staircase, name

    def __call__(self, step: int) -> np.float32:
        p = _step(step) / np.float32(self.decay_steps)
        if self.staircase:
            p = np.floor(p)
        rate: np.float32 = np.float32(self.initial_learning_rate) / (
            np.float32(1) + np.float32(self.decay_rate) * p)
        return rate

    def get_config(self) -> dict[str, Any]:
        """The constructor's arguments."""
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """From ``initial_learning_rate`` to ``end_learning_rate`` over ``decay_steps`` along
    ``(1 - step / decay_steps) ** power`` (restarting when ``cycle``), as
    ``keras.optimizers.schedules.PolynomialDecay``.

    Args:
        initial_learning_rate: The rate at step 0.
        decay_steps: Steps to reach ``end_learning_rate``.
        end_learning_rate: The final rate.
        power: The polynomial's power (1 is linear).
        cycle: Start again past ``decay_steps``, over a multiple of it.
        name: The schedule's name.

    Examples:
        >>> import nn
        >>> round(float(nn.optimizers.schedules.PolynomialDecay(1.0, 10, 0.0)(5)), 6)
        0.5
    """

    def __init__(self, initial_learning_rate: float, decay_steps: int,
                 end_learning_rate: float = 0.0001, power: float = 1.0, cycle: bool = False,
                 name: str = "PolynomialDecay") -> None:
        _positive_steps(decay_steps)
        self.initial_learning_rate, self.decay_steps = initial_learning_rate, decay_steps
        self.end_learning_rate, self.power = end_learning_rate, power
        self.cycle, self.name = cycle, name

    def __call__(self, step: int) -> np.float32:
        initial, end = np.float32(self.initial_learning_rate), np.float32(self.end_learning_rate)
        step_f, decay_steps = _step(step), np.float32(self.decay_steps)
        if self.cycle:
            multiplier = np.float32(1.0) if step_f == 0 else np.ceil(step_f / decay_steps)
            decay_steps = decay_steps * multiplier
        else:
            step_f = np.minimum(step_f, decay_steps)
        p = step_f / decay_steps
        rate: np.float32 = (initial - end) * np.power(np.float32(1) - p,
                                                      np.float32(self.power)) + end
        return rate

    def get_config(self) -> dict[str, Any]:
        """The constructor's arguments."""
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "end_learning_rate": self.end_learning_rate,
                "power": self.power, "cycle": self.cycle, "name": self.name}


class PiecewiseConstantDecay(LearningRateSchedule):
    """``values[0]`` up to ``boundaries[0]`` (included), ``values[1]`` up to ``boundaries[1]``,
    ..., ``values[-1]`` after the last boundary, as
    ``keras.optimizers.schedules.PiecewiseConstantDecay``.

    Args:
        boundaries: Increasing step counts.
        values: One more value than boundaries.
        name: The schedule's name.

    Examples:
        >>> import nn
        >>> schedule = nn.optimizers.schedules.PiecewiseConstantDecay([2, 4], [1.0, 0.5, 0.1])
        >>> [round(float(schedule(s)), 6) for s in (2, 3, 5)]
        [1.0, 0.5, 0.1]
    """

    def __init__(self, boundaries: list[Any], values: list[Any],
                 name: str = "PiecewiseConstant") -> None:
        if len(boundaries) != len(values) - 1:
            raise ValueError(f"The length of boundaries should be 1 less than the length of "
                             f"values. Received: boundaries={boundaries} of length "
                             f"{len(boundaries)}, and values={values} of length {len(values)}.")
        self.boundaries, self.values, self.name = boundaries, values, name

    def __call__(self, step: int) -> Any:
        values = [np.asarray(v, dtype=np.float32 if isinstance(v, float) else None)
                  for v in self.values]
        if step <= self.boundaries[0]:
            return values[0]
        for low, high, value in zip(self.boundaries[:-1], self.boundaries[1:], values[1:-1]):
            if low < step <= high:
                return value
        return values[-1]

    def get_config(self) -> dict[str, Any]:
        """The constructor's arguments."""
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}
