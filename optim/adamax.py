"""``Adamax``: Adam with the infinity norm of past gradients in place of their mean square."""

from __future__ import annotations

from typing import Any

import numpy as np

from optim._checks import at_least, check_betas, check_flag, check_implementation, check_lr
from optim.optimizer import Optimizer, Params, signed_decayed_grad, state_buffer


class Adamax(Optimizer):
    r"""Adamax: divide the momentum by a decaying maximum of the gradient's magnitude.

    With learning rate :math:`\gamma`, ``betas`` :math:`(\beta_1, \beta_2)`, ``eps``
    :math:`\epsilon` and weight decay :math:`\lambda`, starting from :math:`m_0 = u_0 = 0`,
    step :math:`t` as PyTorch computes it is::

        g_t = grad f(theta_{t-1})            (negated first when maximize)
        if lambda != 0:  g_t = g_t + lambda * theta_{t-1}
        m_t = beta1 * m_{t-1} + (1 - beta1) * g_t
        u_t = max(beta2 * u_{t-1}, |g_t| + eps)
        theta_t = theta_{t-1} - gamma / (1 - beta1**t) * m_t / u_t

    ``eps`` is added to :math:`|g_t|` inside the maximum (PyTorch's code), which keeps
    :math:`u_t` away from zero. The maximum needs no bias correction, unlike Adam's average.

    Args:
        params: Parameters or parameter groups (PyTorch form), or the learning rate (Keras form
            ``Adamax(0.002)``, parameters bound later by ``bind``).
        lr: Learning rate :math:`\gamma` (default 2e-3).
        betas: Decay rates of the momentum and of the maximum, each in [0, 1).
        eps: Added to the gradient's magnitude (default 1e-8).
        weight_decay: L2 penalty :math:`\lambda`, added to the gradient.
        foreach, differentiable, capturable: PyTorch's implementation choices, accepted at
            their defaults (``foreach`` also False) and refused otherwise.
        maximize: Climb the objective instead of descending it.
        learning_rate: Keras' name for ``lr``; give one of them.

    Examples:
        >>> import autograd as ag, optim
        >>> w = ag.tensor([3.0, -2.0], requires_grad=True)
        >>> opt = optim.Adamax([w], lr=0.1)
        >>> (w * w).sum().backward()
        >>> _ = opt.step()
        >>> w.numpy().round(5)  # the first step is lr times the gradient's sign
        array([ 2.9, -1.9], dtype=float32)
    """

    def __init__(
        self,
        params: Params | float | None = None,
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        capturable: bool = False,
        learning_rate: float | None = None,
    ) -> None:
        implementation = check_implementation(
            "Adamax", foreach=foreach, differentiable=differentiable, capturable=capturable)
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      maximize=maximize, **implementation),
                         learning_rate)

    def check_options(self, options: dict[str, Any]) -> None:
        """Refuse a negative lr, eps or weight decay, and betas outside [0, 1)."""
        check_lr(options["lr"])
        at_least("eps", options["eps"], 0.0, "epsilon value")
        check_betas(options["betas"])
        at_least("weight_decay", options["weight_decay"], 0.0)
        check_flag("maximize", options["maximize"])

    def update_step(
        self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], options: dict[str, Any]
    ) -> None:
        """One Adamax step, in the order of the formula above."""
        beta1, beta2 = options["betas"]
        g = signed_decayed_grad(grad, param, options["weight_decay"], options["maximize"])
        m = state_buffer(state, "exp_avg", param)
        u = state_buffer(state, "exp_inf", param)
        m += (1 - beta1) * (g - m)  # PyTorch's lerp: the same average, rounded as it rounds
        np.multiply(u, beta2, out=u)
        np.maximum(u, np.abs(g) + options["eps"], out=u)
        step_size = options["lr"] / (1 - beta1 ** state["step"])
        param -= step_size * (m / u)
