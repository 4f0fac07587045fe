"""autograd: reverse-mode automatic differentiation on numpy, for ``Scalar`` and ``Tensor``.

Example:
    >>> import autograd as ag
    >>> x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> y = (x * x).sum()
    >>> y.backward()
    >>> x.grad.numpy()
    array([2., 4., 6.], dtype=float32)
"""

from autograd.anomaly import detect_anomaly
from autograd.collector import gc_paused
from autograd.convolution import avg_pool2d, conv2d, max_pool2d
from autograd.dtypes import get_default_dtype, set_default_dtype
from autograd.engine import grad
from autograd.factories import (
    arange,
    as_generator,
    full,
    ones,
    ones_like,
    rand,
    randn,
    tensor,
    zeros,
    zeros_like,
)
from autograd.functional import hessian, jacobian, jvp, vjp
from autograd.functions import (
    abs,
    argmax,
    argmin,
    broadcast_to,
    cat,
    clamp,
    clip,
    concatenate,
    cos,
    exp,
    flatten,
    leaky_relu,
    log,
    log_softmax,
    logsumexp,
    matmul,
    max,
    maximum,
    mean,
    min,
    minimum,
    pad,
    permute,
    relu,
    reshape,
    sigmoid,
    sin,
    softmax,
    softplus,
    split,
    sqrt,
    squeeze,
    stack,
    std,
    sum,
    tanh,
    transpose,
    unsqueeze,
    var,
    where,
)
from autograd.grad_mode import (
    enable_grad,
    is_grad_enabled,
    name_scope,
    no_grad,
    set_grad_enabled,
)
from autograd.gradcheck import GradcheckError, gradcheck, gradgradcheck
from autograd.node import Node
from autograd.op import Op
from autograd.ops import loss as fused_losses
from autograd.ops.linalg import linear
from autograd.random import manual_seed, next_generator
from autograd.scalar import Scalar
from autograd.tensor import Tensor
from autograd.viz import (
    BackwardStep,
    ForwardStep,
    backward_steps,
    draw_graph,
    draw_step,
    forward_steps,
    render_frames,
    steps_to_gif,
    steps_to_html,
)

__all__ = [
    "BackwardStep", "ForwardStep", "GradcheckError", "Node", "Op", "Scalar", "Tensor", "abs",
    "arange", "argmax", "argmin", "as_generator", "avg_pool2d", "backward_steps", "broadcast_to",
    "clip", "concatenate", "conv2d", "cos", "detect_anomaly", "draw_graph", "draw_step",
    "enable_grad", "exp", "flatten", "forward_steps", "full", "gc_paused", "get_default_dtype",
    "grad", "gradcheck", "gradgradcheck", "hessian", "is_grad_enabled", "jacobian", "jvp",
    "leaky_relu",
    "log", "log_softmax", "logsumexp", "matmul", "max", "max_pool2d", "maximum", "mean", "min",
    "minimum", "name_scope", "no_grad", "ones", "ones_like", "pad", "rand", "randn", "relu",
    "render_frames", "reshape", "set_default_dtype", "set_grad_enabled", "sigmoid", "sin",
    "softmax", "softplus", "split", "sqrt", "squeeze", "stack", "std", "steps_to_gif",
    "steps_to_html", "sum", "tanh", "tensor", "transpose", "unsqueeze", "var", "vjp", "where",
    "zeros", "zeros_like",
    # PyTorch's names, and the one random seed
    "cat", "clamp", "manual_seed", "next_generator", "permute",
    # fused primitives that nn's layers and losses are built on
    "fused_losses", "linear",
]
