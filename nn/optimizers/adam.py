"""Keras' ``Adam`` and ``AdamW``: steps scaled by running averages of the gradient and its square.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nn.optimizers.base import KerasOptimizer
from nn.optimizers.common import Hyperparameter, buffer


class Adam(KerasOptimizer):
    """Adam, exactly as ``keras.optimizers.Adam`` computes it.

    With ``t = iterations + 1``, learning rate ``lr`` and gradient ``g``, one step is::

        alpha = lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)
        m = m + (g - m) * (1 - beta_1)
        v = v + (g**2 - v) * (1 - beta_2)
        if amsgrad:  v_hat = max(v_hat, v);  v = v_hat
        w = w - m * alpha / (sqrt(v) + epsilon)

    Keras folds the bias correction into ``alpha``, so ``epsilon`` (default 1e-7) is added to
    the uncorrected ``sqrt(v)``: the numbers differ from ``optim.Adam`` (PyTorch's).

    Args:
        learning_rate: A float (default 0.001), or a callable with no arguments.
        beta_1: Decay rate of the gradient's running mean.
        beta_2: Decay rate of the squared gradient's running mean.
        epsilon: Added to the denominator.
        amsgrad: Divide by the largest ``v`` seen so far (AMSGrad).
        weight_decay: If set, ``w = w - w * weight_decay * lr`` before each update.
        clipnorm, clipvalue, global_clipnorm: Gradient clipping (one at most).
        gradient_accumulation_steps: Update every ``n``-th step with the mean gradient.
        use_ema, ema_momentum, ema_overwrite_frequency, loss_scale_factor: Keras' arguments;
            only their defaults are supported.
        name: The optimizer's name.
        **kwargs: Refused, as Keras refuses unknown arguments.

    Examples:
        >>> import nn as keras
        >>> model = keras.Sequential([keras.layers.Dense(units=1, input_shape=[1])])
        >>> model.compile(loss="mean_squared_error", optimizer=keras.optimizers.Adam(0.1))
        >>> _ = model.fit([-40, -10, 0, 8, 15, 22, 38], [-40, 14, 32, 46, 59, 72, 100],
        ...               epochs=500, verbose=False)
        >>> model.optimizer.iterations
        500
    """

    option_names = ("beta_1", "beta_2", "epsilon", "amsgrad")
    flag_names = ("amsgrad",)
    beta_1 = Hyperparameter()
    beta_2 = Hyperparameter()
    epsilon = Hyperparameter()
    amsgrad = Hyperparameter()

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
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
            learning_rate, dict(beta_1=beta_1, beta_2=beta_2, epsilon=epsilon, amsgrad=amsgrad),
            weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
            global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name, kwargs=kwargs)

    def update_variable(self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any],
                        lr: np.ndarray, options: dict[str, Any]) -> None:
        """One Adam step, in Keras' order of operations."""
        dtype = param.dtype
        beta_1, beta_2 = float(options["beta_1"]), float(options["beta_2"])
        step = self.local_step(dtype)
        beta_1_power = np.power(np.asarray(beta_1, dtype=dtype), step)
        beta_2_power = np.power(np.asarray(beta_2, dtype=dtype), step)
        m = buffer(state, "momentum", param)
        v = buffer(state, "velocity", param)
        alpha = lr * np.sqrt(1 - beta_2_power) / (1 - beta_1_power)
        m += (grad - m) * (1 - beta_1)
        v += (np.square(grad) - v) * (1 - beta_2)
        if options["amsgrad"]:
            v_hat = buffer(state, "velocity_hat", param)
            np.maximum(v_hat, v, out=v_hat)
            v = v_hat
        param -= (m * alpha) / (np.sqrt(v) + float(options["epsilon"]))


class AdamW(Adam):
    """Adam with decoupled weight decay, exactly as ``keras.optimizers.AdamW``.

    Each step first shrinks every variable, ``w = w - w * weight_decay * lr`` (default
    ``weight_decay=0.004``), then takes ``Adam``'s step (see ``Adam`` for the formula).

    Args:
        learning_rate: A float (default 0.001), or a callable with no arguments.
        weight_decay: The decay rate; must be a float (None is refused, as in Keras).
        beta_1, beta_2, epsilon, amsgrad: As in ``Adam``.
        clipnorm, clipvalue, global_clipnorm: Gradient clipping (one at most).
        gradient_accumulation_steps: Update every ``n``-th step with the mean gradient.
        use_ema, ema_momentum, ema_overwrite_frequency, loss_scale_factor: Keras' arguments;
            only their defaults are supported.
        name: The optimizer's name.
        **kwargs: Refused, as Keras refuses unknown arguments.

    Examples:
        >>> import autograd as ag, nn
        >>> w = ag.tensor([1.0], requires_grad=True)
        >>> opt = nn.optimizers.AdamW(0.1, weight_decay=0.5).bind([w])
        >>> w.grad = ag.tensor([0.0])
        >>> _ = opt.step()
        >>> round(w.item(), 4)
        0.95
    """

    def __init__(
        self,
        learning_rate: Any = 0.001,
        weight_decay: float = 0.004,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
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
        if weight_decay is None:
            raise ValueError("AdamW: argument `weight_decay` must be a float. Received: "
                             "weight_decay=None")
        super().__init__(
            learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon, amsgrad=amsgrad,
            weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
            global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
