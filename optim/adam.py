"""``Adam`` and ``AdamW``: steps scaled by running averages of the gradient and its square."""

from __future__ import annotations

from typing import Any

import numpy as np

from optim._checks import at_least, check_betas, check_flag, check_implementation, check_lr
from optim.optimizer import Optimizer, Params, state_buffer


class Adam(Optimizer):
    r"""Adam: momentum on the gradient, divided by the root of a running mean of its square.

    With learning rate :math:`\gamma`, ``betas`` :math:`(\beta_1, \beta_2)`, ``eps``
    :math:`\epsilon` and weight decay :math:`\lambda`, starting from :math:`m_0 = v_0 =
    v^{max}_0 = 0`, step :math:`t` as PyTorch documents it is::

        g_t = -grad f(theta_{t-1})  if maximize, else  g_t = grad f(theta_{t-1})
        if lambda != 0:
            if decoupled_weight_decay:  theta_{t-1} = theta_{t-1} - gamma * lambda * theta_{t-1}
            else:                       g_t = g_t + lambda * theta_{t-1}
        m_t = beta1 * m_{t-1} + (1 - beta1) * g_t
        v_t = beta2 * v_{t-1} + (1 - beta2) * g_t**2
        m_hat = m_t / (1 - beta1**t)
        if amsgrad:  v_max_t = max(v_max_{t-1}, v_t);  v_hat = v_max_t / (1 - beta2**t)
        else:        v_hat = v_t / (1 - beta2**t)
        theta_t = theta_{t-1} - gamma * m_hat / (sqrt(v_hat) + eps)

    The division by :math:`1 - \beta^t` corrects the bias of averages that start at zero. With
    AMSGrad the running maximum is taken before that correction (PyTorch's code, and its
    documentation since the end of 2024).

    Args:
        params: Parameters or parameter groups (PyTorch form), or the learning rate (Keras form
            ``Adam(0.1)``, parameters bound later by ``bind``).
        lr: Learning rate :math:`\gamma` (default 1e-3).
        betas: Decay rates of the two running averages, each in [0, 1).
        eps: Added to the denominator so that it is never zero.
        weight_decay: L2 penalty :math:`\lambda`, added to the gradient.
        amsgrad: Divide by the largest second moment seen so far (AMSGrad).
        foreach, capturable, differentiable, fused: PyTorch's implementation choices,
            accepted at their defaults (``foreach`` and ``fused`` also False), refused otherwise.
        maximize: Climb the objective instead of descending it.
        decoupled_weight_decay: Shrink the parameters directly instead of adding the decay to
            the gradient: the algorithm of ``AdamW``.
        learning_rate: Keras' name for ``lr`` (``Adam(learning_rate=0.1)``); give one of them.

    Examples:
        >>> import autograd as ag, optim
        >>> w = ag.tensor([3.0, -2.0], requires_grad=True)
        >>> opt = optim.Adam([w], lr=0.1)
        >>> for _ in range(200):
        ...     opt.zero_grad()
        ...     (w * w).sum().backward()
        ...     _ = opt.step()
        >>> bool(abs(w.numpy()).max() < 0.1)
        True
    """

    def __init__(
        self,
        params: Params | float | None = None,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
        learning_rate: float | None = None,
    ) -> None:
        implementation = check_implementation(
            type(self).__name__, foreach=foreach, capturable=capturable,
                             differentiable=differentiable, fused=fused)
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps,
                                      weight_decay=weight_decay, amsgrad=amsgrad,
                                      maximize=maximize,
                                      decoupled_weight_decay=decoupled_weight_decay,
                                      **implementation),
                         learning_rate)

    def check_options(self, options: dict[str, Any]) -> None:
        """Refuse a negative lr, eps or weight decay, and betas outside [0, 1)."""
        check_lr(options["lr"])
        at_least("eps", options["eps"], 0.0, "epsilon value")
        check_betas(options["betas"])
        at_least("weight_decay", options["weight_decay"], 0.0)
        check_flag("amsgrad", options["amsgrad"])
        check_flag("maximize", options["maximize"])
        check_flag("decoupled_weight_decay", options["decoupled_weight_decay"])

    def update_step(
        self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], options: dict[str, Any]
    ) -> None:
        """One Adam step, in the order of the formula above."""
        lr, weight_decay = options["lr"], options["weight_decay"]
        beta1, beta2 = options["betas"]
        g = -grad if options["maximize"] else grad
        if weight_decay != 0:
            if options["decoupled_weight_decay"]:
                param -= lr * weight_decay * param
            else:
                g = g + weight_decay * param
        m = state_buffer(state, "exp_avg", param)
        v = state_buffer(state, "exp_avg_sq", param)
        np.multiply(m, beta1, out=m)
        m += (1 - beta1) * g
        np.multiply(v, beta2, out=v)
        v += (1 - beta2) * np.square(g)
        if options["amsgrad"]:
            v_max = state_buffer(state, "max_exp_avg_sq", param)
            v = np.maximum(v_max, v, out=v_max)
        t = state["step"]
        denom = np.sqrt(v / (1 - beta2**t))
        denom += options["eps"]
        update = m / (1 - beta1**t)
        update *= lr
        update /= denom
        param -= update


class AdamW(Adam):
    r"""Adam with decoupled weight decay: the decay shrinks the parameters, not the gradient.

    Step :math:`t` as PyTorch documents it (same symbols as ``Adam``)::

        g_t = -grad f(theta_{t-1})  if maximize, else  g_t = grad f(theta_{t-1})
        theta_t = theta_{t-1} - gamma * lambda * theta_{t-1}
        m_t, v_t, m_hat, v_hat as in Adam (AMSGrad included), computed from g_t
        theta_t = theta_t - gamma * m_hat / (sqrt(v_hat) + eps)

    Adam's L2 penalty passes through the adaptive scaling, so parameters with large gradients
    are barely decayed; AdamW decays every parameter at the same rate (Loshchilov and Hutter).

    Args:
        params: Parameters or parameter groups (PyTorch form), or the learning rate (Keras form
            ``AdamW(0.01)``, parameters bound later by ``bind``).
        lr: Learning rate :math:`\gamma` (default 1e-3).
        betas: Decay rates of the two running averages, each in [0, 1).
        eps: Added to the denominator so that it is never zero.
        weight_decay: Decay rate :math:`\lambda` (default 0.01).
        amsgrad: Divide by the largest second moment seen so far (AMSGrad).
        maximize: Climb the objective instead of descending it.
        foreach, capturable, differentiable, fused: PyTorch's implementation choices,
            accepted at their defaults (``foreach`` and ``fused`` also False), refused otherwise.
        learning_rate: Keras' name for ``lr`` (``Adam(learning_rate=0.1)``); give one of them.

    Examples:
        >>> import autograd as ag, optim
        >>> w = ag.tensor([1.0], requires_grad=True)
        >>> w.grad = ag.tensor([0.0])
        >>> _ = optim.AdamW([w], lr=0.1, weight_decay=0.5).step()
        >>> round(w.item(), 4)
        0.95
    """

    def __init__(
        self,
        params: Params | float | None = None,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        learning_rate: float | None = None,
    ) -> None:
        # As in PyTorch, AdamW is Adam with decoupled_weight_decay=True, kept in the groups.
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                         amsgrad=amsgrad, foreach=foreach, maximize=maximize,
                         capturable=capturable, differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True, learning_rate=learning_rate)
