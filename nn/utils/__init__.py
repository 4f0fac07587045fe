"""nn.utils: Keras' utilities (``to_categorical``, ``set_random_seed``) and PyTorch's
(``clip_grad_norm_``, ...).

The two frameworks share no name here: ``keras_utils`` holds Keras' names, ``torch_utils``
PyTorch's ``torch.nn.utils``.
"""

from nn.random import set_random_seed
from nn.utils.keras_utils import to_categorical
from nn.utils.torch_utils import (
    clip_grad_norm_,
    clip_grad_value_,
    clip_grads_with_norm_,
    get_total_norm,
    parameters_to_vector,
    vector_to_parameters,
)

__all__: list[str] = [
    "clip_grad_norm_", "clip_grad_value_", "clip_grads_with_norm_", "get_total_norm",
    "parameters_to_vector", "set_random_seed", "to_categorical", "vector_to_parameters",
]
