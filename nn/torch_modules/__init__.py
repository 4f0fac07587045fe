"""PyTorch's modules (``torch.nn.X``), which ``nn`` exports at its top level: ``nn.Linear``,
``nn.Conv2d`` on NCHW images, ``nn.BatchNorm1d``, ``nn.Dropout(p=0.5)``, ``nn.Flatten(1, -1)``,
``nn.Softmax(dim)``, ``nn.LeakyReLU(0.01)``, ... with torch's constructor signatures, defaults,
parameter names and initialization. Where Keras has a layer of the same name, its meaning lives
in ``nn.layers``."""

from nn.torch_modules.activation import (
    ELU,
    GELU,
    Dropout,
    LeakyReLU,
    LogSoftmax,
    ReLU,
    Sigmoid,
    Softmax,
    Softplus,
    Tanh,
)
from nn.torch_modules.containers import ModuleDict, ModuleList
from nn.torch_modules.conv import AdaptiveAvgPool2d, AvgPool2d, Conv2d, MaxPool2d
from nn.torch_modules.embedding import Embedding
from nn.torch_modules.linear import Bilinear, Identity, Linear
from nn.torch_modules.normalization import BatchNorm1d, BatchNorm2d, LayerNorm
from nn.torch_modules.parameter_list import ParameterList
from nn.torch_modules.rectifiers import Hardtanh, PReLU, ReLU6, SiLU
from nn.torch_modules.shape import Flatten, Unflatten
from nn.torch_modules.sync_batch_norm import SyncBatchNorm

__all__ = [
    "AdaptiveAvgPool2d", "AvgPool2d", "BatchNorm1d", "BatchNorm2d", "Bilinear", "Conv2d",
    "Dropout", "ELU", "Embedding", "Flatten", "GELU", "Hardtanh", "Identity", "LayerNorm",
    "LeakyReLU", "Linear", "LogSoftmax", "MaxPool2d", "ModuleDict", "ModuleList", "PReLU",
    "ParameterList", "ReLU",
    "ReLU6", "SiLU", "Sigmoid",
    "Softmax", "Softplus", "SyncBatchNorm", "Tanh", "Unflatten",
]
