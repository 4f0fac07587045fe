"""``nn.layers`` against ``keras.layers``: one entry per public name of ``nn.layers``.

Every layer's constructor has Keras 3's parameter names, order and defaults; the Keras
arguments this library does not implement (constraints, LoRA, quantization, renorm, groups,
masking) are accepted with Keras' default only and refused otherwise, so no difference needs
to be ignored. ``CASES`` lists, per layer, the constructor arguments and input shapes that the
numerical tests run on both libraries.
"""

from tests.conformance.borrowed import Entry

_NAMES = [
    "Activation", "AveragePooling2D", "AvgPool2D", "BatchNormalization", "Conv1D", "Conv2D",
    "Dense",
    "Dropout", "ELU", "Embedding", "Flatten", "GaussianDropout", "GaussianNoise",
    "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalMaxPooling2D", "Identity", "Input",
    "InputLayer", "Lambda", "Layer", "LayerNormalization", "LeakyReLU", "MaxPool2D", "MaxPooling2D",
    "Permute", "ReLU", "RepeatVector", "Rescaling", "Reshape", "Softmax", "SpatialDropout2D",
    "UpSampling2D", "ZeroPadding2D",
]

_DIFFERENCES = {
    "BatchNormalization": (
        "synchronized=True normalizes with the statistics of the global batch under "
        "nn.distribution.DataParallel on several MPI processes and is the plain layer elsewhere; "
        "Keras 3 accepts it on the TensorFlow backend only (synchronizing the replicas of a "
        "tf.distribute strategy) and refuses it on JAX and PyTorch, so only its one-process "
        "numbers are compared with Keras (synchronized=False)"),
}

_DIFFERENCES["GlobalAveragePooling1D"] = (
    "no mask (a call with mask= is refused, as for every layer here; Keras averages over the "
    "unmasked steps)")
_DIFFERENCES["Lambda"] = (
    "mask only None (no masks); no code is stored in a model file: a named function is "
    "recorded by name and found in load_model's custom_objects (as Keras finds it), and a "
    "model holding a Python lambda saves but loading it is refused with Keras' safe-mode "
    "ValueError whatever safe_mode says (Keras loads it with safe_mode=False); an "
    "output_shape function cannot be saved")
_DIFFERENCES["InputLayer"] = (
    "sparse, ragged and optional only at their defaults and input_tensor only None (no sparse, "
    "ragged or optional inputs, nor wrapping a tensor here); batch_shape is a tuple as Keras' "
    "attribute, and a list in get_config (JSON)")

ENTRIES = [Entry(f"nn.layers.{name}", f"keras.layers.{name}", _DIFFERENCES.get(name, ""))
           for name in _NAMES]

def _affine(x):
    return x * 2.0 + 1.0


def _first_two_scaled(x, a):
    return x[:, :2] * a


def _squared(x):
    return x * x


#: Per layer: (constructor arguments, input shape) pairs run on both libraries, in training
#: and in inference, comparing outputs and the gradients of a weighted sum of the outputs with
#: respect to the input and every trainable weight. The random layers (Dropout, SpatialDropout2D,
#: GaussianNoise, GaussianDropout) are checked on their own: the inference identity and the
#: training statistics.
CASES = {
    "Activation": [({"activation": "gelu"}, (3, 4)), ({"activation": "softmax"}, (3, 4)),
                   ({"activation": "selu"}, (3, 4)), ({"activation": "mish"}, (3, 4))],
    "AveragePooling2D": [({"pool_size": 2}, (2, 6, 6, 3)),
                         ({"pool_size": 3, "strides": 2, "padding": "same"}, (2, 7, 5, 2)),
                         ({"pool_size": 2, "data_format": "channels_first"}, (2, 3, 4, 4))],
    "AvgPool2D": [({"pool_size": (2, 3), "strides": 1}, (1, 5, 6, 2))],
    "BatchNormalization": [({}, (8, 3)), ({"axis": 1, "momentum": 0.9}, (4, 3, 5)),
                           ({"center": False, "epsilon": 0.01}, (2, 3, 3, 2))],
    "Conv2D": [({"filters": 4, "kernel_size": 3, "padding": "same", "strides": 2,
                 "activation": "relu"}, (2, 7, 7, 3)),
               ({"filters": 2, "kernel_size": (2, 3), "dilation_rate": (2, 1),
                 "use_bias": False}, (1, 6, 6, 2)),
               ({"filters": 3, "kernel_size": 2, "data_format": "channels_first"},
                (2, 2, 5, 5))],
    "Dense": [({"units": 3, "activation": "selu"}, (4, 5)),
              ({"units": 2, "use_bias": False, "activation": "softmax"}, (2, 3, 4))],
    "ELU": [({}, (3, 4)), ({"alpha": 0.5}, (3, 4))],
    "Embedding": [({"input_dim": 10, "output_dim": 3}, (2, 4))],
    "Flatten": [({}, (2, 3, 4)), ({"data_format": "channels_first"}, (2, 3, 4, 5))],
    "LayerNormalization": [({}, (4, 5)), ({"axis": [1, 2], "epsilon": 0.01}, (3, 4, 2)),
                           ({"axis": 1, "center": False}, (3, 4, 2))],
    "LeakyReLU": [({}, (3, 4)), ({"negative_slope": 0.1}, (3, 4))],
    "MaxPool2D": [({"pool_size": 2, "padding": "same"}, (1, 5, 5, 2))],
    "MaxPooling2D": [({"pool_size": 2}, (2, 6, 6, 3)),
                     ({"pool_size": 3, "strides": 2, "padding": "same"}, (2, 7, 5, 2))],
    "ReLU": [({}, (3, 4)), ({"max_value": 1.0, "negative_slope": 0.1, "threshold": 0.5},
                            (3, 4))],
    "Softmax": [({}, (3, 4)), ({"axis": 1}, (2, 3, 4))],
    "GlobalAveragePooling2D": [({}, (2, 4, 5, 3)),
                               ({"data_format": "channels_first", "keepdims": True},
                                (2, 3, 4, 5))],
    "Conv1D": [({"filters": 3, "kernel_size": 2}, (2, 6, 2)),
               ({"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same",
                 "activation": "relu"}, (2, 7, 3)),
               ({"filters": 2, "kernel_size": 2, "padding": "causal", "dilation_rate": 2},
                (1, 6, 2)),
               ({"filters": 2, "kernel_size": 3, "data_format": "channels_first",
                 "use_bias": False}, (2, 3, 5))],
    "Lambda": [({"function": _affine}, (3, 4)),
               ({"function": _first_two_scaled, "arguments": {"a": 3.0}}, (2, 3)),
               ({"function": _squared, "output_shape": (4,)}, (2, 4))],
    "GlobalAveragePooling1D": [({}, (2, 5, 3)), ({"keepdims": True}, (1, 4, 2)),
                               ({"data_format": "channels_first"}, (2, 3, 5))],
    "GlobalMaxPooling2D": [({}, (2, 4, 5, 3)), ({"keepdims": True}, (1, 3, 3, 2)),
                           ({"data_format": "channels_first"}, (2, 3, 4, 5))],
    "Identity": [({}, (2, 3))],
    "Permute": [({"dims": (2, 1)}, (2, 3, 4)), ({"dims": (3, 1, 2)}, (2, 3, 4, 5))],
    "RepeatVector": [({"n": 3}, (2, 4))],
    "Rescaling": [({"scale": 0.5}, (2, 3)), ({"scale": 2.0, "offset": -1.0}, (2, 3, 2))],
    "Reshape": [({"target_shape": (3, 4)}, (2, 12)), ({"target_shape": (-1, 2)}, (2, 3, 4))],
    "UpSampling2D": [({}, (2, 3, 4, 2)), ({"size": (1, 3), "data_format": "channels_first"},
                                          (1, 2, 3, 3))],
    "ZeroPadding2D": [({}, (2, 3, 4, 2)), ({"padding": ((1, 0), (2, 3))}, (1, 3, 3, 2)),
                      ({"padding": 2, "data_format": "channels_first"}, (1, 2, 3, 3))],
}

#: Where Keras computes in float32 even for float64 layers and inputs, its own rounding (about
#: 1e-7 relative) bounds the agreement: its normalization layers compute in
#: ``result_type(x.dtype, "float32")``, float32 under Keras' promotion rules, and its JAX
#: ``mean`` (global average pooling) accumulates in float32 too. These cases are compared to
#: rtol 1e-6. (Keras' ``tanh`` does the same through ``result_type(x.dtype, float)``, so no
#: float64 case uses it.)
FLOAT32_INSIDE = {"BatchNormalization", "LayerNormalization", "GlobalAveragePooling1D",
                  "GlobalAveragePooling2D"}
