"""``LayerNormalization``: normalize each example over its feature axes, as Keras does."""

from __future__ import annotations

from typing import Any

from autograd import Tensor
from nn import initializers, regularizers
from nn.layers.layer import KerasShape, Layer, refuse_unsupported


class LayerNormalization(Layer):
    """Give each example mean 0 and variance 1 over ``axis``, then scale and shift
    (``keras.layers.LayerNormalization``).

    ``y = (x - mean) / sqrt(var + epsilon) * gamma + beta``, the mean and the biased variance
    taken over ``axis`` for each example separately; nothing depends on the batch, so training
    and inference compute the same thing. ``gamma`` and ``beta`` have one value per entry of
    the normalized axes.

    Args:
        axis: The axis, or a list of axes, to normalize over.
        epsilon: Added to the variance before its square root.
        center: Learn the shift ``beta``.
        scale: Learn the scale ``gamma``.
        beta_initializer, gamma_initializer: Initializers by name or object.
        beta_regularizer, gamma_regularizer: Regularizers, or None.
        beta_constraint, gamma_constraint: Only None (Keras' default) is supported.
        **kwargs: ``input_shape``, ``name``, ``dtype``, ``trainable``: see ``Layer``.

    Examples:
        >>> import numpy as np
        >>> from nn import layers
        >>> norm = layers.LayerNormalization(epsilon=0.0)
        >>> norm(np.array([[1.0, 3.0]], dtype=np.float32)).numpy()
        array([[-1.,  1.]], dtype=float32)
    """

    min_ndim = 1

    def __init__(self, axis: int | list[int] = -1, epsilon: float = 0.001, center: bool = True,
                 scale: bool = True, beta_initializer: Any = "zeros",
                 gamma_initializer: Any = "ones", beta_regularizer: Any = None,
                 gamma_regularizer: Any = None, beta_constraint: Any = None,
                 gamma_constraint: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        refuse_unsupported("LayerNormalization", beta_constraint=(beta_constraint, None),
                           gamma_constraint=(gamma_constraint, None))
        axes = list(axis) if isinstance(axis, (list, tuple)) else [axis]
        if not axes or any(isinstance(a, bool) or not isinstance(a, int) for a in axes):
            raise TypeError(f"Expected an int or a list/tuple of ints for the argument "
                            f"'axis', but received: {axis!r}")
        self.axis = axis if isinstance(axis, int) else list(axis)
        self.epsilon = float(epsilon)
        self.center, self.scale = bool(center), bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self._build_if_declared()

    def _axes(self, ndim: int) -> list[int]:
        axes = [self.axis] if isinstance(self.axis, int) else self.axis
        if any(not -ndim <= a < ndim for a in axes):
            raise ValueError(f"LayerNormalization '{self.name}' has axis={self.axis}, which an "
                             f"input of {ndim} axes does not have")
        return sorted(a % ndim for a in axes)

    def build(self, input_shape: KerasShape) -> None:
        """Create ``gamma`` and ``beta``, one value per entry of the normalized axes."""
        axes = self._axes(len(input_shape))
        shape = tuple(input_shape[a] for a in axes)
        if None in shape:
            raise ValueError(f"LayerNormalization needs the sizes of the axes {self.axis}. "
                             f"Received: input_shape={input_shape}")
        self.gamma = (self.add_weight(shape=shape, initializer=self.gamma_initializer,
                                      regularizer=self.gamma_regularizer, name="gamma")
                      if self.scale else None)
        self.beta = (self.add_weight(shape=shape, initializer=self.beta_initializer,
                                     regularizer=self.beta_regularizer, name="beta")
                     if self.center else None)
        super().build(input_shape)

    def forward(self, x: Tensor) -> Tensor:
        """Normalize over ``axis``, then scale and shift."""
        axes = self._axes(x.ndim)
        built_for: Any = self.input_shape  # (built: a shape)
        if x.ndim != len(built_for) or any(x.shape[a] != built_for[a] for a in axes):
            raise ValueError(f"Input 0 of layer '{self.name}' is incompatible with the layer: "
                             f"it was built for inputs of shape {built_for}, normalized over "
                             f"axis {self.axis}, but received input with shape "
                             f"{tuple(x.shape)}")
        broadcast = tuple(x.shape[i] if i in axes else 1 for i in range(x.ndim))
        mean = x.mean(axis=tuple(axes), keepdims=True)
        centered = x - mean
        variance = (centered * centered).mean(axis=tuple(axes), keepdims=True)  # biased
        y = centered / (variance + self.epsilon).sqrt()
        if self.gamma is not None:
            y = y * self.gamma.reshape(broadcast)
        if self.beta is not None:
            y = y + self.beta.reshape(broadcast)
        return y

    def compute_output_shape(self, input_shape: KerasShape) -> KerasShape:
        """The input shape."""
        return tuple(input_shape)

    def extra_repr(self) -> str:
        return f"axis={self.axis}, epsilon={self.epsilon}"
