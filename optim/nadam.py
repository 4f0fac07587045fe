"""``NAdam`` and ``RAdam``: Adam with Nesterov momentum, and Adam with a rectified variance."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from optim._checks import at_least, check_betas, check_flag, check_implementation, check_lr
from optim.optimizer import Optimizer, Params, state_buffer


class _AdamFamily(Optimizer):
    """What NAdam and RAdam share: Adam's options, decay (coupled or decoupled), the moments."""

    def check_options(self, options: dict[str, Any]) -> None:
        """Refuse a negative lr, eps or weight decay, and betas outside [0, 1)."""
        check_lr(options["lr"])
        at_least("eps", options["eps"], 0.0, "epsilon value")
        check_betas(options["betas"])
        at_least("weight_decay", options["weight_decay"], 0.0)
        check_flag("decoupled_weight_decay", options["decoupled_weight_decay"])
        check_flag("maximize", options["maximize"])

    @staticmethod
    def moments(param: np.ndarray, grad: np.ndarray, state: dict[str, Any],
                options: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Apply the sign and the weight decay, then update both moments; ``(g, m, v)``."""
        beta1, beta2 = options["betas"]
        lr, weight_decay = options["lr"], options["weight_decay"]
        g = -grad if options["maximize"] else grad
        if weight_decay != 0:
            if options["decoupled_weight_decay"]:
                param *= 1 - lr * weight_decay
            else:
                g = g + weight_decay * param
        m = state_buffer(state, "exp_avg", param)
        v = state_buffer(state, "exp_avg_sq", param)
        m += (1 - beta1) * (g - m)  # PyTorch's lerp: the same average, rounded as it rounds
        np.multiply(v, beta2, out=v)
        v += (1 - beta2) * np.square(g)
        return g, m, v


class NAdam(_AdamFamily):
    r"""NAdam: Adam whose momentum looks one step ahead (Nesterov), with a momentum warm-up.

    With learning rate :math:`\gamma`, ``betas`` :math:`(\beta_1, \beta_2)`, ``eps``
    :math:`\epsilon`, weight decay :math:`\lambda` and momentum decay :math:`\psi`, starting
    from :math:`m_0 = v_0 = 0` and :math:`\Pi_0 = 1`, step :math:`t` as PyTorch computes it is::

        g_t = grad f(theta_{t-1})            (negated first when maximize)
        if lambda != 0:
            if decoupled_weight_decay:  theta_{t-1} = theta_{t-1} * (1 - gamma * lambda)
            else:                       g_t = g_t + lambda * theta_{t-1}
        mu_t = beta1 * (1 - 0.5 * 0.96**(t * psi))
        mu_{t+1} = beta1 * (1 - 0.5 * 0.96**((t + 1) * psi))
        Pi_t = Pi_{t-1} * mu_t
        m_t = beta1 * m_{t-1} + (1 - beta1) * g_t
        v_t = beta2 * v_{t-1} + (1 - beta2) * g_t**2
        d_t = sqrt(v_t / (1 - beta2**t)) + eps
        theta_t = theta_{t-1} - gamma * (1 - mu_t) / (1 - Pi_t) * g_t / d_t
                              - gamma * mu_{t+1} / (1 - Pi_t * mu_{t+1}) * m_t / d_t

    :math:`\Pi_t` is kept per parameter as ``state['mu_product']``.

    Args:
        params: Parameters or parameter groups (PyTorch form), or the learning rate (Keras form
            ``NAdam(0.002)``, parameters bound later by ``bind``).
        lr: Learning rate :math:`\gamma` (default 2e-3).
        betas: Decay rates of the two running averages, each in [0, 1).
        eps: Added to the denominator so that it is never zero.
        weight_decay: Weight decay :math:`\lambda`.
        momentum_decay: :math:`\psi`, how fast the momentum warms up (default 4e-3).
        decoupled_weight_decay: Shrink the parameters directly (NAdamW) instead of adding the
            decay to the gradient.
        foreach, capturable, differentiable: PyTorch's implementation choices, accepted at
            their defaults (``foreach`` also False) and refused otherwise.
        maximize: Climb the objective instead of descending it.
        learning_rate: Keras' name for ``lr``; give one of them.

    Examples:
        >>> import autograd as ag, optim
        >>> w = ag.tensor([3.0, -2.0], requires_grad=True)
        >>> opt = optim.NAdam([w], lr=0.1)
        >>> for _ in range(100):
        ...     opt.zero_grad()
        ...     (w * w).sum().backward()
        ...     _ = opt.step()
        >>> bool(abs(w.numpy()).max() < 0.5)
        True
    """

    def __init__(
        self,
        params: Params | float | None = None,
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum_decay: float = 4e-3,
        decoupled_weight_decay: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        learning_rate: float | None = None,
    ) -> None:
        implementation = check_implementation(
            "NAdam", foreach=foreach, capturable=capturable, differentiable=differentiable)
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      momentum_decay=momentum_decay,
                                      decoupled_weight_decay=decoupled_weight_decay,
                                      maximize=maximize, **implementation),
                         learning_rate)

    def check_options(self, options: dict[str, Any]) -> None:
        """Adam's checks, and a momentum decay >= 0."""
        super().check_options(options)
        at_least("momentum_decay", options["momentum_decay"], 0.0, "momentum_decay value")

    def update_step(
        self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], options: dict[str, Any]
    ) -> None:
        """One NAdam step, in the order of the formula above."""
        t, lr = state["step"], options["lr"]
        beta1, beta2 = options["betas"]
        psi = options["momentum_decay"]
        mu = beta1 * (1.0 - 0.5 * 0.96 ** (t * psi))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * psi))
        state["mu_product"] = state.get("mu_product", 1.0) * mu
        g, m, v = self.moments(param, grad, state, options)
        denom = np.sqrt(v / (1 - beta2**t))
        denom += options["eps"]
        mu_product = state["mu_product"]
        param += (-lr * (1.0 - mu) / (1.0 - mu_product)) * (g / denom)
        param += (-lr * mu_next / (1.0 - mu_product * mu_next)) * (m / denom)


class RAdam(_AdamFamily):
    r"""RAdam: Adam that takes plain momentum steps until its variance estimate is reliable.

    With the symbols of ``Adam`` and :math:`\rho_\infty = 2 / (1 - \beta_2) - 1`, step
    :math:`t` as PyTorch computes it is::

        g_t, weight decay, m_t, v_t as in NAdam (decoupled_weight_decay likewise)
        m_hat = m_t / (1 - beta1**t)
        rho_t = rho_inf - 2 * t * beta2**t / (1 - beta2**t)
        if rho_t > 5:
            l_t = sqrt(1 - beta2**t) / (sqrt(v_t) + eps)
            r_t = sqrt((rho_t - 4) * (rho_t - 2) * rho_inf
                       / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
            theta_t = theta_{t-1} - gamma * m_hat * l_t * r_t
        else:
            theta_t = theta_{t-1} - gamma * m_hat

    :math:`\rho_t` estimates how many gradients the running average really holds; with few of
    them the adaptive denominator is too noisy, so it is left out (Liu et al.).

    Args:
        params: Parameters or parameter groups (PyTorch form), or the learning rate (Keras form
            ``RAdam(0.001)``, parameters bound later by ``bind``).
        lr: Learning rate :math:`\gamma` (default 1e-3).
        betas: Decay rates of the two running averages, each in [0, 1).
        eps: Added to the denominator so that it is never zero.
        weight_decay: Weight decay :math:`\lambda`.
        decoupled_weight_decay: Shrink the parameters directly (RAdamW).
        foreach, capturable, differentiable: PyTorch's implementation choices, accepted at
            their defaults (``foreach`` also False) and refused otherwise.
        maximize: Climb the objective instead of descending it.
        learning_rate: Keras' name for ``lr``; give one of them.

    Examples:
        >>> import autograd as ag, optim
        >>> w = ag.tensor([3.0], requires_grad=True)
        >>> w.grad = ag.tensor([6.0])
        >>> _ = optim.RAdam([w], lr=0.1).step()
        >>> round(w.item(), 4)  # rho_1 = 1 <= 5: a plain momentum step, gamma * g
        2.4
    """

    def __init__(
        self,
        params: Params | float | None = None,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        decoupled_weight_decay: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        learning_rate: float | None = None,
    ) -> None:
        implementation = check_implementation(
            "RAdam", foreach=foreach, capturable=capturable, differentiable=differentiable)
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      decoupled_weight_decay=decoupled_weight_decay,
                                      maximize=maximize, **implementation),
                         learning_rate)

    def update_step(
        self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], options: dict[str, Any]
    ) -> None:
        """One RAdam step, in the order of the formula above."""
        t, lr = state["step"], options["lr"]
        beta1, beta2 = options["betas"]
        _, m, v = self.moments(param, grad, state, options)
        bias_correction2 = 1 - beta2**t
        m_hat = m / (1 - beta1**t)
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 * t * (beta2**t) / bias_correction2
        if rho_t > 5.0:
            adaptive = bias_correction2**0.5 / (np.sqrt(v) + options["eps"])
            rect = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf
                             / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
            param -= m_hat * lr * adaptive * rect
        else:
            param -= m_hat * lr
