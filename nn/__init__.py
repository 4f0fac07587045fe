"""nn: modules, layers, activations, initializers and regularizers on top of autograd.

Two faces, each exactly its framework: ``nn.X`` is ``torch.nn.X`` (``Linear``, ``Conv2d`` on
NCHW images, ``BatchNorm1d``, ``Dropout(p=0.5)``, ``Flatten(1, -1)``, ...) and ``nn.functional``
is ``torch.nn.functional``; ``nn.layers.X`` is ``keras.layers.X`` (``Dense``, ``Conv2D``
channels-last, ...), and Keras-only names such as ``Dense`` stand at ``nn.X`` too. The module
machinery follows PyTorch (``parameters()``, ``state_dict()``, ``train()``/``eval()``).

The package is laid out in rooms: ``nn.layers`` (the layers), ``nn.losses`` (Keras' and
PyTorch's losses), ``nn.training`` (models, ``fit``, callbacks, data), ``nn.saving`` (model
files); the modules users name (``nn.functional``, ``nn.activations``, ``nn.initializers``,
``nn.regularizers``, ``nn.metrics``, ``nn.models``, ``nn.datasets``, ``nn.distribution``,
``nn.random``, ``nn.scalar_nets``) and the module machinery (``module``, ``parameter``) stay at
the top.

Examples:
    >>> import numpy as np, autograd as ag, nn
    >>> layer = nn.Dense(units=1, input_shape=[1], seed=0)
    >>> y = layer(ag.tensor([[100.0]]))
    >>> y.shape, [name for name, _ in layer.named_parameters()]
    ((1, 1), ['kernel', 'bias'])
"""

from nn import (
    activations,
    callbacks,
    datasets,
    distribution,
    functional,
    init,
    initializers,
    losses,
    metrics,
    models,
    optimizers,
    regularizers,
    scalar_nets,
    utils,
)
from nn.layers import (
    Activation,
    AveragePooling2D,
    AvgPool2D,
    BatchNormalization,
    Conv2D,
    Dense,
    Layer,
    LayerNormalization,
    MaxPool2D,
    MaxPooling2D,
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
from nn.torch_modules import (
    ELU,
    GELU,
    AdaptiveAvgPool2d,
    AvgPool2d,
    BatchNorm1d,
    BatchNorm2d,
    Bilinear,
    Conv2d,
    Dropout,
    Embedding,
    Flatten,
    Hardtanh,
    Identity,
    LayerNorm,
    LeakyReLU,
    Linear,
    LogSoftmax,
    MaxPool2d,
    ModuleDict,
    ModuleList,
    ParameterList,
    PReLU,
    ReLU,
    ReLU6,
    Sigmoid,
    SiLU,
    Softmax,
    Softplus,
    SyncBatchNorm,
    Tanh,
    Unflatten,
)
from nn.training import (
    Callback,
    CSVLogger,
    DataLoader,
    EarlyStopping,
    History,
    Input,
    LambdaCallback,
    LearningRateScheduler,
    Model,
    ModelCheckpoint,
    ReduceLROnPlateau,
    Sequential,
    TensorDataset,
    TerminateOnNaN,
)

__all__ = [
    # Keras' layers that PyTorch has no module of the same name for (see nn.layers)
    "Activation", "AveragePooling2D", "AvgPool2D", "BatchNormalization", "Conv2D", "Dense",
    "Layer", "LayerNormalization", "MaxPool2D", "MaxPooling2D",
    # PyTorch's modules (torch.nn.X; see nn.torch_modules) and losses
    "AdaptiveAvgPool2d", "AvgPool2d", "BCELoss", "BCEWithLogitsLoss", "BatchNorm1d",
    "BatchNorm2d", "Bilinear", "Conv2d", "CrossEntropyLoss", "Dropout", "ELU", "Embedding",
    "Flatten", "GELU", "Hardtanh", "HuberLoss", "Identity", "KLDivLoss", "L1Loss", "LayerNorm",
    "LeakyReLU", "Linear", "LogSoftmax", "MSELoss", "MaxPool2d", "Module", "ModuleDict",
    "ModuleList", "NLLLoss", "PReLU", "Parameter", "ParameterList", "ReLU", "ReLU6", "SiLU",
    "Sigmoid", "SmoothL1Loss", "Softmax", "Softplus",
    "SyncBatchNorm", "Tanh", "Unflatten",
    # models, training and saving
    "CSVLogger", "Callback", "CheckpointError", "DataLoader", "EarlyStopping", "History",
    "IncompatibleKeys", "Input", "LambdaCallback", "LearningRateScheduler", "Model",
    "ModelCheckpoint", "ReduceLROnPlateau", "Sequential", "TensorDataset", "TerminateOnNaN",
    "load_model", "set_random_seed",
    # modules
    "activations", "callbacks", "datasets", "distribution", "functional", "initializers",
    "init",
    "losses", "metrics", "models", "optimizers", "regularizers", "scalar_nets", "utils",
]
