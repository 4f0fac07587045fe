"""``BatchNormalization``: keep each channel's activations near mean 0 and variance 1."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

import autograd as ag
from autograd import Tensor
from nn import distribution, initializers, regularizers
from nn.functional.sync_batch_norm import sync_batch_norm
from nn.layers.layer import KerasShape, Layer, refuse_unsupported

if TYPE_CHECKING:  # (optim.distributed is imported when first needed)
    from optim import distributed as dist


class BatchNormalization(Layer):
    """Normalize each channel with batch statistics in training, moving statistics in inference
    (``keras.layers.BatchNormalization``).

    In training, each channel (an entry along ``axis``: a feature of ``(N, C)`` inputs, a colour
    channel of ``(N, H, W, C)`` images) is normalized with the mean and the biased variance of
    the batch, then scaled by ``gamma`` and shifted by ``beta``, both learned. The same batch
    statistics update the moving ones, ``moving = moving * momentum + batch * (1 - momentum)``,
    which inference uses instead. Training is Keras' ``training=`` (given at the call, else
    that of the enclosing call such as ``fit``, else inference); a frozen layer
    (``trainable = False``) always runs in inference, as in Keras 3. Defaults and formulas are
    Keras'.

    Args:
        axis: The channel axis.
        momentum: How much of the moving statistics each update keeps, in ``[0, 1]``.
        epsilon: Added to the variance before its square root, > 0.
        center: Learn the shift ``beta``.
        scale: Learn the scale ``gamma``.
        beta_initializer: An initializer by name or object (also ``gamma_initializer``,
            ``moving_mean_initializer`` and ``moving_variance_initializer``).
        beta_regularizer, gamma_regularizer: Regularizers, or None.
        beta_constraint: Only Keras' default is supported (so too for ``gamma_constraint``,
            ``renorm``, ``renorm_clipping`` and ``renorm_momentum``).
        synchronized: Under ``nn.distribution.DataParallel`` on several processes, train
            with the statistics of the global batch (every process's share together:
            ``nn.functional.sync_batch_norm``) instead of each process's share; the moving
            statistics are then the same on every process. Elsewhere the plain layer, as in
            Keras 3 (whose TensorFlow backend alone accepts it; JAX's refuses it).
        **kwargs: ``input_shape``, ``name``, ``dtype``, ``trainable``: see ``Layer``.

    Examples:
        >>> import autograd as ag
        >>> from nn import layers
        >>> bn = layers.BatchNormalization(input_shape=[2])
        >>> y = bn(ag.tensor([[1.0, 10.0], [3.0, 30.0]]), training=True)
        >>> y.numpy().round(3)
        array([[-1., -1.],
               [ 1.,  1.]], dtype=float32)
        >>> bn.moving_mean.numpy().round(4)
        array([0.02, 0.2 ], dtype=float32)
    """

    min_ndim = 2

    def __init__(self, axis: int = -1, momentum: float = 0.99, epsilon: float = 0.001,
                 center: bool = True, scale: bool = True, beta_initializer: Any = "zeros",
                 gamma_initializer: Any = "ones", moving_mean_initializer: Any = "zeros",
                 moving_variance_initializer: Any = "ones", beta_regularizer: Any = None,
                 gamma_regularizer: Any = None, beta_constraint: Any = None,
                 gamma_constraint: Any = None, renorm: bool = False, renorm_clipping: Any = None,
                 renorm_momentum: float = 0.99, synchronized: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        refuse_unsupported("BatchNormalization", beta_constraint=(beta_constraint, None),
                           gamma_constraint=(gamma_constraint, None), renorm=(renorm, False),
                           renorm_clipping=(renorm_clipping, None),
                           renorm_momentum=(renorm_momentum, 0.99))
        if not isinstance(synchronized, (bool, np.bool_)):
            raise TypeError(f"BatchNormalization expects synchronized to be True or False. "
                            f"Received: synchronized={synchronized!r}")
        self.synchronized = bool(synchronized)
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

    def build(self, input_shape: KerasShape) -> None:
        """Create ``gamma``, ``beta`` and the moving statistics, one value per channel."""
        channels = input_shape[self._channel_axis(len(input_shape))]
        if channels is None:
            raise ValueError(f"BatchNormalization needs the size of its channel axis "
                             f"{self.axis}. Received: input_shape={input_shape}")
        shape = (channels,)
        self.gamma = (self.add_weight(shape=shape, initializer=self.gamma_initializer,
                                      regularizer=self.gamma_regularizer, name="gamma")
                      if self.scale else None)
        self.beta = (self.add_weight(shape=shape, initializer=self.beta_initializer,
                                     regularizer=self.beta_regularizer, name="beta")
                     if self.center else None)
        self.moving_mean = self.add_weight(shape=shape, initializer=self.moving_mean_initializer,
                                           trainable=False, name="moving_mean")
        self.moving_variance = self.add_weight(shape=shape,
                                               initializer=self.moving_variance_initializer,
                                               trainable=False, name="moving_variance")
        super().build(input_shape)

    def forward(self, x: Tensor, training: bool = False) -> Tensor:
        """Normalize ``x``: with the batch's statistics (and update the moving ones) when
        training and trainable, else with the moving statistics."""
        axis = self._channel_axis(x.ndim)
        channels = self.moving_mean.shape[0]
        if (x.ndim != len(self.input_shape)  # type: ignore[arg-type]  # (built: known)
                or x.shape[axis] != channels):
            raise ValueError(
                f"Input 0 of layer '{self.name}' is incompatible with the layer: it was built "
                f"for inputs of shape {self.input_shape} with {channels} channels on axis "
                f"{self.axis}, but received input with shape {tuple(x.shape)}")
        reduced = tuple(i for i in range(x.ndim) if i != axis)
        channel_shape = tuple(channels if i == axis else 1 for i in range(x.ndim))
        comm = self._communicator() if training and self.trainable else None
        if comm is not None:
            return self._synchronized(x, axis, comm)
        if training and self.trainable:
            mean = x.mean(axis=reduced, keepdims=True)
            centered = x - mean
            variance = (centered * centered).mean(axis=reduced, keepdims=True)  # biased
            self._move_statistics(mean, variance)
        else:
            # Copies: updating the moving statistics later must not alter this graph's data.
            with ag.no_grad():
                mean = self.moving_mean.reshape(channel_shape).clone()
                variance = self.moving_variance.reshape(channel_shape).clone()
            centered = x - mean
        out = centered / (variance + self.epsilon).sqrt()
        if self.gamma is not None:
            out = out * self.gamma.reshape(channel_shape)
        if self.beta is not None:
            out = out + self.beta.reshape(channel_shape)
        return out

    def _communicator(self) -> dist.Communicator | None:
        """The processes to synchronize with: those of the distribution in use when
        ``synchronized`` and there are several, else None (Keras: the plain layer)."""
        current = distribution.distribution() if self.synchronized else None
        if current is None or current.size == 1:
            return None
        return current.communicator

    def _synchronized(self, x: Tensor, axis: int, comm: dist.Communicator) -> Tensor:
        """Normalize with the global batch's statistics (every process's share) and move the
        moving statistics towards them: the same values on every process."""
        out, mean, variance, _ = sync_batch_norm(x, self.gamma, self.beta, axis, self.epsilon,
                                                 comm)
        dtype = self.moving_mean.dtype
        self._move_statistics(ag.as_tensor(mean.astype(dtype)),
                              ag.as_tensor(variance.astype(dtype)))
        return out

    def _move_statistics(self, mean: Tensor, variance: Tensor) -> None:
        """Move the moving statistics towards a batch's (one value per channel, in any shape
        of that size), keeping ``momentum`` of the old ones."""
        # Tensor operations under no_grad, not numpy: a captured step repeats them.
        with ag.no_grad():
            for moving, batch in ((self.moving_mean, mean), (self.moving_variance, variance)):
                moving.copy_(moving * self.momentum
                             + batch.reshape(moving.shape) * (1.0 - self.momentum))

    def get_config(self) -> dict[str, Any]:
        """The constructor's arguments as JSON-able data, ``synchronized`` included."""
        config = super().get_config()
        if self.synchronized:
            config["synchronized"] = True
        return config

    def compute_output_shape(self, input_shape: KerasShape) -> KerasShape:
        """The input shape."""
        return tuple(input_shape)

    def extra_repr(self) -> str:
        return f"axis={self.axis}, momentum={self.momentum}, epsilon={self.epsilon}"
