"""``RMSprop``: steps divided by the root of a running mean of the squared gradient."""

from __future__ import annotations

from typing import Any

import numpy as np

from optim._checks import at_least, check_flag, check_implementation, check_lr
from optim.optimizer import Optimizer, Params, signed_decayed_grad, state_buffer


class RMSprop(Optimizer):
    r"""RMSprop: divide each gradient by the root of a running mean of its recent squares.

    With learning rate :math:`\gamma`, smoothing constant :math:`\alpha`, ``eps``
    :math:`\epsilon`, weight decay :math:`\lambda` and momentum :math:`\mu`, starting from
    :math:`v_0 = b_0 = g^{ave}_0 = 0`, step :math:`t` as PyTorch documents it is::

        g_t = grad f(theta_{t-1})            (negated first when maximize)
        if lambda != 0:  g_t = g_t + lambda * theta_{t-1}
        v_t = alpha * v_{t-1} + (1 - alpha) * g_t**2
        v~_t = v_t
        if centered:
            g_ave_t = g_ave_{t-1} * alpha + (1 - alpha) * g_t
            v~_t = v~_t - g_ave_t**2
        if mu > 0:
            b_t = mu * b_{t-1} + g_t / (sqrt(v~_t) + eps)
            theta_t = theta_{t-1} - gamma * b_t
        else:
            theta_t = theta_{t-1} - gamma * g_t / (sqrt(v~_t) + eps)

    The centered variant divides by an estimate of the gradient's variance instead of its
    second moment. ``eps`` is added after the square root (TensorFlow adds it before).

    Args:
        params: Parameters or parameter groups (PyTorch form), or the learning rate (Keras form
            ``RMSprop(0.01)``, parameters bound later by ``bind``).
        lr: Learning rate :math:`\gamma` (default 1e-2).
        alpha: Decay rate :math:`\alpha` of the running mean of squares (default 0.99).
        eps: Added to the denominator so that it is never zero.
        weight_decay: L2 penalty :math:`\lambda`, added to the gradient.
        momentum: Momentum factor :math:`\mu` applied to the scaled steps.
        centered: Normalize by the variance of the gradient rather than its second moment.
        capturable, foreach: PyTorch's implementation choices, accepted at their defaults
            (``foreach`` also False) and refused otherwise.
        maximize: Climb the objective instead of descending it.
        differentiable: Accepted at its default, False, and refused otherwise.
        learning_rate: Keras' name for ``lr`` (``Adam(learning_rate=0.1)``); give one of them.

    Examples:
        >>> import autograd as ag, optim
        >>> w = ag.tensor([3.0, -2.0], requires_grad=True)
        >>> opt = optim.RMSprop([w], lr=0.05)
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
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
        *,
        learning_rate: float | None = None,
    ) -> None:
        implementation = check_implementation(
            "RMSprop", capturable=capturable, foreach=foreach, differentiable=differentiable)
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                                      momentum=momentum, centered=centered, maximize=maximize,
                                      **implementation),
                         learning_rate)

    def check_options(self, options: dict[str, Any]) -> None:
        """Refuse negative lr, alpha, eps, weight decay or momentum."""
        check_lr(options["lr"])
        at_least("alpha", options["alpha"], 0.0)
        at_least("eps", options["eps"], 0.0, "epsilon value")
        at_least("weight_decay", options["weight_decay"], 0.0)
        at_least("momentum", options["momentum"], 0.0)
        check_flag("centered", options["centered"])
        check_flag("maximize", options["maximize"])

    def update_step(
        self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], options: dict[str, Any]
    ) -> None:
        """One RMSprop step, in the order of the formula above."""
        alpha, momentum = options["alpha"], options["momentum"]
        g = signed_decayed_grad(grad, param, options["weight_decay"], options["maximize"])
        v = state_buffer(state, "square_avg", param)
        np.multiply(v, alpha, out=v)
        v += (1 - alpha) * np.square(g)
        if options["centered"]:
            g_ave = state_buffer(state, "grad_avg", param)
            np.multiply(g_ave, alpha, out=g_ave)
            g_ave += (1 - alpha) * g
            denom = np.sqrt(v - np.square(g_ave))
        else:
            denom = np.sqrt(v)
        denom += options["eps"]
        if momentum > 0:
            buf = state_buffer(state, "momentum_buffer", param)
            np.multiply(buf, momentum, out=buf)
            buf += g / denom
            param -= options["lr"] * buf
        else:
            update = options["lr"] * g
            update /= denom
            param -= update
