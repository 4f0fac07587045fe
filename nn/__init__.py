"""nn: modules, layers, activations, initializers and regularizers on top of autograd.

Layers follow Keras (``Dense(units, activation=...)``, kernels of shape ``(in, out)``,
channels-last images); the module machinery follows PyTorch (``parameters()``,
``state_dict()``, ``train()``/``eval()``).

The package is laid out in rooms: ``nn.layers`` (the layers), ``nn.losses`` (Keras' and
PyTorch's losses), ``nn.training`` (models, ``fit``, callbacks, data), ``nn.saving`` (model
files); the modules users name (``nn.functional``, ``nn.activations``, ``nn.initializers``,
``nn.regularizers``, ``nn.metrics``, ``nn.datasets``, ``nn.distribution``, ``nn.random``,
``nn.scalar_nets``) and the module machinery (``module``, ``parameter``) stay at the top.

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
from nn.layers import (
    ELU,
    GELU,
    Activation,
    AveragePooling2D,
    AvgPool2D,
    BatchNormalization,
    Conv2D,
    Dense,
    Dropout,
    Embedding,
    Flatten,
    Layer,
    LayerNorm,
    LeakyReLU,
    Linear,
    MaxPool2D,
    MaxPooling2D,
    ModuleDict,
    ModuleList,
    ReLU,
    Sigmoid,
    Softmax,
    Softplus,
    Tanh,
)
from nn.losses.torch_loss_modules import (
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
from nn.module import Module
from nn.parameter import Parameter
from nn.random import set_random_seed
from nn.saving import CheckpointError, IncompatibleKeys, load_model
from nn.training import (
    Callback,
    CSVLogger,
    DataLoader,
    EarlyStopping,
    History,
    LambdaCallback,
    LearningRateScheduler,
    Model,
    ModelCheckpoint,
    ReduceLROnPlateau,
    Sequential,
    TensorDataset,
    TerminateOnNaN,
    callbacks,
)

__all__ = [
    "Activation", "AveragePooling2D", "AvgPool2D", "BCELoss", "BCEWithLogitsLoss",
    "BatchNormalization", "CSVLogger", "Callback", "CheckpointError", "Conv2D", "CrossEntropyLoss",
    "DataLoader", "Dense", "Dropout", "ELU", "EarlyStopping", "Embedding", "Flatten", "GELU",
    "History", "HuberLoss", "IncompatibleKeys", "KLDivLoss", "L1Loss", "LambdaCallback", "Layer",
    "LayerNorm", "LeakyReLU", "LearningRateScheduler", "Linear", "MSELoss", "MaxPool2D",
    "MaxPooling2D", "Model", "ModelCheckpoint", "Module", "ModuleDict", "ModuleList", "NLLLoss",
    "Parameter", "ReLU", "ReduceLROnPlateau", "Sequential", "Sigmoid", "SmoothL1Loss", "Softmax",
    "Softplus", "Tanh", "TensorDataset", "TerminateOnNaN", "activations", "callbacks", "datasets",
    "distribution", "functional", "initializers", "load_model", "losses", "metrics",
    "regularizers", "scalar_nets", "set_random_seed",
]
