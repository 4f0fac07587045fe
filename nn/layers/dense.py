"""``Dense``: the fully connected layer, ``activation(x @ kernel + bias)``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import autograd as ag
from autograd import Tensor
from nn import _checks, activations, initializers, regularizers
from nn.layers.layer import KerasShape, Layer, refuse_unsupported


class Dense(Layer):
    """A fully connected layer: every output unit sees every input feature (``keras.layers.Dense``).

    The kernel has shape ``(input features, units)``, as in Keras, so the layer computes
    ``activation(x @ kernel + bias)``. It is applied along the last axis, so an input of shape
    ``(batch, steps, features)`` gives ``(batch, steps, units)``.

    Args:
        units: The number of output features, > 0.
        activation: A name (``"relu"``, ``"sigmoid"``, ``"softmax"``...), a function, or None.
        use_bias: Whether to add a bias.
        kernel_initializer, bias_initializer: Names or ``nn.initializers`` objects.
        kernel_regularizer, bias_regularizer: Names or ``nn.regularizers`` objects, or None.
        activity_regularizer: Only Keras' default (None) is supported (so too for
            ``kernel_constraint``, ``bias_constraint``, ``lora_rank``, ``lora_alpha`` and
            ``quantization_config``).
        **kwargs: ``input_shape`` (``[1]``: the weights are created at once; without it they
            are created at the first call), ``name``, ``dtype``, ``trainable``, ``seed``: see
            ``Layer``.

    Examples:
        >>> import nn
        >>> layer = nn.layers.Dense(units=1, input_shape=[1], seed=0)
        >>> layer.kernel.shape, layer.bias.shape
        ((1, 1), (1,))
        >>> layer([[100.0]]).shape
        (1, 1)
    """

    min_ndim = 2

    def __init__(self, units: int, activation: Any = None, use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, bias_regularizer: Any = None,
                 activity_regularizer: Any = None, kernel_constraint: Any = None,
                 bias_constraint: Any = None, lora_rank: Any = None, lora_alpha: Any = None,
                 quantization_config: Any = None, **kwargs: Any) -> None:
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        refuse_unsupported("Dense", kernel_constraint=(kernel_constraint, None),
                           bias_constraint=(bias_constraint, None), lora_rank=(lora_rank, None),
                           lora_alpha=(lora_alpha, None),
                           quantization_config=(quantization_config, None))
        self.units = _checks.positive_int(units, "Dense", "units")
        if isinstance(activation, (int, np.integer)) and not isinstance(activation, bool):
            raise TypeError(
                f"Dense's second argument is the activation, not a size. Received: "
                f"Dense({units!r}, {activation!r}). Dense takes the number of outputs only "
                f"(the input size comes from the data or input_shape). To give both sizes, use "
                f"nn.Linear(in_features, out_features) (here nn.Linear({units!r}, "
                f"{activation!r})) or the Keras form nn.layers.Dense({activation!r}, "
                f"input_shape=[{units!r}])")
        self.activation: Callable[[Tensor], Tensor] = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self._build_if_declared()

    def build(self, input_shape: KerasShape) -> None:
        """Create ``kernel`` of shape ``(input_shape[-1], units)`` and ``bias`` of ``(units,)``."""
        features = input_shape[-1] if input_shape else None
        if features is None:
            raise ValueError(f"Dense needs the size of the input's last axis to create its "
                             f"kernel. Received: input_shape={input_shape}")
        self.kernel = self.add_weight(shape=(features, self.units),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer, name="kernel")
        self.bias = (self.add_weight(shape=(self.units,), initializer=self.bias_initializer,
                                     regularizer=self.bias_regularizer, name="bias")
                     if self.use_bias else None)
        super().build(input_shape)

    def forward(self, x: Tensor) -> Tensor:
        """``activation(x @ kernel + bias)``."""
        expected = self.kernel.shape[0]
        if x.shape[-1] != expected:
            raise ValueError(
                f"Input 0 of layer '{self.name}' is incompatible with the layer: expected axis "
                f"-1 of input shape to have value {expected}, but received input with shape "
                f"{tuple(x.shape)}. The layer was built for inputs of shape "
                f"{self.input_shape}.")
        y = x @ self.kernel if self.bias is None else ag.linear(x, self.kernel, self.bias)
        return self.activation(y)

    def compute_output_shape(self, input_shape: KerasShape) -> KerasShape:
        """The input shape with its last axis replaced by ``units``."""
        return (*tuple(input_shape)[:-1], self.units)

    def extra_repr(self) -> str:
        settings = f"units={self.units}, activation={activations.name_of(self.activation)}"
        return settings + ("" if self.use_bias else ", use_bias=False")
