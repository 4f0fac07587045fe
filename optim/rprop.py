"""``Rprop``: steps of a size adapted to each element from the signs of its gradients."""

from __future__ import annotations

from typing import Any

import numpy as np

from optim._checks import check_flag, check_implementation, check_lr, real
from optim.optimizer import Optimizer, Params, state_buffer


class Rprop(Optimizer):
    r"""Resilient backpropagation: each element's step grows while its gradient keeps its sign
    and shrinks when the sign flips; only the sign of the gradient is used.

    With ``etas`` :math:`(\eta^-, \eta^+)` and ``step_sizes`` :math:`(\Gamma_{min},
    \Gamma_{max})`, starting from :math:`\eta_0 = \gamma` (the learning rate) and
    :math:`g_0 = 0`, step :math:`t` as PyTorch computes it is, element by element::

        g_t = grad f(theta_{t-1})            (negated first when maximize)
        if g_{t-1} * g_t > 0:   eta_t = min(eta_{t-1} * eta_plus, Gamma_max)
        if g_{t-1} * g_t < 0:   eta_t = max(eta_{t-1} * eta_minus, Gamma_min);  g_t = 0
        if g_{t-1} * g_t == 0:  eta_t = eta_{t-1}   (clamped to [Gamma_min, Gamma_max])
        theta_t = theta_{t-1} - eta_t * sign(g_t)

    A flipped sign means the last step jumped over a minimum: that element rests one step (its
    remembered gradient is set to 0). Rprop suits full-batch training; noisy mini-batch
    gradients flip signs at random.

    Args:
        params: Parameters or parameter groups (PyTorch form), or the learning rate (Keras form
            ``Rprop(0.01)``, parameters bound later by ``bind``).
        lr: The initial step size of every element (default 1e-2).
        etas: The factors :math:`(\eta^-, \eta^+)` applied on a sign flip and on a kept sign,
            with ``0 < eta_minus < 1 < eta_plus`` (default (0.5, 1.2)).
        step_sizes: The smallest and largest step sizes (default (1e-6, 50)).
        capturable, foreach, differentiable: PyTorch's implementation choices, accepted at
            their defaults (``foreach`` also False) and refused otherwise.
        maximize: Climb the objective instead of descending it.
        learning_rate: Keras' name for ``lr``; give one of them.

    Examples:
        >>> import autograd as ag, optim
        >>> w = ag.tensor([3.0, -2.0], requires_grad=True)
        >>> opt = optim.Rprop([w], lr=0.1)
        >>> for _ in range(2):
        ...     w.grad = ag.tensor([1.0, -1.0])
        ...     _ = opt.step()
        >>> w.numpy().round(4)  # 0.1, then 0.1 * 1.2
        array([ 2.78, -1.78], dtype=float32)
    """

    def __init__(
        self,
        params: Params | float | None = None,
        lr: float = 1e-2,
        etas: tuple[float, float] = (0.5, 1.2),
        step_sizes: tuple[float, float] = (1e-6, 50),
        *,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
        learning_rate: float | None = None,
    ) -> None:
        implementation = check_implementation(
            "Rprop", capturable=capturable, foreach=foreach, differentiable=differentiable)
        super().__init__(params, dict(lr=lr, etas=etas, step_sizes=step_sizes,
                                      maximize=maximize, **implementation), learning_rate)

    def check_options(self, options: dict[str, Any]) -> None:
        """Refuse a negative lr, etas outside ``0 < eta_minus < 1 < eta_plus``, and step sizes
        that are not a pair of numbers."""
        check_lr(options["lr"])
        etas, sizes = options["etas"], options["step_sizes"]
        if not isinstance(etas, (tuple, list)) or len(etas) != 2 \
                or not 0.0 < real("etas[0]", etas[0]) < 1.0 < real("etas[1]", etas[1]):
            raise ValueError(f"Invalid eta values: {etas!r} (etas must be a pair with "
                             f"0 < eta_minus < 1 < eta_plus)")
        if not isinstance(sizes, (tuple, list)) or len(sizes) != 2:
            raise ValueError(f"Invalid step_sizes: {sizes!r} (step_sizes must be a pair "
                             f"(smallest, largest))")
        for i, size in enumerate(sizes):
            real(f"step_sizes[{i}]", size)
        check_flag("maximize", options["maximize"])

    def update_step(
        self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], options: dict[str, Any]
    ) -> None:
        """One Rprop step, in the order of the formula above."""
        eta_minus, eta_plus = options["etas"]
        smallest, largest = options["step_sizes"]
        g = -grad if options["maximize"] else grad
        prev = state_buffer(state, "prev", param)
        step_size = state_buffer(state, "step_size", param, fill=options["lr"])
        sign = np.sign(g * prev)
        factor = np.where(sign > 0, eta_plus, np.where(sign < 0, eta_minus, 1.0))
        np.multiply(step_size, factor.astype(step_size.dtype), out=step_size)
        np.clip(step_size, smallest, largest, out=step_size)
        g = np.where(sign < 0, 0.0, g).astype(param.dtype)
        param -= np.sign(g) * step_size
        prev[...] = g
