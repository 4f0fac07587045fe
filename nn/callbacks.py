"""nn.callbacks: Keras' callbacks (``keras.callbacks``), code that ``fit`` calls as it trains.

Examples:
    >>> import nn as keras
    >>> stop = keras.callbacks.EarlyStopping(monitor="loss", patience=2)
"""

from nn.training.callbacks import (
    Callback,
    CSVLogger,
    History,
    LambdaCallback,
    LearningRateScheduler,
    TerminateOnNaN,
)
from nn.training.monitoring import EarlyStopping, ModelCheckpoint, ReduceLROnPlateau

__all__ = [
    "CSVLogger", "Callback", "EarlyStopping", "History", "LambdaCallback",
    "LearningRateScheduler", "ModelCheckpoint", "ReduceLROnPlateau", "TerminateOnNaN",
]
