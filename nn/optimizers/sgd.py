"""Keras' ``SGD``: gradient descent, with momentum and Nesterov momentum."""

from __future__ import annotations

from typing import Any

import numpy as np

from nn.optimizers.base import KerasOptimizer
from nn.optimizers.common import Hyperparameter, buffer


class SGD(KerasOptimizer):
    """Gradient descent (with momentum), exactly as ``keras.optimizers.SGD``.

    With learning rate ``lr`` and gradient ``g``, one step is::

        momentum == 0:  w = w - lr * g
        else:           m = momentum * m - lr * g
                        w = w + m                          (nesterov=False)
                        w = w + momentum * m - lr * g      (nesterov=True)

    (Keras' form: the velocity ``m`` already holds the learning rate, unlike ``optim.SGD``.)

    Args:
        learning_rate: A float (default 0.01), or a callable with no arguments.
        momentum: A float in [0, 1] (default 0.0).
        nesterov: Use Nesterov momentum.
        weight_decay: If set, ``w = w - w * weight_decay * lr`` before each update.
        clipnorm, clipvalue, global_clipnorm: Gradient clipping (one at most).
        gradient_accumulation_steps: Update every ``n``-th step with the mean gradient.
        use_ema, ema_momentum, ema_overwrite_frequency, loss_scale_factor: Keras' arguments;
            only their defaults are supported.
        name: The optimizer's name.
        **kwargs: Refused, as Keras refuses unknown arguments.

    Examples:
        >>> import numpy as np, nn
        >>> model = nn.Sequential([nn.layers.Dense(1, input_shape=[1])])
        >>> model.compile(optimizer=nn.optimizers.SGD(0.01, momentum=0.9), loss="mse")
        >>> model.optimizer.iterations
        0
    """

    option_names = ("momentum", "nesterov")
    flag_names = ("nesterov",)
    momentum = Hyperparameter()
    nesterov = Hyperparameter()

    def __init__(
        self,
        learning_rate: Any = 0.01,
        momentum: float = 0.0,
        nesterov: bool = False,
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
            learning_rate, dict(momentum=momentum, nesterov=nesterov),
            weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
            global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name, kwargs=kwargs)

    def check_algorithm_options(self, options: dict[str, Any]) -> None:
        """Keras' check: momentum is a float in [0, 1]; nesterov is True or False."""
        momentum = options["momentum"]
        if not isinstance(momentum, float) or not 0 <= momentum <= 1:
            raise ValueError(f"SGD: `momentum` must be a float between [0, 1]. Received: "
                             f"momentum={momentum!r}")
        super().check_algorithm_options(options)

    def update_variable(self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any],
                        lr: np.ndarray, options: dict[str, Any]) -> None:
        """One SGD step, in Keras' order of operations."""
        if options["momentum"] != 0:
            momentum = np.asarray(options["momentum"], dtype=param.dtype)
            m = buffer(state, "momentum", param)
            m[...] = m * momentum - grad * lr
            if options["nesterov"]:
                param += m * momentum - grad * lr
            else:
                param += m
        else:
            param -= grad * lr
