"""optim: gradient descent and its family, exact to the algorithms PyTorch documents.

Optimizers take the PyTorch form ``Adam(model.parameters(), lr=0.1)`` or the Keras form
``Adam(0.1)`` (parameters bound later by ``bind``, which ``compile`` calls). Learning-rate
schedules live in ``optim.lr_scheduler`` and are re-exported here, with gradient clipping.

Examples:
    >>> import autograd as ag, optim
    >>> w = ag.tensor([1.0, -1.0], requires_grad=True)
    >>> opt = optim.SGD([w], lr=0.5)
    >>> (w * w).sum().backward()
    >>> _ = opt.step()
    >>> w.numpy()
    array([0., 0.], dtype=float32)
"""

from typing import TYPE_CHECKING, Any

from optim import lr_scheduler
from optim.adadelta import Adadelta
from optim.adafactor import Adafactor
from optim.adagrad import Adagrad
from optim.adam import Adam, AdamW
from optim.adamax import Adamax
from optim.asgd import ASGD
from optim.clip_grad import (
    clip_grad_norm_,
    clip_grad_value_,
    clip_grads_with_norm_,
    get_total_norm,
)
from optim.lbfgs import LBFGS
from optim.lr_scheduler import (
    ChainedScheduler,
    ConstantLR,
    CosineAnnealingLR,
    CosineAnnealingWarmRestarts,
    CyclicLR,
    ExponentialLR,
    LambdaLR,
    LinearLR,
    LRScheduler,
    MultiplicativeLR,
    MultiStepLR,
    OneCycleLR,
    PolynomialLR,
    ReduceLROnPlateau,
    SequentialLR,
    StepLR,
)
from optim.nadam import NAdam, RAdam
from optim.optimizer import Optimizer
from optim.rmsprop import RMSprop
from optim.rprop import Rprop
from optim.sgd import SGD

# optim.distributed (training over MPI) is imported on first use (``__getattr__``): most
# programs run in one process, and its code need not sit in their memory (M1). Type checkers
# and editors read it from here.
if TYPE_CHECKING:
    from optim import distributed as distributed

_LAZY = ("distributed",)

__all__ = [
    "ASGD", "Adadelta", "Adafactor", "Adagrad", "Adam", "AdamW", "Adamax", "ChainedScheduler",
    "ConstantLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts", "CyclicLR", "ExponentialLR",
    "LBFGS", "LRScheduler", "LambdaLR", "LinearLR", "MultiStepLR", "MultiplicativeLR", "NAdam",
    "OneCycleLR", "Optimizer", "PolynomialLR", "RAdam", "RMSprop", "ReduceLROnPlateau", "Rprop",
    "SGD", "SequentialLR", "StepLR", "clip_grad_norm_", "clip_grad_value_",
    "clip_grads_with_norm_", "distributed", "get_total_norm", "lr_scheduler",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import optim.distributed

        return optim.distributed
    raise AttributeError(f"module 'optim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
