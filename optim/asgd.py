"""``ASGD``: stochastic gradient descent that also keeps a running average of its iterates."""

from __future__ import annotations

from typing import Any

import numpy as np

from optim._checks import at_least, check_flag, check_implementation, check_lr, real
from optim.optimizer import Optimizer, Params, signed_decayed_grad, state_buffer


class ASGD(Optimizer):
    r"""Averaged SGD: decaying steps, and the average of the iterates in ``state['ax']``.

    With learning rate :math:`\gamma`, decay term :math:`\lambda`, power :math:`\alpha`, start
    of averaging :math:`t_0` and weight decay :math:`w`, starting from :math:`\eta_0 = \gamma`,
    :math:`\mu_0 = 1` and :math:`a_0 = 0`, step :math:`t` as PyTorch computes it is::

        g_t = grad f(theta_{t-1})            (negated first when maximize)
        if w != 0:  g_t = g_t + w * theta_{t-1}
        theta_t = theta_{t-1} * (1 - lambda * eta_{t-1}) - eta_{t-1} * g_t
        a_t = a_{t-1} + mu_{t-1} * (theta_t - a_{t-1})   if mu_{t-1} != 1, else  a_t = theta_t
        eta_t = gamma / (1 + lambda * gamma * t)**alpha
        mu_t = 1 / max(1, t - t0)

    The parameters follow the plain iterates; the average (Polyak and Juditsky), which is what
    the method is for, is read from ``optimizer.state[p]['ax']``. ``eta`` and ``mu`` are kept
    per parameter as numbers (PyTorch keeps them as 0-d tensors).

    Args:
        params: Parameters or parameter groups (PyTorch form), or the learning rate (Keras form
            ``ASGD(0.01)``, parameters bound later by ``bind``).
        lr: Learning rate :math:`\gamma` (default 1e-2).
        lambd: Decay term :math:`\lambda` (default 1e-4).
        alpha: Power :math:`\alpha` of the step-size decay (default 0.75).
        t0: The step after which averaging starts (default 1e6).
        weight_decay: L2 penalty :math:`w`, added to the gradient.
        foreach: Accepted at its default, None (or False), and refused otherwise.
        maximize: Climb the objective instead of descending it.
        differentiable, capturable: Accepted at their default, False, and refused otherwise.
        learning_rate: Keras' name for ``lr``; give one of them.

    Examples:
        >>> import autograd as ag, optim
        >>> w = ag.tensor([1.0], requires_grad=True)
        >>> opt = optim.ASGD([w], lr=0.1, t0=0)
        >>> for _ in range(3):
        ...     w.grad = ag.tensor([1.0])
        ...     _ = opt.step()
        >>> round(w.item(), 4), round(float(opt.state[w]["ax"][0]), 4)
        (0.7, 0.75)
    """

    def __init__(
        self,
        params: Params | float | None = None,
        lr: float = 1e-2,
        lambd: float = 1e-4,
        alpha: float = 0.75,
        t0: float = 1e6,
        weight_decay: float = 0,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
        capturable: bool = False,
        *,
        learning_rate: float | None = None,
    ) -> None:
        implementation = check_implementation(
            "ASGD", foreach=foreach, differentiable=differentiable, capturable=capturable)
        super().__init__(params, dict(lr=lr, lambd=lambd, alpha=alpha, t0=t0,
                                      weight_decay=weight_decay, maximize=maximize,
                                      **implementation),
                         learning_rate)

    def check_options(self, options: dict[str, Any]) -> None:
        """Refuse a negative lr or weight decay and options that are not numbers."""
        check_lr(options["lr"])
        for name in ("lambd", "alpha", "t0"):
            real(name, options[name])
        at_least("weight_decay", options["weight_decay"], 0.0)
        check_flag("maximize", options["maximize"])

    def update_step(
        self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], options: dict[str, Any]
    ) -> None:
        """One ASGD step, in the order of the formula above."""
        t, lr, lambd = state["step"], options["lr"], options["lambd"]
        eta = state.setdefault("eta", float(lr))
        mu = state.setdefault("mu", 1.0)
        ax = state_buffer(state, "ax", param)
        g = signed_decayed_grad(grad, param, options["weight_decay"], options["maximize"])
        param *= 1 - lambd * eta
        param -= eta * g
        if mu != 1:
            ax += (param - ax) * mu
        else:
            ax[...] = param
        state["eta"] = lr / (1 + lambd * lr * t) ** options["alpha"]
        state["mu"] = 1 / max(1, t - options["t0"])
