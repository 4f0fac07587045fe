"""nn.layers: the building blocks of a model (the Keras base ``Layer``, dense, convolution,
pooling, dropout, normalization, activation layers and containers)."""

from nn.layers.activation_layers import (
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
from nn.layers.containers import ModuleDict, ModuleList
from nn.layers.conv_layers import AveragePooling2D, AvgPool2D, Conv2D, MaxPool2D, MaxPooling2D
from nn.layers.core_layers import Embedding, Flatten
from nn.layers.dense import Dense
from nn.layers.dropout import Dropout
from nn.layers.layer import Layer
from nn.layers.layer_norm import LayerNorm
from nn.layers.linear import Linear
from nn.layers.normalization import BatchNormalization

__all__ = [
    "Activation", "AveragePooling2D", "AvgPool2D", "BatchNormalization", "Conv2D", "Dense",
    "Dropout", "ELU", "Embedding", "Flatten", "GELU", "Layer", "LayerNorm", "LeakyReLU",
    "Linear", "MaxPool2D", "MaxPooling2D", "ModuleDict", "ModuleList", "ReLU", "Sigmoid",
    "Softmax", "Softplus", "Tanh",
]
