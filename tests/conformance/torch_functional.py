"""Borrowed names: ``nn.functional`` is ``torch.nn.functional``.

Several of torch's functions are C builtins without a Python signature; their entries are
compared with the signature that opens torch's own docstring (``SIGNATURE_FROM_DOCSTRING``).
"""

from tests.conformance.borrowed import Entry

LEGACY = ("size_average and reduce, deprecated in torch, decide the reduction as torch's "
          "legacy_get_string does, with its warning")
LOSSES = ["l1_loss", "mse_loss", "huber_loss", "smooth_l1_loss", "cross_entropy", "nll_loss",
          "binary_cross_entropy", "binary_cross_entropy_with_logits", "kl_div"]
# torch broadcasts these losses' input and target with a warning, nearly always a mistake
BROADCAST_BY_TORCH = {"l1_loss", "mse_loss", "huber_loss", "smooth_l1_loss", "kl_div"}
NOT_BROADCAST = ("an input and a target of different shapes are refused with a ValueError "
                 "naming both shapes, where torch broadcasts them with a warning (an (N, 1) "
                 "input against an (N,) target gives an N x N table of differences)")
INPLACE = "inplace=True is refused with a ValueError (results are always new tensors)"

ENTRIES = [
    Entry("nn.functional.linear", "torch.nn.functional.linear"),
    Entry("nn.functional.bilinear", "torch.nn.functional.bilinear"),
    Entry("nn.functional.conv2d", "torch.nn.functional.conv2d"),
    Entry("nn.functional.max_pool2d", "torch.nn.functional.max_pool2d"),
    Entry("nn.functional.avg_pool2d", "torch.nn.functional.avg_pool2d"),
    Entry("nn.functional.adaptive_avg_pool2d", "torch.nn.functional.adaptive_avg_pool2d"),
    Entry("nn.functional.batch_norm", "torch.nn.functional.batch_norm"),
    Entry("nn.functional.layer_norm", "torch.nn.functional.layer_norm"),
    Entry("nn.functional.dropout", "torch.nn.functional.dropout",
          f"{INPLACE}; the mask comes from nn's generator, so the draws differ from torch's "
          f"while their distribution is the same"),
    Entry("nn.functional.leaky_relu", "torch.nn.functional.leaky_relu", INPLACE),
    Entry("nn.functional.relu", "torch.nn.functional.relu", INPLACE),
    Entry("nn.functional.gelu", "torch.nn.functional.gelu"),
    Entry("nn.functional.elu", "torch.nn.functional.elu", INPLACE),
    Entry("nn.functional.softmax", "torch.nn.functional.softmax"),
    Entry("nn.functional.log_softmax", "torch.nn.functional.log_softmax"),
    Entry("nn.functional.one_hot", "torch.nn.functional.one_hot"),
    Entry("nn.functional.pad", "torch.nn.functional.pad"),
    Entry("nn.functional.embedding", "torch.nn.functional.embedding",
          "scale_grad_by_freq=False and sparse=False only; other values are refused with a "
          "ValueError"),
    Entry("nn.functional.softplus", "torch.nn.functional.softplus"),
    Entry("nn.functional.sigmoid", "torch.nn.functional.sigmoid"),
    Entry("nn.functional.tanh", "torch.nn.functional.tanh"),
    Entry("nn.functional.silu", "torch.nn.functional.silu", INPLACE),
    Entry("nn.functional.hardtanh", "torch.nn.functional.hardtanh", INPLACE),
    Entry("nn.functional.relu6", "torch.nn.functional.relu6", INPLACE),
    Entry("nn.functional.prelu", "torch.nn.functional.prelu"),
    Entry("nn.functional.normalize", "torch.nn.functional.normalize",
          "out= is refused unless None (results are always new tensors; torch's out= result "
          "is not differentiable)"),
    Entry("nn.functional.cosine_similarity", "torch.nn.functional.cosine_similarity"),
    *[Entry(f"nn.functional.{name}", f"torch.nn.functional.{name}",
            "; ".join(([] if name == "huber_loss" else [LEGACY])
                      + ([NOT_BROADCAST] if name in BROADCAST_BY_TORCH else [])))
      for name in LOSSES],
]

# torch builtins without a Python signature: compared with the first line of their docstring.
SIGNATURE_FROM_DOCSTRING = {"linear", "bilinear", "conv2d", "max_pool2d", "avg_pool2d", "gelu",
                            "one_hot", "softplus", "prelu",
                            "cosine_similarity"}
