"""Checks shared by the optimizers and schedules: hyper-parameters and the values to optimize.

Each check raises an error that names the option and the value received, in PyTorch's words
where PyTorch has some (``Invalid learning rate: -0.1``), followed by what would be accepted.
"""

from __future__ import annotations

import inspect
import numbers
from collections.abc import Iterable
from typing import Any

from autograd import Node


def is_number(value: Any) -> bool:
    """True for a real number that is not a bool and not a graph value."""
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, Node))


def real(name: str, value: Any) -> float:
    """``value`` as a float, refusing anything that is not a real number (``TypeError``)."""
    if not is_number(value):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} ({value!r:.60})")
    return float(value)


def at_least(name: str, value: Any, low: float, label: str | None = None) -> None:
    """Refuse ``value < low`` (and NaN), e.g. ``Invalid learning rate: -0.1 (lr must be >= 0)``."""
    if not real(name, value) >= low:
        raise ValueError(
            f"Invalid {label or name + ' value'}: {value!r} ({name} must be >= {low:g})"
        )


def in_range(name: str, value: Any, low: float, high: float, label: str | None = None) -> None:
    """Refuse values outside ``[low, high)``."""
    if not low <= real(name, value) < high:
        raise ValueError(
            f"Invalid {label or name + ' value'}: {value!r} ({name} must be in [{low:g}, {high:g}))"
        )


def check_lr(value: Any) -> None:
    """The learning rate must be a number >= 0."""
    at_least("lr", value, 0.0, "learning rate")


def check_betas(betas: Any) -> None:
    """Adam's ``betas``: a pair of numbers, each in [0, 1)."""
    if not isinstance(betas, (tuple, list)) or len(betas) != 2:
        raise ValueError(f"Invalid betas: {betas!r} (betas must be a pair (beta1, beta2))")
    for i, beta in enumerate(betas):
        in_range(f"betas[{i}]", beta, 0.0, 1.0, f"beta parameter at index {i}")


def check_flag(name: str, value: Any) -> None:
    """Boolean options must be real booleans: ``nesterov='yes'`` is a mistake, not True."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {value!r:.60}")


def check_positive_int(name: str, value: Any) -> None:
    """Counts such as ``step_size`` or ``T_max`` must be integers >= 1."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"Invalid {name}: {value!r} ({name} must be an integer >= 1)")


def describe(value: Any) -> str:
    """A short description of any value, for error messages."""
    if isinstance(value, Node):
        return value._describe()
    return f"{type(value).__name__} ({value!r:.60})"


def check_parameter(p: Any, where: str) -> None:
    """Refuse anything an optimizer cannot update: ``where`` says which item it was."""
    if not isinstance(p, Node):
        raise TypeError(
            f"optimizer: {where} is a {describe(p)}; parameters must be Tensors or Scalars that "
            f"require grad (e.g. model.parameters())"
        )
    if not p._is_differentiable():
        raise TypeError(f"optimizer: {where} ({describe(p)}) is not floating point, so it has no "
                        f"gradient to follow")
    if not p.requires_grad:
        raise ValueError(f"optimizer: {where} ({describe(p)}) does not require grad; create it "
                         f"with requires_grad=True or call .requires_grad_()")
    if not p.is_leaf:
        raise ValueError(f"optimizer: {where} ({describe(p)}) is not a leaf (it was computed by "
                         f"'{p.op}'); optimize the leaves it was computed from")


def check_norm_type(value: Any) -> float:
    """A norm order for gradient clipping: a number > 0, ``math.inf`` included."""
    value = real("norm_type", value)
    if not value > 0:
        raise ValueError(f"Invalid norm_type: {value!r} (norm_type must be > 0, or math.inf)")
    return value


def check_one_learning_rate(cls: type, first: float, lr: float) -> None:
    """In the Keras form ``Adam(0.1)``, refuse a second learning rate given as ``lr=``."""
    # Adam(0.1, lr=0.2) must not silently drop one of them: with a number as the first argument,
    # lr must be left at the default the class declares.
    declared = inspect.signature(cls.__init__).parameters.get("lr")
    if declared is not None and declared.default is not inspect.Parameter.empty:
        if lr != declared.default:
            raise ValueError(f"{cls.__name__}: the learning rate is given twice, as the first "
                             f"argument ({first!r}) and as lr={lr!r}; give it once")


def parameter_groups(params: Any) -> list[dict]:
    """The ``params`` argument as a list of group dicts (not yet checked one by one)."""
    if isinstance(params, Node):
        raise TypeError(f"optimizer: params must be an iterable of parameters, got a single "
                        f"{describe(params)}; pass a list: [p]")
    if isinstance(params, (dict, str, bytes)) or not isinstance(params, Iterable):
        raise TypeError(f"optimizer: params must be an iterable of parameters or a list of "
                        f"parameter-group dicts, got {describe(params)}")
    items = list(params)
    if not items:
        raise ValueError("optimizer got an empty parameter list; if it came from "
                         "model.parameters(), build the model first (call it once, or give "
                         "input_shape)")
    if all(isinstance(item, dict) for item in items):
        return items
    if any(isinstance(item, dict) for item in items):
        raise TypeError("optimizer: params mixes parameters and parameter-group dicts; use one "
                        "or the other")
    return [{"params": items}]
