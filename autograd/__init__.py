"""autograd: reverse-mode automatic differentiation on numpy, for ``Scalar`` and ``Tensor``.

Example:
    >>> import autograd as ag
    >>> x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> y = (x * x).sum()
    >>> y.backward()
    >>> x.grad.numpy()
    array([2., 4., 6.], dtype=float32)
"""

from autograd import functions
from autograd.anomaly import detect_anomaly
from autograd.collector import gc_paused
from autograd.convolution import avg_pool2d, conv2d, max_pool2d
from autograd.dtypes import get_default_dtype, set_default_dtype
from autograd.engine import grad
from autograd.factories import (
    arange,
    as_generator,
    as_tensor,
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
from autograd.functions import *  # noqa: F403 (the ops as functions: see its __all__)
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
    "BackwardStep", "ForwardStep", "GradcheckError", "Node", "Op", "Scalar", "Tensor", "arange",
    "as_generator", "as_tensor", "avg_pool2d", "backward_steps", "conv2d", "detect_anomaly",
    "draw_graph", "draw_step", "enable_grad", "forward_steps", "full", "gc_paused",
    "get_default_dtype", "grad", "gradcheck", "gradgradcheck", "hessian", "is_grad_enabled",
    "jacobian", "jvp", "max_pool2d",
    "name_scope", "no_grad", "ones", "ones_like", "rand", "randn", "render_frames",
    "set_default_dtype", "set_grad_enabled", "steps_to_gif", "steps_to_html", "tensor", "vjp",
    "zeros", "zeros_like",
    # the one random seed
    "manual_seed", "next_generator",
    # fused primitives that nn's layers and losses are built on
    "fused_losses", "linear",
    # exp, sum, reshape, where, concatenate, cat, ...: see autograd.functions
    *functions.__all__,
]
