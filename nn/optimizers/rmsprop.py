"""Keras' ``RMSprop``: steps divided by the root of a running mean of the squared gradient."""

from __future__ import annotations

from typing import Any

import numpy as np

from nn.optimizers.base import KerasOptimizer
from nn.optimizers.common import Hyperparameter, buffer


class RMSprop(KerasOptimizer):
    """RMSprop, exactly as ``keras.optimizers.RMSprop`` computes it.

    One step is::

        v = rho * v + (1 - rho) * g**2
        centered:  a = rho * a + (1 - rho) * g;  d = v - a**2 + epsilon
        else:      d = v + epsilon
        increment = lr * g / sqrt(d)
        momentum > 0:  s = momentum * s + increment;  w = w - s
        else:          w = w - increment

    Keras adds ``epsilon`` (default 1e-7) inside the root; ``optim.RMSprop`` (PyTorch's,
    ``alpha=0.99``) adds it outside.

    Args:
        learning_rate: A float (default 0.001), or a callable with no arguments.
        rho: Decay rate of the running means (default 0.9).
        momentum: Momentum of the increments (default 0.0).
        epsilon: Added to the mean square inside the root.
        centered: Divide by the variance (mean square minus squared mean) instead.
        weight_decay: If set, ``w = w - w * weight_decay * lr`` before each update.
        clipnorm, clipvalue, global_clipnorm: Gradient clipping (one at most).
        gradient_accumulation_steps: Update every ``n``-th step with the mean gradient.
        use_ema, ema_momentum, ema_overwrite_frequency, loss_scale_factor: Keras' arguments;
            only their defaults are supported.
        name: The optimizer's name.
        **kwargs: Refused, as Keras refuses unknown arguments.

    Examples:
        >>> import nn
        >>> model = nn.Sequential([nn.layers.Dense(1, input_shape=[1])])
        >>> model.compile(optimizer="rmsprop", loss="mse")
        >>> type(model.optimizer).__name__, model.optimizer.rho
        ('RMSprop', 0.9)
    """

    option_names = ("rho", "momentum", "epsilon", "centered")
    flag_names = ("centered",)
    rho = Hyperparameter()
    momentum = Hyperparameter()
    epsilon = Hyperparameter()
    centered = Hyperparameter()

    def __init__(
        self,
        learning_rate: Any = 0.001,
        rho: float = 0.9,
        momentum: float = 0.0,
        epsilon: float = 1e-7,
        centered: bool = False,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        loss_scale_factor: float | None = None,
        gradient_accumulation_steps: int | None = None,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            learning_rate, dict(rho=rho, momentum=momentum, epsilon=epsilon, centered=centered),
            weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
            global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name, kwargs=kwargs)

    def update_variable(self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any],
                        lr: np.ndarray, options: dict[str, Any]) -> None:
        """One RMSprop step, in Keras' order of operations."""
        rho, momentum = float(options["rho"]), float(options["momentum"])
        epsilon = float(options["epsilon"])
        velocity = buffer(state, "velocity", param)
        velocity[...] = rho * velocity + (1 - rho) * np.square(grad)
        if options["centered"]:
            average = buffer(state, "average_gradient", param)
            average[...] = rho * average + (1 - rho) * grad
            denominator = velocity - np.square(average) + epsilon
        else:
            denominator = velocity + epsilon
        increment = (lr * grad) / np.sqrt(denominator)
        if momentum > 0:
            velocity_of_steps = buffer(state, "momentum", param)
            velocity_of_steps[...] = momentum * velocity_of_steps + increment
            param -= velocity_of_steps
        else:
            param -= increment
