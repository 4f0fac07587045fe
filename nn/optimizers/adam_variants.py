"""Keras' ``Adamax`` (Adam on the infinity norm) and ``Nadam`` (Adam with Nesterov momentum)."""

from __future__ import annotations

from typing import Any

import numpy as np

from nn.optimizers.base import KerasOptimizer
from nn.optimizers.common import Hyperparameter, buffer


class _AdamFamily(KerasOptimizer):
    """The constructor that ``Adamax`` and ``Nadam`` share with Keras."""

    option_names = ("beta_1", "beta_2", "epsilon")
    beta_1 = Hyperparameter()
    beta_2 = Hyperparameter()
    epsilon = Hyperparameter()

    def __init__(
        self,
        learning_rate: Any = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
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
            learning_rate, dict(beta_1=beta_1, beta_2=beta_2, epsilon=epsilon),
            weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
            global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name, kwargs=kwargs)


class Adamax(_AdamFamily):
    """Adamax, exactly as ``keras.optimizers.Adamax`` computes it.

    With ``t = iterations + 1``::

        m = m + (g - m) * (1 - beta_1)
        u = max(beta_2 * u, |g|)
        w = w - lr * m / ((1 - beta_1**t) * (u + epsilon))

    Args:
        learning_rate: A float (default 0.001), or a callable with no arguments.
        beta_1: Decay rate of the gradient's running mean.
        beta_2: Decay rate of the running infinity norm.
        epsilon: Added to the norm.
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
        >>> opt = nn.optimizers.Adamax(0.1).bind([w])
        >>> w.grad = ag.tensor([4.0])
        >>> _ = opt.step()
        >>> round(w.item(), 4)  # the first step moves by about lr
        0.9
    """

    def update_variable(self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any],
                        lr: np.ndarray, options: dict[str, Any]) -> None:
        """One Adamax step, in Keras' order of operations."""
        beta_1, beta_2 = float(options["beta_1"]), float(options["beta_2"])
        beta_1_power = np.power(np.asarray(beta_1, dtype=param.dtype),
                                self.local_step(param.dtype))
        m = buffer(state, "momentum", param)
        u = buffer(state, "norm", param)
        m += (grad - m) * (1 - beta_1)
        u[...] = np.maximum(beta_2 * u, np.abs(grad))
        param -= (lr * m) / ((1 - beta_1_power) * (u + float(options["epsilon"])))


class Nadam(_AdamFamily):
    """Nadam, exactly as ``keras.optimizers.Nadam`` computes it (Dozat's momentum schedule).

    With ``t = iterations + 1``, ``mu_t = beta_1 * (1 - 0.5 * 0.96**t)`` and the running
    product ``P_t = mu_1 * ... * mu_t`` (kept in the dtype of the first variable)::

        m = m + (g - m) * (1 - beta_1)
        v = v + (g**2 - v) * (1 - beta_2)
        m_hat = mu_{t+1} * m / (1 - P_t * mu_{t+1}) + (1 - mu_t) * g / (1 - P_t)
        v_hat = v / (1 - beta_2**t)
        w = w - lr * m_hat / (sqrt(v_hat) + epsilon)

    Args:
        learning_rate: A float (default 0.001), or a callable with no arguments.
        beta_1: Decay rate of the gradient's running mean.
        beta_2: Decay rate of the squared gradient's running mean.
        epsilon: Added to the denominator.
        weight_decay: If set, ``w = w - w * weight_decay * lr`` before each update.
        clipnorm, clipvalue, global_clipnorm: Gradient clipping (one at most).
        gradient_accumulation_steps: Update every ``n``-th step with the mean gradient.
        use_ema, ema_momentum, ema_overwrite_frequency, loss_scale_factor: Keras' arguments;
            only their defaults are supported.
        name: The optimizer's name.
        **kwargs: Refused, as Keras refuses unknown arguments.

    Examples:
        >>> import autograd as ag, nn
        >>> w = ag.tensor([3.0, -2.0], requires_grad=True)
        >>> opt = nn.optimizers.Nadam(0.1).bind([w])
        >>> for _ in range(300):
        ...     opt.zero_grad()
        ...     (w * w).sum().backward()
        ...     _ = opt.step()
        >>> bool(abs(w.numpy()).max() < 0.1)
        True
    """

    u_product: np.ndarray | None = None

    def before_updates(self, params: list[Any]) -> None:
        """Multiply the running product by this step's ``mu_t``, once per step."""
        if self.u_product is None:
            first = self.param_groups[0]["params"][0]
            dtype = getattr(first, "dtype", np.dtype(np.float64))  # a Scalar is float64
            self.u_product = np.asarray(1.0, dtype=dtype)
        dtype = self.u_product.dtype
        self.u_product = np.asarray(self.u_product * float(self.beta_1) * (
            1.0 - 0.5 * np.power(0.96, self.local_step(dtype))), dtype=dtype)

    def update_variable(self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any],
                        lr: np.ndarray, options: dict[str, Any]) -> None:
        """One Nadam step, in Keras' order of operations (constants cast to the dtype)."""
        dtype = param.dtype
        local_step, next_step = self.local_step(dtype), self.local_step(dtype, 2)
        decay = np.asarray(0.96, dtype=dtype)
        beta_1 = np.asarray(options["beta_1"], dtype=dtype)
        beta_2 = np.asarray(options["beta_2"], dtype=dtype)
        u_t = beta_1 * (1.0 - 0.5 * np.power(decay, local_step))
        u_t_1 = beta_1 * (1.0 - 0.5 * np.power(decay, next_step))
        u_product_t = np.asarray(self.u_product, dtype=dtype)
        u_product_t_1 = u_product_t * u_t_1
        beta_2_power = np.power(beta_2, local_step)
        m = buffer(state, "momentum", param)
        v = buffer(state, "velocity", param)
        m += (grad - m) * (1 - beta_1)
        v += (np.square(grad) - v) * (1 - beta_2)
        m_hat = (u_t_1 * m) / (1 - u_product_t_1) + ((1 - u_t) * grad) / (1 - u_product_t)
        v_hat = v / (1 - beta_2_power)
        param -= (m_hat * lr) / (np.sqrt(v_hat) + float(options["epsilon"]))

    def extra_state(self) -> dict[str, Any]:
        """``iterations`` and the running product (None before the first step)."""
        product = None if self.u_product is None else float(self.u_product)
        return {**super().extra_state(), "u_product": product}

    def load_extra_state(self, saved: dict[str, Any]) -> None:
        """Restore ``iterations`` and the running product, in the first variable's dtype."""
        super().load_extra_state(saved)
        product = saved["u_product"]
        if product is None:
            self.u_product = None
            return
        first = self.param_groups[0]["params"][0]
        self.u_product = np.asarray(product, dtype=getattr(first, "dtype", np.float64))
