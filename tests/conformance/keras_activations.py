"""``nn.activations`` against ``keras.activations``: one entry per public name.

``CASES`` lists, per function, the keyword arguments the numerical tests run on both libraries
(besides the defaults). ``FLOAT32_INSIDE`` names the functions that Keras computes in float32
even for float64 input: its ``tanh`` (and those built on it) take ``result_type(x.dtype,
float)``, float32 under Keras' promotion rules, so its own rounding bounds the agreement there
(compared to float32's rtol 1e-5, atol 1e-6: tanh's derivative 1 - tanh^2 cancels in float32).
"""

from tests.conformance.borrowed import Entry

_NAMES = [
    "celu", "deserialize", "elu", "exponential", "gelu", "get", "glu", "hard_shrink",
    "hard_sigmoid", "hard_silu", "hard_swish", "hard_tanh", "leaky_relu", "linear",
    "log_sigmoid", "log_softmax", "mish", "relu", "relu6", "selu", "serialize", "sigmoid", "silu",
    "soft_shrink", "softmax", "softplus", "softsign", "sparse_plus", "sparse_sigmoid",
    "sparsemax", "squareplus", "swish", "tanh", "tanh_shrink", "threshold",
]

_DIFFERENCES = {
    "sparsemax": "Keras 3.15 computes tau from the sum of the cumulative sums over the support "
                 "instead of the k-th cumulative sum, so once two or more entries are kept its "
                 "rows no longer sum to 1; ours is the published sparsemax (the projection onto "
                 "the simplex). Equal to Keras' where one entry is kept.",
}

ENTRIES = [Entry(f"nn.activations.{name}", f"keras.activations.{name}",
                 _DIFFERENCES.get(name, "")) for name in _NAMES]

#: The functions of one tensor, each with the argument sets run besides the defaults.
CASES = {
    "celu": [{"alpha": 0.5}], "elu": [{"alpha": 0.5}], "exponential": [],
    "gelu": [{"approximate": True}], "glu": [], "hard_shrink": [{"threshold": 0.2}],
    "hard_sigmoid": [], "hard_silu": [], "hard_swish": [], "hard_tanh": [],
    "leaky_relu": [{"negative_slope": 0.1}], "linear": [], "log_sigmoid": [],
    "log_softmax": [{"axis": 0}], "mish": [],
    "relu": [{"negative_slope": 0.1}, {"max_value": 1.0}, {"threshold": 0.5},
             {"negative_slope": 0.1, "max_value": 2.0, "threshold": 0.5}],
    "relu6": [], "selu": [], "sigmoid": [], "silu": [], "soft_shrink": [{"threshold": 0.2}],
    "softmax": [{"axis": 0}], "softplus": [], "softsign": [], "sparse_plus": [],
    "sparse_sigmoid": [], "squareplus": [{"b": 2}], "swish": [], "tanh": [], "tanh_shrink": [],
    "threshold": [{"threshold": 0.5, "default_value": -1.0}],
}

#: Computed in float32 by Keras even for float64 input (see the module's docstring).
FLOAT32_INSIDE = {"tanh", "tanh_shrink", "mish", "gelu"}

#: Arguments without a default, given in every call.
REQUIRED = {"threshold": {"threshold": 0.5, "default_value": -1.0}}

#: Functions whose numbers differ from Keras' on purpose (said in their entry), tested apart.
DIFFERENT = set(_DIFFERENCES)
