"""``Adagrad``: steps divided by the root of the sum of all past squared gradients."""

from __future__ import annotations

from typing import Any

import numpy as np

from optim._checks import at_least, check_flag, check_implementation, check_lr
from optim.optimizer import Optimizer, Params, signed_decayed_grad, state_buffer


class Adagrad(Optimizer):
    r"""Adagrad: each parameter's step shrinks as the squares of its gradients add up.

    With learning rate :math:`\gamma`, learning-rate decay :math:`\eta`, weight decay
    :math:`\lambda`, initial accumulator value :math:`\tau` and ``eps`` :math:`\epsilon`,
    starting from :math:`s_0 = \tau`, step :math:`t` as PyTorch documents it is::

        g_t = grad f(theta_{t-1})            (negated first when maximize)
        gamma~ = gamma / (1 + (t - 1) * eta)
        if lambda != 0:  g_t = g_t + lambda * theta_{t-1}
        s_t = s_{t-1} + g_t**2
        theta_t = theta_{t-1} - gamma~ * g_t / (sqrt(s_t) + eps)

    Parameters that have had large gradients take small steps and rarely-moved ones take large
    steps, which suits sparse features; the sum never shrinks, so steps only get smaller.

    Args:
        params: Parameters or parameter groups (PyTorch form), or the learning rate (Keras form
            ``Adagrad(0.1)``, parameters bound later by ``bind``).
        lr: Learning rate :math:`\gamma` (default 1e-2).
        lr_decay: Decay :math:`\eta` of the learning rate with the step count.
        weight_decay: L2 penalty :math:`\lambda`, added to the gradient.
        initial_accumulator_value: Starting value :math:`\tau` of the sum of squares.
        eps: Added to the denominator so that it is never zero (default 1e-10).
        foreach: Accepted at its default, None (or False), and refused otherwise.
        maximize: Climb the objective instead of descending it.
        differentiable, fused: Accepted at their defaults (``fused`` also False) and refused
            otherwise.
        learning_rate: Keras' name for ``lr`` (``Adam(learning_rate=0.1)``); give one of them.

    Examples:
        >>> import autograd as ag, optim
        >>> w = ag.tensor([3.0, -2.0], requires_grad=True)
        >>> opt = optim.Adagrad([w], lr=1.0)
        >>> for _ in range(100):
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
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        learning_rate: float | None = None,
    ) -> None:
        implementation = check_implementation(
            "Adagrad", foreach=foreach, differentiable=differentiable, fused=fused)
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value,
                                      eps=eps, maximize=maximize,
                                      **implementation), learning_rate)

    def check_options(self, options: dict[str, Any]) -> None:
        """Refuse negative values for every numeric option."""
        check_lr(options["lr"])
        at_least("lr_decay", options["lr_decay"], 0.0)
        at_least("weight_decay", options["weight_decay"], 0.0)
        at_least("initial_accumulator_value", options["initial_accumulator_value"], 0.0)
        at_least("eps", options["eps"], 0.0, "epsilon value")
        check_flag("maximize", options["maximize"])

    def update_step(
        self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], options: dict[str, Any]
    ) -> None:
        """One Adagrad step, in the order of the formula above."""
        lr = options["lr"] / (1 + (state["step"] - 1) * options["lr_decay"])
        g = signed_decayed_grad(grad, param, options["weight_decay"], options["maximize"])
        total = state_buffer(state, "sum", param, fill=options["initial_accumulator_value"])
        total += np.square(g)
        denom = np.sqrt(total)
        denom += options["eps"]
        update = lr * g
        update /= denom
        param -= update
