"""Borrowed names: ``optim`` is ``torch.optim`` (optimizers and learning-rate schedules).

Each optimizer also accepts the Keras form (``Adam(0.1)``, ``Adam(learning_rate=0.1)``), an
extension recorded in its entry: ``params`` defaults to None and a keyword-only
``learning_rate=None`` follows torch's parameters. torch raises for a float ``params``, a
missing ``params`` and an unknown ``learning_rate``, so the extension changes the meaning of no
torch program. ``IGNORE`` names, for each entry, the parameters that extension concerns.
"""

from tests.conformance.borrowed import Entry

KERAS_FORM = (
    "params defaults to None and a keyword-only learning_rate=None is added: the Keras form "
    "Adam(0.1) / Adam(learning_rate=0.1), bound later by compile (torch raises for all of these)"
)
NUMBER_LR = "lr is a number: a Tensor lr (for torch's CUDA graphs) is refused with a TypeError"
# Each optimizer's implementation options (torch's multi-tensor and fused kernels, CUDA graphs,
# autograd through the step), accepted at torch's default only.
_IMPLEMENTATION = {
    "SGD": "foreach, differentiable, fused", "Adam": "foreach, capturable, differentiable, fused",
    "AdamW": "foreach, capturable, differentiable, fused",
    "RMSprop": "capturable, foreach, differentiable", "Adagrad": "foreach, differentiable, fused",
    "Adadelta": "foreach, capturable, differentiable",
    "Adamax": "foreach, differentiable, capturable",
    "NAdam": "foreach, capturable, differentiable", "RAdam": "foreach, capturable, differentiable",
    "ASGD": "foreach, differentiable, capturable", "Rprop": "capturable, foreach, differentiable",
    "Adafactor": "foreach", "LBFGS": "",
}
_OPTIMIZERS = list(_IMPLEMENTATION)
_SCHEDULES = ["LRScheduler", "StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR",
              "LinearLR", "LambdaLR", "MultiplicativeLR", "ConstantLR", "PolynomialLR",
              "CosineAnnealingWarmRestarts", "ChainedScheduler", "SequentialLR", "CyclicLR",
              "OneCycleLR", "ReduceLROnPlateau"]
_STEP_EPOCH = ("step(epoch), deprecated in torch, is refused with a ValueError (call step() once "
               "per epoch, or resume with last_epoch)")
_SCHEDULE_NOTES = {
    "CosineAnnealingWarmRestarts": "",  # its step(epoch) is torch's documented use, kept
    "ReduceLROnPlateau": "",  # step(metrics, epoch=None) as torch's
    "ChainedScheduler": "",
    "SequentialLR": "",
    "CyclicLR": f"step_size_up must be > 0 (torch divides by zero); {_STEP_EPOCH}",
}


def _optimizer_differences(name: str) -> str:
    options = _IMPLEMENTATION[name]
    if not options:
        return f"{KERAS_FORM}; {NUMBER_LR}"
    loops = [o for o in ("foreach", "fused") if o in options.split(", ")]
    also = f" ({' and '.join(loops)} also at False: our one loop)" if loops else ""
    verb = "are" if "," in options else "is"
    return (f"{KERAS_FORM}; {NUMBER_LR}; {options} {verb} accepted at torch's default{also} and "
            f"refused otherwise with a ValueError")


ENTRIES = [
    Entry("optim.lr_scheduler", "torch.optim.lr_scheduler",
          "a module: each of its names has an entry of its own", signature=False),
    Entry("optim.Optimizer", "torch.optim.Optimizer",
          "a third parameter learning_rate=None is added (Keras' name, for subclasses that take "
          "the Keras form); subclasses write update_step instead of step"),
    *[Entry(f"optim.{name}", f"torch.optim.{name}", _optimizer_differences(name))
      for name in _OPTIMIZERS],
    *[Entry(f"optim.lr_scheduler.{name}", f"torch.optim.lr_scheduler.{name}",
            _SCHEDULE_NOTES.get(name, _STEP_EPOCH))
      for name in _SCHEDULES],
    # The schedules are re-exported at the top of optim, for short imports.
    *[Entry(f"optim.{name}", f"torch.optim.lr_scheduler.{name}",
            f"also reachable as optim.{name} (torch has it only in torch.optim.lr_scheduler)")
      for name in _SCHEDULES],
]

IGNORE: dict[str, tuple[str, ...]] = {
    "optim.Optimizer": ("learning_rate",),
    **{f"optim.{name}": ("params", "learning_rate") for name in _OPTIMIZERS},
}
