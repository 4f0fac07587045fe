"""``torch.autograd``'s names, so that ``import autograd as torch`` reaches them as PyTorch
users write them: ``torch.autograd.Function``, ``torch.autograd.grad``,
``torch.autograd.gradcheck``, ``torch.autograd.functional.jacobian``.

Every name here is the package's own object (``autograd.autograd.grad is autograd.grad``).

Examples:
    >>> import autograd as torch
    >>> x = torch.tensor(2.0, requires_grad=True)
    >>> torch.autograd.grad(x ** 3, x)[0].item()
    12.0
"""

from autograd import function, functional
from autograd.anomaly import detect_anomaly
from autograd.engine import grad
from autograd.function import Function, FunctionCtx
from autograd.grad_mode import enable_grad, inference_mode, no_grad, set_grad_enabled
from autograd.gradcheck import gradcheck, gradgradcheck

__all__ = ["Function", "FunctionCtx", "detect_anomaly", "enable_grad", "function",
           "functional", "grad", "gradcheck", "gradgradcheck", "inference_mode", "no_grad",
           "set_grad_enabled"]
