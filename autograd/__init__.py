"""autograd: reverse-mode automatic differentiation on numpy, for ``Scalar`` and ``Tensor``.

Examples:
    >>> import autograd as ag
    >>> x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> y = (x * x).sum()
    >>> y.backward()
    >>> x.grad.numpy()
    array([2., 4., 6.], dtype=float32)
"""

from typing import TYPE_CHECKING, Any

from autograd import autograd, compiler, functions
from autograd._version import __version__ as __version__  # re-exported (not in __all__)
from autograd.anomaly import detect_anomaly
from autograd.capture import CaptureError, compile
from autograd.collector import gc_paused
from autograd.convolution import avg_pool2d_nhwc, conv2d_nhwc, max_pool2d_nhwc
from autograd.convolution_nchw import conv2d
from autograd.devices import cuda, device
from autograd.dtypes import (  # PyTorch's dtype names: numpy dtypes (float is float32)
    bool,
    double,
    float,
    float16,
    float32,
    float64,
    get_default_dtype,
    half,
    int,
    int8,
    int16,
    int32,
    int64,
    long,
    set_default_dtype,
    short,
    uint8,
)
from autograd.engine import grad
from autograd.factories import (
    as_tensor,
    empty,
    from_numpy,
    full,
    full_like,
    ones,
    ones_like,
    tensor,
    zeros,
    zeros_like,
)
from autograd.function import Function
from autograd.functional import hessian, jacobian, jvp, vjp
from autograd.functions import *  # noqa: F403 (the ops as functions: see its __all__)
from autograd.grad_mode import (
    enable_grad,
    inference_mode,
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
from autograd.pooling_nchw import (
    adaptive_avg_pool2d,
    avg_pool2d,
    max_pool2d,
    max_pool2d_with_indices,
)
from autograd.random import as_generator, manual_seed, next_generator
from autograd.random_factories import (
    Generator,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    randperm,
)
from autograd.ranges import arange, eye, linspace, logspace
from autograd.scalar import Scalar
from autograd.serialization import SerializationError, load, save
from autograd.tensor import Tensor
from autograd.torch_functions import allclose, bmm, concat, equal, is_tensor, isclose, mm, numel

# The drawings and step-throughs (autograd.viz) are imported on first use (``__getattr__``): a
# training script never draws, and their code is a tenth of the engine's import (M1, memory).
# Type checkers and editors read them from here.
if TYPE_CHECKING:
    from autograd.viz import BackwardStep as BackwardStep
    from autograd.viz import ForwardStep as ForwardStep
    from autograd.viz import backward_steps as backward_steps
    from autograd.viz import draw_captured as draw_captured
    from autograd.viz import draw_graph as draw_graph
    from autograd.viz import draw_step as draw_step
    from autograd.viz import forward_steps as forward_steps
    from autograd.viz import render_frames as render_frames
    from autograd.viz import steps_to_gif as steps_to_gif
    from autograd.viz import steps_to_html as steps_to_html

_LAZY = ("BackwardStep", "ForwardStep", "backward_steps", "draw_captured", "draw_graph",
         "draw_step", "forward_steps", "render_frames", "steps_to_gif", "steps_to_html")

__all__ = [
    "GradcheckError", "Node", "Op", "Scalar", "Tensor", "arange",
    "as_generator", "as_tensor", "avg_pool2d", "conv2d", "detect_anomaly",
    # PyTorch's NCHW convolution and pooling; Keras' channels-last primitives (*_nhwc)
    "adaptive_avg_pool2d", "max_pool2d_with_indices", "avg_pool2d_nhwc", "conv2d_nhwc",
    "max_pool2d_nhwc",
    "enable_grad", "full", "gc_paused",
    "get_default_dtype", "grad", "gradcheck", "gradgradcheck", "hessian", "is_grad_enabled",
    "jacobian", "jvp", "max_pool2d",
    "name_scope", "no_grad", "ones", "ones_like", "rand", "randn",
    "set_default_dtype", "set_grad_enabled", "tensor", "vjp",
    "zeros", "zeros_like",
    # PyTorch's module level; as torch's, the star import of float, int and bool replaces
    # Python's names with the dtypes
    "Function", "Generator", "allclose", "autograd", "bmm", "concat", "equal", "isclose",
    "cuda", "device", "empty", "eye",
    "from_numpy", "full_like", "inference_mode", "is_tensor", "linspace", "logspace", "mm",
    "numel", "rand_like", "randint", "randn_like", "randperm", "SerializationError", "load",
    "save",
    "bool", "double", "float", "float16", "float32", "float64", "half", "int", "int8",
    "int16", "int32", "int64", "long", "short", "uint8",
    # the one random seed
    "manual_seed", "next_generator",
    # a captured training step (torch.compile, torch.compiler)
    "CaptureError", "compile", "compiler",
    # fused primitives that nn's layers and losses are built on
    "fused_losses", "linear",
    # exp, sum, reshape, where, concatenate, cat, ...: see autograd.functions
    *functions.__all__,
    # drawings: see __getattr__
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from autograd import viz

        return getattr(viz, name)
    raise AttributeError(f"module 'autograd' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
