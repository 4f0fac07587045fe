"""What Keras' optimizers save: their constructor's arguments (``get_config``) and their state.

``KerasState`` is mixed into ``KerasOptimizer``: ``state_dict`` is ``optim.Optimizer``'s (the
per-variable arrays, by position) plus what Keras keeps once per optimizer (``iterations``, and
Nadam's running product), so that a model file brings training back exactly where it was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from nn.optimizers import schedules

if TYPE_CHECKING:
    from nn.optimizers.base import KerasOptimizer


class KerasState:
    """Keras' ``get_config``/``from_config``, and the optimizer-wide part of ``state_dict``."""

    def get_config(self: KerasOptimizer) -> dict[str, Any]:
        """The constructor's arguments, as Keras' ``get_config`` gives them."""
        lr = self.param_groups[0]["lr"] if self.param_groups else self.defaults["lr"]
        if isinstance(lr, schedules.LearningRateSchedule):
            lr = schedules.serialize(lr)  # as Keras records a schedule
        config = {"name": self.name, "learning_rate": lr, "weight_decay": self.weight_decay,
                  "clipnorm": self.clipnorm, "global_clipnorm": self.global_clipnorm,
                  "clipvalue": self.clipvalue, "use_ema": self.use_ema,
                  "ema_momentum": self.ema_momentum,
                  "ema_overwrite_frequency": self.ema_overwrite_frequency,
                  "loss_scale_factor": self.loss_scale_factor,
                  "gradient_accumulation_steps": self.gradient_accumulation_steps}
        config.update({key: getattr(self, key) for key in self.option_names})
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Any:
        """A new optimizer from ``get_config``'s dict (no state), as in Keras."""
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = schedules.deserialize(config["learning_rate"])
        return cls(**config)

    def __repr__(self: KerasOptimizer) -> str:
        config = self.get_config()
        shown = ["learning_rate", *self.option_names, "weight_decay", "clipnorm", "clipvalue",
                 "global_clipnorm", "gradient_accumulation_steps"]
        options = ", ".join(f"{key}={config[key]!r}" for key in shown
                            if key in self.option_names or key == "learning_rate"
                            or config[key] is not None)
        bound = sum(len(group["params"]) for group in self.param_groups)
        where = f"{bound} parameter(s)" if bound else "no parameters bound yet"
        return (f"{type(self).__name__}({options}; name={self.name!r}, {where}, "
                f"iterations={self.iterations})")

    def extra_state(self: KerasOptimizer) -> dict[str, Any]:
        """State kept beside the per-variable arrays: the number of ``step`` calls (Keras'
        iteration variable, before any division for gradient accumulation) under
        ``'iterations'``; Nadam adds its running product."""
        return {"iterations": self.applied}

    def load_extra_state(self: KerasOptimizer, saved: dict[str, Any]) -> None:
        """Restore ``extra_state``; called only after everything was checked."""
        self.applied = int(saved["iterations"])

    def state_dict(self: KerasOptimizer) -> dict[str, Any]:
        """``optim.Optimizer.state_dict`` plus ``iterations`` (and Nadam's running product)."""
        saved = super().state_dict()
        for group in saved["param_groups"]:  # a schedule is saved as Keras' record of it
            if isinstance(group["lr"], schedules.LearningRateSchedule):
                group["lr"] = schedules.serialize(group["lr"])
        return {**saved, **self.extra_state()}

    def load_state_dict(self: KerasOptimizer, state_dict: dict[str, Any]) -> None:
        """Restore what ``state_dict`` gave; nothing changes if any part does not fit."""
        extra = self.extra_state()
        missing = sorted(set(extra) - set(state_dict)) if isinstance(state_dict, dict) else []
        if missing:
            raise ValueError(f"{type(self).__name__}.load_state_dict: the saved state lacks "
                             f"{missing} (was it saved by another kind of optimizer?)")
        count = state_dict["iterations"]
        if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 0:
            raise ValueError(f"{type(self).__name__}.load_state_dict: iterations must be an "
                             f"int >= 0. Received: {count!r}")
        rest = {k: v for k, v in state_dict.items() if k not in extra}
        groups = rest.get("param_groups")
        if isinstance(groups, list):
            rest["param_groups"] = [
                {**g, "lr": schedules.deserialize(g["lr"])}
                if isinstance(g, dict) and isinstance(g.get("lr"), dict) else g for g in groups]
        super().load_state_dict(rest)
        self.load_extra_state(state_dict)
