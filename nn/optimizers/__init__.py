"""nn.optimizers: Keras 3's optimizers (``keras.optimizers``), with its formulas and defaults.

Each is an ``optim.Optimizer`` made the Keras way, ``Adam(0.1)``, and bound to a model's
parameters by ``compile``; the strings of ``compile(optimizer='adam')`` mean these. PyTorch's
optimizers, with PyTorch's formulas, are ``optim.Adam`` and the rest.

Examples:
    >>> import nn as keras
    >>> model = keras.Sequential([keras.layers.Dense(units=1, input_shape=[1])])
    >>> model.compile(loss="mean_squared_error", optimizer=keras.optimizers.Adam(0.1))
    >>> type(model.optimizer).__module__
    'nn.optimizers.adam'
"""

from nn.optimizers import schedules
from nn.optimizers.adagrad import Adadelta, Adagrad
from nn.optimizers.adam import Adam, AdamW
from nn.optimizers.adam_variants import Adamax, Nadam
from nn.optimizers.lookup import get
from nn.optimizers.rmsprop import RMSprop
from nn.optimizers.sgd import SGD

__all__ = ["SGD", "Adadelta", "Adagrad", "Adam", "AdamW", "Adamax", "Nadam", "RMSprop", "get",
           "schedules"]
