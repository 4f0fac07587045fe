"""Checks shared by the optimizers and schedules: hyper-parameters and the values to optimize.

Each check raises an error that names the option and the value received, in PyTorch's words
where PyTorch has some (``Invalid learning rate: -0.1``), followed by what would be accepted.
"""

from __future__ import annotations

import inspect
import numbers
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

from autograd import Node, Tensor

if TYPE_CHECKING:
    from optim.optimizer import Optimizer, Params


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
        return value.describe()
    return f"{type(value).__name__} ({value!r:.60})"


def check_parameter(p: Any, where: str) -> None:
    """Refuse anything an optimizer cannot update: ``where`` says which item it was.

    A parameter that does not require grad (frozen) is accepted, as in PyTorch: it never gets a
    gradient, so ``step`` skips it and its value stays exactly as it is.
    """
    if not isinstance(p, Node):
        raise TypeError(
            f"optimizer: {where} is a {describe(p)}; parameters must be Tensors or Scalars that "
            f"require grad (e.g. model.parameters())"
        )
    if isinstance(p, Tensor) and p.dtype.kind != "f":
        raise TypeError(f"optimizer: {where} ({describe(p)}) is not floating point, so it has no "
                        f"gradient to follow")
    if not p.is_leaf:
        raise ValueError(f"optimizer: {where} ({describe(p)}) is not a leaf (it was computed by "
                         f"'{p.op}'); optimize the leaves it was computed from")


def check_built(params: Any, who: str) -> None:
    """Refuse parameters listed while some layer of their model has not created its weights.

    ``Module.parameters()`` says which layers are still unbuilt (``unbuilt_layers``): their
    weights appear only at the model's first call, so an optimizer made now would never see
    them and would leave them untrained without a word.
    """
    unbuilt = getattr(params, "unbuilt_layers", ())
    if unbuilt:
        names = ", ".join(repr(name) for name in unbuilt)
        which = f"layer {names} has" if len(unbuilt) == 1 else f"layers {names} have"
        raise RuntimeError(
            f"{who}: {which} no weights yet: a layer without an input size creates them at its "
            f"first call, so this optimizer would never train them. Call the model once on a "
            f"batch (model(x)) before creating the optimizer, or give each layer its input size "
            f"(Dense(units, input_shape=[n]), or nn.Linear(in_features, out_features))"
        )


def learning_rate_option(cls: type[Optimizer], params: Any, lr: float,
                         learning_rate: float | None) -> tuple[Params | None, float]:
    """``(params, lr)`` from the three ways to give a learning rate, refusing any two at once.

    The Keras form passes it first (``Adam(0.1)``, so ``params`` is a number) or by Keras'
    keyword (``Adam(learning_rate=0.1)``); the PyTorch form says ``lr=0.1``.
    """
    declared = inspect.signature(cls.__init__).parameters.get("lr")
    lr_given = declared is not None and (declared.default is inspect.Parameter.empty
                                         or lr != declared.default)
    given = [name for name, present in (("the first argument", is_number(params)),
                                        ("learning_rate", learning_rate is not None),
                                        ("lr", lr_given)) if present]
    if len(given) > 1:
        values = {"the first argument": params, "learning_rate": learning_rate, "lr": lr}
        listed = " and ".join(f"{name} ({values[name]!r})" for name in given)
        raise ValueError(f"{cls.__name__}: the learning rate is given twice, as {listed}; "
                         f"give it once")
    if is_number(params):
        return None, params
    return params, lr if learning_rate is None else learning_rate


def parameter_groups(params: Any) -> list[dict[str, Any]]:
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


def writable_data(t: Tensor) -> np.ndarray:
    """The array of ``t`` to update in place, then to assign back with ``t.data = array``.

    It is the tensor's own array (no copy) unless a live graph saved it, in which case
    ``t.data`` is read-only and a copy is returned: assigning it back then swaps the arrays and,
    like any assignment to ``.data``, makes that graph refuse to run backward.
    """
    # numpy(): the array itself (t.data is a tensor sharing it, one object more per call);
    # asarray: a plain ndarray, not the read-only subclass shown while a graph holds it
    data = np.asarray(t.numpy())
    return data if data.flags.writeable else data.copy()


# PyTorch's options that choose an implementation rather than an algorithm: multi-tensor or
# fused CUDA kernels (foreach, fused), CUDA-graph capture (capturable), autograd through the
# step (differentiable). The values accepted are torch's default and, for foreach and fused,
# False, which names the one-parameter-at-a-time loop this library runs.
_IMPLEMENTATION = {
    "foreach": ((None, False), "selects PyTorch's multi-tensor CUDA kernels"),
    "fused": ((None, False), "selects PyTorch's fused CUDA kernels"),
    "capturable": ((False,), "prepares the step for CUDA graph capture"),
    "differentiable": ((False,), "lets autograd differentiate through the step; here updates "
                                 "run outside the graph"),
}


IMPLEMENTATION_OPTIONS = tuple(_IMPLEMENTATION)


def check_implementation(who: str, **options: Any) -> dict[str, Any]:
    """Refuse implementation options (``foreach``, ``fused``, ``capturable``, ``differentiable``)
    at any value but PyTorch's default (or False, for ``foreach`` and ``fused``); return them,
    for the parameter groups, which hold them as torch's do."""
    for name, value in options.items():
        allowed, meaning = _IMPLEMENTATION[name]
        if not any(value is a for a in allowed):
            choices = " or ".join(repr(a) for a in allowed)
            raise ValueError(f"{who}: {name}={value!r} is not supported ({name} {meaning}, "
                             f"which this numpy library does not have). Received: "
                             f"{name}={value!r}; leave it at {choices}")
    return options
