"""nn: modules, layers, activations, initializers and regularizers on top of autograd.

Layers follow Keras (``Dense(units, activation=...)``, kernels of shape ``(in, out)``,
channels-last images); the module machinery follows PyTorch (``parameters()``,
``state_dict()``, ``train()``/``eval()``).

Example:
    >>> import numpy as np, autograd as ag, nn
    >>> layer = nn.Dense(units=1, input_shape=[1], seed=0)
    >>> y = layer(ag.tensor([[100.0]]))
    >>> y.shape, [name for name, _ in layer.named_parameters()]
    ((1, 1), ['kernel', 'bias'])
"""

from nn import (
    activations,
    datasets,
    distribution,
    functional,
    initializers,
    losses,
    metrics,
    regularizers,
    scalar_nets,
)
from nn.activation_layers import (
    ELU,
    GELU,
    Activation,
    LeakyReLU,
    ReLU,
    Sigmoid,
    Softmax,
    Softplus,
    Tanh,
)
from nn.archive import CheckpointError
from nn.callbacks import (
    Callback,
    CSVLogger,
    History,
    LambdaCallback,
    LearningRateScheduler,
    TerminateOnNaN,
)
from nn.containers import ModuleDict, ModuleList
from nn.conv_layers import AveragePooling2D, AvgPool2D, Conv2D, MaxPool2D, MaxPooling2D
from nn.core_layers import Embedding, Flatten
from nn.data_loader import DataLoader, TensorDataset
from nn.dense import Dense
from nn.dropout import Dropout
from nn.layer import Layer
from nn.layer_norm import LayerNorm
from nn.linear import Linear
from nn.model import Model
from nn.module import Module
from nn.monitoring import EarlyStopping, ModelCheckpoint, ReduceLROnPlateau
from nn.normalization import BatchNormalization
from nn.parameter import Parameter
from nn.random import set_random_seed
from nn.saving import load_model
from nn.sequential import Sequential
from nn.state_dict import IncompatibleKeys
from nn.torch_loss_modules import (
    BCELoss,
    BCEWithLogitsLoss,
    CrossEntropyLoss,
    HuberLoss,
    KLDivLoss,
    L1Loss,
    MSELoss,
    NLLLoss,
    SmoothL1Loss,
)

__all__ = [
    "Activation", "AveragePooling2D", "AvgPool2D", "BCELoss", "BCEWithLogitsLoss",
    "BatchNormalization", "CSVLogger", "Callback", "CheckpointError", "Conv2D", "CrossEntropyLoss",
    "DataLoader", "Dense", "Dropout", "ELU", "EarlyStopping", "Embedding", "Flatten", "GELU",
    "History", "HuberLoss", "IncompatibleKeys", "KLDivLoss", "L1Loss", "LambdaCallback", "Layer",
    "LayerNorm", "LeakyReLU", "LearningRateScheduler", "Linear", "MSELoss", "MaxPool2D",
    "MaxPooling2D", "Model", "ModelCheckpoint", "Module", "ModuleDict", "ModuleList", "NLLLoss",
    "Parameter", "ReLU", "ReduceLROnPlateau", "Sequential", "Sigmoid", "SmoothL1Loss", "Softmax",
    "Softplus", "Tanh", "TensorDataset", "TerminateOnNaN", "activations", "datasets",
    "distribution", "functional", "initializers", "load_model", "losses", "metrics",
    "regularizers", "scalar_nets", "set_random_seed",
]
