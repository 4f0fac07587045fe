"""``BatchNormalization``: keep each channel's activations near mean 0 and variance 1."""

from __future__ import annotations

from typing import Any

from autograd import Tensor
from nn import _keras_ops as F
from nn import initializers, regularizers
from nn.layers.layer import Layer


class BatchNormalization(Layer):
    """Normalize each channel with batch statistics in training, moving statistics otherwise.

    In training, each channel (an entry along ``axis``: a feature of ``(N, C)`` inputs, a colour
    channel of ``(N, H, W, C)`` images) is normalized with the mean and the biased variance of
    the batch, then scaled by ``gamma`` and shifted by ``beta``, both learned. The same batch
    statistics update the moving ones, ``moving = moving * momentum + batch * (1 - momentum)``,
    which evaluation mode uses instead. Defaults and formulas are Keras'.

    Args:
        axis: The channel axis.
        momentum: How much of the moving statistics each update keeps, in ``[0, 1]``.
        epsilon: Added to the variance before its square root, > 0.
        center: Learn the shift ``beta``.
        scale: Learn the scale ``gamma``.
        beta_initializer, gamma_initializer, moving_mean_initializer,
        moving_variance_initializer: Initializers by name or object.
        beta_regularizer, gamma_regularizer: Regularizers, or None.
        input_shape, dtype, name: See ``Layer``.

    Raises:
        ValueError: in training, for an input with a single value per channel (a batch of one
            example of features): it has no variance to normalize by.

    Example:
        >>> import autograd as ag, nn
        >>> bn = nn.BatchNormalization(input_shape=[2])
        >>> y = bn(ag.tensor([[1.0, 10.0], [3.0, 30.0]]))
        >>> y.numpy().round(3)
        array([[-1., -1.],
               [ 1.,  1.]], dtype=float32)
        >>> bn.moving_mean.numpy().round(4)
        array([0.02, 0.2 ], dtype=float32)
    """

    min_ndim = 2

    def __init__(self, axis: int = -1, momentum: float = 0.99, epsilon: float = 1e-3,
                 center: bool = True, scale: bool = True, beta_initializer: Any = "zeros",
                 gamma_initializer: Any = "ones", moving_mean_initializer: Any = "zeros",
                 moving_variance_initializer: Any = "ones", beta_regularizer: Any = None,
                 gamma_regularizer: Any = None, input_shape: Any = None, *, dtype: Any = None,
                 name: str | None = None) -> None:
        super().__init__(input_shape=input_shape, dtype=dtype, name=name)
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise TypeError(f"BatchNormalization expects axis to be an int. Received: "
                            f"axis={axis!r}")
        if not 0 <= momentum <= 1:
            raise ValueError(f"BatchNormalization expects momentum in [0, 1]. Received: "
                             f"momentum={momentum!r}")
        if not epsilon > 0:
            raise ValueError(f"BatchNormalization expects epsilon > 0. Received: "
                             f"epsilon={epsilon!r}")
        self.axis, self.momentum, self.epsilon = axis, float(momentum), float(epsilon)
        self.center, self.scale = bool(center), bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self._build_if_declared()

    def _channel_axis(self, ndim: int) -> int:
        if not -ndim <= self.axis < ndim:
            raise ValueError(f"BatchNormalization '{self.name}' has axis={self.axis}, which an "
                             f"input of {ndim} axes does not have")
        return self.axis % ndim

    def build(self, input_shape: tuple) -> None:
        """Create ``gamma``, ``beta`` and the moving statistics, one value per channel."""
        channels = input_shape[self._channel_axis(len(input_shape))]
        if channels is None:
            raise ValueError(f"BatchNormalization needs the size of its channel axis "
                             f"{self.axis}. Received: input_shape={input_shape}")
        shape = (channels,)
        self.gamma = (self.add_weight("gamma", shape, self.gamma_initializer,
                                      self.gamma_regularizer) if self.scale else None)
        self.beta = (self.add_weight("beta", shape, self.beta_initializer,
                                     self.beta_regularizer) if self.center else None)
        self.add_weight("moving_mean", shape, self.moving_mean_initializer, trainable=False)
        self.add_weight("moving_variance", shape, self.moving_variance_initializer,
                        trainable=False)
        super().build(input_shape)

    def forward(self, x: Tensor, training: bool | None = None) -> Tensor:
        """Normalize ``x`` (``training`` overrides the module's mode).

        A frozen layer (``trainable = False``) always uses its moving statistics and leaves
        them unchanged, as in Keras 3, so fine-tuning around it does not disturb it."""
        training = (self.training if training is None else bool(training)) and self.trainable
        if x.ndim != len(self.input_shape) or x.shape[self._channel_axis(x.ndim)] \
                != self.moving_mean.shape[0]:
            raise ValueError(
                f"Input 0 of layer '{self.name}' is incompatible with the layer: it was built "
                f"for inputs of shape {self.input_shape} with {self.moving_mean.shape[0]} "
                f"channels on axis {self.axis}, but received input with shape "
                f"{tuple(x.shape)}")
        return F.batch_norm(x, self.moving_mean, self.moving_variance, self.gamma, self.beta,
                            training=training, momentum=self.momentum, epsilon=self.epsilon,
                            axis=self.axis)

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        """The input shape."""
        return tuple(input_shape)

    def extra_repr(self) -> str:
        return f"axis={self.axis}, momentum={self.momentum}, epsilon={self.epsilon}"
