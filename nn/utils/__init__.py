"""nn.utils: Keras' utilities (``to_categorical``) and PyTorch's (``clip_grad_norm_``, ...).

The two frameworks share no name here: ``keras_utils`` holds Keras' names, ``torch_utils``
PyTorch's ``torch.nn.utils``.
"""

from nn.utils.keras_utils import to_categorical

__all__: list[str] = ["to_categorical"]
