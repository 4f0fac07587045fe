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
IMPLEMENTATION = (
    "foreach/fused (multi-tensor and fused CUDA kernels), capturable (CUDA graphs) and "
    "differentiable (autograd through the step) are accepted at torch's default, foreach and "
    "fused also at False (our one loop), and refused otherwise with a ValueError"
)
_OPTIMIZERS = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam",
               "RAdam", "ASGD", "Rprop", "LBFGS",
               "Adafactor"]
_SCHEDULES = ["LRScheduler", "StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR",
              "LinearLR", "LambdaLR", "MultiplicativeLR", "ConstantLR", "PolynomialLR",
              "CosineAnnealingWarmRestarts", "ChainedScheduler", "SequentialLR", "CyclicLR",
              "OneCycleLR",
              "ReduceLROnPlateau"]

ENTRIES = [
    Entry("optim.lr_scheduler", "torch.optim.lr_scheduler",
          "a module: each of its names has an entry of its own", signature=False),
    Entry("optim.Optimizer", "torch.optim.Optimizer",
          "a keyword-only learning_rate=None is added (Keras' name, for subclasses that take "
          "the Keras form); subclasses write update_step instead of step"),
    *[Entry(f"optim.{name}", f"torch.optim.{name}", f"{KERAS_FORM}; {IMPLEMENTATION}")
      for name in _OPTIMIZERS],
    *[Entry(f"optim.lr_scheduler.{name}", f"torch.optim.lr_scheduler.{name}")
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
