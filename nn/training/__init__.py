"""nn.training: models and their training loop (``compile``/``fit``/``evaluate``/``predict``),
callbacks, progress display, data handling and the data-parallel ``fit``."""

from nn.training.callbacks import (
    Callback,
    CSVLogger,
    History,
    LambdaCallback,
    LearningRateScheduler,
    TerminateOnNaN,
)
from nn.training.data_loader import DataLoader, TensorDataset
from nn.training.model import Model
from nn.training.monitoring import EarlyStopping, ModelCheckpoint, ReduceLROnPlateau
from nn.training.sequential import Sequential
from nn.training.symbolic import Input

__all__ = [
    "CSVLogger", "Callback", "DataLoader", "EarlyStopping", "History", "Input", "LambdaCallback",
    "LearningRateScheduler", "Model", "ModelCheckpoint", "ReduceLROnPlateau", "Sequential",
    "TensorDataset", "TerminateOnNaN",
]
