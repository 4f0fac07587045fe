"""What Keras 3's optimizers share: their common arguments, clipping, weight decay, iterations.

A Keras optimizer here is an ``optim.Optimizer`` (so ``compile``, ``fit``, the callbacks and
model saving use it as they use PyTorch's), whose ``step`` follows ``keras.optimizers``'
``apply``: clip the gradients (``clipnorm`` per variable, ``global_clipnorm`` over all,
``clipvalue`` element-wise), shrink each variable by ``weight_decay * learning_rate``, run the
algorithm's update, then count one more ``iterations``. A subclass writes ``update_variable``.

Numbers are computed as Keras computes them: in the variable's dtype, the learning rate held as
float32 (Keras keeps it in a float32 variable), in the same order of operations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from autograd import Node, Tensor, as_tensor, enable_grad
from nn.optimizers.common import Hyperparameter, auto_name, clip_by_norm, global_clip_scale, is_real
from nn.optimizers.saving import KerasState
from nn.optimizers.schedules import LearningRateSchedule
from optim import Optimizer


class KerasOptimizer(KerasState, Optimizer):
    """Base of ``nn.optimizers``: Keras 3's common arguments on an ``optim.Optimizer``.

    Args:
        learning_rate: A float, a schedule of ``nn.optimizers.schedules`` (called with the
            step count), or a callable with no arguments (called at each step, as in Keras).
        options: The algorithm's own hyper-parameters (``beta_1``, ``rho``, ...).
        weight_decay: If not None, each step first sets ``w = w - w * weight_decay * lr``.
        clipnorm: Clip each gradient to this L2 norm.
        clipvalue: Clip each gradient element to ``[-clipvalue, clipvalue]``.
        global_clipnorm: Clip all gradients together to this global L2 norm.
        use_ema, ema_momentum, ema_overwrite_frequency: Keras' moving average of the weights;
            only ``use_ema=False`` is supported (the other two are then unused, as in Keras).
        loss_scale_factor: Only None: ``fit`` does not scale the loss.
        gradient_accumulation_steps: If an int ``n >= 2``, the weights change only every
            ``n``-th step, by the mean of the last ``n`` gradients (Keras' accumulation).
        name: The optimizer's name (Keras' ``auto_name`` when None).
        kwargs: Keras' catch-all; any entry is refused.

    Attributes:
        iterations: Updates made, counted once per ``step`` as Keras counts ``apply`` calls
            (divided by ``gradient_accumulation_steps`` when set, as in Keras).
        applied: Calls of ``step`` (Keras' raw iteration count).
        learning_rate: The current learning rate (settable; callbacks change it).
    """

    # The option names of the algorithm, in Keras' get_config order; set by each subclass.
    option_names: tuple[str, ...] = ()
    # Those of them that are True or False (``amsgrad``, ``nesterov``, ``centered``).
    flag_names: tuple[str, ...] = ()

    weight_decay = Hyperparameter()

    def __init__(self, learning_rate: Any, options: dict[str, Any], *,
                 weight_decay: float | None, clipnorm: float | None, clipvalue: float | None,
                 global_clipnorm: float | None, use_ema: bool, ema_momentum: float,
                 ema_overwrite_frequency: int | None, loss_scale_factor: float | None,
                 gradient_accumulation_steps: int | None, name: str | None,
                 kwargs: dict[str, Any]) -> None:
        who = type(self).__name__
        if kwargs:
            hint = " (Keras names the learning rate learning_rate)" if "lr" in kwargs else ""
            raise ValueError(f"{who}: argument(s) not recognized: {kwargs}{hint}")
        _refuse(who, "use_ema", use_ema, False, "moving averages of the weights are not "
                "supported")
        _refuse(who, "loss_scale_factor", loss_scale_factor, None, "fit does not scale the loss")
        if gradient_accumulation_steps is not None and (
                isinstance(gradient_accumulation_steps, bool)
                or not isinstance(gradient_accumulation_steps, (int, np.integer))
                or gradient_accumulation_steps < 2):
            raise ValueError(f"{who}: `gradient_accumulation_steps` must be an integer >= 2. "
                             f"Received: gradient_accumulation_steps="
                             f"{gradient_accumulation_steps!r}")
        clips = {"clipnorm": clipnorm, "clipvalue": clipvalue, "global_clipnorm": global_clipnorm}
        if sum(v is not None for v in clips.values()) > 1:
            raise ValueError(f"{who}: only one of `clipnorm`, `clipvalue` and `global_clipnorm` "
                             f"can be set. Received: clipnorm={clipnorm}, clipvalue={clipvalue}, "
                             f"global_clipnorm={global_clipnorm}")
        for key, value in clips.items():
            if value is not None and not (is_real(value) and value >= 0):
                raise ValueError(f"{who}: {key} must be None or a number >= 0. Received: "
                                 f"{key}={value!r}")
        self.clipnorm, self.clipvalue, self.global_clipnorm = clipnorm, clipvalue, global_clipnorm
        self.use_ema, self.ema_momentum = use_ema, ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.name = auto_name(who) if name is None else name
        self.applied = 0
        self._lr_now: dict[int, np.floating] = {}
        self._clip_scale: Any = None
        super().__init__(None, {"lr": learning_rate, **options, "weight_decay": weight_decay})

    # --- options ---

    def check_options(self, options: dict[str, Any]) -> None:
        """Refuse a learning rate that is neither a float nor a callable, a weight decay that is
        not a number, and invalid algorithm options (``check_algorithm_options``)."""
        lr = options["lr"]
        if not (callable(lr) or isinstance(lr, (float, np.floating))):
            raise ValueError(f"{type(self).__name__}: argument `learning_rate` should be a float "
                             f"or a callable returning the learning rate. Received instead: "
                             f"learning_rate={lr!r}")
        if not callable(lr) and not lr >= 0:
            raise ValueError(f"{type(self).__name__}: learning_rate must be >= 0. Received: "
                             f"learning_rate={lr!r}")
        decay = options["weight_decay"]
        if decay is not None and not is_real(decay):
            raise ValueError(f"{type(self).__name__}: weight_decay must be None or a float. "
                             f"Received: weight_decay={decay!r}")
        self.check_algorithm_options(options)

    def check_algorithm_options(self, options: dict[str, Any]) -> None:
        """Refuse an algorithm option of the wrong kind: flags (``flag_names``) must be True or
        False, the others numbers; a subclass adds the checks Keras makes."""
        for key in self.option_names:
            value = options[key]
            flag = key in self.flag_names
            if isinstance(value, bool) != flag or not (flag or is_real(value)):
                kind = "True or False" if flag else "a number"
                raise ValueError(f"{type(self).__name__}: {key} must be {kind}. Received: "
                                 f"{key}={value!r}")

    @property
    def learning_rate(self) -> float:
        """The learning rate now (a callable's current value); settable, as in Keras."""
        lr = (self.param_groups[0] if self.param_groups else self.defaults)["lr"]
        return float(self._rate(lr)) if callable(lr) else lr

    @learning_rate.setter
    def learning_rate(self, value: Any) -> None:
        current = self.defaults["lr"]
        if isinstance(current, LearningRateSchedule) and not callable(value):
            float(current)  # refuses, in Keras' words
        self.check_options({**self.defaults, "lr": value})
        self.defaults["lr"] = value
        for group in self.param_groups:
            group["lr"] = value

    # --- the step ---

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """One Keras ``apply``: clip, decay, update every variable that has a gradient, count.

        Args:
            closure: Optional function that recomputes the loss and its gradients (run first).

        Returns:
            The closure's loss, or None.
        """
        if not self.param_groups:
            super().step()  # refuses, saying how to give the parameters
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        pending = [p for group in self.param_groups for p in group["params"]
                   if p.grad is not None]
        if not pending:
            raise ValueError(f"{type(self).__name__}.step: no gradients provided for any "
                             f"variable; call loss.backward() before step()")
        # The rate is read once per step, as Keras passes one value to every update.
        self._lr_now = {id(group): self._rate(group["lr"]) for group in self.param_groups}
        grads = [np.asarray(p.grad.numpy() if isinstance(p.grad, Tensor) else p.grad)
                 for p in pending]
        if self.gradient_accumulation_steps:
            accumulated = self._accumulate(pending, grads)
            if accumulated is None:  # not an update step: the gradients were only added up
                self.applied += 1
                return loss
            grads = accumulated
        self._clip_scale = (global_clip_scale(grads, self.global_clipnorm)
                            if self.global_clipnorm else None)
        self.before_updates(pending)
        super().step()
        self.applied += 1
        return loss

    def _rate(self, lr: Any) -> Any:
        # A float learning rate lives in a float32 variable in Keras; a schedule is called with
        # the count of steps, a plain callable with nothing, and their values used as they come.
        if isinstance(lr, LearningRateSchedule):
            return lr(self.applied)
        return lr() if callable(lr) else np.float32(lr)

    @property
    def iterations(self) -> int:
        """Updates made, as Keras counts them: calls of ``step`` (``applied``), divided by
        ``gradient_accumulation_steps`` (rounded down) when gradients are accumulated."""
        steps = self.gradient_accumulation_steps
        return self.applied // steps if steps else self.applied

    def _accumulate(self, params: list[Any], grads: list[np.ndarray]) -> list[Any] | None:
        """Keras' gradient accumulation: add the gradients up; every ``n``-th call, the mean
        of the last ``n`` is what the update uses (``update_step`` reads and clears the sums).
        Returns those means on an update step, else None."""
        steps = self.gradient_accumulation_steps
        sums = []
        for p, g in zip(params, grads):
            state = self.state.setdefault(p, {"step": 0})
            if "gradient_accumulator" not in state:
                dtype = p.dtype if isinstance(p, Tensor) else np.dtype(np.float64)
                state["gradient_accumulator"] = np.zeros(np.shape(g), dtype=dtype)
            sums.append(state["gradient_accumulator"])
        if (self.applied + 1) % steps != 0:  # type: ignore[operator]  # (set: accumulating)
            for total, g in zip(sums, grads):
                total += g.astype(total.dtype, copy=False)
            return None
        return [(g.astype(total.dtype, copy=False) + total) / steps
                for total, g in zip(sums, grads)]

    def apply_gradients(self, grads_and_vars: Any) -> int:
        """Keras' custom-loop form: update each variable from the gradient paired with it.

        The first call binds the optimizer to those variables (as Keras builds it); later calls
        accept only variables it was bound to. A gradient of None is skipped, as in Keras.
        ``.grad`` of the variables is left as it was.

        Args:
            grads_and_vars: Pairs ``(gradient, variable)``, e.g. ``zip(grads, params)``.

        Returns:
            ``iterations`` after the step.

        Examples:
            >>> import autograd as ag, nn
            >>> w = ag.tensor([1.0, 2.0], requires_grad=True)
            >>> opt = nn.optimizers.SGD(0.1)
            >>> (g,) = ag.grad((w * w).sum(), [w])
            >>> opt.apply_gradients(zip([g], [w]))
            1
            >>> w.numpy()
            array([0.8, 1.6], dtype=float32)
        """
        pairs = list(grads_and_vars)
        if not pairs:
            return self.iterations  # Keras: nothing to apply is a no-op
        grads, variables = zip(*pairs)
        if not self.param_groups:
            self.bind(list(variables))
        bound = [p for group in self.param_groups for p in group["params"]]
        known = {id(p) for p in bound}
        unknown = [v for v in variables if id(v) not in known]
        if unknown:
            raise ValueError(f"{type(self).__name__}.apply_gradients: unknown variable "
                             f"{unknown[0]!r:.80}; this optimizer only updates the variables it "
                             f"was first used with. Create a new optimizer for other variables")
        saved = [p.grad for p in bound]
        try:
            for p in bound:
                p.grad = None
            for g, v in zip(grads, variables):
                if g is not None:
                    v.grad = as_tensor(g) if isinstance(v, Tensor) else float(np.asarray(
                        g.data if isinstance(g, Node) else g))
            self.step()
        finally:
            for p, g in zip(bound, saved):
                p.grad = g
        return self.iterations

    def before_updates(self, params: list[Any]) -> None:
        """Work done once per step before the variables' updates (Nadam's running product)."""

    def update_step(self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any],
                    options: dict[str, Any]) -> None:
        """Clip the gradient, apply weight decay, then the algorithm's ``update_variable``."""
        dtype = param.dtype
        g = np.asarray(grad, dtype=dtype)
        if self.gradient_accumulation_steps:  # an update step: the mean of the last n
            total = state["gradient_accumulator"]
            g = (g + total) / self.gradient_accumulation_steps
            total[...] = 0
        if self.clipnorm:
            g = clip_by_norm(g, self.clipnorm)
        elif self._clip_scale is not None:
            g = np.asarray(g * self._clip_scale, dtype=dtype)  # the scale may be wider
        elif self.clipvalue:
            g = np.clip(g, -self.clipvalue, self.clipvalue)
        lr = np.asarray(self._lr_now[id(options)], dtype=dtype)
        decay = options["weight_decay"]
        if decay is not None:
            param -= param * np.asarray(decay, dtype=dtype) * lr
        self.update_variable(param, g, state, lr, options)

    def update_variable(self, param: np.ndarray, grad: np.ndarray, state: dict[str, Any],
                        lr: np.ndarray, options: dict[str, Any]) -> None:
        """The algorithm: update ``param`` in place (its dtype throughout; ``lr`` cast to it)."""
        raise NotImplementedError(f"{type(self).__name__} must define update_variable")

    def local_step(self, dtype: np.dtype, ahead: int = 1) -> np.ndarray:
        """``iterations + ahead`` in ``dtype``, Keras' ``local_step``."""
        return np.asarray(self.iterations + ahead, dtype=dtype)

def _refuse(who: str, key: str, value: Any, default: Any, reason: str) -> None:
    if value is not default and value != default:
        raise ValueError(f"{who}: {key}={value!r} is not supported ({reason}); leave "
                         f"{key}={default!r}")


