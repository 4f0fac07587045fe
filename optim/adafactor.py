"""``Adafactor``: Adam-like steps whose second moment of a matrix is kept as a row and a column."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from optim._checks import at_least, check_flag, check_implementation, check_lr, real
from optim.optimizer import Optimizer, Params, state_buffer


class Adafactor(Optimizer):
    r"""Adafactor: relative step sizes and a factored second moment, as PyTorch computes it.

    With learning rate :math:`\gamma`, ``beta2_decay`` :math:`c`, ``eps``
    :math:`(\epsilon_1, \epsilon_2)`, clipping threshold :math:`d` and weight decay
    :math:`\lambda`, step :math:`t` is::

        g_t = grad f(theta_{t-1})            (negated first when maximize)
        beta_t = t ** c                      (the weight of the new square)
        rho_t = min(gamma, 1 / sqrt(t))
        alpha_t = max(eps2, RMS(theta_{t-1})) * rho_t
        if lambda != 0:  theta_{t-1} = theta_{t-1} * (1 - gamma * lambda)
        if theta is a matrix (or more: the last two axes):
            R_t = R_{t-1} + beta_t * (mean of g_t**2 over the last axis - R_{t-1})
            C_t = C_{t-1} + beta_t * (mean of g_t**2 over the axis before - C_{t-1})
            v_t = (R_t @ C_t) / max(mean of R_t over its rows, eps1)
        else:
            v_t = v_{t-1} + beta_t * (g_t**2 - v_{t-1})
        u_t = g_t / sqrt(max(v_t, eps1**2))
        theta_t = theta_{t-1} - alpha_t / max(1, RMS(u_t) / d) * u_t

    ``RMS(x) = norm(x) / sqrt(numel)``; ``eps1=None`` means the machine epsilon of the
    parameter's dtype. A matrix of ``n x m`` elements keeps ``n + m`` numbers of second moment
    instead of ``n * m`` (Shazeer and Stern), in ``state['row_var']`` and ``state['col_var']``.

    Args:
        params: Parameters or parameter groups (PyTorch form), or the learning rate (Keras form
            ``Adafactor(0.01)``, parameters bound later by ``bind``).
        lr: The largest relative step :math:`\gamma` (default 1e-2).
        beta2_decay: :math:`c <= 0` (default -0.8).
        eps: :math:`(\epsilon_1, \epsilon_2)`: the floor of the second moment (None: the dtype's
            epsilon) and of the parameters' RMS (default (None, 1e-3)).
        d: The clipping threshold of the update's RMS, >= 1 (default 1.0).
        weight_decay: Decoupled weight decay :math:`\lambda`.
        foreach: Accepted at its default, None (or False), and refused otherwise.
        maximize: Climb the objective instead of descending it.
        learning_rate: Keras' name for ``lr``; give one of them.

    Examples:
        >>> import autograd as ag, optim
        >>> w = ag.tensor([[3.0, -2.0], [1.0, 0.5]], requires_grad=True)
        >>> opt = optim.Adafactor([w], lr=0.1)
        >>> for _ in range(100):
        ...     opt.zero_grad()
        ...     (w * w).sum().backward()
        ...     _ = opt.step()
        >>> bool(abs(w.numpy()).max() < 1.0)
        True
    """

    def __init__(
        self,
        params: Params | float | None = None,
        lr: float = 1e-2,
        beta2_decay: float = -0.8,
        eps: tuple[float | None, float] = (None, 1e-3),
        d: float = 1.0,
        weight_decay: float = 0.0,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        learning_rate: float | None = None,
    ) -> None:
        implementation = check_implementation("Adafactor", foreach=foreach)
        super().__init__(params, dict(lr=lr, beta2_decay=beta2_decay, eps=eps, d=d,
                                      weight_decay=weight_decay, **implementation,
                                      maximize=maximize), learning_rate)

    def check_options(self, options: dict[str, Any]) -> None:
        """Refuse values outside PyTorch's ranges, naming the option and the value."""
        check_lr(options["lr"])
        if not real("beta2_decay", options["beta2_decay"]) <= 0:
            raise ValueError(f"beta2_decay should be <= 0 but is: {options['beta2_decay']!r}")
        eps = options["eps"]
        if not isinstance(eps, (tuple, list)) or len(eps) != 2:
            raise ValueError(f"Invalid eps: {eps!r} (eps must be a pair (eps1 or None, eps2))")
        if eps[0] is not None:
            at_least("eps[0]", eps[0], 0.0, "epsilon1")
        at_least("eps[1]", eps[1], 0.0, "epsilon2")
        if not real("d", options["d"]) >= 1:
            raise ValueError(f"Clipping threshold d should be >= 1 but is: {options['d']!r}")
        at_least("weight_decay", options["weight_decay"], 0.0)
        check_flag("maximize", options["maximize"])

    def update_step(
        self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], options: dict[str, Any]
    ) -> None:
        """One Adafactor step, in the order of the formula above."""
        t, lr = state["step"], options["lr"]
        g = -grad if options["maximize"] else grad
        eps1, eps2 = options["eps"]
        if eps1 is None:
            eps1 = float(np.finfo(param.dtype).eps)
        beta = t ** options["beta2_decay"]
        alpha = max(eps2, _rms(param)) * min(lr, 1 / math.sqrt(t))
        if options["weight_decay"] != 0:
            param *= 1 - lr * options["weight_decay"]
        if g.ndim > 1:
            rows = _buffer(state, "row_var", g.shape[:-1] + (1,), param.dtype)
            cols = _buffer(state, "col_var", g.shape[:-2] + (1,) + g.shape[-1:], param.dtype)
            _lerp(rows, _norm_squared(g, -1) / g.shape[-1], beta)
            _lerp(cols, _norm_squared(g, -2) / g.shape[-2], beta)
            variance = rows @ cols
            variance /= np.maximum(rows.mean(axis=-2, keepdims=True), eps1)
        else:
            v = state_buffer(state, "variance", param)
            _lerp(v, g * g, beta)
            variance = v.copy()
        update = g / np.sqrt(np.maximum(variance, eps1 * eps1))
        denom = max(1.0, _rms(update) / options["d"])
        param -= (alpha / denom) * update


def _buffer(state: dict[str, Any], name: str, shape: tuple[int, ...],
            dtype: np.dtype) -> np.ndarray:
    buf = state.get(name)
    if buf is None:
        buf = state[name] = np.zeros(shape, dtype=dtype)
    return buf


def _lerp(start: np.ndarray, end: np.ndarray, weight: float) -> None:
    """``start += weight * (end - start)`` in place, rounded as torch's ``lerp_`` rounds."""
    if weight < 0.5:
        start += weight * (end - start)
    else:
        start[...] = end - (end - start) * (1 - weight)


def _norm_squared(g: np.ndarray, axis: int) -> np.ndarray:
    # torch squares the norm (a square root, then a square), so this does too
    squared: np.ndarray = np.square(np.sqrt(np.sum(g * g, axis=axis, keepdims=True)))
    return squared


def _rms(x: np.ndarray) -> float:
    return float(np.linalg.norm(x.ravel())) / math.sqrt(max(x.size, 1))
