"""The containers' old place: they are PyTorch's, in ``nn.torch_modules.containers``."""

from nn.torch_modules.containers import ModuleDict, ModuleList

__all__ = ["ModuleDict", "ModuleList"]
