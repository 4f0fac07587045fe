"""Check analytic gradients against central differences.

``gradcheck`` builds the Jacobian of ``func`` twice: from the engine (one backward per output
element) and numerically, ``(f(x + eps) - f(x - eps)) / 2 eps`` for each input element. They
must agree within ``atol + rtol * |numeric|``. ``fast_mode`` compares one random projection
``vᵀ J u`` instead, which costs two evaluations and one backward whatever the sizes.
``gradgradcheck`` runs ``gradcheck`` on the gradient itself, checking second derivatives.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from autograd.engine import grad
from autograd.grad_mode import enable_grad
from autograd.node import Node
from autograd.random import as_generator
from autograd.scalar import Scalar
from autograd.tensor import Tensor


class GradcheckError(RuntimeError):
    """Raised by ``gradcheck`` when analytic and numerical gradients disagree."""


def _as_tuple(values: Any) -> tuple[Any, ...]:
    return tuple(values) if isinstance(values, (tuple, list)) else (values,)


def _size(x: Any) -> int:  # a Scalar or a Tensor
    return 1 if isinstance(x, Scalar) else x.numel()


def _get(x: Node, k: int) -> float:
    return x._data if isinstance(x, Scalar) else x._data.flat[k]


def _set(x: Node, k: int, value: float) -> None:
    # Perturbs the data where it lives (no version bump: the value is restored right after).
    if isinstance(x, Scalar):
        x._data = float(value)
    else:
        x._data.flat[k] = value


def _flat(value: Any, like: Node) -> np.ndarray:
    if value is None:
        return np.zeros(_size(like))
    data = value._data if isinstance(value, Node) else value
    return np.asarray(data, dtype=np.float64).reshape(-1)


def _evaluate(func: Callable[..., Any], inputs: tuple[Any, ...]) -> np.ndarray:
    # Grad mode stays on: gradgradcheck's func computes a gradient inside.
    with enable_grad():
        outs = _as_tuple(func(*inputs))
    return np.concatenate([np.asarray(o._data, dtype=np.float64).reshape(-1) for o in outs])


def _onehot(out: Any, k: int) -> Any:  # out: a Scalar or a Tensor
    if isinstance(out, Scalar):
        return 1.0
    seed = np.zeros(out.numel(), dtype=out.dtype)
    seed[k] = 1
    return seed.reshape(out.shape)


def _analytic_jacobians(outs: tuple[Any, ...], inputs: list[Node]) -> list[np.ndarray]:
    total = sum(_size(o) for o in outs)
    jacobians = [np.zeros((total, _size(x))) for x in inputs]
    row = 0
    for out in outs:
        for k in range(_size(out)):
            if out.requires_grad:
                grads = grad(out, inputs, grad_outputs=_onehot(out, k), retain_graph=True,
                             allow_unused=True)
                for j, g in enumerate(grads):
                    jacobians[j][row] = _flat(g, inputs[j])
            row += 1
    return jacobians


def _numeric_jacobian(func: Callable[..., Any], all_inputs: tuple[Any, ...], x: Node,
                      eps: float) -> np.ndarray:
    columns = []
    for k in range(_size(x)):
        original = _get(x, k)
        _set(x, k, original + eps)
        plus = _evaluate(func, all_inputs)
        _set(x, k, original - eps)
        minus = _evaluate(func, all_inputs)
        _set(x, k, original)
        columns.append((plus - minus) / (2 * eps))
    if not columns:
        return np.zeros((_evaluate(func, all_inputs).size, 0))
    return np.stack(columns, axis=1)


def _position(inputs: tuple[Any, ...], x: Node) -> int:
    return next(i for i, y in enumerate(inputs) if y is x)


def _fail(message: str, raise_exception: bool) -> bool:
    if raise_exception:
        raise GradcheckError(message)
    return False


def gradcheck(
    func: Callable[..., Any],
    inputs: Any,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    fast_mode: bool = False,
    rng: Any = 0,
) -> bool:
    """Compare the engine's gradients of ``func`` with central differences.

    Args:
        func: Takes ``inputs`` (positionally) and returns a value or a tuple of values.
        inputs: A ``Tensor``/``Scalar`` or a tuple of them (and other arguments, passed through).
            Those with ``requires_grad`` are checked; use float64 tensors.
        eps: The finite-difference step.
        atol, rtol: Tolerances: ``|analytic - numeric| <= atol + rtol * |numeric|``.
        raise_exception: Raise ``GradcheckError`` on failure (else return False).
        fast_mode: Compare a random projection ``vᵀ J u`` instead of the whole Jacobian.
        rng: Seed or Generator for ``fast_mode``'s random directions.

    Returns:
        True when the gradients agree.

    Examples:
        >>> import numpy as np, autograd as ag
        >>> x = ag.tensor(np.array([0.5, -1.5]), requires_grad=True)
        >>> ag.gradcheck(lambda x: (x.tanh() * x).sum(), x)
        True
    """
    inputs = _as_tuple(inputs)
    checked = [x for x in inputs if isinstance(x, Node) and x.requires_grad]
    if not checked:
        raise ValueError("gradcheck: no input requires grad, so there is nothing to check")
    for i, x in enumerate(inputs):
        if isinstance(x, Tensor) and x.requires_grad and x.dtype != np.float64:
            warnings.warn(
                f"gradcheck: input {i} is {x.dtype}; central differences need float64 to be "
                f"accurate, so this check may fail for rounding alone",
                UserWarning, stacklevel=2)
    with enable_grad():
        outs = _as_tuple(func(*inputs))
    if fast_mode:
        return _fast_check(func, inputs, outs, checked, eps, atol, rtol, raise_exception, rng)
    analytic = _analytic_jacobians(outs, checked)
    for j, x in enumerate(checked):
        numeric = _numeric_jacobian(func, inputs, x, eps)
        excess = np.abs(analytic[j] - numeric) - (atol + rtol * np.abs(numeric))
        bad = ~(excess <= 0)  # NaN counts as a failure
        if bad.any():
            row, col = np.unravel_index(np.argmax(np.where(bad, np.nan_to_num(excess, nan=np.inf),
                                                           -np.inf)), excess.shape)
            where = (f"element {tuple(int(i) for i in np.unravel_index(col, x.shape))}"
                     if isinstance(x, Tensor)
                     and x.ndim else "its value")
            a, n = analytic[j][row, col], numeric[row, col]
            return _fail(
                f"gradcheck: the gradient of output element {row} with respect to input "
                f"{_position(inputs, x)} ({x._describe()}), {where}, disagrees: analytic {a:.8g}, "
                f"numeric {n:.8g}, difference {abs(a - n):.3g} (atol {atol}, rtol {rtol}); "
                f"{int(bad.sum())} of {bad.size} entries of this Jacobian disagree",
                raise_exception)
    return True


def _fast_check(func: Callable[..., Any], inputs: tuple[Any, ...], outs: tuple[Any, ...],
                checked: list[Node], eps: float, atol: float, rtol: float,
                raise_exception: bool, rng: Any) -> bool:
    generator = as_generator(rng)
    directions = [generator.standard_normal(_size(x)) for x in checked]
    weights = [generator.standard_normal(_size(o)) for o in outs]
    live = [(o, w) for o, w in zip(outs, weights) if o.requires_grad]
    analytic = 0.0
    if live:
        seeds = [float(w[0]) if isinstance(o, Scalar) else w.reshape(o.shape).astype(o.dtype)
                 for o, w in live]
        grads = grad([o for o, _ in live], checked, grad_outputs=seeds, retain_graph=True,
                     allow_unused=True)
        analytic = sum(float(_flat(g, x) @ u) for g, x, u in zip(grads, checked, directions))
    originals = [[_get(x, k) for k in range(_size(x))] for x in checked]

    def shifted(sign: float) -> np.ndarray:
        for x, u, values in zip(checked, directions, originals):
            for k, value in enumerate(values):
                _set(x, k, value + sign * eps * u[k])
        return _evaluate(func, inputs)

    plus, minus = shifted(1.0), shifted(-1.0)
    for x, values in zip(checked, originals):
        for k, value in enumerate(values):
            _set(x, k, value)
    numeric = float(((plus - minus) / (2 * eps)) @ np.concatenate(weights))
    if not abs(analytic - numeric) <= atol + rtol * abs(numeric):
        return _fail(
            f"gradcheck (fast mode): the projection vᵀJu disagrees: analytic {analytic:.8g}, "
            f"numeric {numeric:.8g}, difference {abs(analytic - numeric):.3g} "
            f"(atol {atol}, rtol {rtol}); run without fast_mode to find the element",
            raise_exception)
    return True


def gradgradcheck(
    func: Callable[..., Any],
    inputs: Any,
    grad_outputs: Sequence[Any] | None = None,
    *,
    rng: Any = 0,
    **options: Any,
) -> bool:
    """Check second derivatives: ``gradcheck`` of the vector-Jacobian product of ``func``.

    ``grad_outputs`` (the vectors ``v`` in ``vᵀ J``) are random float64 values requiring grad
    when not given. Other keyword arguments go to ``gradcheck``.
    """
    inputs = _as_tuple(inputs)
    with enable_grad():
        outs = _as_tuple(func(*inputs))
    generator = as_generator(rng)
    if grad_outputs is None:
        grad_outputs = tuple(
            Scalar(float(generator.standard_normal())) if isinstance(o, Scalar)
            else Tensor(generator.standard_normal(o.shape), requires_grad=True)
            for o in outs)
    grad_outputs = _as_tuple(grad_outputs)
    count = len(inputs)

    def first_derivative(*args: Any) -> tuple[Any, ...]:
        xs, vs = args[:count], args[count:]
        results = _as_tuple(func(*xs))
        live = [(o, v) for o, v in zip(results, vs) if o.requires_grad]
        wrt = [x for x in xs if isinstance(x, Node) and x.requires_grad]
        if not live:
            return ()
        grads = grad([o for o, _ in live], wrt, grad_outputs=[v for _, v in live],
                     create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(first_derivative, inputs + grad_outputs, rng=rng, **options)
