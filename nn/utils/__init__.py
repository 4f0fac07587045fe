"""nn.utils: Keras' utilities (``to_categorical``) and PyTorch's (``clip_grad_norm_``, ...).

The two frameworks share no name here: ``keras_utils`` holds Keras' names, ``torch_utils``
PyTorch's ``torch.nn.utils``.
"""

__all__: list[str] = []
