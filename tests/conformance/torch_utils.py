"""Borrowed names: ``nn.utils``'s PyTorch half is ``torch.nn.utils`` (to_categorical is Keras',
in the Keras engineer's table). The clipping functions are also reachable from ``optim``."""

from tests.conformance.borrowed import Entry

REFUSED_NEGATIVE = ("a negative {name} is a ValueError: torch would {effect} without a word, "
                    "never what a caller means")
FOREACH = "foreach (torch's implementation choice) is accepted as None, True or False alike"
_CLIP_NORM = (f"{REFUSED_NEGATIVE.format(name='max_norm', effect='flip the gradients')}; "
              f"{FOREACH}")
_CLIP_VALUE = (f"{REFUSED_NEGATIVE.format(name='clip_value', effect='set every element to it')}"
               f"; {FOREACH}")

ENTRIES = []
for _where in ("nn.utils", "optim"):
    ENTRIES += [
        Entry(f"{_where}.clip_grad_norm_", "torch.nn.utils.clip_grad_norm_", _CLIP_NORM),
        Entry(f"{_where}.clip_grad_value_", "torch.nn.utils.clip_grad_value_", _CLIP_VALUE),
        Entry(f"{_where}.clip_grads_with_norm_", "torch.nn.utils.clip_grads_with_norm_",
              _CLIP_NORM),
        Entry(f"{_where}.get_total_norm", "torch.nn.utils.get_total_norm", FOREACH),
    ]
ENTRIES += [
    Entry("nn.utils.parameters_to_vector", "torch.nn.utils.parameters_to_vector"),
    Entry("nn.utils.vector_to_parameters", "torch.nn.utils.vector_to_parameters",
          "the parameters get copies of vec's slices in their own dtype (torch's share vec's "
          "memory and take its dtype), and a vec too short is refused before any parameter "
          "changes (torch fails midway)"),
]
