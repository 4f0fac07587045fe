"""``LayerNorm``'s old place: it is PyTorch's, in ``nn.torch_modules.normalization``; Keras'
layer is ``nn.layers.LayerNormalization``."""

from nn.torch_modules.normalization import LayerNorm

__all__ = ["LayerNorm"]
