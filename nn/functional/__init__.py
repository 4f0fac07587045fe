"""``nn.functional`` is ``torch.nn.functional``: the same names, arguments, defaults and numbers.

``import nn.functional as F`` and write what a PyTorch user writes: ``F.linear(x, weight, bias)``
with the weight stored ``(out, in)``, ``F.conv2d`` and ``F.max_pool2d`` on NCHW images,
``F.batch_norm`` with momentum 0.1, ``F.leaky_relu`` with slope 0.01, ``F.softmax(x, dim)``, and
the losses (``mse_loss``, ``cross_entropy``, ...) taking ``(input, target)``. Keras' layers keep
their own meanings in ``nn.layers``, and Keras' loss functions (``mean_squared_error``, ...,
taking ``(y_true, y_pred)``) theirs in ``nn.losses``: nothing here takes Keras' argument order.

Examples:
    >>> import autograd as torch, nn.functional as F
    >>> x = torch.tensor([[1.0, -2.0]])
    >>> F.relu(F.linear(x, torch.tensor([[1.0, 1.0], [0.0, -1.0]]))).numpy()
    array([[0., 2.]], dtype=float32)
"""

from autograd import adaptive_avg_pool2d, avg_pool2d, conv2d
from nn.functional.activation import (
    dropout,
    elu,
    gelu,
    hardtanh,
    leaky_relu,
    log_softmax,
    prelu,
    relu,
    relu6,
    sigmoid,
    silu,
    softmax,
    softplus,
    tanh,
)
from nn.functional.core import bilinear, embedding, linear, one_hot, pad
from nn.functional.distance import cosine_similarity, normalize
from nn.functional.normalization import batch_norm, layer_norm
from nn.functional.pooling import max_pool2d
from nn.losses.torch_losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    huber_loss,
    kl_div,
    l1_loss,
    mse_loss,
    nll_loss,
    smooth_l1_loss,
)

__all__ = [
    "adaptive_avg_pool2d", "avg_pool2d", "batch_norm", "bilinear", "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "conv2d", "cosine_similarity", "cross_entropy", "dropout", "elu", "embedding", "gelu",
    "hardtanh",
    "huber_loss", "kl_div", "l1_loss", "layer_norm", "leaky_relu", "linear", "log_softmax",
    "max_pool2d", "mse_loss", "nll_loss", "normalize", "one_hot",
    "pad", "prelu", "relu", "relu6", "sigmoid", "silu", "smooth_l1_loss", "softmax", "softplus",
    "tanh",
]
