"""``Optimizer``: what every optimizer shares, so that a subclass writes only its update rule.

The base class owns the parameter groups, the per-parameter state, ``zero_grad``, ``step`` and
saving. ``step`` hands each subclass raw numpy data: the parameter's array (changed in place), its
gradient's array (read only) and the parameter's state (arrays it may change in place). A
``Scalar`` parameter's float is wrapped in a 0-d array for the call and written back after it, so
one rule serves both kinds of value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from autograd import Node, Tensor, compiler, enable_grad, no_grad, zeros_like
from optim._checks import (
    IMPLEMENTATION_OPTIONS,
    check_built,
    check_implementation,
    check_parameter,
    describe,
    learning_rate_option,
    parameter_groups,
    writable_data,
)
from optim._saving import pack, unpack
from optim.hooks import OptimizerHooks

Params = Iterable[Node] | Iterable[dict[str, Any]]


class Optimizer(OptimizerHooks):
    """Base class of the optimizers: parameter groups, per-parameter state, step, save and load.

    An optimizer is created in one of two ways:

    - PyTorch form, parameters first: ``Adam(model.parameters(), lr=0.1)``. ``params`` may be any
      iterable of parameters (a generator is fine) or a list of dicts, one per parameter group,
      each with a ``'params'`` entry and any options that differ from the defaults.
      ``model.named_parameters()`` works too: the names go into the group's
      ``'param_names'``, as in torch.
    - Keras form, learning rate first: ``Adam(0.1)``. The optimizer has no parameters until
      ``bind(params)`` gives them; ``Sequential.compile`` does that.

    Args:
        params: The parameters (or parameter groups) to optimize, a learning rate (Keras form),
            or None to bind them later.
        defaults: The options of every group that does not override them; must hold ``'lr'``.
        learning_rate: Keras' name for the learning rate (``Adam(learning_rate=0.1)``); giving
            it as well as ``lr`` or a first-argument number is an error.

    Attributes:
        defaults: The options given to the constructor.
        param_groups: One dict per group: ``'params'`` (a list) and that group's options.
        state: For each parameter that has been updated, a dict of its running quantities
            (``'step'`` and the arrays of the algorithm).

    Hooks run around ``step``, ``state_dict`` and ``load_state_dict`` as in torch
    (``register_step_pre_hook`` and the others, from ``optim.hooks``).

    A subclass implements two methods: ``check_options`` (validate a group's options) and
    ``update_step`` (one update of one parameter, creating the arrays it keeps with
    ``state_buffer``). ``step`` does the rest.

    Examples:
        >>> import autograd as ag, optim
        >>> class PlainGD(optim.Optimizer):
        ...     def __init__(self, params=None, lr=0.1):
        ...         super().__init__(params, dict(lr=lr))
        ...     def update_step(self, param, grad, state, options):
        ...         param -= options["lr"] * grad
        >>> w = ag.tensor([1.0], requires_grad=True)
        >>> w.grad = ag.tensor([2.0])
        >>> _ = PlainGD([w]).step()
        >>> round(w.item(), 6)
        0.8
    """

    def __init__(self, params: Params | float | None, defaults: dict[str, Any],
                 learning_rate: float | None = None) -> None:
        defaults = dict(defaults)
        params, defaults["lr"] = learning_rate_option(type(self), params, defaults["lr"],
                                                      learning_rate)
        self.check_options(defaults)
        self.defaults = defaults
        self.param_groups: list[dict[str, Any]] = []
        self.state: dict[Node, dict[str, Any]] = {}
        if params is not None:
            self.bind(params)

    # --- the subclass's part ---

    def check_options(self, options: dict[str, Any]) -> None:
        """Raise ``ValueError`` (naming the option and value) if a group's options are invalid."""

    def update_step(
        self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any], options: dict[str, Any]
    ) -> None:
        """Update ``param`` in place from ``grad``; ``state['step']`` is already the new step t."""
        raise NotImplementedError(f"{type(self).__name__} must define update_step")

    # --- parameters ---

    def bind(self, params: Params) -> Optimizer:
        """Give the optimizer its parameters, for the Keras form ``Adam(0.1)``; returns self.

        ``Sequential.compile(optimizer=...)`` calls this with the model's parameters. Binding the
        same parameters again (a second ``compile``) changes nothing and keeps the state.

        Args:
            params: An iterable of parameters, or a list of parameter-group dicts.

        Examples:
            >>> import autograd as ag, optim
            >>> w = ag.tensor([1.0, 2.0], requires_grad=True)
            >>> opt = optim.SGD(0.1).bind([w])
            >>> len(opt.param_groups[0]["params"])
            1
        """
        taken: dict[Node, str] = {}
        check_built(params, f"{type(self).__name__}")
        groups = [self._make_group(g, i, taken) for i, g in enumerate(parameter_groups(params))]
        if self.param_groups:
            if [id(p) for p in _flat(groups)] == [id(p) for p in _flat(self.param_groups)]:
                return self
            raise RuntimeError(
                f"{type(self).__name__}.bind: this optimizer already has parameters; create a new "
                f"optimizer for another model, or use add_param_group to add parameters"
            )
        self.param_groups = groups
        return self

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters, with options that may differ from the defaults.

        Examples:
            >>> import autograd as ag, optim
            >>> a = ag.tensor([1.0], requires_grad=True)
            >>> b = ag.tensor([2.0], requires_grad=True)
            >>> opt = optim.SGD([a], lr=0.1)
            >>> opt.add_param_group({"params": [b], "lr": 0.01})
            >>> [g["lr"] for g in opt.param_groups]
            [0.1, 0.01]
        """
        if not isinstance(param_group, dict):
            raise TypeError(f"add_param_group expects a dict with a 'params' entry, got "
                            f"{describe(param_group)}")
        taken = {p: f"parameter group {i}" for i, g in enumerate(self.param_groups)
                 for p in g["params"]}
        self.param_groups.append(self._make_group(param_group, len(self.param_groups), taken))

    def _make_group(self, group: dict[str, Any], index: int,
                    taken: dict[Node, str]) -> dict[str, Any]:
        if "params" not in group:
            raise ValueError(f"parameter group {index} has no 'params' entry: {sorted(group)}")
        params = group["params"]
        if isinstance(params, set):
            raise TypeError(f"parameter group {index}: params is a set, whose order changes from "
                            f"run to run; pass a list")
        if isinstance(params, Node):
            params = [params]
        elif isinstance(params, Iterable) and not isinstance(params, (str, bytes, dict)):
            check_built(params, f"{type(self).__name__}: parameter group {index}")
            params = list(params)
        else:
            raise TypeError(f"parameter group {index}: 'params' must be an iterable of "
                            f"parameters, got {describe(params)}")
        if not params:
            raise ValueError(f"parameter group {index} has an empty parameter list")
        params, names = _split_names(params, index)
        for i, p in enumerate(params):
            where = f"item {i} of parameter group {index}"
            check_parameter(p, where)
            if p in taken:
                raise ValueError(f"optimizer: {describe(p)} is given twice ({taken[p]} and "
                                 f"{where}); each parameter may appear only once")
            taken[p] = where
        options = {**self.defaults, **{k: v for k, v in group.items()
                                       if k not in ("params", "param_names")}}
        self.check_options(options)
        check_implementation(type(self).__name__, **{k: options[k] for k in IMPLEMENTATION_OPTIONS
                                                     if k in options})
        return {"params": params, **({"param_names": names} if names else {}), **options}

    @property
    def learning_rate(self) -> float:
        """Keras' name for the learning rate: the first group's ``lr`` (or the default ``lr``
        while no parameters are bound). Setting it sets ``lr`` in every group."""
        lr: float = (self.param_groups[0] if self.param_groups else self.defaults)["lr"]
        return lr

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        options = {**self.defaults, "lr": value}
        self.check_options(options)
        self.defaults["lr"] = value
        for group in self.param_groups:
            group["lr"] = value

    # --- the training loop ---

    @compiler.disable
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients: set every parameter's ``.grad`` to None (or to zeros)."""
        for p in _flat(self.param_groups):
            if set_to_none or p.grad is None:
                p.grad = None
            elif isinstance(p, Tensor):
                p.grad = zeros_like(p.grad)
            else:
                p.grad = 0.0

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient; parameters whose grad is None are skipped.

        Args:
            closure: Optional function that clears the gradients, recomputes the loss, calls
                ``backward`` and returns the loss; it runs (with grad enabled) before the update.

        Returns:
            The closure's loss, or None without a closure.
        """
        if not self.param_groups:
            name = type(self).__name__
            raise RuntimeError(f"{name}.step: the optimizer has no parameters yet; pass them when "
                               f"creating it ({name}(model.parameters(), lr=...)) or call "
                               f"bind(params) (compile does this for the Keras form {name}(lr))")
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        with no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is not None:
                        self._step_one(p, group)
        return loss

    def _step_one(self, p: Node, group: dict[str, Any]) -> None:
        grad = p.grad
        if isinstance(p, Tensor):
            data = writable_data(p)
            g = np.asarray(grad.numpy()) if isinstance(grad, Tensor) else np.asarray(grad)
            if g.shape != data.shape:
                raise RuntimeError(f"{type(self).__name__}.step: the gradient of "
                                   f"{describe(p)} has shape {g.shape}, not {data.shape}")
        else:  # a Scalar: its float goes through the same array code as a 0-d array
            data, g = np.array(p.data), np.array(float(grad))
        state = self.state.get(p)
        if state is None:
            state = self.state[p] = {"step": 0}
        # torch's SGD keeps no count, so a state loaded from it may have none
        state["step"] = state.get("step", 0) + 1
        self.update_step(data, g, state, group)
        if isinstance(p, Tensor):
            p.data = data  # counts as an in-place change: graphs that saved it must know
        else:
            p.data = float(data)  # the setter bumps the version

    # --- saving ---

    def state_dict(self) -> dict[str, Any]:
        """The optimizer's options and state as plain data: dicts, lists, numbers and arrays.

        Parameters are replaced by their position (counting across groups in order), so the
        result can be saved without pickle and loaded into an optimizer over other parameters
        of the same shapes. Arrays are copies.
        """
        return self._state_dict_with_hooks(lambda: pack(self.param_groups, self.state))

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore options and state saved by ``state_dict``; everything is checked first.

        Every mismatch (group count, group sizes, array shapes, invalid options) is listed in one
        ``ValueError`` and the optimizer is left unchanged.
        """
        if not self.param_groups:
            raise RuntimeError(f"{type(self).__name__}.load_state_dict: bind the parameters first")
        self._load_with_hooks(state_dict, self._load)

    def _load(self, state_dict: dict[str, Any]) -> None:
        options, self.state = unpack(state_dict, self.param_groups, self.defaults,
                                     self.check_options)
        for group, saved in zip(self.param_groups, options):
            group.update(saved)

    def __repr__(self) -> str:
        name = type(self).__name__
        if not self.param_groups:
            return f"{name}({_options(self.defaults)}; no parameters bound yet)"
        lines = [f"  group {i}: {len(g['params'])} parameter(s), {_options(g)}"
                 for i, g in enumerate(self.param_groups)]
        return f"{name}(\n" + "\n".join(lines) + "\n)"


def state_buffer(
    state: dict[str, Any], name: str, like: np.ndarray, fill: float = 0.0
) -> np.ndarray:
    """The state array ``name``, created shaped like ``like`` and filled with ``fill`` the first
    time (also when an option that needs it is switched on later)."""
    buf = state.get(name)
    if buf is None:
        buf = state[name] = np.full_like(like, fill)
    return buf


def signed_decayed_grad(
    grad: np.ndarray, param: np.ndarray, weight_decay: float, maximize: bool
) -> np.ndarray:
    """``g = -grad if maximize else grad``, then ``g = g + weight_decay * param`` (a new array
    whenever it differs from ``grad``, which is never changed)."""
    if maximize:
        grad = -grad
    if weight_decay != 0:
        grad = grad + weight_decay * param
    return grad


def _split_names(params: list[Any], index: int) -> tuple[list[Any], list[str] | None]:
    """``model.named_parameters()`` gives ``(name, parameter)`` pairs: torch takes those too,
    keeping the names in the group's ``'param_names'``."""
    named = [isinstance(p, tuple) and len(p) == 2 and isinstance(p[0], str) for p in params]
    if not any(named):
        return params, None
    if not all(named):
        raise ValueError(f"parameter group {index}: all optimized parameters in a group must "
                         f"be either named (name, parameter) pairs or all unnamed")
    return [p for _, p in params], [name for name, _ in params]


def _flat(groups: list[dict[str, Any]]) -> list[Node]:
    return [p for g in groups for p in g["params"]]


def _options(options: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in options.items() if k != "params")
