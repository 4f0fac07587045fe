"""nn.optimizers.schedules: Keras 3's learning-rate schedules (``keras.optimizers.schedules``),
rates that change with the optimizer's step count.

An optimizer given a schedule as its ``learning_rate`` calls it with the number of steps taken
so far (Keras' iteration count) before each update. Values are computed in float32, as Keras
computes them from a Python-float initial rate.

Examples:
    >>> import nn as keras
    >>> schedule = keras.optimizers.schedules.ExponentialDecay(0.1, decay_steps=10,
    ...                                                        decay_rate=0.5)
    >>> float(schedule(20))
    0.02500000037252903
    >>> opt = keras.optimizers.SGD(learning_rate=schedule)
"""

from nn.optimizers.schedules.cosine import CosineDecay, CosineDecayRestarts
from nn.optimizers.schedules.decays import (
    ExponentialDecay,
    InverseTimeDecay,
    LearningRateSchedule,
    PiecewiseConstantDecay,
    PolynomialDecay,
)
from nn.optimizers.schedules.records import deserialize, serialize

__all__ = ["CosineDecay", "CosineDecayRestarts", "ExponentialDecay", "InverseTimeDecay",
           "LearningRateSchedule", "PiecewiseConstantDecay", "PolynomialDecay", "deserialize",
           "serialize"]
