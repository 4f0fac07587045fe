"""``nn.initializers`` against ``keras.initializers``: one entry per public name.

Deterministic initializers (``Zeros``, ``Ones``, ``Constant``, ``Identity``) must give Keras'
values; random ones draw from numpy rather than JAX, so a seeded initializer gives other
numbers than Keras' with the same seed (an accepted difference: the streams are different
generators), and the tests compare their distributions instead: the same bounds, means and
standard deviations. Keras' ``STFT`` initializer (windows for spectrogram kernels) is not
offered, so it has no entry.
"""

from tests.conformance.borrowed import Entry

_NAMES = [
    "Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "Identity",
    "IdentityInitializer", "Initializer", "LecunNormal", "LecunUniform", "Ones", "Orthogonal",
    "OrthogonalInitializer", "RandomNormal", "RandomUniform", "TruncatedNormal",
    "VarianceScaling", "Zeros", "constant", "deserialize", "get", "glorot_normal",
    "glorot_uniform", "he_normal", "he_uniform", "identity", "lecun_normal", "lecun_uniform",
    "ones", "orthogonal", "random_normal", "random_uniform", "serialize", "truncated_normal",
    "variance_scaling", "zeros",
]

_RANDOM = ("GlorotNormal GlorotUniform HeNormal HeUniform LecunNormal LecunUniform Orthogonal "
           "OrthogonalInitializer RandomNormal RandomUniform TruncatedNormal VarianceScaling "
           "glorot_normal glorot_uniform he_normal he_uniform lecun_normal lecun_uniform "
           "orthogonal random_normal random_uniform truncated_normal variance_scaling").split()

ENTRIES = [Entry(f"nn.initializers.{name}", f"keras.initializers.{name}",
                 "values drawn from numpy, not JAX: same distribution, other numbers"
                 if name in _RANDOM else "")
           for name in _NAMES]

#: Random initializers with the constructor arguments tried: (class, arguments).
RANDOM_CASES = [
    ("RandomNormal", {}), ("RandomNormal", {"mean": 1.0, "stddev": 0.5}),
    ("RandomUniform", {}), ("RandomUniform", {"minval": -2.0, "maxval": 3.0}),
    ("TruncatedNormal", {}), ("TruncatedNormal", {"mean": -1.0, "stddev": 0.3}),
    ("VarianceScaling", {}), ("VarianceScaling", {"scale": 2.0, "mode": "fan_out",
                                                  "distribution": "uniform"}),
    ("VarianceScaling", {"scale": 0.5, "mode": "fan_avg", "distribution": "untruncated_normal"}),
    ("GlorotNormal", {}), ("GlorotUniform", {}), ("HeNormal", {}), ("HeUniform", {}),
    ("LecunNormal", {}), ("LecunUniform", {}),
]

#: Deterministic initializers: (class, arguments, shape).
DETERMINISTIC_CASES = [
    ("Zeros", {}, (3, 4)), ("Ones", {}, (2, 3, 2)), ("Constant", {}, (3,)),
    ("Constant", {"value": 2.5}, (2, 2)), ("Constant", {"value": [1.0, 2.0, 3.0]}, (2, 3)),
    ("Identity", {}, (3, 3)), ("Identity", {"gain": 2.0}, (2, 4)),
]
