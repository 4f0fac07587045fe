"""``Adadelta``: steps whose size is a running ratio of past update and gradient magnitudes."""

from __future__ import annotations

from typing import Any

import numpy as np

from optim._checks import at_least, check_flag, check_implementation, check_lr, real
from optim.optimizer import Optimizer, Params, signed_decayed_grad, state_buffer


class Adadelta(Optimizer):
    r"""Adadelta: scale each gradient by the root of the recent updates over that of the gradients.

    With learning rate :math:`\gamma`, decay :math:`\rho`, ``eps`` :math:`\epsilon` and weight
    decay :math:`\lambda`, starting from :math:`v_0 = u_0 = 0`, step :math:`t` as PyTorch
    documents (and computes) it is::

        g_t = grad f(theta_{t-1})            (negated first when maximize)
        if lambda != 0:  g_t = g_t + lambda * theta_{t-1}
        v_t = rho * v_{t-1} + (1 - rho) * g_t**2
        dx_t = sqrt(u_{t-1} + eps) / sqrt(v_t + eps) * g_t
        u_t = rho * u_{t-1} + (1 - rho) * dx_t**2
        theta_t = theta_{t-1} - gamma * dx_t

    The ratio of the two running roots gives each step the units of the parameter, so Zeiler's
    method needs no learning rate; ``lr`` (default 1.0) scales it all the same.

    Args:
        params: Parameters or parameter groups (PyTorch form), or the learning rate (Keras form
            ``Adadelta(1.0)``, parameters bound later by ``bind``).
        lr: Learning rate :math:`\gamma` (default 1.0).
        rho: Decay :math:`\rho` of both running averages, in [0, 1] (default 0.9).
        eps: Added inside both square roots (default 1e-6).
        weight_decay: L2 penalty :math:`\lambda`, added to the gradient.
        foreach, capturable, differentiable: PyTorch's implementation choices, accepted at
            their defaults (``foreach`` also False) and refused otherwise.
        maximize: Climb the objective instead of descending it.
        learning_rate: Keras' name for ``lr``; give one of them.

    Examples:
        >>> import autograd as ag, optim
        >>> w = ag.tensor([3.0, -2.0], requires_grad=True)
        >>> opt = optim.Adadelta([w], lr=1.0)
        >>> (w * w).sum().backward()
        >>> _ = opt.step()
        >>> w.numpy().round(5)  # the first step is tiny: u_0 = 0
        array([ 2.99684, -1.99684], dtype=float32)
    """

    def __init__(
        self,
        params: Params | float | None = None,
        lr: float = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0,
        foreach: bool | None = None,
        *,
        capturable: bool = False,
        maximize: bool = False,
        differentiable: bool = False,
        learning_rate: float | None = None,
    ) -> None:
        implementation = check_implementation(
            "Adadelta", foreach=foreach, capturable=capturable, differentiable=differentiable)
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay,
                                      maximize=maximize, **implementation),
                         learning_rate)

    def check_options(self, options: dict[str, Any]) -> None:
        """Refuse a negative lr, eps or weight decay, and rho outside [0, 1]."""
        check_lr(options["lr"])
        if not 0 <= real("rho", options["rho"]) <= 1:
            raise ValueError(f"Invalid rho value: {options['rho']!r} (rho must be in [0, 1])")
        at_least("eps", options["eps"], 0.0, "epsilon value")
        at_least("weight_decay", options["weight_decay"], 0.0)
        check_flag("maximize", options["maximize"])

    def update_step(
        self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], options: dict[str, Any]
    ) -> None:
        """One Adadelta step, in the order of the formula above."""
        rho, eps = options["rho"], options["eps"]
        g = signed_decayed_grad(grad, param, options["weight_decay"], options["maximize"])
        v = state_buffer(state, "square_avg", param)
        u = state_buffer(state, "acc_delta", param)
        np.multiply(v, rho, out=v)
        v += (1 - rho) * np.square(g)
        delta = np.sqrt(u + eps)
        delta /= np.sqrt(v + eps)
        delta *= g
        np.multiply(u, rho, out=u)
        u += (1 - rho) * np.square(delta)
        param -= options["lr"] * delta
