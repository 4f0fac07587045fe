"""``SGD``: stochastic gradient descent, with optional momentum, Nesterov momentum and decay."""

from __future__ import annotations

from typing import Any

import numpy as np

from optim._checks import at_least, check_flag, check_implementation, check_lr
from optim.optimizer import Optimizer, Params, signed_decayed_grad


class SGD(Optimizer):
    r"""Stochastic gradient descent: nudge each parameter against its gradient.

    With learning rate :math:`\gamma`, weight decay :math:`\lambda`, momentum :math:`\mu` and
    dampening :math:`\tau`, step :math:`t` of the algorithm as PyTorch documents it is::

        g_t = -grad f(theta_{t-1})  if maximize, else  g_t = grad f(theta_{t-1})
        if lambda != 0:  g_t = g_t + lambda * theta_{t-1}
        if mu != 0:
            b_t = mu * b_{t-1} + (1 - tau) * g_t   if t > 1,   b_1 = g_1
            g_t = g_t + mu * b_t                   if nesterov, else  g_t = b_t
        theta_t = theta_{t-1} - gamma * g_t

    As in PyTorch's code, ``maximize`` negates the gradient before the weight decay is added,
    so the decay still shrinks the parameters (PyTorch's pseudo-code, which reverses the whole
    step, says otherwise; the code is what runs). The momentum buffer :math:`b` accumulates
    raw gradients: the learning rate scales the step, not the buffer (unlike Sutskever et al.).

    Args:
        params: Parameters or parameter groups (PyTorch form), or the learning rate (Keras form
            ``SGD(0.01)``, parameters bound later by ``bind``).
        lr: Learning rate :math:`\gamma` (default 1e-3).
        momentum: Momentum factor :math:`\mu` (default 0: plain gradient descent).
        dampening: Share :math:`\tau` of each new gradient left out of the momentum buffer.
        weight_decay: L2 penalty :math:`\lambda`, added to the gradient.
        nesterov: Use Nesterov momentum (needs ``momentum > 0`` and ``dampening == 0``).
        maximize: Climb the objective instead of descending it.
        foreach, differentiable, fused: PyTorch's implementation choices, accepted at their
            defaults (``foreach`` and ``fused`` also False) and refused otherwise.
        learning_rate: Keras' name for ``lr`` (``Adam(learning_rate=0.1)``); give one of them.

    Examples:
        >>> import autograd as ag, optim
        >>> w = ag.tensor([3.0], requires_grad=True)
        >>> opt = optim.SGD([w], lr=0.1, momentum=0.9)
        >>> for _ in range(100):
        ...     opt.zero_grad()
        ...     (w * w).sum().backward()
        ...     _ = opt.step()
        >>> abs(w.item()) < 0.1
        True
    """

    def __init__(
        self,
        params: Params | float | None = None,
        lr: float = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        differentiable: bool = False,
        fused: bool | None = None,
        learning_rate: float | None = None,
    ) -> None:
        implementation = check_implementation(
            "SGD", foreach=foreach, differentiable=differentiable, fused=fused)
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov,
                                      maximize=maximize, **implementation),
                         learning_rate)

    def check_options(self, options: dict[str, Any]) -> None:
        """Refuse negative values, and Nesterov momentum without momentum or with dampening."""
        check_lr(options["lr"])
        at_least("momentum", options["momentum"], 0.0)
        at_least("dampening", options["dampening"], 0.0)
        at_least("weight_decay", options["weight_decay"], 0.0)
        check_flag("nesterov", options["nesterov"])
        check_flag("maximize", options["maximize"])
        if options["nesterov"] and (options["momentum"] <= 0 or options["dampening"] != 0):
            raise ValueError(
                f"Invalid nesterov=True with momentum={options['momentum']!r} and "
                f"dampening={options['dampening']!r}: Nesterov momentum requires a momentum > 0 "
                f"and zero dampening"
            )

    def update_step(
        self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], options: dict[str, Any]
    ) -> None:
        """One SGD step, in the order of the formula above."""
        momentum = options["momentum"]
        g = signed_decayed_grad(grad, param, options["weight_decay"], options["maximize"])
        if momentum != 0:
            buf = state.get("momentum_buffer")
            if buf is None:  # t = 1 (or momentum just switched on): the buffer starts at g
                buf = state["momentum_buffer"] = np.array(g, dtype=param.dtype)
            else:
                np.multiply(buf, momentum, out=buf)
                buf += (1 - options["dampening"]) * g
            g = g + momentum * buf if options["nesterov"] else buf
        param -= options["lr"] * g
