"""``Layer``: a ``Module`` that follows Keras' layer protocol.

A layer creates its weights in ``build(input_shape)``, once the size of its input is known: at
construction when ``input_shape`` is given (``Dense(1, input_shape=[1])``), else at the first
call. Calling a layer converts array-like input to a ``Tensor``, checks its rank, builds if
needed, then runs ``forward``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import autograd as ag
from autograd import Tensor
from nn import _checks, initializers, regularizers
from nn import random as nn_random
from nn.module import Module
from nn.parameter import Parameter
from nn.saving import config


class Layer(Module):
    """Base class of the Keras-style layers.

    Args:
        input_shape: The shape of one example, without the batch axis (``[1]``, ``(28, 28, 1)``);
            when given, the layer is built at once.
        seed: An int or a ``numpy.random.Generator`` for the weights' initializers (those that
            have no seed of their own) and for random layers such as ``Dropout``.
        dtype: The floating-point dtype of the weights; defaults to autograd's default dtype
            (float32) when the layer is built.
        name: The layer's name (``dense``, ``dense_1``... by default).

    Attributes:
        built: Whether the weights exist.
        input_shape: The input shape the layer was built for, the batch axis as None.
    """

    #: The smallest number of input axes accepted (a batch axis included).
    min_ndim: int = 0
    #: The exact number of input axes accepted, when the layer needs one.
    ndim: int | None = None
    #: Whether inputs are converted to the weights' dtype (integers, and floats of another
    #: precision where weights meet them: a float64 batch into a float32 ``Dense`` computes in
    #: float32, as in Keras).
    float_inputs: bool = True

    def __init__(self, *, input_shape: Any = None, seed: Any = None, dtype: Any = None,
                 name: str | None = None) -> None:
        super().__init__(name=name)
        who = type(self).__name__
        if dtype is not None and np.dtype(dtype).kind != "f":
            raise TypeError(f"{who} expects a floating-point dtype. Received: dtype={dtype!r}")
        self.dtype = None if dtype is None else np.dtype(dtype)
        self.seed = seed
        self._rng = nn_random.generator(seed)
        self.built = False
        self.input_shape: tuple | None = None
        self._declared_shape = (None if input_shape is None
                                else _checks.shape_tuple(input_shape, who, "input_shape"))

    def _build_if_declared(self) -> None:
        """Build now if ``input_shape`` was given; subclasses call it last in ``__init__``."""
        if self._declared_shape is not None:
            self.build((None, *self._declared_shape))

    def build(self, input_shape: tuple) -> None:
        """Create the weights for inputs of ``input_shape`` (batch axis None); subclasses that
        have weights override it and call ``super().build(input_shape)`` at the end."""
        self.input_shape = tuple(input_shape)
        self.built = True
        if self.dtype is None:
            # Fixed at build: a later set_default_dtype must not disagree with the weights.
            self._built_dtype = ag.get_default_dtype()

    @property
    def awaiting_weights(self) -> bool:
        """True until a layer that has weights (one whose class defines ``build``) is built."""
        return not self.built and type(self).build is not Layer.build

    def weight_dtype(self) -> np.dtype:
        """The dtype the layer's weights have (or will have when built)."""
        if self.dtype is not None:
            return self.dtype
        built_dtype = self.__dict__.get("_built_dtype")
        return built_dtype if built_dtype is not None else ag.get_default_dtype()

    def add_weight(self, name: str, shape: tuple, initializer: Any = "glorot_uniform",
                   regularizer: Any = None, trainable: bool = True) -> Tensor:
        """Create a weight, register it as attribute ``name`` and return it.

        Args:
            name: The attribute name (``"kernel"``).
            shape: Its shape.
            initializer: A name, an ``Initializer`` or a function ``(shape, dtype)``.
            regularizer: A name, a ``Regularizer`` or a function; its penalty is part of
                ``regularization_loss()``.
            trainable: True for a ``Parameter``; False for a buffer (saved, not learned).
        """
        init = initializers.get(initializer)
        dtype = self.weight_dtype()
        if isinstance(init, initializers.Initializer):
            values = init(shape, dtype=dtype, rng=self._rng)
        else:
            values = np.asarray(init(tuple(shape), dtype=dtype), dtype=dtype)
        if trainable:
            # A layer frozen before it was built creates its weights frozen.
            setattr(self, name, Parameter(values, requires_grad=self.trainable,
                                          name=f"{self.name}.{name}"))
        else:
            self.register_buffer(name, Tensor(values, name=f"{self.name}.{name}"))
        penalty = regularizers.get(regularizer)
        if penalty is not None:
            self._regularizers[name] = penalty
        return getattr(self, name)

    def get_config(self) -> dict:
        """The constructor's arguments as JSON-able data (``save`` stores it as the architecture).

        Each argument is read from the attribute of the same name; a layer whose attributes do
        not follow that convention overrides this method.
        """
        result = {}
        for name in config.constructor_arguments(type(self)):
            if name == "input_shape":
                value = None if self._declared_shape is None else list(self._declared_shape)
            elif name == "seed":
                value = self.seed if isinstance(self.seed, (int, np.integer)) else None
            elif name == "dtype":
                # The dtype the weights were built in, so that a model built under
                # set_default_dtype('float64') loads back in float64, not the loader's default.
                value = self.dtype if self.dtype is not None else self.__dict__.get("_built_dtype")
            elif hasattr(self, name):
                value = getattr(self, name)
            else:
                raise TypeError(f"{type(self).__name__}.get_config: argument '{name}' is not "
                                f"stored as an attribute of the same name; override get_config")
            result[name] = config.serialize(value, f"{self.name}.{name}")
        if not self.trainable:
            result["trainable"] = False  # a frozen layer stays frozen when loaded
        return result

    @classmethod
    def from_config(cls, layer_config: dict) -> Layer:
        """A new layer from ``get_config()`` data."""
        arguments = {k: config.deserialize(v) for k, v in layer_config.items()}
        trainable = arguments.pop("trainable", True)
        layer = cls(**arguments)
        layer.trainable = trainable
        return layer

    def _check_rank(self, x: Tensor) -> None:
        if x.ndim >= self.min_ndim and (self.ndim is None or x.ndim == self.ndim):
            return
        expected = f"ndim={self.ndim}" if self.ndim is not None else f"min_ndim={self.min_ndim}"
        raise ValueError(
            f"Input 0 of layer '{self.name}' is incompatible with the layer: expected "
            f"{expected}, found ndim={x.ndim}. Full shape received: {tuple(x.shape)}. The first "
            f"axis is the batch: reshape a single example to (1, ...) and a column of single "
            f"values to (-1, 1)."
        )

    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        x = inputs if isinstance(inputs, Tensor) else ag.tensor(inputs)
        self._check_rank(x)
        if not self.built:
            self.build((None, *x.shape[1:]) if x.ndim else ())
        if self.float_inputs:
            dtype = self.weight_dtype()
            # Integers always become floats. Floats of another precision are cast only where
            # weights would meet them (numpy would silently compute in the wider dtype); a layer
            # without weights passes them through.
            if x.dtype != dtype and (x.dtype.kind != "f" or self._parameters):
                x = x.astype(dtype)
        return super().__call__(x, *args, **kwargs)
