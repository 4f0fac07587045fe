"""Keras' ``Adagrad`` and ``Adadelta``: per-element rates from accumulated squared gradients."""

from __future__ import annotations

from typing import Any

import numpy as np

from nn.optimizers.base import KerasOptimizer
from nn.optimizers.common import Hyperparameter, buffer


class Adagrad(KerasOptimizer):
    """Adagrad, exactly as ``keras.optimizers.Adagrad`` computes it.

    The accumulator starts at ``initial_accumulator_value`` (default 0.1); one step is::

        a = a + g**2
        w = w - lr * g / sqrt(a + epsilon)

    Args:
        learning_rate: A float (default 0.001), or a callable with no arguments.
        initial_accumulator_value: The accumulator's starting value.
        epsilon: Added to the accumulator inside the root.
        weight_decay: If set, ``w = w - w * weight_decay * lr`` before each update.
        clipnorm, clipvalue, global_clipnorm: Gradient clipping (one at most).
        gradient_accumulation_steps: Update every ``n``-th step with the mean gradient.
        use_ema, ema_momentum, ema_overwrite_frequency, loss_scale_factor: Keras' arguments;
            only their defaults are supported.
        name: The optimizer's name.
        **kwargs: Refused, as Keras refuses unknown arguments.

    Examples:
        >>> import autograd as ag, nn
        >>> w = ag.tensor([1.0], requires_grad=True)
        >>> opt = nn.optimizers.Adagrad(0.1, initial_accumulator_value=0.0, epsilon=0.0)
        >>> w.grad = ag.tensor([2.0])
        >>> _ = opt.bind([w]).step()
        >>> round(w.item(), 4)  # w - lr * g / |g|
        0.9
    """

    option_names = ("initial_accumulator_value", "epsilon")
    initial_accumulator_value = Hyperparameter()
    epsilon = Hyperparameter()

    def __init__(
        self,
        learning_rate: Any = 0.001,
        initial_accumulator_value: float = 0.1,
        epsilon: float = 1e-7,
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
            learning_rate, dict(initial_accumulator_value=initial_accumulator_value,
                                epsilon=epsilon),
            weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
            global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name, kwargs=kwargs)

    def update_variable(self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any],
                        lr: np.ndarray, options: dict[str, Any]) -> None:
        """One Adagrad step, in Keras' order of operations."""
        accumulator = buffer(state, "accumulator", param,
                             float(options["initial_accumulator_value"]))
        accumulator += np.square(grad)
        param -= (lr * grad) / np.sqrt(accumulator + float(options["epsilon"]))


class Adadelta(KerasOptimizer):
    """Adadelta, exactly as ``keras.optimizers.Adadelta`` computes it.

    One step is (``rms(x) = sqrt(x + epsilon)``)::

        a_g = rho * a_g + (1 - rho) * g**2
        delta = -rms(a_d) * g / rms(a_g)
        a_d = rho * a_d + (1 - rho) * delta**2
        w = w + lr * delta

    Args:
        learning_rate: A float (default 0.001), or a callable with no arguments.
        rho: Decay rate of both running means (default 0.95).
        epsilon: Added inside the roots.
        weight_decay: If set, ``w = w - w * weight_decay * lr`` before each update.
        clipnorm, clipvalue, global_clipnorm: Gradient clipping (one at most).
        gradient_accumulation_steps: Update every ``n``-th step with the mean gradient.
        use_ema, ema_momentum, ema_overwrite_frequency, loss_scale_factor: Keras' arguments;
            only their defaults are supported.
        name: The optimizer's name.
        **kwargs: Refused, as Keras refuses unknown arguments.

    Examples:
        >>> import nn
        >>> opt = nn.optimizers.Adadelta(1.0, rho=0.9)
        >>> opt.get_config()["rho"], opt.iterations
        (0.9, 0)
    """

    option_names = ("rho", "epsilon")
    rho = Hyperparameter()
    epsilon = Hyperparameter()

    def __init__(
        self,
        learning_rate: Any = 0.001,
        rho: float = 0.95,
        epsilon: float = 1e-7,
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
            learning_rate, dict(rho=rho, epsilon=epsilon),
            weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
            global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name, kwargs=kwargs)

    def update_variable(self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any],
                        lr: np.ndarray, options: dict[str, Any]) -> None:
        """One Adadelta step, in Keras' order of operations."""
        rho, epsilon = float(options["rho"]), float(options["epsilon"])
        grads = buffer(state, "accumulated_grad", param)
        deltas = buffer(state, "accumulated_delta_var", param)
        grads[...] = rho * grads + (1 - rho) * np.square(grad)
        delta = -((np.sqrt(deltas + epsilon) * grad) / np.sqrt(grads + epsilon))
        deltas[...] = rho * deltas + (1 - rho) * np.square(delta)
        param += lr * delta
