"""Borrowed names: ``nn.init`` is ``torch.nn.init``."""

from tests.conformance.borrowed import Entry

GENERATOR = ("generator is a numpy.random.Generator (this library has no torch.Generator); "
             "None draws from the sequence autograd.manual_seed restarts, as torch's default "
             "generator does. The draws differ from torch's; their distributions do not")
_RANDOM = ["uniform_", "normal_", "xavier_uniform_", "xavier_normal_", "kaiming_uniform_",
           "kaiming_normal_", "orthogonal_", "sparse_"]
_FIXED = ["calculate_gain", "constant_", "ones_", "zeros_", "eye_", "dirac_"]

ENTRIES = [
    *[Entry(f"nn.init.{name}", f"torch.nn.init.{name}") for name in _FIXED],
    *[Entry(f"nn.init.{name}", f"torch.nn.init.{name}", GENERATOR) for name in _RANDOM],
    Entry("nn.init.trunc_normal_", "torch.nn.init.trunc_normal_",
          f"{GENERATOR}. Rejection sampling instead of torch's inverse CDF (the exact "
          f"distribution); bounds holding under 1e-6 of the mass are a ValueError where torch "
          f"warns and returns inaccurate values"),
]
