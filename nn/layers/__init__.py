"""nn.layers: Keras 3's layers (``keras.layers``), with their names, arguments and defaults
(``Input`` is ``nn.Input``, as ``keras.layers.Input`` is ``keras.Input``; ``InputLayer`` is the
layer behind it).

PyTorch's modules (``Linear``, ``LayerNorm``, ``ModuleList``, ...) are at ``nn``'s top level,
from ``nn.torch_modules``.
"""

from nn.layers.activation_layers import ELU, Activation, LeakyReLU, ReLU, Softmax
from nn.layers.conv1d import Conv1D
from nn.layers.conv_layers import AveragePooling2D, AvgPool2D, Conv2D, MaxPool2D, MaxPooling2D
from nn.layers.core_layers import Embedding, Flatten
from nn.layers.dense import Dense
from nn.layers.dropout import Dropout
from nn.layers.lambda_layer import Lambda
from nn.layers.layer import Layer
from nn.layers.layer_normalization import LayerNormalization
from nn.layers.noise_layers import GaussianDropout, GaussianNoise, SpatialDropout2D
from nn.layers.normalization import BatchNormalization
from nn.layers.reshaping_layers import (
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalMaxPooling2D,
    Identity,
    Permute,
    RepeatVector,
    Rescaling,
    Reshape,
    UpSampling2D,
    ZeroPadding2D,
)
from nn.training.symbolic import Input, InputLayer

__all__ = [
    "ELU", "Activation", "AveragePooling2D", "AvgPool2D", "BatchNormalization", "Conv1D",
    "Conv2D",
    "Dense", "Dropout", "Embedding", "Flatten", "GaussianDropout", "GaussianNoise",
    "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalMaxPooling2D", "Identity",
    "Input", "InputLayer", "Lambda", "Layer",
    "LayerNormalization", "LeakyReLU", "MaxPool2D", "MaxPooling2D", "Permute", "ReLU",
    "RepeatVector", "Rescaling", "Reshape", "Softmax", "SpatialDropout2D", "UpSampling2D",
    "ZeroPadding2D",
]
