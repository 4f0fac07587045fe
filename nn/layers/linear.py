"""``Linear``'s old place: it is PyTorch's, in ``nn.torch_modules.linear``."""

from nn.torch_modules.linear import Linear

__all__ = ["Linear"]
